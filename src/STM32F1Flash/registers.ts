// STM32F1 embedded flash and FPEC: register addresses and bits, with the names of ST's PM0075 (STM32F10xxx Flash
// memory programming manual) and RM0008 (STM32F101/102/103/105/107 reference manual, Tables 4-8 for the flash
// organisation per density; CMSIS stm32f103xe.h / stm32f103xg.h for the addresses). Constants only.

/** Main flash base address (RM0008, Embedded Flash memory); aliased at 0x00000000 when booting from flash. */
export var FLASH_BASE = 0x08000000;
/** FPEC register block (PM0075, Flash register map). Bank 2 registers of XL-density parts sit at +BANK2. */
export var FPEC = 0x40022000;
/** Offset from bank-1 to bank-2 registers on XL density: KEYR2 0x44, SR2 0x4C, CR2 0x50, AR2 0x54 (RM0008, XL-density
 * register map; CMSIS stm32f103xg.h). */
export var BANK2 = 0x40;
/** FLASH_KEYR offset: write KEY1 then KEY2 to clear CR.LOCK (PM0075, Unlocking the Flash memory). */
export var KEYR = 0x04;
/** FLASH_SR offset: BSY (read-only), PGERR/WRPRTERR/EOP (write 1 to clear) (PM0075, Flash status register FLASH_SR). */
export var SR = 0x0c;
/** FLASH_CR offset, directly after SR: peek32(SR, 2) reads both, poke32(SR, [sr, cr, ar]) writes SR, CR, AR. */
export var CR = 0x10;

/** SR.BSY: operation in progress. */
export var SR_BSY = 0x01;
/** SR.PGERR: programmed a half-word that was not 0xFFFF. */
export var SR_PGERR = 0x04;
/** SR.WRPRTERR: program/erase of a write-protected page. */
export var SR_WRPRTERR = 0x10;
/** SR.EOP: end of a successful operation. */
export var SR_EOP = 0x20;
/** The write-1-to-clear flags, cleared before each operation. */
export var SR_FLAGS = SR_EOP | SR_WRPRTERR | SR_PGERR;

/** CR.PG: half-word programming chosen; never cleared by hardware (PM0075, Flash control register FLASH_CR). */
export var CR_PG = 0x01;
/** CR.PER: page erase chosen; never cleared by hardware. */
export var CR_PER = 0x02;
/** CR.STRT: start the erase (set-only). */
export var CR_STRT = 0x40;
/** CR.LOCK: write 1 to lock; cleared only by the KEY1, KEY2 sequence. */
export var CR_LOCK = 0x80;

/** FPEC unlock keys (PM0075, Unlocking the Flash memory; CMSIS FLASH_KEY1/FLASH_KEY2). */
export var KEY1 = 0x45670123;
export var KEY2 = 0xcdef89ab;

/** F_SIZE: flash size in Kbytes, 16-bit (RM0008, Device electronic signature: Flash size register). */
export var F_SIZE = 0x1ffff7e0;
/** DBGMCU_IDCODE: DEV_ID in bits 11:0 (0x412 low, 0x410 medium, 0x414 high, 0x418 connectivity, 0x430 XL density;
 * RM0008, Debug support: MCU device ID code). */
export var DBGMCU_IDCODE = 0xe0042000;
/** SCB->VTOR: where the running firmware's vector table is (PM0056, the STM32F10xxx Cortex-M3 programming manual:
 * System control block, VTOR);
 * Espruino's main() sets it to its own table (Espruino targets/stm32/main.c). */
export var SCB_VTOR = 0xe000ed08;
/** Start of bank 2 on XL-density parts (RM0008 Table 5). */
export var BANK2_START = 0x08080000;
