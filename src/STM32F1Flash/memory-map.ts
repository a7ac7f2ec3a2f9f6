// Geometry of the chip (read at run time) and the board's memory map (from process.memory()), with the guards
// that keep the bootloader, Espruino and saved code safe.
// Sources: ../../shared/reference/espruino-platform.md sec. 1-sec. 2, stm32f1-flash-controller.md sec. 1.
import { diff, err, settings } from "./fpec";
import { BANK2, BANK2_START, DBGMCU_IDCODE, F_SIZE, FLASH_BASE, FPEC } from "./registers";

/** One region of the memory map: [addr, addr + length) in bytes. `allow` names the option that unlocks it for
 * erase/write (no `allow`: free for use). */
export interface Region { name: string; addr: number; length: number; allow?: string }

/** Per-call options: each `allow*` flag lets erase/write touch that region. */
export interface Options { allowBootloader?: boolean; allowFirmware?: boolean; allowSavedCode?: boolean;
  allowUndocumented?: boolean }

/** Page size (bytes), end of documented main flash (address) and bank-2 start (address, or 0), set by geometry(). */
export var PAGE: number, END: number, BANK2_AT: number;

/** Region boundaries, computed once by bounds(): region i is [AT[i], AT[i + 1]). */
var AT: number[] | undefined;

/** Region names, in address order: region i of AT. */
export var NAMES = "bootloader,firmware,free,saved code,undocumented".split(",");

/** Read F_SIZE (Kbytes) and, at 128 KB or less, DBGMCU_IDCODE once: sets PAGE, END and BANK2_AT. Pages are
 * 1 KB on low/medium density (and value line, all <= 128 KB) and 2 KB on high, connectivity (DEV_ID 0x418, also
 * at 64/128 KB) and XL density (RM0008 sec. 3.3.3). F_SIZE decides all but connectivity line because
 * DBGMCU_IDCODE reads 0 from user code on some F1 revisions (errata); XL density (768 KB, 1 MB) is the only one
 * above 512 KB, so bank 2 also follows F_SIZE.
 * @throws Error on an implausible F_SIZE (not 16..1024 Kbytes). */
export function geometry(): void {
  if (!PAGE) {
    var kb = peek16(F_SIZE);
    if (!(kb >= 16 && kb <= 1024)) throw err("F_SIZE", "reads " + kb + ", not an STM32F1", F_SIZE);
    PAGE = kb > 128 || (peek32(DBGMCU_IDCODE) & 0xfff) == 0x418 ? 2048 : 1024;
    END = FLASH_BASE + kb * 1024;
    BANK2_AT = kb > 512 ? BANK2_START : 0;
  }
}

/** FPEC register block for `addr` (after geometry()): FPEC + BANK2 for XL bank 2 (KEYR2/SR2/CR2/AR2), else FPEC. */
export function bankOf(addr: number): number {
  return BANK2_AT && addr >= BANK2_AT ? FPEC + BANK2 : FPEC;
}

/** The boundaries of the board's memory map, computed once: bootloader, firmware, free, saved code, undocumented
 * (0x08040000-0x0805FFFF, on the Espruino Original only; elsewhere empty). `flash_binary_end` is an alias address
 * on bootloader boards: the firmware ends at 0x08000000 | flash_binary_end, and the page after the one holding it
 * is free only if blank (the .data image follows _etext). Empty regions have equal boundaries.
 * @throws Error if process.memory() has no flash fields. */
function bounds(): number[] {
  if (!AT) {
    geometry();
    var p = PAGE, m = process.memory(false), e = m.flash_binary_end!, c = m.flash_code_start!,
      fw = ((FLASH_BASE | e) + p - 1) & -p;
    if (isNaN(e + c)) throw err("process.memory()", "no flash fields");
    if (fw < c && diff(fw, p) >= 0) fw += p;
    if (c > END) c = END;
    if (fw > c) fw = c;
    AT = [FLASH_BASE, e < FLASH_BASE ? FLASH_BASE + 0x2800 : FLASH_BASE, fw, c, END,
      process.env.BOARD == "ESPRUINOBOARD" && END == 0x08040000 ? 0x08060000 : END];
  }
  return AT;
}

/** The option erase/write need in region i ("allowFirmware", ...), or "" for the free region. The names are split
 * on each call on purpose: a module-level array of them would stay in RAM (11 variables more, measured on a
 * 2756-variable Espruino 2v29 build) to save a few microseconds per guard. */
export function flag(i: number): string {
  return i - 2 ? "allow" + "Bootloader,Firmware,,SavedCode,Undocumented".split(",")[i] : "";
}

/** Call `f(i, addr, length)` for each non-empty region of the memory map (see bounds()), in address order. */
export function regions(f: (i: number, addr: number, length: number) => void): void {
  var at = bounds();
  for (var i = 0; i < 5; i++) if (at[i + 1] > at[i]) f(i, at[i], at[i + 1] - at[i]);
}

/** True when region i may be used: it is free, or its option is set in `opts` (or allowUndocumented through
 * setup()). */
export function allowed(i: number, opts?: Options | false): any {
  var f = flag(i);
  return !f || (opts && (opts as any)[f]) || settings[f];
}

/** Throw unless `len` bytes from `addr` lie in flash and every region they touch may be used: for erase/write
 * (`write` true) every region needs its option; for reads only the undocumented region (4) does.
 * @throws Error `<op> 0x<addr>: inside <region>, needs option <allow...>`, `outside flash`, or for a write
 * `crosses into bank 2` (one operation drives one bank's registers, XL density). */
export function guard(op: string, addr: number, len: number, opts?: Options, write?: boolean): void {
  var z = addr + len;
  regions(function (i, a, n) {
    if (addr < a + n && z > a && (write || i > 3) && !allowed(i, opts)) {
      throw err(op, "inside " + NAMES[i] + ", needs option " + flag(i), addr);
    }
  });
  // the regions are contiguous from FLASH_BASE to AT[5]
  if (addr < FLASH_BASE || z > AT![5]) throw err(op, "outside flash", addr);
  if (write && addr < BANK2_AT && z > BANK2_AT) throw err(op, "crosses into bank 2", addr);
}
