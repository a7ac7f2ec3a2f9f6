// What @types/espruino 1.95 lacks or declares too narrowly (checked against Espruino 2v29: src/jswrap_*.c).
// Ambient declarations only: nothing here is emitted.

/** Read `count` 8-bit values from `addr`: a number when count is 1 or absent, else a new Uint8Array. */
declare function peek8(addr: number): number;
/** Read 16-bit values (two byte reads each on 1v96+): a number, or a Uint16Array when count > 1. */
declare function peek16(addr: number): number;
/** Read 32-bit values, unsigned since 1v72: a number, or a Uint32Array when count > 1. */
declare function peek32(addr: number): number;

declare namespace E {
  /** Concatenate the arguments' bytes into a String (no JS loop). */
  function toString(...args: any[]): string;
  /** CRC-32 of the bytes of `data` (zlib's), unsigned; missing on SAVE_ON_FLASH builds (2v05+). */
  var CRC32: ((data: any) => number) | undefined;
  /** Concatenate the arguments' bytes (Strings, Arrays, typed arrays, {data, count}) into a new Uint8Array. */
  function toUint8Array(...args: any[]): Uint8Array;
}

interface EspruinoMemory {
  free: number; usage: number; total: number; history: number;
  /** 0x08000000 on STM32 */ flash_start?: number;
  /** &_etext: an ALIAS address (0x2800-linked) on boards with the Espruino bootloader */ flash_binary_end?: number;
  /** start of saved code / Storage, absolute */ flash_code_start?: number;
  /** bytes of flash Espruino assumes */ flash_length?: number;
}
declare const process: {
  /** `gc` false skips the garbage collection (2v13+). */
  memory(gc?: boolean): EspruinoMemory;
  env: { BOARD?: string; VERSION?: string; [key: string]: any };
};

/** Espruino's require(): a cached module (Modules.addCached), a built-in one, or one saved in Storage. */
declare function require(name: string): any;
