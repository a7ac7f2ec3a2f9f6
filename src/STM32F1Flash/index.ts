// STM32F1Flash: read, erase and write the internal flash of STM32F1 Espruino boards (the Espruino Original,
// STM32F103RCT6). Two APIs on one object:
//  - the 2014 EspruinoDocs module's: unlock(), lock(), erase(addr), write(addr, word), read(addr), isPageSafe(addr)
//  - Espruino's built-in `Flash` module's: getPage(addr), getFree(), erasePage(addr), write(data, addr),
//    write(byte, addr), read(length, addr)
// write() and read() tell the forms apart by their arguments: a byte 0..255 first is the one-byte form, any other
// number first the word form, anything else data; read(addr) has one argument, read(length, addr) two.
// Also: crc32(addr, length), getMemoryMap() and setup({waitEachHalfWord, allowUndocumented}).
// Lock rule: every call that erases or programs leaves the FPEC locked (CR.LOCK set, PG/PER clear), failures
// included, unless the caller holds it open with unlock() until lock().
import { diff, err, lock, operate, PAGE, settings, unlock } from "./fpec";
import { AT, guard, options, Options, Region, regionNames } from "./memory-map";
import { Addr } from "./registers";

export { lock, Options, Region, unlock };

/** A range of flash in bytes, as the built-in Flash module returns it. */
export interface Area { addr: number; length: number }

/** Throw unless `value` is an integer 0..0xFFFFFFFF (an address or a length in bytes; a length also not 0);
 * returns it. The error reads `<op>: bad <what> <value>`, `what` being "addr" unless given. */
function int(op: string, value: any, what?: string): number {
  if (value !== value >>> 0 || (what && !value)) throw err(op, "bad " + (what || "addr") + " " + value);
  return value;
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
export function erasePage(addr: number, opts?: Options): boolean {
  var op = "erasePage", start = int(op, addr) & -PAGE;
  guard(op, start, PAGE, opts, true);
  operate(op, start, function () { return diff(start, PAGE); });
  return true;
}

/** Seed API name of erasePage(): erase the page holding `addr`; returns true. */
export { erasePage as erase };

/** Write the bytes of `data` (a byte 0..255, String, Array of bytes, ArrayBuffer, typed array or DataView) at
 * byte address `addr`, then read them back (built-in Flash form). Every target half-word must read 0xFFFF
 * (checked first, unless `opts.erased`).
 * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
export function write(data: number | string | ArrayLike<number> | ArrayBuffer | ArrayBufferView, addr: number,
  opts?: Options): void;
/** Write the 32-bit `word` at 4-aligned `addr` (reading 0xFFFFFFFF) as two half-words, low half first, and read it
 * back (seed form; `addr` is a flash address, 0x08000000 or more).
 * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
export function write(addr: number, word: number, opts?: Options): void;
/** Write to flash. Three forms, told apart by the first argument:
 *  - write(data, addr[, opts]) (built-in Flash form): `data` is a String, Array of bytes, ArrayBuffer or any typed
 *    array / DataView (its BYTES are written, not its elements); `addr` any byte address. Odd edges are merged into
 *    half-words that are still 0xFFFF; every target half-word must read 0xFFFF (even one that already holds its new
 *    value: an F1 half-word is programmed once per erase, PM0075 FLASH_SR PGERR), checked before anything is
 *    written (two native calls) unless opts.erased says the caller knows it (then a half-word that is not erased
 *    fails with PGERR after the others were programmed). One poke16 programs the whole run (PM0075, Main Flash
 *    memory programming: half-words only), then the bytes are read back and compared. A write may not cross from bank 1 into bank 2 of an XL-density part.
 *  - write(byte, addr[, opts]) (built-in Flash form): a number 0..255 first is one byte, as write([byte], addr).
 *    No flash address is below 256, so this cannot be mistaken for the seed form.
 *  - write(addr, word[, opts]) (seed form): any other number first is a 4-aligned flash address, and `word` a
 *    32-bit word written as two half-word programs, low half first; `word` may be given signed (0xCAFEBABE|0) or
 *    unsigned.
 * @throws Error on a bad argument (naming the form probably meant when the order looks swapped), a protected
 *   region (opts: allowFirmware / allowSavedCode / allowBootloader / allowUndocumented), a target not erased,
 *   PGERR, WRPRTERR or a read-back mismatch, naming the address. */
export function write(data: any, addr: any, opts?: Options): void {
  var op = "write", bytes: Uint8Array, image: Uint8Array, i: number, length: number, start: number, end: number;
  if (data === (data & 255)) data = [data];
  if (typeof data == "number") {
    // seed form: `data` is the address, `addr` the word, written as its two half-words, low first, onto a word
    // that reads 0xFFFFFFFF
    if (data < Addr.FLASH_BASE) throw err(op, data + " is not a byte or a flash address: write(byte, addr) or write(addr, word)");
    if (int(op, data) & 3) throw err(op, "not 4-aligned", data);
    guard(op, data, 4, opts, true);
    if (addr !== addr >>> 0 && addr !== (addr | 0)) {
      throw err(op, "bad word " + addr + (typeof addr == "number" ? "" : "; data goes first: write(data, addr)"), data);
    }
    if (~peek32(data)) throw err(op, "not erased", data);
    addr >>>= 0;
    operate(op, data, function () {
      return peek32(data) == addr ? -1 : data;
    }, new Uint16Array([addr, addr >>> 16]));
    return;
  }
  if (Array.isArray(data)) {
    for (i = 0; i < data.length; i++) if (data[i] !== (data[i] & 255)) throw err(op, "bad byte data[" + i + "]");
  } else if (typeof data != "string" && !(data && (data.buffer || data) instanceof ArrayBuffer)) {
    // only real buffers: an object that merely has `buffer` and `byteLength` is not data
    throw err(op, "bad data " + data);
  }
  // the bytes of a String, Array, ArrayBuffer or any view of one
  bytes = typeof data == "string" ? E.toUint8Array(data)
    : new Uint8Array(data.buffer || data, data.byteOffset, data.byteLength);
  length = bytes.length;
  start = int(op, addr) & ~1;
  end = (addr + length + 1) & ~1;
  if (!length) throw err(op, "no data", addr);
  guard(op, addr, length, opts, true);
  // the half-word image: the data, padded with 0xFF at odd edges, so those bytes must read 0xFF too
  image = bytes;
  if (start != addr || length & 1 || bytes.byteOffset & 1) {
    image = new Uint8Array(end - start);
    image.fill(255);
    image.set(bytes, addr - start);
  }
  // the blank pre-check, unless the caller vouches for it (opts.erased)
  i = opts && opts.erased ? -1 : diff(start, end - start);
  if (i >= 0) throw err(op, "not erased", i);
  operate(op, start, function () {
    return diff(start, end - start, image);
  }, new Uint16Array(image.buffer, image.byteOffset, (end - start) >> 1));
}

/** Read `length` bytes from byte address `addr` as a Uint8Array (built-in Flash form: length first).
 * @throws Error on a bad argument or a range outside flash. */
export function read(length: number, addr: number, opts?: Options): Uint8Array;
/** Read the unsigned 32-bit word at 4-aligned `addr` (seed form). @throws Error on a bad address or outside flash. */
export function read(addr: number): number;
/** Read flash. Two forms, told apart by whether `addr` is given (not by arguments.length: in Espruino it is never
 * smaller than the number of declared parameters):
 *  - read(length, addr[, opts]) (built-in Flash form): `length` bytes from byte address `addr` as a Uint8Array (one
 *    peek8).
 *  - read(addr) (seed form): the unsigned 32-bit word at 4-aligned `addr`.
 * @throws Error on a bad argument (a length that is a flash address names the argument order), or a range outside
 *   flash (the undocumented 0x08040000-0x0805FFFF of the Original needs allowUndocumented). */
export function read(length: any, addr?: any, opts?: Options): any {
  var op = "read";
  if (addr === undefined) {
    // seed form: `length` is the address
    if (int(op, length) & 3) throw err(op, "not 4-aligned", length);
    guard(op, length, 4);
    return peek32(length);
  }
  if (int(op, length, "length") >= Addr.FLASH_BASE) {
    throw err(op, "length " + length + " is an address? read(length, addr)");
  }
  guard(op, int(op, addr), length, opts);
  // peek8 with a count of 1 returns a number, not an array
  return length == 1 ? new Uint8Array([peek8(addr)]) : (peek8 as any)(addr, length);
}

/** CRC-32 of `length` bytes of flash from byte address `addr`: the CRC-32 of zlib, gzip, PNG and Ethernet
 * (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF; zlib's crc32()), as an unsigned
 * number. Two native calls: E.CRC32 over E.memoryArea(addr, length), which reads flash in place (no copy in RAM).
 * E.CRC32 is missing from SAVE_ON_FLASH firmware builds (boards with 128 KB of flash such as HYSTM32_28).
 * @throws Error on a bad argument, a range outside flash (the undocumented region needs allowUndocumented), or
 *   `crc32: E.CRC32 missing` on such builds. */
export function crc32(addr: number, length: number, opts?: Options): number {
  var op = "crc32";
  if (int(op, length, "length") >= Addr.FLASH_BASE) {
    throw err(op, "length " + length + " is an address? crc32(addr, length)");
  }
  guard(op, int(op, addr), length, opts);
  if (!E.CRC32) throw err(op, "E.CRC32 missing (SAVE_ON_FLASH build)");
  return E.CRC32(E.memoryArea(addr, length));
}

/** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
 * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
export function isPageSafe(addr: number): boolean {
  var op = "isPageSafe", start = int(op, addr) & -PAGE;
  guard(op, start, PAGE);
  return diff(start, PAGE) < 0;
}

/** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
 * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
 * non-integer address. */
export function getPage(addr: number, opts?: Options): Area | undefined {
  var op = "getPage", start = int(op, addr) & -PAGE;
  options(op, opts);
  // only guard() errors mean "not a usable page"; Espruino 2v29 skips the catch when a property of an object
  // literal throws before a later property, so the call that may throw is kept out of the literal
  try {
    guard(op, start, PAGE, opts);
  } catch (e) {
    return undefined;
  }
  return { addr: start, length: PAGE };
}

/** Areas free for data, as [{addr, length}] (built-in Flash shape): from the first page after Espruino's firmware
 * image (its end read from the firmware's Reset_Handler literal pool when the module loaded, so it does not move
 * when you write there) to flash_code_start, plus 0x08040000-0x0805FFFF on the Original when
 * opts.allowUndocumented (or setup) allows it. */
export function getFree(opts?: Options): Area[] {
  var free: Area[] = [];
  options("getFree", opts);
  // the free region (2), and the undocumented one (4) when allowed
  for (var i = 2; i < 5; i += 2) {
    if (AT[i + 1] > AT[i] && (i < 4 || (opts && opts.allowUndocumented) || settings.allowUndocumented)) {
      free.push({ addr: AT[i], length: AT[i + 1] - AT[i] });
    }
  }
  return free;
}

/** The board's memory map: [{name, addr, length, allow}] in address order, with name "bootloader", "firmware",
 * "free", "saved code" or "undocumented"; `allow` is the option erase/write need there (none for "free"). */
export function getMemoryMap(): Region[] {
  var map: Region[] = [];
  for (var i = 0; i < 5; i++) {
    if (AT[i + 1] > AT[i]) {
      map.push({ name: regionNames()[i], addr: AT[i], length: AT[i + 1] - AT[i],
        allow: regionNames(1)[i] || undefined });
    }
  }
  return map;
}

/** Module settings for later calls: `waitEachHalfWord` polls SR.BSY after every half-word store (for
 * APM32/GD32/CKS32 clones that drop a write issued while BSY; slower); `allowUndocumented` lets every call use
 * 0x08040000-0x0805FFFF on the Original. Options left out are set false.
 * @throws Error if `values` is not an object or has another key (e.g. a misspelt `waitEachHalfword`); the
 * settings are then unchanged. */
export function setup(values: { waitEachHalfWord?: boolean; allowUndocumented?: boolean }): void {
  options("setup", values, 1);
  for (var name in settings) settings[name] = !!(values as any)[name];
}
