/**
 * Firmware layouts of the virtual boards (espruino-platform.md §1, §2) and the flash pre-fill that makes
 * them visible, so region guards can be tested: bootloader and firmware regions hold pseudo-random bytes that are
 * never 0xFF (every byte differs from the erased value); the saved-code area holds valid Storage content
 * (Espruino src/jsflash.c format, sim/storage.js): one file, as on a board that has been used.
 */
import { byteSource, PRESETS, FLASH_START, SRAM_START } from "./chip.js";
import { writeImage } from "./firmware-image.js";
import { HEADER_SIZE, nameBytes } from "./storage.js";

/** Name of the Storage file the pre-fill puts at flash_code_start. */
export const PREFILL_FILE = "notes.txt";

/** Per-model defaults. Addresses are absolute unless noted. */
export const LAYOUT_DEFAULTS = {
  /** Espruino Original, 2v29-like: 10 KB USB bootloader, firmware linked at alias 0x2800, Espruino's
   * startup_stm32f10x_hd.s (ESPRUINOBOARD.py PRECOMPILED_OBJS). */
  original: { bootloaderEnd: 0x08002800, etext: 0x0802e7a0, dataImageSize: 0x200, codeStart: 0x0803b000, codeContentSize: 0x100,
    startup: "espruino-hd" },
  /** HYSTM32_28-like SAVE_ON_FLASH build: no bootloader, linked at 0 (build_linker.py FLASH_BASE), ST's
   * startup_stm32f10x_md.s. */
  medium: { bootloaderEnd: FLASH_START, etext: 0x080168a0, dataImageSize: 0x200, codeStart: 0x0801c000, codeContentSize: 0x100,
    startup: "st" },
  /** Fictional connectivity-line board "STM32F105_CL": no bootloader, SAVE_ON_FLASH-like firmware, 2 KB pages. */
  connectivity: { bootloaderEnd: FLASH_START, etext: 0x080168a0, dataImageSize: 0x200, codeStart: 0x0801c000, codeContentSize: 0x100,
    startup: "st" },
  /** Fictional XL board "STM32F1_XL": no bootloader, firmware to ~0x08050000, saved code in bank 2. */
  xl: { bootloaderEnd: FLASH_START, etext: 0x0804fe40, dataImageSize: 0x200, codeStart: 0x080f0000, codeContentSize: 0x100,
    startup: "st" },
};

/** Where Reset_Handler sits in the firmware's .text (bytes from the image start; 4-aligned: its section holds a
 * literal pool). Any place in .text would do. */
const RESET_HANDLER_OFFSET = 0x3a10;
/** The Original's USB bootloader is an image of its own, linked at 0 (build_linker.py --bootloader) with the same
 * startup file: its vector table at 0x08000000 and Reset_Handler point at the bootloader's own _sidata. */
const BOOTLOADER_IMAGE = { resetHandler: 0x1f40, etext: 0x2480, dataImageSize: 0x40 };
/** .bss length of the firmware (approx.: the JsVar array of 2756 x 13 bytes and the rest). */
const BSS_SIZE = 0x9800;

/**
 * Compute board.layout.
 * @param {string} model
 * @param {object} [o] overrides: etext (absolute, or alias-based < 0x08000000), dataImageSize (bytes),
 *                     codeStart (absolute), codeContentSize (bytes), hiddenFlash (original), startup
 *                     ("espruino-hd", "st" or "none": a Reset_Handler without the literal-pool pattern)
 * @returns {object} layout (all addresses absolute, lengths in bytes)
 */
export function computeLayout(model, o = {}) {
  const p = PRESETS[model];
  const d = LAYOUT_DEFAULTS[model];
  const pageSize = p.pageSize;
  const flashLength = p.flashKB * 1024;
  let etext = o.etext ?? d.etext;
  if (etext < FLASH_START) etext = (FLASH_START | etext) >>> 0;   // given like process.memory().flash_binary_end
  const dataImageSize = o.dataImageSize ?? d.dataImageSize;
  const dataImageEnd = etext + dataImageSize;
  const codeStart = o.codeStart ?? d.codeStart;
  const hidden = model === "original" && (o.hiddenFlash ?? true);
  const roundUp = (a) => Math.ceil(a / pageSize) * pageSize;
  return {
    model,
    part: p.part,
    flashStart: FLASH_START,
    flashLength,
    pageSize,
    pageCount: flashLength / pageSize,
    bootloaderStart: FLASH_START,
    bootloaderEnd: d.bootloaderEnd,
    firmwareStart: d.bootloaderEnd,
    /** the firmware's link base in the 0x0 alias (0x2800 behind the bootloader, else 0); main() writes it into
     * SCB->VTOR (Espruino targets/stm32/main.c: `SCB->VTOR = &_VECTOR_TABLE`) */
    linkBase: d.bootloaderEnd - FLASH_START,
    /** startup file of the firmware (firmware-image.js STARTUP), and where its Reset_Handler is */
    startup: o.startup ?? d.startup,
    resetHandler: d.bootloaderEnd + RESET_HANDLER_OFFSET,
    etext,
    /** what process.memory().flash_binary_end reports: &_etext, a link address in the 0x0 alias on every F1 board
     * (build_linker.py links at 0, or at 0x2800 behind a bootloader; §2) */
    flashBinaryEnd: etext - FLASH_START,
    dataImageEnd,
    /** first page that is blank after the firmware + .data image */
    freeStart: roundUp(dataImageEnd),
    freeEnd: codeStart,
    codeStart,
    codeEnd: FLASH_START + flashLength,
    /** end of the pre-filled Storage file (header + data, 4-aligned) at codeStart; == codeStart: empty Storage */
    codeContentEnd: codeStart + ((o.codeContentSize ?? d.codeContentSize) & ~3),
    hiddenStart: hidden ? FLASH_START + flashLength : null,
    hiddenEnd: hidden ? FLASH_START + flashLength + p.hiddenKB * 1024 : null,
    physicalLength: flashLength + (hidden ? p.hiddenKB * 1024 : 0),
    banks: p.bank1Pages ? [{ start: FLASH_START, end: FLASH_START + p.bank1Pages * pageSize },
      { start: FLASH_START + p.bank1Pages * pageSize, end: FLASH_START + flashLength }]
      : [{ start: FLASH_START, end: FLASH_START + flashLength + (hidden ? p.hiddenKB * 1024 : 0) }],
    ramStart: SRAM_START,
    ramLength: p.sramSize,
  };
}

/**
 * Pre-fill flash per layout: bootloader, firmware (.text/.rodata to _etext), .data image, and in the saved-code
 * area one Storage file of codeContentSize bytes in all (32-byte header + text; none when smaller than a header).
 * The bootloader and the firmware each get a vector table and a Reset_Handler with its literal pool
 * (firmware-image.js). Everything else stays erased (0xFF).
 * @param {import("./flash-store.js").FlashStore} store
 * @param {object} layout from {@link computeLayout}
 */
export function prefillFlash(store, layout) {
  const fill = (start, end, seed) => {
    const next = byteSource(seed);
    for (let a = start; a < end; a++) store.bytes[a - FLASH_START] = next();
  };
  fill(layout.bootloaderStart, layout.bootloaderEnd, 0xb007);
  fill(layout.firmwareStart, layout.etext, 0xf1a5);
  fill(layout.etext, layout.dataImageEnd, 0xda7a);
  const ram = (size, estack) => ({ _estack: estack, _sdata: SRAM_START, _edata: SRAM_START + size,
    _sbss: SRAM_START + size, _ebss: SRAM_START + size + BSS_SIZE });
  const estack = SRAM_START + layout.ramLength;
  writeImage(store.bytes, { start: layout.firmwareStart, resetHandler: layout.resetHandler, startup: layout.startup,
    textEnd: layout.etext,
    symbols: { ...ram(layout.dataImageEnd - layout.etext, estack), _sidata: layout.etext - FLASH_START } });
  if (layout.firmwareStart > FLASH_START) {
    const b = BOOTLOADER_IMAGE;
    writeImage(store.bytes, { start: FLASH_START, resetHandler: FLASH_START + b.resetHandler, startup: layout.startup,
      textEnd: FLASH_START + b.etext, symbols: { ...ram(b.dataImageSize, estack), _sidata: b.etext } });
  }
  const fileBytes = layout.codeContentEnd - layout.codeStart;
  if (fileBytes > HEADER_SIZE) {
    const size = fileBytes - HEADER_SIZE;
    const at = layout.codeStart - FLASH_START;
    const b = store.bytes;
    b[at] = size & 0xff; b[at + 1] = (size >>> 8) & 0xff; b[at + 2] = (size >>> 16) & 0xff; b[at + 3] = 0;   // flags 0
    b.set(nameBytes(PREFILL_FILE), at + 4);
    const text = "Saved by an earlier program: Storage files live in the saved-code area (flash_code_start to the " +
      "end of flash). ";
    for (let i = 0; i < size; i++) b[at + HEADER_SIZE + i] = text.charCodeAt(i % text.length);
  }
}
