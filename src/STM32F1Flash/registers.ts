// STM32F1 embedded flash and FPEC: register addresses and bits, with the names of ST's PM0075 (STM32F10xxx Flash
// memory programming manual) and RM0008 (STM32F101/102/103/105/107 reference manual, Tables 4-8 for the flash
// organisation per density; CMSIS stm32f103xe.h / stm32f103xg.h for the addresses). Constants only: `const enum`s,
// so the build writes the numbers where they are used and the board keeps no variable for them.

/** Addresses. */
export const enum Addr {
  /** Main flash base (RM0008, Embedded Flash memory); aliased at 0x00000000 when booting from flash. */
  FLASH_BASE = 0x08000000,
  /** Start of bank 2 on XL-density parts (RM0008 Table 5). */
  BANK2_START = 0x08080000,
  /** FPEC register block (PM0075, Flash register map). Bank 2 registers of XL-density parts sit at +Reg.BANK2. */
  FPEC = 0x40022000,
  /** F_SIZE: flash size in Kbytes, 16-bit (RM0008, Device electronic signature: Flash size register). */
  F_SIZE = 0x1ffff7e0,
  /** DBGMCU_IDCODE: DEV_ID in bits 11:0 (0x412 low, 0x410 medium, 0x414 high, 0x418 connectivity, 0x430 XL
   * density; RM0008, Debug support: MCU device ID code). */
  DBGMCU_IDCODE = 0xe0042000,
  /** SCB->VTOR: where the running firmware's vector table is (PM0056, the STM32F10xxx Cortex-M3 programming
   * manual: System control block, VTOR); Espruino's main() sets it to its own table (targets/stm32/main.c). */
  SCB_VTOR = 0xe000ed08,
}

/** FPEC register offsets from Addr.FPEC (PM0075, Flash register map). */
export const enum Reg {
  /** FLASH_KEYR: write KEY1 then KEY2 to clear CR.LOCK (PM0075, Unlocking the Flash memory). */
  KEYR = 0x04,
  /** FLASH_SR: BSY (read-only), PGERR/WRPRTERR/EOP (write 1 to clear) (PM0075, Flash status register FLASH_SR). */
  SR = 0x0c,
  /** FLASH_CR, directly after SR: peek32(SR, 2) reads both, poke32(SR, [sr, cr, ar]) writes SR, CR, AR. */
  CR = 0x10,
  /** Offset from bank-1 to bank-2 registers on XL density: KEYR2 0x44, SR2 0x4C, CR2 0x50, AR2 0x54 (RM0008,
   * XL-density register map; CMSIS stm32f103xg.h). */
  BANK2 = 0x40,
}

/** FLASH_SR bits. */
export const enum FLASH_SR {
  /** Operation in progress. */
  BSY = 0x01,
  /** Programmed a half-word that was not 0xFFFF. */
  PGERR = 0x04,
  /** Program/erase of a write-protected page. */
  WRPRTERR = 0x10,
  /** End of a successful operation. */
  EOP = 0x20,
  /** The write-1-to-clear flags EOP | WRPRTERR | PGERR, cleared before each operation. */
  FLAGS = 0x34,
}

/** FLASH_CR bits (PM0075, Flash control register FLASH_CR). */
export const enum FLASH_CR {
  /** Half-word programming chosen; never cleared by hardware. */
  PG = 0x01,
  /** Page erase chosen; never cleared by hardware. */
  PER = 0x02,
  /** Start the erase (set-only). */
  STRT = 0x40,
  /** Write 1 to lock; cleared only by the KEY1, KEY2 sequence. */
  LOCK = 0x80,
}

/** FPEC unlock keys (PM0075, Unlocking the Flash memory; CMSIS FLASH_KEY1/FLASH_KEY2). */
export const enum Key {
  KEY1 = 0x45670123,
  KEY2 = 0xcdef89ab,
}
