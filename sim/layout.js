/**
 * Firmware layouts of the virtual boards (espruino-platform.md §1, §2) and the flash pre-fill that makes
 * them visible, so region guards can be tested: bootloader and firmware regions hold pseudo-random bytes that are
 * never 0xFF (every byte differs from the erased value); the saved-code area holds valid Storage content
 * (Espruino src/jsflash.c format, sim/storage.js): one file, as on a board that has been used.
 */
import { byteSource, PRESETS, FLASH_START, SRAM_START } from "./chip.js";
import { HEADER_SIZE, nameBytes } from "./storage.js";

/** Name of the Storage file the pre-fill puts at flash_code_start. */
export const PREFILL_FILE = "notes.txt";

/** Per-model defaults. Addresses are absolute unless noted. */
export const LAYOUT_DEFAULTS = {
  /** Espruino Original, 2v29-like: 10 KB USB bootloader, firmware linked at alias 0x2800. */
  original: { bootloaderEnd: 0x08002800, etext: 0x0802e7a0, dataImageSize: 0x200, codeStart: 0x0803b000, codeContentSize: 0x100 },
  /** HYSTM32_28-like SAVE_ON_FLASH build: no bootloader, flash_binary_end is absolute. */
  medium: { bootloaderEnd: FLASH_START, etext: 0x080168a0, dataImageSize: 0x200, codeStart: 0x0801c000, codeContentSize: 0x100 },
  /** Fictional connectivity-line board "STM32F105_CL": no bootloader, SAVE_ON_FLASH-like firmware, 2 KB pages. */
  connectivity: { bootloaderEnd: FLASH_START, etext: 0x080168a0, dataImageSize: 0x200, codeStart: 0x0801c000, codeContentSize: 0x100 },
  /** Fictional XL board "STM32F1_XL": no bootloader, firmware to ~0x08050000, saved code in bank 2. */
  xl: { bootloaderEnd: FLASH_START, etext: 0x0804fe40, dataImageSize: 0x200, codeStart: 0x080f0000, codeContentSize: 0x100 },
};

/**
 * Compute board.layout.
 * @param {string} model
 * @param {object} [o] overrides: etext (absolute, or alias-based < 0x08000000), dataImageSize (bytes),
 *                     codeStart (absolute), codeContentSize (bytes), hiddenFlash (original)
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
    etext,
    /** what process.memory().flash_binary_end reports: ALIAS-space on bootloader boards (§2) */
    flashBinaryEnd: model === "original" ? etext - FLASH_START : etext,
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
 * Everything else stays erased (0xFF).
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
