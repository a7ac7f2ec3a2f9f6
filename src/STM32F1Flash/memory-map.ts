// Geometry of the chip (read at run time) and the board's memory map (from process.memory() and the firmware's own
// vector table), with the guards that keep the bootloader, Espruino and saved code safe.
// Sources: RM0008 (flash organisation per density), Espruino's src/jswrap_process.c (process.memory() fields),
// targets/stm32/jshardware.c (jshFlashGetFree), scripts/build_linker.py and targetlibs/stm32f1/lib/startup_*.s.
import { BANK2_AT, END, err, geometry, PAGE, settings } from "./fpec";
import { FLASH_BASE, SCB_VTOR } from "./registers";

/** One region of the memory map: [addr, addr + length) in bytes. `allow` names the option that unlocks it for
 * erase/write (no `allow`: free for use). */
export interface Region { name: string; addr: number; length: number; allow?: string }

/** Per-call options: each `allow*` flag lets erase/write touch that region. */
export interface Options { allowBootloader?: boolean; allowFirmware?: boolean; allowSavedCode?: boolean;
  allowUndocumented?: boolean }

/** Region boundaries, computed once by bounds(): region i is [AT[i], AT[i + 1]). */
var AT: number[] | undefined;

/** The end (address) of Espruino's firmware image, read from the firmware itself, so it does not depend on
 * what was written after it. `table` is the firmware's vector table; its second word points at Reset_Handler,
 * which (ST's startup_stm32f10x_*.s in Espruino's targetlibs/stm32f1/lib) copies the .data image from flash to RAM:
 * `ldr r3, =_sidata` + `ldr r3, [r3, r1]` (half-words 0x4Bxx 0x585B) and `ldr r0, =_sdata` + `ldr r3, =_edata` +
 * `adds r2, r0, r1` (0x48xx 0x4Bxx 0x1842), each `ldr rN, =symbol` a PC-relative load of a word from the
 * literal pool after the code (ARMv7-M Architecture Reference Manual, LDR (literal) encoding T1). Espruino's
 * scripts/build_linker.py puts _sidata at _etext, so the firmware ends at _etext + (_edata - _sdata). When that
 * pattern is not found or not plausible (_sidata is not _etext, _sdata not in SRAM), the .data image is assumed
 * to fit in the page after the one holding _etext (Espruino's is a few hundred bytes). Three native calls.
 * @param table address of the vector table @param etext 0x08000000 | flash_binary_end */
function firmwareEnd(table: number, etext: number): number {
  var resetHandler = (FLASH_BASE | peek32(table + 4)) & -2, // bit 0 is the Thumb bit
    // its code and literal pool: 38 half-words hold both in either startup file
    code: any = resetHandler > table && resetHandler < etext ? (peek16 as any)(resetHandler, 38) : [],
    i: number, sidata: any, sdata: any, edata: any;
  /** The word loaded by the `ldr rN, [pc, #imm8 * 4]` at half-word i (PC = its address + 4, word-aligned). */
  function literal(i: number): number {
    var at = (((resetHandler + 2 * i + 4) & -4) + (code[i] & 255) * 4 - resetHandler) / 2;
    return code[at] | (code[at + 1] << 16);
  }
  for (i = 2; i < code.length; i++) {
    if (code[i] == 0x585b && code[i - 1] >> 8 == 0x4b) sidata = literal(i - 1);
    if (code[i] == 0x1842 && code[i - 2] >> 8 == 0x48 && code[i - 1] >> 8 == 0x4b) {
      sdata = literal(i - 2);
      edata = literal(i - 1);
    }
  }
  return (FLASH_BASE | sidata) == etext && sdata >>> 17 == 0x1000 && edata - sdata >= 0 && edata - sdata < 0x20000
    ? etext + edata - sdata : ((etext + PAGE - 1) & -PAGE) + PAGE;
}

/** The boundaries of the board's memory map, computed once: bootloader, firmware, free, saved code, undocumented
 * (0x08040000-0x0805FFFF, on the Espruino Original only; elsewhere empty). The firmware starts at its vector
 * table, which Espruino's main() puts into SCB->VTOR (0x2800 behind the Original's 10 KB bootloader, else 0;
 * in the 0x0 alias, like `flash_binary_end`, which is &_etext), and ends where firmwareEnd() says. Empty regions
 * have equal boundaries.
 * @throws Error if process.memory() has no flash fields. */
function bounds(): number[] {
  if (!AT) {
    geometry();
    var memory = process.memory(false), etext = FLASH_BASE | memory.flash_binary_end!,
      savedCode = memory.flash_code_start!, table = FLASH_BASE | peek32(SCB_VTOR), end: number;
    if (isNaN(memory.flash_binary_end! + savedCode)) throw err("process.memory()", "no flash fields");
    if (!(table < etext)) table = FLASH_BASE;
    end = (firmwareEnd(table, etext) + PAGE - 1) & -PAGE;
    if (savedCode > END) savedCode = END;
    if (end > savedCode) end = savedCode;
    AT = [FLASH_BASE, table, end, savedCode, END,
      process.env.BOARD == "ESPRUINOBOARD" && END == 0x08040000 ? 0x08060000 : END];
  }
  return AT;
}

/** Region i's name ("bootloader", "firmware", "free", "saved code", "undocumented"), or with `option` the option
 * erase/write need there ("allowBootloader", ..., "" for the free region). The names are split on each call on
 * purpose: module-level arrays of them would stay in RAM (more than 10 variables each on a 2756-variable
 * Espruino 2v29 build). */
export function regionName(i: number, option?: any): string {
  return (option ? "allowBootloader,allowFirmware,,allowSavedCode,allowUndocumented"
    : "bootloader,firmware,free,saved code,undocumented").split(",")[i];
}

/** Call `f(i, addr, length)` for each non-empty region of the memory map (see bounds()), in address order. */
export function regions(f: (i: number, addr: number, length: number) => void): void {
  var at = bounds();
  for (var i = 0; i < 5; i++) if (at[i + 1] > at[i]) f(i, at[i], at[i + 1] - at[i]);
}

/** True when region i may be used: it is free, or its option is set in `opts` (or allowUndocumented through
 * setup()). */
export function allowed(i: number, opts?: Options | false): any {
  var option = regionName(i, 1);
  return !option || (opts && (opts as any)[option]) || settings[option];
}

/** Throw unless `opts` is undefined or an object whose keys are option names (allowBootloader, allowFirmware,
 * allowSavedCode, allowUndocumented): a misspelt option would otherwise be ignored.
 * @throws Error `<op>: bad options <opts>` or `<op>: unknown option <key>`. */
export function options(op: string, opts: any): void {
  if (opts !== undefined) {
    if (!opts || typeof opts != "object") throw err(op, "bad options " + opts);
    for (var key in opts) for (var i = 0; regionName(i, 1) != key;) if (++i > 4) throw err(op, "unknown option " + key);
  }
}

/** Throw unless `length` bytes from `addr` lie in flash and every region they touch may be used: for erase/write
 * (`write` true) every region needs its option; for reads only the undocumented region (4) does.
 * @throws Error `<op> 0x<addr>: inside <region>, needs option <allow...>`, `outside flash`, for a write
 * `crosses into bank 2` (one operation drives one bank's registers, XL density), or an options() error. */
export function guard(op: string, addr: number, length: number, opts?: Options, write?: boolean): void {
  var end = addr + length;
  options(op, opts);
  regions(function (i, start, size) {
    if (addr < start + size && end > start && (write || i > 3) && !allowed(i, opts)) {
      throw err(op, "inside " + regionName(i) + ", needs option " + regionName(i, 1), addr);
    }
  });
  // the regions are contiguous from FLASH_BASE to AT[5]
  if (addr < FLASH_BASE || end > AT![5]) throw err(op, "outside flash", addr);
  if (write && addr < BANK2_AT && end > BANK2_AT) throw err(op, "crosses into bank 2", addr);
}
