// Geometry of the chip (read at run time) and the board's memory map (from process.memory()), with the guards
// that keep the bootloader, Espruino and saved code safe.
// Sources: ../shared/reference/espruino-platform.md sec. 1-sec. 2, stm32f1-flash-controller.md sec. 1.
import { err, hex, settings } from "./fpec";
import { BANK2, BANK2_START, DBGMCU_IDCODE, F_SIZE, FLASH_BASE, FPEC } from "./registers";

/** Chip facts: `addr`/`length` documented main flash (bytes), `pageSize` (bytes, the erase unit), `pages`,
 * `devId` (DBGMCU_IDCODE.DEV_ID, 0 if unreadable), `bank2` (XL bank 2 start or 0), `writeAlign` 2 (bytes: one
 * half-word), `eraseValue` 0xFF. */
export interface Info { addr: number; length: number; pageSize: number; pages: number; devId: number; bank2: number;
  writeAlign: number; eraseValue: number }

/** One region of the memory map: [addr, addr + length) in bytes. `allow` names the option that unlocks it for
 * erase/write (no `allow`: free for use). */
export interface Region { name: string; addr: number; length: number; allow?: string }

/** Per-call options: each `allow*` flag lets erase/write touch that region. */
export interface Options { allowBootloader?: boolean; allowFirmware?: boolean; allowSavedCode?: boolean;
  allowUndocumented?: boolean }

var G: Info | undefined, M: Region[] | undefined;

/** Page size (bytes) and bank-2 start (or 0) of the chip, set by geometry(). */
export var PAGE: number, BANK2_AT: number;

/** The option of the undocumented region: the only one that reads need too, and that setup() can set for all calls. */
export var UNDOC = "allowUndocumented";

/** Read F_SIZE (Kbytes) and DBGMCU_IDCODE once. Pages are 1 KB on low/medium density (and value line) and 2 KB
 * on high, connectivity and XL density (RM0008 sec. 3.3.3). DBGMCU_IDCODE reads 0 from user code on some F1
 * revisions (errata): then parts above 128 KB are taken as 2 KB pages. Throws on an implausible F_SIZE. */
export function geometry(): Info {
  if (!G) {
    var kb = peek16(F_SIZE), id = peek32(DBGMCU_IDCODE) & 0xfff,
      k = ({ 0x410: 1, 0x412: 1, 0x420: 1, 0x414: 2, 0x418: 2, 0x428: 2, 0x430: 2 } as any)[id] || (kb > 128 ? 2 : 1);
    if (!(kb >= 16 && kb <= 1024)) throw err("F_SIZE", "reads " + kb + ", not an STM32F1", F_SIZE);
    G = { addr: FLASH_BASE, length: kb * 1024, pageSize: PAGE = k * 1024, pages: kb / k, devId: id,
      bank2: BANK2_AT = id == 0x430 ? BANK2_START : 0, writeAlign: 2, eraseValue: 255 };
  }
  return G;
}

/** FPEC register block for `addr` (after geometry()): FPEC + BANK2 for XL bank 2 (KEYR2/SR2/CR2/AR2), else FPEC. */
export function bankOf(addr: number): number {
  return BANK2_AT && addr >= BANK2_AT ? FPEC + BANK2 : FPEC;
}

/** Most bytes read back by one native call: keeps the temporary copies of a long write small (the Original has
 * 2756 variables of RAM; peek8 and E.toString copy what they read). */
export var CHUNK = 2048;

/** True when `len` (even) bytes from `addr` all read 0xFF: two native calls (peek8 with a count, E.sum over its
 * bytes) per CHUNK. */
export function blank(addr: number, len: number): boolean {
  for (var i = 0, n: number; i < len; i += n) {
    if (E.sum((peek8 as any)(addr + i, n = Math.min(CHUNK, len - i))) != 255 * n) return false;
  }
  return true;
}

/** The board's memory map, computed once: bootloader, firmware, free, saved code (and, on the Espruino Original,
 * the undocumented 0x08040000-0x0805FFFF). `flash_binary_end` is an alias address on bootloader boards: the
 * firmware ends at 0x08000000 | flash_binary_end, and the page after the one holding it is free only if blank
 * (the .data image follows _etext). Throws if process.memory() has no flash fields. */
export function memoryMap(): Region[] {
  if (!M) {
    var end = FLASH_BASE + geometry().length, p = PAGE, m = process.memory(false), e = m.flash_binary_end!,
      c = m.flash_code_start!;
    if (isNaN(e + c)) throw err("process.memory()", "no flash fields");
    var boot = e < FLASH_BASE ? FLASH_BASE + 0x2800 : FLASH_BASE, fw = ((FLASH_BASE | e) + p - 1) & -p;
    if (fw < c && !blank(fw, p)) fw += p;
    if (c > end) c = end;
    if (fw > c) fw = c;
    M = [];
    var add = function (name: string, a: number, z: number, allow?: string) {
      if (z > a) M!.push({ name: name, addr: a, length: z - a, allow: allow });
    };
    add("bootloader", FLASH_BASE, boot, "allowBootloader");
    add("firmware", boot, fw, "allowFirmware");
    add("free", fw, c);
    add("saved code", c, end, "allowSavedCode");
    if (process.env.BOARD == "ESPRUINOBOARD" && end == 0x08040000) add("undocumented", end, 0x08060000, UNDOC);
  }
  return M;
}

/** True when option `flag` is unset (no option needed) or set in `opts` (or allowUndocumented through setup()). */
export function allowed(flag?: string, opts?: Options): any {
  return !flag || (opts && (opts as any)[flag]) || settings[flag];
}

/** Throw unless `len` bytes from `addr` lie in flash and every region they touch may be used by `op`.
 * `write` is false for reads: then only the undocumented region needs its flag. */
export function guard(op: string, addr: number, len: number, opts?: Options, write?: boolean): void {
  var z = addr + len, e = 0;
  memoryMap().forEach(function (r) {
    var a = r.addr;
    e = a + r.length;
    if (addr < e && z > a && (write || r.allow == UNDOC) && !allowed(r.allow, opts)) {
      throw err(op, "inside " + r.name + " " + hex(a) + "-" + hex(e - 1) + ", needs option " + r.allow, addr);
    }
  });
  // the regions are contiguous from FLASH_BASE to the last one's end
  if (addr < FLASH_BASE || z > e) throw err(op, "outside flash", addr);
}
