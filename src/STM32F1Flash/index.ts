// STM32F1Flash: read, erase and write the internal flash of STM32F1 Espruino boards (the Espruino Original,
// STM32F103RCT6). Two APIs on one object:
//  - the 2014 EspruinoDocs module's: unlock(), lock(), erase(addr), write(addr, word), read(addr), isPageSafe(addr)
//  - Espruino's built-in `Flash` module's: getPage(addr), getFree(), erasePage(addr), write(data, addr),
//    read(length, addr)
// write() and read() tell the two apart by their arguments: write(number, number) is the word form, write(data,
// addr) needs a String, Array, ArrayBuffer or typed array; read(addr) has one argument, read(length, addr) two.
// Also: getMemoryMap() and setup({waitEachHalfWord, allowUndocumented}). The code is written for size too: the
// board keeps modules/STM32F1Flash.min.js in RAM (2756 variables on the Original).
// Lock rule: every call that erases or programs leaves the FPEC locked (CR.LOCK set, PG/PER clear), failures
// included, unless the caller holds it open with unlock() until lock().
import { diff, err, hold, operate, release, settings } from "./fpec";
import { allowed, bankOf, BANK2_AT, geometry, guard, NAMES, flag, Options, PAGE, Region, regions } from "./memory-map";
import { BANK2, FPEC } from "./registers";

export { Options, Region };

/** A range of flash in bytes, as the built-in Flash module returns it. */
export interface Area { addr: number; length: number }

/** Throw unless `v` is an integer 0..0xFFFFFFFF (an address or a length in bytes; a length also not 0); returns it.
 * The error reads `<op>: bad <what> <v>`, `what` being "addr" unless given. */
function int(op: string, v: any, what?: string): number {
  if (v !== v >>> 0 || (what && !v)) throw err(op, "bad " + (what || "addr") + " " + v);
  return v;
}

/** int() for a 4-aligned address (the seed API's word forms). */
function aligned(op: string, v: any): number {
  if (int(op, v) & 3) throw err(op, "not 4-aligned", v);
  return v;
}

/** The page holding `addr`, after guard(op) for the whole page (PAGE bytes). */
function page(op: string, addr: any, opts?: Options, write?: boolean): number {
  var p = int(op, addr) & -(geometry(), PAGE);
  guard(op, p, PAGE, opts, write);
  return p;
}

/** Call `f` with the register block of bank 1, then of bank 2 on XL density. */
function banks(f: (b: number) => void): void {
  geometry();
  f(FPEC);
  if (BANK2_AT) f(FPEC + BANK2);
}

/** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
 * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
 * and lock by themselves.
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075 sec. 3). */
export function unlock(): void {
  banks(hold);
}

/** Lock the FPEC: CR = LOCK, which also clears CR.PG/PER (PM0075 sec. 3, controller spec sec. 2.5), and stop holding it
 * open. Waits for SR.BSY to clear first. */
export function lock(): void {
  banks(release);
}

/** Erase the page holding `addr` (any address in the page) so every byte reads 0xFF, and verify it.
 * Built-in Flash API shape: returns undefined.
 * @param addr absolute byte address, e.g. 0x0802F000
 * @param opts allowFirmware / allowSavedCode / allowBootloader / allowUndocumented to touch those regions
 * @throws Error on a bad address, a protected region, WRPRTERR (write-protected page) or a byte not 0xFF after
 * (named with its address). Sequence: CR.PER, FLASH_AR, CR.STRT, then the read-back waits for BSY (PM0075 sec.
 * 2.3.4, sec. 5.1); 1 KB or 2 KB pages (RM0008 sec. 3.3.3); tERASE 20-40 ms (DS5792 Table 29). */
export function erasePage(addr: number, opts?: Options): void {
  var op = "erasePage", p = page(op, addr, opts, true);
  operate(bankOf(p), op, p, function () { return diff(p, PAGE); });
}

/** Seed API: erase the page holding `addr`, as erasePage(); returns true. */
export function erase(addr: number, opts?: Options): boolean {
  erasePage(addr, opts);
  return true;
}

/** Write the bytes of `data` (String, Array of bytes, ArrayBuffer, typed array or DataView) at byte address
 * `addr`, then read them back (built-in Flash form). Every target half-word must read 0xFFFF.
 * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
export function write(data: string | ArrayLike<number> | ArrayBuffer | ArrayBufferView, addr: number, opts?: Options): void;
/** Write the 32-bit `word` at 4-aligned `addr` (reading 0xFFFFFFFF) as two half-words, low half first, and read it
 * back (seed form).
 * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
export function write(addr: number, word: number, opts?: Options): void;
/** Write to flash. Two forms, told apart by the type of the first argument:
 *  - write(data, addr[, opts]) (built-in Flash form): `data` is a String, Array of bytes, ArrayBuffer or any typed
 *    array / DataView (its BYTES are written, not its elements); `addr` any byte address. Odd edges are merged into
 *    half-words that are still 0xFFFF; every target half-word must read 0xFFFF (even one that already holds its new
 *    value: programming a half-word twice is a PGERR, controller spec sec. 8 #2), checked before anything is
 *    written. One poke16 programs the whole run (PM0075 sec. 2.3.3: half-words only), then the bytes are read back
 *    and compared. A write may not cross from bank 1 into bank 2 of an XL-density part.
 *  - write(addr, word[, opts]) (seed form): a 32-bit word at a 4-aligned address, as two half-word programs, low
 *    half first; `word` may be given signed (0xCAFEBABE|0) or unsigned.
 * @throws Error on a bad argument, a protected region (opts: allowFirmware / allowSavedCode / allowBootloader /
 *   allowUndocumented), a target not erased, PGERR, WRPRTERR or a read-back mismatch, naming the address.
 * A number as `data` is taken as the word form's address. */
export function write(a: any, b: any, opts?: Options): void {
  var op = "write", u: Uint8Array, img: Uint8Array, i: number, n: number, s: number, len: number;
  if (typeof a == "number") {
    // seed form: the two half-words of the word, low first, onto a word that reads 0xFFFFFFFF
    guard(op, aligned(op, a), 4, opts, true);
    if (b !== b >>> 0 && b !== (b | 0)) throw err(op, "bad word " + b, a);
    if (~peek32(a)) throw err(op, "not erased", a);
    b >>>= 0;
    operate(bankOf(a), op, a, function () {
      return peek32(a) == b ? -1 : a;
    }, new Uint16Array([b, b >>> 16]));
    return;
  }
  if (Array.isArray(a)) {
    for (i = 0; i < a.length; i++) if (a[i] !== (a[i] & 255)) throw err(op, "bad byte data[" + i + "]");
  } else if (typeof a != "string" && !(a && a.byteLength >= 0)) throw err(op, "bad data");
  // the bytes of a String, Array, ArrayBuffer or any view of one
  u = typeof a == "string" ? E.toUint8Array(a) : new Uint8Array(a.buffer || a, a.byteOffset, a.byteLength);
  n = u.length;
  s = int(op, b) & ~1;
  len = ((b + n + 1) & ~1) - s;
  if (!n) throw err(op, "no data", b);
  guard(op, b, n, opts, true);
  // the half-word image: the data, padded with 0xFF at odd edges, so those bytes must read 0xFF too
  img = u;
  if (s != b || n & 1 || u.byteOffset & 1) {
    img = new Uint8Array(len);
    img.fill(255);
    img.set(u, b - s);
  }
  i = diff(s, len);
  if (i >= 0) throw err(op, "not erased", i);
  operate(bankOf(s), op, s, function () {
    return diff(s, len, img);
  }, new Uint16Array(img.buffer, img.byteOffset, len >> 1));
}

/** Read `length` bytes from byte address `addr` as a Uint8Array (built-in Flash form: length first).
 * @throws Error on a bad argument or a range outside flash. */
export function read(length: number, addr: number, opts?: Options): Uint8Array;
/** Read the unsigned 32-bit word at 4-aligned `addr` (seed form). @throws Error on a bad address or outside flash. */
export function read(addr: number): number;
/** Read flash. Two forms, told apart by whether `addr` is given (not by arguments.length: in Espruino it is never
 * smaller than the number of declared parameters):
 *  - read(length, addr[, opts]) (built-in Flash form): `length` bytes from byte address `addr` as a Uint8Array (one peek8).
 *  - read(addr) (seed form): the unsigned 32-bit word at 4-aligned `addr`.
 * @throws Error on a bad argument or a range outside flash (the undocumented 0x08040000-0x0805FFFF of the Original
 *   needs setup({allowUndocumented: true})). */
export function read(a: any, b?: any, opts?: Options): any {
  if (b === undefined) {
    guard("read", aligned("read", a), 4);
    return peek32(a);
  }
  int("read", a, "length");
  guard("read", int("read", b), a, opts);
  // peek8 with a count of 1 returns a number, not an array
  return a == 1 ? new Uint8Array([peek8(b)]) : (peek8 as any)(b, a);
}

/** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
 * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
export function isPageSafe(addr: number): boolean {
  return diff(page("isPageSafe", addr), PAGE) < 0;
}

/** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
 * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
 * non-integer address. */
export function getPage(addr: number, opts?: Options): Area | undefined {
  int("getPage", addr);
  geometry(); // an implausible F_SIZE throws here, as before; only guard() errors mean "not a usable page"
  var p: number;
  // Espruino 2v29 skips the catch when a property of an object literal throws before a later property, so the
  // call that may throw is kept out of the literal
  try {
    p = page("getPage", addr, opts);
  } catch (e) {
    return undefined;
  }
  return { addr: p, length: PAGE };
}

/** Areas free for data, as [{addr, length}] (built-in Flash shape): from the first page after Espruino's firmware
 * (0x08000000 | process.memory().flash_binary_end; the next page only if blank) to flash_code_start, plus
 * 0x08040000-0x0805FFFF on the Original when opts.allowUndocumented (or setup) allows it. */
export function getFree(opts?: Options): Area[] {
  var r: Area[] = [];
  regions(function (i, a, n) {
    if (allowed(i, i > 3 && opts)) r.push({ addr: a, length: n });
  });
  return r;
}

/** The board's memory map: [{name, addr, length, allow}] in address order, with name "bootloader", "firmware",
 * "free", "saved code" or "undocumented"; `allow` is the option erase/write need there (none for "free"). */
export function getMemoryMap(): Region[] {
  var r: Region[] = [];
  regions(function (i, a, n) {
    r.push({ name: NAMES[i], addr: a, length: n, allow: flag(i) || undefined });
  });
  return r;
}

/** Module settings for later calls: `waitEachHalfWord` polls SR.BSY after every half-word store (for
 * APM32/GD32/CKS32 clones that drop a write issued while BSY; slower); `allowUndocumented` lets every call use
 * 0x08040000-0x0805FFFF on the Original. Options left out are set false.
 * @throws Error if `o` is not an object. */
export function setup(o: { waitEachHalfWord?: boolean; allowUndocumented?: boolean }): void {
  if (!o || typeof o != "object") throw err("setup", "bad options " + o);
  for (var k in settings) settings[k] = !!(o as any)[k];
}
