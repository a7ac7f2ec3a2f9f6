// The board's memory map, read when the module loads (from process.memory() and the firmware's own vector table),
// and the guards that keep the bootloader, Espruino and saved code safe.
// Sources: RM0008 (flash organisation per density), Espruino's src/jswrap_process.c (process.memory() fields),
// targets/stm32/jshardware.c (jshFlashGetFree), scripts/build_linker.py and targetlibs/stm32f1/lib/startup_*.s.
import { err, PAGE, settings } from "./fpec";
import { Addr } from "./registers";

/** One region of the memory map: [addr, addr + length) in bytes. `allow` names the option that unlocks it for
 * erase/write (no `allow`: free for use). */
export interface Region { name: string; addr: number; length: number; allow?: string }

/** Per-call options: each `allow*` flag lets erase/write touch that region. `erased` (write(data, addr) only): the
 * caller already knows every target half-word reads 0xFFFF (e.g. a log or store that appends into space it has
 * checked), so the blank pre-check (two native calls) is skipped; a half-word that is not erased after all is then
 * refused by the FPEC (PGERR) while the others ARE programmed, and the read-back throws `not erased (PGERR)`. */
export interface Options { allowBootloader?: boolean; allowFirmware?: boolean; allowSavedCode?: boolean;
  allowUndocumented?: boolean; erased?: boolean }

/** The boundaries of the board's memory map, read once when the module loads: region i is [AT[i], AT[i + 1]),
 * for bootloader, firmware, free, saved code and undocumented (0x08040000-0x0805FFFF, on the Espruino Original
 * only; elsewhere empty); empty regions have equal boundaries. The firmware starts at its vector table, which
 * Espruino's main() puts into SCB->VTOR (0x2800 behind the Original's 10 KB bootloader, else 0; in the 0x0 alias,
 * like `flash_binary_end`, which is &_etext), and ends where firmwareEnd() below says, rounded up to a page.
 * Six native calls. On a firmware whose process.memory() has no flash fields, require() throws
 * `process.memory(): no flash fields`. */
export var AT: number[] = (function () {
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
    var resetHandler = (Addr.FLASH_BASE | peek32(table + 4)) & -2, // bit 0 is the Thumb bit
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
    return (Addr.FLASH_BASE | sidata) == etext && sdata >>> 17 == 0x1000 && edata - sdata >= 0 &&
      edata - sdata < 0x20000 ? etext + edata - sdata : ((etext + PAGE - 1) & -PAGE) + PAGE;
  }

  var memory = process.memory(false), etext = Addr.FLASH_BASE | memory.flash_binary_end!,
    savedCode = memory.flash_code_start!, table = Addr.FLASH_BASE | peek32(Addr.SCB_VTOR), end: number,
    // end of the documented main flash: F_SIZE Kbytes (checked when the driver loaded)
    flashEnd = Addr.FLASH_BASE + peek16(Addr.F_SIZE) * 1024;
  if (isNaN(memory.flash_binary_end! + savedCode)) throw err("process.memory()", "no flash fields");
  if (!(table < etext)) table = Addr.FLASH_BASE;
  end = (firmwareEnd(table, etext) + PAGE - 1) & -PAGE;
  if (savedCode > flashEnd) savedCode = flashEnd;
  if (end > savedCode) end = savedCode;
  return [Addr.FLASH_BASE, table, end, savedCode, flashEnd,
    process.env.BOARD == "ESPRUINOBOARD" && flashEnd == 0x08040000 ? 0x08060000 : flashEnd];
})();

/** The region names ("bootloader", "firmware", "free", "saved code", "undocumented") in address order, or with
 * `option` the options erase/write need in them ("allowBootloader", "allowFirmware", "" for the free region,
 * "allowSavedCode", "allowUndocumented"), followed by "erased", the one per-call option that is not a region's.
 * Split on each call on purpose: module-level arrays of them would stay in
 * RAM (more than 10 variables each on a 2756-variable Espruino 2v29 build). */
export function regionNames(option?: any): string[] {
  return (option ? "allowBootloader,allowFirmware,,allowSavedCode,allowUndocumented,erased"
    : "bootloader,firmware,free,saved code,undocumented").split(",");
}

/** Throw unless `opts` is undefined or an object whose keys are option names: per-call options (allowBootloader,
 * allowFirmware, allowSavedCode, allowUndocumented, erased), or with `setup` the names in `settings` (then undefined is
 * refused too). A misspelt option would otherwise be ignored.
 * @throws Error `<op>: bad options <opts>` or `<op>: unknown option <key>`. */
export function options(op: string, opts: any, setup?: any): void {
  if (opts !== undefined || setup) {
    if (!opts || typeof opts != "object") throw err(op, "bad options " + opts);
    for (var key in opts) {
      if (setup ? typeof settings[key] != "boolean" : regionNames(1).indexOf(key) < 0) {
        throw err(op, "unknown option " + key);
      }
    }
  }
}

/** Throw unless `length` bytes from `addr` lie in flash and every region they touch may be used: for erase/write
 * (`write` true) every region but the free one needs its option, in `opts` (or allowUndocumented set through
 * setup()); for reads only the undocumented region does.
 * @throws Error `<op> 0x<addr>: inside <region>, needs option <allow...>`, `outside flash`, for a write
 * `crosses into bank 2` (one operation drives one bank's registers, XL density), or an options() error. */
export function guard(op: string, addr: number, length: number, opts?: Options, write?: boolean): void {
  var end = addr + length, option: string;
  options(op, opts);
  for (var i = 0, names = regionNames(1); i < 5; i++) {
    option = names[i];
    // [addr, end) and region i overlap (never for an empty region), and the region needs its option
    if (Math.max(addr, AT[i]) < Math.min(end, AT[i + 1]) && (write || i > 3) && option &&
      !(opts && (opts as any)[option]) && !settings[option]) {
      throw err(op, "inside " + regionNames()[i] + ", needs option " + option, addr);
    }
  }
  // the regions are contiguous from AT[0] (FLASH_BASE) to AT[5]
  if (addr < AT[0] || end > AT[5]) throw err(op, "outside flash", addr);
  if (write && addr < Addr.BANK2_START && end > Addr.BANK2_START) throw err(op, "crosses into bank 2", addr);
}
