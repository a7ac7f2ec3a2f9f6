/** The virtual Espruino board (docs/ARCHITECTURE.md "The virtual board API"). */
export { createBoard, Board, FIRMWARE } from "./board.js";
export { Chip, PRESETS, FLASH_START, SRAM_START, F_SIZE, U_ID, OB_BASE, DBGMCU_IDCODE, RCC_BASE, SCB_VTOR } from "./chip.js";
export { Clock } from "./clock.js";
export { FlashStore } from "./flash-store.js";
export * from "./fpec-model.js";
export { computeLayout, LAYOUT_DEFAULTS } from "./layout.js";
export { EspruinoRuntime, REMOVED_BUILTINS, crc32 } from "./espruino.js";
export { Cortex } from "./cortex.js";
export { NativeCode, SystemBootloaderSignal } from "./native-call.js";
export { StRomBootloader } from "./st-rom-bootloader.js";
export { openSerialPort } from "./serial-port.js";
