// Geometry of the chip (read at run time) and the board's memory map (from process.memory()), with the guards
// that keep the bootloader, Espruino and saved code safe.
// Sources: ../shared/reference/espruino-platform.md sec. 1-sec. 2, stm32f1-flash-controller.md sec. 1.
import { err, hex, settings } from "./fpec";
import { BANK2, BANK2_START, DBGMCU_IDCODE, F_SIZE, FLASH_BASE } from "./registers";

/** Chip geometry. `start`/`end`: documented main flash [start, end) in bytes; `page`: page size in bytes;
 * `bank2`: first address of bank 2 (XL density) or 0; `devId`: DBGMCU_IDCODE.DEV_ID (0 if unreadable). */
export interface Geometry { start: number; end: number; page: number; bank2: number; devId: number }

/** One region of the memory map: [addr, addr + length) in bytes. `allow` names the option that unlocks it for
 * erase/write (no `allow`: free for use). */
export interface Region { name: string; addr: number; length: number; allow?: string }

/** Per-call options: each `allow*` flag lets erase/write touch that region. */
export interface Options { allowBootloader?: boolean; allowFirmware?: boolean; allowSavedCode?: boolean;
  allowUndocumented?: boolean }

var G: Geometry | undefined, M: Region[] | undefined;

/** Read F_SIZE (Kbytes) and DBGMCU_IDCODE once. Pages are 1 KB on low/medium density (and value line) and 2 KB
 * on high, connectivity and XL density (RM0008 sec. 3.3.3). DBGMCU_IDCODE reads 0 from user code on some F1
 * revisions (errata): then parts above 128 KB are taken as 2 KB pages. Throws on an implausible F_SIZE. */
export function geometry(): Geometry {
  if (!G) {
    var kb = peek16(F_SIZE), id = peek32(DBGMCU_IDCODE) & 0xfff,
      k = ({ 0x410: 1, 0x412: 1, 0x420: 1, 0x414: 2, 0x418: 2, 0x428: 2, 0x430: 2 } as any)[id] || (kb > 128 ? 2 : 1);
    if (!(kb >= 16 && kb <= 1024)) throw err("F_SIZE", F_SIZE, "reads " + kb + ", not an STM32F1");
    G = { start: FLASH_BASE, end: FLASH_BASE + kb * 1024, page: k * 1024, devId: id, bank2: id == 0x430 ? BANK2_START : 0 };
  }
  return G;
}

/** Register bank offset for `addr`: BANK2 for XL bank 2 (KEYR2/SR2/CR2/AR2), else 0. */
export function bankOf(addr: number): number {
  var b2 = geometry().bank2;
  return b2 && addr >= b2 ? BANK2 : 0;
}

/** True when `len` bytes from `addr` all read 0xFF: two native calls (peek8 with a count, E.sum over bytes). */
export function blank(addr: number, len: number): boolean {
  return len < 2 ? peek8(addr) == 255 : E.sum((peek8 as any)(addr, len)) == 255 * len;
}

/** The board's memory map, computed once: bootloader, firmware, free, saved code (and, on the Espruino Original,
 * the undocumented 0x08040000-0x0805FFFF). `flash_binary_end` is an alias address on bootloader boards: the
 * firmware ends at 0x08000000 | flash_binary_end, and the page after the one holding it is free only if blank
 * (the .data image follows _etext). Throws if process.memory() has no flash fields. */
export function memoryMap(): Region[] {
  if (!M) {
    var g = geometry(), m = process.memory(false), e = m.flash_binary_end, c = m.flash_code_start, p = g.page;
    if (e === undefined || c === undefined) throw new Error("process.memory(): no flash_binary_end");
    var boot = e < g.start ? g.start + 0x2800 : g.start, fw = ((g.start | e) + p - 1) & ~(p - 1);
    if (fw < c && !blank(fw, p)) fw += p;
    if (c > g.end) c = g.end;
    if (fw > c) fw = c;
    M = [];
    var add = function (name: string, a: number, z: number, allow?: string) {
      if (z > a) M!.push({ name: name, addr: a, length: z - a, allow: allow });
    };
    add("bootloader", g.start, boot, "allowBootloader");
    add("firmware", boot, fw, "allowFirmware");
    add("free", fw, c);
    add("saved code", c, g.end, "allowSavedCode");
    if (process.env.BOARD == "ESPRUINOBOARD" && g.end == 0x08040000) {
      add("undocumented", g.end, 0x08060000, "allowUndocumented");
    }
  }
  return M;
}

/** True when option `flag` is set in `opts` (or allowUndocumented through setup()). */
export function allowed(flag: string, opts?: Options): boolean {
  return !!((opts && (opts as any)[flag]) || (flag == "allowUndocumented" && settings.allowUndocumented));
}

/** Throw unless `len` bytes from `addr` lie in flash and every region they touch may be used by `op`.
 * `write` is false for reads: then only the undocumented region needs its flag. */
export function guard(op: string, addr: number, len: number, opts?: Options, write?: boolean): void {
  var m = memoryMap(), z = addr + len, n = 0;
  for (var i = 0; i < m.length; i++) {
    var r = m[i], a = r.addr, e = a + r.length;
    if (addr < e && z > a) {
      if (r.allow && (write || r.allow == "allowUndocumented") && !allowed(r.allow, opts)) {
        throw err(op, addr, "inside " + r.name + " " + hex(a) + "-" + hex(e - 1) + ", needs option " + r.allow);
      }
      n += (z < e ? z : e) - (addr > a ? addr : a);
    }
  }
  if (n != len) throw err(op, addr, "outside flash");
}
