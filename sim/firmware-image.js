/**
 * The parts of an Espruino STM32F1 firmware image that software on the board can decode, as the real build lays
 * them out (Espruino scripts/build_linker.py, targetlibs/stm32f1/lib/startup_stm32f10x_*.s):
 *
 *   image start (linked at 0x2800 behind the Original's 10 KB bootloader, at 0 elsewhere; main() writes that
 *   address into SCB->VTOR, targets/stm32/main.c):
 *     vector table   .word _estack, Reset_Handler|1, NMI_Handler|1, ...   (.isr_vector, first in FLASH)
 *   somewhere in .text:
 *     Reset_Handler  copies .data from flash to RAM: `ldr r3, =_sidata` / `ldr r0, =_sdata` / `ldr r3, =_edata`
 *                    load their values from a literal pool that GNU as puts right after the function's code
 *   _etext = _sidata (the linker script sets `_sidata = .` right after .text; process.memory().flash_binary_end
 *   is &_etext):
 *     .data image    _edata - _sdata bytes, copied to RAM at reset; the firmware really ends here.
 *
 * Everything else of the image is the pseudo-random filler of layout.js.
 */

/** Reset_Handler of Espruino's startup_stm32f10x_hd.s (the Original, HYSTM32_24/32: it sets SP first, "THIS IS FOR
 * ESPRUINO"), as GNU as 2.x assembles it for `.cpu cortex-m3 .thumb` (arm-none-eabi-objdump -d):
 *   0: 480c ldr r0, =_estack      2: 4685 mov sp, r0          4: 2100 movs r1, #0        6: e003 b LoopCopyDataInit
 *   8: 4b0b ldr r3, =_sidata      a: 585b ldr r3, [r3, r1]    c: 5043 str r3, [r0, r1]   e: 3104 adds r1, #4
 *  10: 480a ldr r0, =_sdata      12: 4b0b ldr r3, =_edata    14: 1842 adds r2, r0, r1   16: 429a cmp r2, r3
 *  18: d3f6 bcc CopyDataInit     1a: 4a0a ldr r2, =_sbss     1c: e002 b LoopFillZerobss 1e: 2300 movs r3, #0
 *  20: f842 3b04 str.w r3, [r2], #4                          24: 4b08 ldr r3, =_ebss    26: 429a cmp r2, r3
 *  28: d3f9 bcc FillZerobss      2a: bl SystemInit           2e: bl main                32: 4770 bx lr
 *  34: literal pool: _estack, _sidata, _sdata, _edata, _sbss, _ebss
 * Each `bl` is two nulls here: its half-words are encoded for the target at link time (see thumbBL). */
const ESPRUINO_HD = [0x480c, 0x4685, 0x2100, 0xe003, 0x4b0b, 0x585b, 0x5043, 0x3104, 0x480a, 0x4b0b, 0x1842, 0x429a,
  0xd3f6, 0x4a0a, 0xe002, 0x2300, 0xf842, 0x3b04, 0x4b08, 0x429a, 0xd3f9, null, null, null, null, 0x4770];

/** Reset_Handler of ST's unmodified startup_stm32f10x_md.s / _xl.s / _cl.s (HYSTM32_28 and others): the same code
 * without the two SP instructions, literal pool at 0x30: _sidata, _sdata, _edata, _sbss, _ebss. */
const ST = [0x2100, 0xe003, 0x4b0a, 0x585b, 0x5043, 0x3104, 0x4809, 0x4b0a, 0x1842, 0x429a, 0xd3f6, 0x4a09, 0xe002,
  0x2300, 0xf842, 0x3b04, 0x4b07, 0x429a, 0xd3f9, null, null, null, null, 0x4770];

/** Code and literal-pool symbols per startup file. "none": a Reset_Handler without the pattern (another startup
 * file or toolchain), so software must fall back on another rule. */
export const STARTUP = {
  "espruino-hd": { code: ESPRUINO_HD, pool: ["_estack", "_sidata", "_sdata", "_edata", "_sbss", "_ebss"] },
  st: { code: ST, pool: ["_sidata", "_sdata", "_edata", "_sbss", "_ebss"] },
  none: null,
};

/** Vector count of the high-density table (16 Cortex-M3 exceptions + 60 IRQs, startup_stm32f10x_hd.s); the
 * other densities have fewer or more IRQs, which only moves where .text starts. */
const VECTORS = 76;

/** The two half-words of a Thumb-2 `bl` at `from` to `to` (ARMv7-M ARM, BL encoding T1). */
export function thumbBL(from, to) {
  const off = to - (from + 4);
  const s = off < 0 ? 1 : 0;
  const i1 = (off >> 23) & 1, i2 = (off >> 22) & 1;
  const j1 = (~i1 ^ s) & 1, j2 = (~i2 ^ s) & 1;
  return [0xf000 | (s << 10) | ((off >> 12) & 0x3ff), 0xd000 | (j1 << 13) | (j2 << 11) | ((off >> 1) & 0x7ff)];
}

/**
 * Write the vector table at `start` and a Reset_Handler with its literal pool at `resetHandler` into `bytes`
 * (main flash from 0x08000000). Addresses in the image are link addresses: `start - 0x08000000` is the link base
 * (alias space, as flash_binary_end), so `linkOf(a) = a - 0x08000000`.
 * @param {Uint8Array} bytes main flash, offset 0 = 0x08000000
 * @param {object} img
 * @param {number} img.start         absolute address of the vector table (= image start)
 * @param {number} img.resetHandler  absolute address of Reset_Handler (4-aligned, inside .text)
 * @param {string} img.startup       key of STARTUP
 * @param {object} img.symbols       link-time values: _estack, _sidata, _sdata, _edata, _sbss, _ebss
 * @param {number} img.textEnd       absolute _etext: handler addresses stay below it
 */
export function writeImage(bytes, img) {
  const BASE = 0x08000000;
  const link = (a) => a - BASE;
  const w16 = (a, v) => { bytes[a - BASE] = v & 0xff; bytes[a - BASE + 1] = (v >>> 8) & 0xff; };
  const w32 = (a, v) => { w16(a, v); w16(a + 2, v >>> 16); };
  const st = STARTUP[img.startup];
  // vector table: _estack, Reset_Handler, then the other handlers (odd: Thumb), 0 for the reserved slots 7-10, 13
  w32(img.start, img.symbols._estack);
  w32(img.start + 4, link(img.resetHandler) | 1);
  for (let i = 2; i < VECTORS; i++) {
    const handler = img.start + 0x400 + ((i * 0x1f3b) % (img.textEnd - img.start - 0x800));
    w32(img.start + 4 * i, [7, 8, 9, 10, 13].includes(i) ? 0 : link(handler & ~1) | 1);
  }
  if (!st) return;
  const rh = img.resetHandler;
  for (let i = 0; i < st.code.length; i++) {
    if (st.code[i] !== null) { w16(rh + 2 * i, st.code[i]); continue; }
    // `bl SystemInit`, `bl main`: targets somewhere earlier in .text
    const [hi, lo] = thumbBL(rh + 2 * i, img.start + 0x600 + 0x40 * i);
    w16(rh + 2 * i, hi);
    w16(rh + 2 * i + 2, lo);
    i++;
  }
  const pool = rh + ((2 * st.code.length + 3) & ~3);
  st.pool.forEach((name, i) => w32(pool + 4 * i, img.symbols[name]));
}
