// STM32F1Flash: read, erase and write the internal flash of STM32F1 Espruino boards (the Espruino Original,
// STM32F103RCT6). Two APIs on one object:
//  - the 2014 EspruinoDocs module's: unlock(), lock(), erase(addr), write(addr, word), read(addr), isPageSafe(addr)
//  - Espruino's built-in `Flash` module's: getPage(addr), getFree(), erasePage(addr), write(data, addr),
//    read(length, addr)
// write() and read() tell the two apart by their arguments: write(number, number) is the word form, write(data,
// addr) needs a String, Array, ArrayBuffer or typed array; read(addr) has one argument, read(length, addr) two.
// Lock rule: every call that erases or programs leaves the FPEC locked (CR.LOCK set, PG/PER clear), failures
// included, unless the caller holds it open with unlock() until lock().
import { begin, end, err, fail, hold, program, release, settings, startErase } from "./fpec";
import { allowed, bankOf, blank, geometry, guard, memoryMap, Options, Region } from "./memory-map";
import { BANK2, CR_PG } from "./registers";

export { Options, Region };

/** A range of flash in bytes, as the built-in Flash module returns it. */
export interface Area { addr: number; length: number }

/** Chip facts: `addr`/`length` documented main flash (bytes), `pageSize` (bytes, the erase unit), `pages`,
 * `devId` (DBGMCU_IDCODE.DEV_ID, 0 if unreadable), `bank2` (XL bank 2 start or 0), `writeAlign` 2 (bytes: one
 * half-word), `eraseValue` 0xFF. */
export interface Info { addr: number; length: number; pageSize: number; pages: number; devId: number; bank2: number;
  writeAlign: number; eraseValue: number }

/** Throw unless `v` is an integer 0..0xFFFFFFFF (an address or a length in bytes); returns it. */
function int(op: string, v: any, what: string): number {
  if (typeof v != "number" || !(v >= 0 && v <= 0xffffffff) || v % 1) throw new Error(op + ": bad " + what + " " + v);
  return v;
}

/** Program the half-words `hw` at even address `a` and verify with `check` (returns the first wrong address or
 * -1), reading back (which also waits for BSY, PM0075 sec. 5). Leaves the FPEC locked unless held. */
function run(op: string, a: number, hw: Uint16Array, check: () => number): void {
  var b = bankOf(a), bad: number;
  begin(b, CR_PG);
  try {
    program(b, a, hw);
    if ((bad = check()) >= 0) fail(b, op, bad, " (reads 0x" + peek8(bad).toString(16) + ")");
  } finally {
    end(b);
  }
}

/** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
 * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
 * and lock by themselves.
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075 sec. 3). */
export function unlock(): void {
  hold(0);
  if (geometry().bank2) hold(BANK2);
}

/** Lock the FPEC: CR = LOCK, which also clears CR.PG/PER (PM0075 sec. 3, controller spec sec. 2.5), and stop holding it
 * open. Waits for SR.BSY to clear first. */
export function lock(): void {
  release(0);
  if (geometry().bank2) release(BANK2);
}

/** Erase the page holding `addr` (any address in the page) so every byte reads 0xFF, and verify it.
 * Built-in Flash API shape: returns undefined.
 * @param addr absolute byte address, e.g. 0x0802F000
 * @param opts allowFirmware / allowSavedCode / allowBootloader / allowUndocumented to touch those regions
 * @throws Error on a bad address, a protected region, WRPRTERR (write-protected page) or a page not blank after.
 * Sequence: CR.PER, FLASH_AR, CR.STRT, then the read-back waits for BSY (PM0075 sec. 2.3.4, sec. 5.1); 1 KB or 2 KB pages
 * (RM0008 sec. 3.3.3); tERASE 20-40 ms (DS5792 Table 29). */
export function erasePage(addr: number, opts?: Options): void {
  var g = geometry(), p = int("erasePage", addr, "addr") & ~(g.page - 1), b = bankOf(p);
  guard("erasePage", p, g.page, opts, true);
  startErase(b, p);
  try {
    if (!blank(p, g.page)) fail(b, "erasePage", p, " (page not all 0xFF)");
  } finally {
    end(b);
  }
}

/** Seed API: erase the page holding `addr`, as erasePage(); returns true. */
export function erase(addr: number, opts?: Options): boolean {
  erasePage(addr, opts);
  return true;
}

/** Write bytes (built-in Flash form) */
function writeData(data: any, addr: number, opts?: Options): void {
  var op = "write", u8: Uint8Array, i: number, r: number[];
  if (typeof data == "string") u8 = E.toUint8Array(data);
  else if (Array.isArray(data)) {
    for (i = 0; i < data.length; i++) {
      r = data[i];
      if (typeof r != "number" || !(r >= 0 && r < 256) || r % 1) throw new Error(op + ": bad byte data[" + i + "]");
    }
    u8 = new Uint8Array(data);
  } else if (data && typeof data.byteLength == "number") {
    u8 = data.buffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  } else throw new Error(op + ": data must be String, Array, ArrayBuffer or typed array");
  var n = u8.length, s = int(op, addr, "addr") & ~1, len = ((addr + n + 1) & ~1) - s, img = u8, k: number;
  if (!n) throw err(op, addr, "no data");
  guard(op, addr, n, opts, true);
  // the half-word image: the data, padded with 0xFF at odd edges
  if (s != addr || n & 1 || u8.byteOffset & 1) {
    img = new Uint8Array(len);
    img.fill(255);
    img.set(u8, addr - s);
  }
  var hw = new Uint16Array(img.buffer, img.byteOffset, len >> 1), runs = [[0, hw.length]];
  if (!blank(s, len)) {
    // some target half-words are programmed: each must already hold its value (skipped) or be 0xFFFF
    var cur = new Uint16Array((peek8 as any)(s, len).buffer), last: any = 0;
    runs = [];
    for (i = 0; i < hw.length; i++) {
      if (cur[i] == hw[i]) last = 0;
      else if (cur[i] != 0xffff) {
        throw err(op, s + 2 * i, "not erased (reads 0x" + cur[i].toString(16) + ")");
      } else if (last) last[1] = i + 1;
      else runs.push(last = [i, i + 1]);
    }
  }
  // a run crossing into XL bank 2 is split: each bank has its own KEYR/SR/CR/AR
  k = geometry().bank2;
  k = k && s < k ? (k - s) >> 1 : 0;
  for (i = 0; i < runs.length; i++) {
    r = runs[i];
    if (r[0] < k && r[1] > k) runs.splice(i + 1, 0, [k, r[1]]), r[1] = k;
    (function (a: number, h: Uint16Array) {
      var e = new Uint8Array(h.buffer, h.byteOffset, h.length * 2);
      run(op, a, h, function () {
        if (E.memoryArea(a, e.length) == E.toString(e)) return -1;
        var got = (peek8 as any)(a, e.length), j = 0;
        while (got[j] == e[j]) j++;
        return a + j;
      });
    })(s + 2 * r[0], hw.subarray(r[0], r[1]));
  }
}

/** Write a 32-bit word (seed form) */
function writeWord(addr: number, word: any, opts?: Options): void {
  var op = "write";
  if (int(op, addr, "addr") & 3) throw err(op, addr, "not 4-aligned");
  if (typeof word != "number" || !(word >= -0x80000000 && word <= 0xffffffff) || word % 1) throw err(op, addr, "bad word " + word);
  guard(op, addr, 4, opts, true);
  var w = word >>> 0, c = peek32(addr), lo = w & 0xffff, hi = w >>> 16, cl = c & 0xffff, ch = c >>> 16;
  if (c == w) return;
  if ((cl != lo && cl != 0xffff) || (ch != hi && ch != 0xffff)) {
    throw err(op, addr, "not erased (reads 0x" + c.toString(16) + ")");
  }
  run(op, cl == lo ? addr + 2 : addr, new Uint16Array(cl == lo ? [hi] : ch == hi ? [lo] : [lo, hi]), function () {
    return peek32(addr) == w ? -1 : addr;
  });
}

/** Write the bytes of `data` (String, Array of bytes, ArrayBuffer, typed array or DataView) at byte address
 * `addr`, then read them back (built-in Flash form). Targets must read 0xFFFF (or already hold the value).
 * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
export function write(data: string | ArrayLike<number> | ArrayBuffer | ArrayBufferView, addr: number, opts?: Options): void;
/** Write the 32-bit `word` at 4-aligned `addr` as two half-words, low half first, and read it back (seed form).
 * @throws Error on bad input, a protected region, a target not erased, PGERR, WRPRTERR or a read-back mismatch. */
export function write(addr: number, word: number, opts?: Options): void;
/** Write to flash. Two forms, told apart by the type of the first argument:
 *  - write(data, addr[, opts]) (built-in Flash form): `data` is a String, Array of bytes, ArrayBuffer or any typed
 *    array / DataView (its BYTES are written, not its elements); `addr` any byte address. Odd edges are merged into
 *    half-words that are still 0xFFFF; every target half-word must be 0xFFFF or already hold its new value, checked
 *    before anything is written. One poke16 programs the whole run (PM0075 sec. 2.3.3: half-words only), then the bytes
 *    are read back and compared.
 *  - write(addr, word[, opts]) (seed form): a 32-bit word at a 4-aligned address, as two half-word programs, low
 *    half first; `word` may be given signed (0xCAFEBABE|0) or unsigned.
 * @throws Error on a bad argument, a protected region (opts: allowFirmware / allowSavedCode / allowBootloader /
 *   allowUndocumented), a target not erased, PGERR, WRPRTERR or a read-back mismatch, naming the address.
 * A number as `data` is taken as the word form's address. */
export function write(a: any, b: any, opts?: Options): void {
  if (typeof a == "number") writeWord(a, b, opts);
  else writeData(a, b, opts);
}

/** Read `length` bytes from byte address `addr` as a Uint8Array (built-in Flash form: length first).
 * @throws Error on a bad argument or a range outside flash. */
export function read(length: number, addr: number, opts?: Options): Uint8Array;
/** Read the unsigned 32-bit word at 4-aligned `addr` (seed form). @throws Error on a bad address or outside flash. */
export function read(addr: number): number;
/** Read flash. Two forms, told apart by the argument count:
 *  - read(length, addr[, opts]) (built-in Flash form): `length` bytes from byte address `addr` as a Uint8Array (one peek8).
 *  - read(addr) (seed form): the unsigned 32-bit word at 4-aligned `addr`.
 * @throws Error on a bad argument or a range outside flash (the undocumented 0x08040000-0x0805FFFF of the Original
 *   needs setup({allowUndocumented: true})). */
export function read(a: any, b?: any, opts?: Options): any {
  if (arguments.length < 2) {
    if (int("read", a, "addr") & 3) throw err("read", a, "not 4-aligned");
    guard("read", a, 4);
    return peek32(a);
  }
  if (!int("read", a, "length")) throw new Error("read: bad length 0");
  guard("read", int("read", b, "addr"), a, opts);
  return a == 1 ? new Uint8Array([peek8(b)]) : (peek8 as any)(b, a);
}

/** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
 * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
export function isPageSafe(addr: number): boolean {
  var g = geometry(), p = int("isPageSafe", addr, "addr") & ~(g.page - 1);
  guard("isPageSafe", p, g.page);
  return blank(p, g.page);
}

/** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
 * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
 * non-integer address. */
export function getPage(addr: number, opts?: Options): Area | undefined {
  var g = geometry(), p = int("getPage", addr, "addr") & ~(g.page - 1);
  try {
    guard("getPage", p, g.page, opts);
  } catch (e) {
    return undefined;
  }
  return { addr: p, length: g.page };
}

/** Areas free for data, as [{addr, length}] (built-in Flash shape): from the first page after Espruino's firmware
 * (0x08000000 | process.memory().flash_binary_end; the next page only if blank) to flash_code_start, plus
 * 0x08040000-0x0805FFFF on the Original when opts.allowUndocumented (or setup) allows it. */
export function getFree(opts?: Options): Area[] {
  var m = memoryMap(), r: Area[] = [];
  for (var i = 0; i < m.length; i++) {
    if (!m[i].allow || (m[i].allow == "allowUndocumented" && allowed(m[i].allow!, opts))) {
      r.push({ addr: m[i].addr, length: m[i].length });
    }
  }
  return r;
}

/** The board's memory map: [{name, addr, length, allow}] with name "bootloader", "firmware", "free",
 * "saved code" or "undocumented"; `allow` is the option erase/write need there. */
export function getMemoryMap(): Region[] {
  return JSON.parse(JSON.stringify(memoryMap()));
}

/** Chip geometry read from F_SIZE (0x1FFFF7E0) and DBGMCU_IDCODE (0xE0042000): see Info. */
export function getInfo(): Info {
  var g = geometry();
  return { addr: g.start, length: g.end - g.start, pageSize: g.page, pages: (g.end - g.start) / g.page,
    devId: g.devId, bank2: g.bank2, writeAlign: 2, eraseValue: 255 };
}

/** Module settings; returns them. `waitEachHalfWord`: poll SR.BSY after every half-word store (for APM32/GD32/CKS32
 * clones that drop a write issued while BSY; slower). `allowUndocumented`: use 0x08040000-0x0805FFFF on the
 * Original in every call. */
export function setup(o: { waitEachHalfWord?: boolean; allowUndocumented?: boolean }) {
  if (!o || typeof o != "object") throw new Error("setup: bad options " + o);
  settings.waitEachHalfWord = !!o.waitEachHalfWord;
  settings.allowUndocumented = !!o.allowUndocumented;
  return { waitEachHalfWord: settings.waitEachHalfWord, allowUndocumented: settings.allowUndocumented };
}
