// STM32F1 identification and system-memory addresses for entering the ST ROM bootloader, with RM0008 / PM0056
// names. Constants only.

/** SCB_CPUID (PM0056 sec. 4.4.1): PARTNO bits 15:4 = 0xC23 on the Cortex-M3 of every STM32F1. */
export var SCB_CPUID = 0xe000ed00;
/** Cortex-M3 part number in SCB_CPUID bits 15:4. */
export var CORTEX_M3 = 0xc23;
/** DBGMCU_IDCODE (RM0008 sec. 31.6.1): DEV_ID bits 11:0. Reads 0 from user code on many F1 parts (errata
 * "Debug registers cannot be read by user software"). */
export var DBGMCU_IDCODE = 0xe0042000;
/** F_SIZE (RM0008 sec. 30.1): flash size in Kbytes, 16 bits. */
export var F_SIZE = 0x1ffff7e0;
/** SRAM start (RM0008 sec. 3.3). */
export var SRAM = 0x20000000;
/** End of system memory for every F1 density: the option bytes start here (RM0008 Tables 3-5). */
export var SYSTEM_MEMORY_END = 0x1ffff800;
/** GPIOC_BSRR bit 13: C13 high = the Original's USB D+ pull-up off (Espruino targets/stm32 USB_Cable_Config). */
export var C13_HIGH = 0x2000;

/**
 * F1 densities by DEV_ID (RM0008 sec. 31.6.1, AN2606 sec. "STM32F10xxx"): DEV_ID, lowest and highest F_SIZE in KB,
 * system-memory start (its first 8 bytes are the ROM's vector table). Low, medium, high density and the value
 * line keep the ROM at 0x1FFFF000, the connectivity line at 0x1FFFB000, XL density at 0x1FFFE000.
 */
export var DENSITIES = [
  0x412, 16, 32, 0x1ffff000, // low density
  0x410, 32, 128, 0x1ffff000, // medium density
  0x414, 256, 512, 0x1ffff000, // high density (STM32F103RC: the Espruino Original)
  0x430, 768, 1024, 0x1fffe000, // XL density
  0x418, 64, 256, 0x1fffb000, // connectivity line
  0x420, 16, 128, 0x1ffff000, // value line, low/medium density
  0x428, 256, 512, 0x1ffff000, // value line, high density
];
