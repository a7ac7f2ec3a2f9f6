// Shared test helpers: a virtual board with the BUILT module (modules/*.js, what users upload) loaded into it.
import { readFileSync } from "node:fs";
import { createBoard } from "../sim/index.js";

export const BUILDS = ["STM32F1Flash.js", "STM32F1Flash.min.js"];
export const FLASH_CR = 0x40022010;
export const FLASH_SR = 0x4002200c;
export const CR_LOCK = 0x80;

/** Source text of a built module file. */
export function moduleSource(build) {
  return readFileSync(new URL("../modules/" + build, import.meta.url), "utf8");
}

/** A virtual board (createBoard options) with `build` loaded as "STM32F1Flash"; returns { board, f }. The module
 * reads the chip's geometry and the memory map when it loads: `before(board)` changes the board before that. */
export function boardWith(build, options = {}, before = () => {}) {
  // The 700-variable HYSTM32_28-like medium board cannot hold STM32F1Flash uploaded to RAM (sim/ram-model.js):
  // tests that use it for its 1 KB-page geometry run without the RAM limit.
  if (options.model === "medium" && options.ramLimit === undefined) options = { ...options, ramLimit: false };
  const board = createBoard(options);
  before(board);
  board.addModule("STM32F1Flash", moduleSource(build));
  return { board, f: board.require("STM32F1Flash") };
}

/** FLASH_CR (or CR2 with bank 1) read straight from the chip model, not through the board's counted globals. */
export function cr(board, bank = 0) {
  return board.chip.read32(FLASH_CR + bank * 0x40);
}

/** Write bytes straight into the flash backing store (test set-up, no FPEC involved). */
export function preload(board, addr, bytes) {
  board.chip.flash.bytes.set(bytes, addr - 0x08000000);
}
