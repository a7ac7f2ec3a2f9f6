// Types for require("STM32F1Flash"). Built from src/ by `npm run build` - do not edit.
declare module "STM32F1Flash" {
  /** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
   * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
   * and lock by themselves.
   * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075). */
  function unlock(): void;
  /** Lock the FPEC: wait for SR.BSY to clear (CR writes are ignored while BSY), then CR = LOCK, which also clears
   * CR.PG/PER (PM0075, FLASH_CR), on both banks on XL density; and stop holding it open. */
  function lock(): void;

  /** One region of the memory map: [addr, addr + length) in bytes. `allow` names the option that unlocks it for
   * erase/write (no `allow`: free for use). */
  interface Region {
      name: string;
      addr: number;
      length: number;
      allow?: string;
  }
  /** Per-call options: each `allow*` flag lets erase/write touch that region. `erased` (write(data, addr) only): the
   * caller already knows every target half-word reads 0xFFFF (e.g. a log or store that appends into space it has
   * checked), so the blank pre-check (two native calls) is skipped; a half-word that is not erased after all is then
   * refused by the FPEC (PGERR) while the others ARE programmed, and the read-back throws `not erased (PGERR)`. */
  interface Options {
      allowBootloader?: boolean;
      allowFirmware?: boolean;
      allowSavedCode?: boolean;
      allowUndocumented?: boolean;
      erased?: boolean;
  }

  /** A range of flash in bytes, as the built-in Flash module returns it. */
  interface Area {
      addr: number;
      length: number;
  }
  /** Erase the page holding `addr` (any address in the page) so every byte reads 0xFF, and verify it.
   * Returns true (the built-in Flash.erasePage returns undefined; true lets the seed API's erase() be this same
   * function, which saves RAM on the board).
   * @param addr absolute byte address, e.g. 0x0802F000
   * @param opts allowFirmware / allowSavedCode / allowBootloader / allowUndocumented to touch those regions
   * @throws Error on a bad address, a protected region, WRPRTERR (write-protected page) or a byte not 0xFF after
   * (named with its address). Sequence: CR.PER, FLASH_AR, CR.STRT, then the read-back waits for BSY (PM0075, Page
   * Erase; a flash read while BSY stalls); 1 KB or 2 KB pages (RM0008, Tables 4-8); tERASE 20-40 ms (DS5792 Table 29).
   * Each page endures 10 000 erase cycles (DS5792 Table 30); a power cut during the erase leaves the page's contents
   * undefined (erase it again). */
  function erasePage(addr: number, opts?: Options): boolean;

  /** Write the bytes of `data` (a byte 0..255, String, Array of bytes, ArrayBuffer, typed array or DataView) at
   * byte address `addr`, then read them back (built-in Flash form). Every target half-word must read 0xFFFF
   * (checked first, unless `opts.erased`).
   * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
  function write(data: number | string | ArrayLike<number> | ArrayBuffer | ArrayBufferView, addr: number, opts?: Options): void;
  /** Write the 32-bit `word` at 4-aligned `addr` (reading 0xFFFFFFFF) as two half-words, low half first, and read it
   * back (seed form; `addr` is a flash address, 0x08000000 or more).
   * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
  function write(addr: number, word: number, opts?: Options): void;
  /** Read `length` bytes from byte address `addr` as a Uint8Array (built-in Flash form: length first).
   * @throws Error on a bad argument or a range outside flash. */
  function read(length: number, addr: number, opts?: Options): Uint8Array;
  /** Read the unsigned 32-bit word at 4-aligned `addr` (seed form). @throws Error on a bad address or outside flash. */
  function read(addr: number): number;
  /** CRC-32 of `length` bytes of flash from byte address `addr`: the CRC-32 of zlib, gzip, PNG and Ethernet
   * (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF; zlib's crc32()), as an unsigned
   * number. Two native calls: E.CRC32 over E.memoryArea(addr, length), which reads flash in place (no copy in RAM).
   * E.CRC32 is missing from SAVE_ON_FLASH firmware builds (boards with 128 KB of flash such as HYSTM32_28).
   * @throws Error on a bad argument, a range outside flash (the undocumented region needs allowUndocumented), or
   *   `crc32: E.CRC32 missing` on such builds. */
  function crc32(addr: number, length: number, opts?: Options): number;
  /** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
   * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
  function isPageSafe(addr: number): boolean;
  /** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
   * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
   * non-integer address. */
  function getPage(addr: number, opts?: Options): Area | undefined;
  /** Areas free for data, as [{addr, length}] (built-in Flash shape): from the first page after Espruino's firmware
   * image (its end read from the firmware's Reset_Handler literal pool when the module loaded, so it does not move
   * when you write there) to flash_code_start, plus 0x08040000-0x0805FFFF on the Original when
   * opts.allowUndocumented (or setup) allows it. */
  function getFree(opts?: Options): Area[];
  /** The board's memory map: [{name, addr, length, allow}] in address order, with name "bootloader", "firmware",
   * "free", "saved code" or "undocumented"; `allow` is the option erase/write need there (none for "free"). */
  function getMemoryMap(): Region[];
  /** Module settings for later calls: `waitEachHalfWord` polls SR.BSY after every half-word store (for
   * APM32/GD32/CKS32 clones that drop a write issued while BSY; slower); `allowUndocumented` lets every call use
   * 0x08040000-0x0805FFFF on the Original. Options left out are set false.
   * @throws Error if `values` is not an object or has another key (e.g. a misspelt `waitEachHalfword`); the
   * settings are then unchanged. */
  function setup(values: {
      waitEachHalfWord?: boolean;
      allowUndocumented?: boolean;
  }): void;

  export { crc32, erasePage as erase, erasePage, getFree, getMemoryMap, getPage, isPageSafe, lock, read, setup, unlock, write };
  export type { Area, Options, Region };
}
