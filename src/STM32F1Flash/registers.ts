// STM32F1 embedded flash and FPEC: register addresses and bits, with PM0075 / RM0008 names.
// Source: ../../shared/reference/stm32f1-flash-controller.md sec. 1-sec. 2 (RM0008 Tables 4-8, PM0075 sec. 3, CMSIS stm32f103xe.h).
// Constants only.

/** Main flash base address (RM0008 sec. 3.3.3); aliased at 0x00000000 when booting from flash. */
export var FLASH_BASE = 0x08000000;
/** FPEC register block (RM0008 Table 8). Bank 2 registers of XL-density parts sit at +BANK2 (sec. 2.9). */
export var FPEC = 0x40022000;
/** Offset from bank-1 to bank-2 registers: KEYR2 0x44, SR2 0x4C, CR2 0x50, AR2 0x54 (sec. 2.9). */
export var BANK2 = 0x40;
/** FLASH_KEYR offset: write KEY1 then KEY2 to clear CR.LOCK (sec. 3). */
export var KEYR = 0x04;
/** FLASH_SR offset: BSY (r), PGERR/WRPRTERR/EOP (rc_w1) (sec. 2.4). */
export var SR = 0x0c;
/** FLASH_CR offset, directly after SR: peek32(SR, 2) reads both, poke32(SR, [sr, cr, ar]) writes SR, CR, AR (sec. 2.1). */
export var CR = 0x10;

/** SR.BSY: operation in progress (sec. 2.4). */
export var SR_BSY = 0x01;
/** SR.PGERR: programmed a half-word that was not 0xFFFF (sec. 2.4). */
export var SR_PGERR = 0x04;
/** SR.WRPRTERR: program/erase of a write-protected page (sec. 2.4). */
export var SR_WRPRTERR = 0x10;
/** SR.EOP: end of a successful operation (sec. 2.4, sec. 4.7). */
export var SR_EOP = 0x20;
/** The write-1-to-clear flags, cleared before each operation. */
export var SR_FLAGS = SR_EOP | SR_WRPRTERR | SR_PGERR;

/** CR.PG: half-word programming chosen; never cleared by hardware (sec. 2.5, sec. 8 #5). */
export var CR_PG = 0x01;
/** CR.PER: page erase chosen; never cleared by hardware. */
export var CR_PER = 0x02;
/** CR.STRT: start the erase (set-only). */
export var CR_STRT = 0x40;
/** CR.LOCK: write 1 to lock; cleared only by the KEY1, KEY2 sequence (sec. 3). */
export var CR_LOCK = 0x80;

/** FPEC unlock keys (CMSIS FLASH_KEY1/FLASH_KEY2, PM0075 sec. 2.3.1). */
export var KEY1 = 0x45670123;
export var KEY2 = 0xcdef89ab;

/** F_SIZE: flash size in Kbytes, 16-bit (RM0008 sec. 30.1.1). */
export var F_SIZE = 0x1ffff7e0;
/** DBGMCU_IDCODE: DEV_ID in bits 11:0 (0x412 low, 0x410 medium, 0x414 high, 0x418 connectivity, 0x430 XL density). */
export var DBGMCU_IDCODE = 0xe0042000;
/** SCB->VTOR: where the running firmware's vector table is (Cortex-M3, PM0056 sec. 4.4.4); Espruino's main()
 * sets it to its own table (targets/stm32/main.c). */
export var SCB_VTOR = 0xe000ed08;
/** Start of bank 2 on XL-density parts (sec. 1.1). */
export var BANK2_START = 0x08080000;
