// Types for require("FlashKV"). Built from src/ by `npm run build` - do not edit.
declare module "FlashKV" {
  /** The built-in `Flash` API (Espruino's require("Flash")), which is all the store uses. */
  interface FlashApi {
      getPage(addr: number): {
          addr: number;
          length: number;
      } | undefined;
      erasePage(addr: number): any;
      write(data: Uint8Array, addr: number, opts?: any): any;
      read(length: number, addr: number): Uint8Array;
      getFree?(): {
          addr: number;
          length: number;
      }[];
  }

  /** Options of open(). */
  interface OpenOptions {
      /** address of the first page (page-aligned); default: the last `pages` pages of flash.getFree()[0] */
      addr?: number;
      /** number of pages, 2..255 (default 2) */
      pages?: number;
      /** an object with the built-in Flash API (getPage, erasePage, write, read); default require("STM32F1Flash") */
      flash?: FlashApi;
  }
  /** A key-value store returned by open(). Keys are Strings of 1..28 chars; values are bytes, read back as Strings. */
  interface FlashKV {
      /** The value stored under `key` as a String, or undefined. @throws Error on a bad key or a corrupted record. */
      read(key: string): string | undefined;
      /** JSON.parse(read(key)), or undefined if there is none. @throws Error on a value that is not JSON. */
      readJSON(key: string): any;
      /** Store the bytes of `data` (String, ArrayBuffer, typed array, DataView, Array of bytes) under `key`; returns
       * true once durable. @throws Error on bad input, `full` (nothing changed) or a flash error. */
      write(key: string, data: string | ArrayBuffer | ArrayBufferView | number[]): boolean;
      /** write(key, JSON.stringify(value)). */
      writeJSON(key: string, value: any): boolean;
      /** Erase `key` (durable once it returns; nothing happens if there is none). */
      erase(key: string): void;
      /** The stored keys. */
      list(): string[];
      /** Bytes per page, bytes of live records, bytes free for records, erase count of each page. */
      getStats(): {
          pages: number;
          pageSize: number;
          used: number;
          free: number;
          erases: number[];
      };
  }
  /** Open the store kept in `pages` flash pages from `addr`, reading what a previous session (or a power cut) left.
   * open() only reads flash: 2 native calls per page plus 4 (STM32F1Flash also reads the memory map on its first
   * call). Pages holding no store are erased at the first write, so give it pages holding nothing else. The default
   * `addr` is the last `pages` pages of flash.getFree()[0], which on Espruino ends where saved code begins
   * (process.memory().flash_code_start), so it stays where it is across reboots of the same firmware.
   * @param o {addr, pages, flash}, all optional: see OpenOptions
   * @throws Error `FlashKV open: <why>` on bad options (`unknown option <key>`: not addr, pages or flash; `bad addr`:
   *   not the start of a flash page; `bad pages`: not 2..255 equal pages in flash), no E.CRC32 (SAVE_ON_FLASH firmware), or `pages: N` (a store made with N pages). */
  function open(o?: OpenOptions): FlashKV;

  export { open };
  export type { FlashApi, FlashKV, OpenOptions };
}
