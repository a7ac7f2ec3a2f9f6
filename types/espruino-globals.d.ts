// Types for a TypeScript app that runs on an Espruino board and uses this project's modules: what the
// `@types/espruino` package (1.95) lacks or declares too narrowly. Ambient declarations, nothing emitted.
// Use it with examples/typescript/tsconfig.json: ES5 output with no module system (`module: "none"`), the app
// calls the global `require("STM32F1Flash")` exactly as plain Espruino code does. An `import` would be compiled to
// CommonJS (`exports`, "use strict" + Object.defineProperty(exports, ...)), which the board cannot run
// ("Uncaught ReferenceError: exports is not defined").
/// <reference path="../modules/STM32F1Flash.d.ts" />
/// <reference path="../modules/STM32F1Bootloader.d.ts" />
/// <reference path="../modules/FlashKV.d.ts" />

/** What `require(name)` returns for the modules known here; any other name gives `any`. */
interface EspruinoModules {
  /** This project's module (modules/STM32F1Flash.min.js). */
  STM32F1Flash: typeof import("STM32F1Flash");
  /** This project's module (modules/STM32F1Bootloader.min.js): enter the ST system-memory bootloader. */
  STM32F1Bootloader: typeof import("STM32F1Bootloader");
  /** This project's module (modules/FlashKV.min.js): a power-loss-safe key-value store in flash. */
  FlashKV: typeof import("FlashKV");
  /** The built-in Storage library (Espruino src/jswrap_storage.c). */
  Storage: EspruinoStorage;
  /** The built-in Flash library (not on SAVE_ON_FLASH builds). */
  Flash: typeof Flash;
}

/** Load a module: a cached one (uploaded by the Web IDE or CLI), a built-in one, or a Storage file of that name. */
declare function require<K extends keyof EspruinoModules>(moduleName: K): EspruinoModules[K];
declare function require(moduleName: string): any;

/** Espruino's Storage library: files in the saved-code area of flash (max 28-character names). */
interface EspruinoStorage {
  /** The file's bytes as a String (memory-mapped on the board), or undefined if there is no such file. */
  read(name: string, offset?: number, length?: number): string | undefined;
  /** The file parsed as JSON (Espruino's liberal JSON); undefined if absent; with noExceptions, undefined if invalid. */
  readJSON(name: string, noExceptions?: boolean): any;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  /** Write a file (an object is written as JSON); with offset/size, write part of a file created with that size. */
  write(name: string, data: string | ArrayBuffer | ArrayBufferView | number[] | object, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  eraseAll(): void;
  list(regex?: RegExp, filter?: { sf: boolean }): string[];
  /** Bytes free at the end of the Storage area. */
  getFree(): number;
  getStats(): { totalBytes: number; freeBytes: number; fileBytes: number; fileCount: number; trashBytes: number; trashCount: number };
  compact(): void;
}

declare function peek8(addr: number, count?: number): any;
declare function peek16(addr: number, count?: number): any;
declare function peek32(addr: number, count?: number): any;
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;

declare const console: { log(...args: any[]): void };

declare const process: {
  /** JsVar counts (free, usage, total, blocksize) and, on ARM boards, flash_start, flash_binary_end (an alias
   * address on boards with a bootloader), flash_code_start, flash_length. `gc` false skips the collection. */
  memory(gc?: boolean): { free: number; usage: number; total: number; history: number; blocksize?: number;
    flash_start?: number; flash_binary_end?: number; flash_code_start?: number; flash_length?: number };
  env: { BOARD?: string; VERSION?: string; [key: string]: any };
  version: string;
};

declare namespace E {
  /** `init` runs at every start (after power-on, reset or load); `kill` before save(), load() and reset(). */
  function on(event: "init" | "kill" | string, callback: (...args: any[]) => void): void;
  function emit(event: string, ...args: any[]): void;
  function removeListener(event: string, callback: (...args: any[]) => void): void;
  function removeAllListeners(event?: string): void;
  /** The arguments' bytes as one String. */
  function toString(...args: any[]): string;
  function toUint8Array(...args: any[]): Uint8Array;
  /** Standard CRC-32 (the zlib one), unsigned; not on SAVE_ON_FLASH builds. */
  function CRC32(data: any): number;
  /** Hardware reset (1v99+). */
  function reboot(): void;
}
