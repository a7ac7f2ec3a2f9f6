// Types for require("STM32F1Bootloader"). Built from src/ by `npm run build` - do not edit.
declare module "STM32F1Bootloader" {
  /** What check() found: the ROM's vector table and the chip it belongs to. */
  interface SystemMemory {
      /** system-memory start = address of the ROM's vector table (0x1FFFF000 on the Original) */
      addr: number;
      /** the ROM's initial main stack pointer, rom[0] (an SRAM address) */
      msp: number;
      /** the ROM's reset handler, rom[1] (odd: Thumb bit) */
      reset: number;
      /** DEV_ID from DBGMCU_IDCODE (0x414 on the Original), 0 when the part does not let user code read it */
      devId: number;
      /** F_SIZE: flash size in Kbytes */
      flashKB: number;
  }
  /** Options of enterSystemBootloader(). */
  interface Options {
      /** must be `true`: the board leaves Espruino until RST */
      confirm: boolean;
      /** ms to let the console send the instructions before the jump (default 500) */
      drainMs?: number;
  }
  /**
   * Check that this is an STM32F1 whose ST ROM bootloader can be entered, without changing anything: an STM32
   * Espruino build with E.nativeCall, a Cortex-M3 (SCB_CPUID, PM0056 sec. 4.4.1), DEV_ID (if readable) and F_SIZE
   * of one F1 density (RM0008 sec. 31.6.1, sec. 30.1), and at that density's system-memory address a plausible ROM
   * vector table: initial MSP 4-aligned inside SRAM, reset handler odd and inside system memory.
   * Costs 6 native calls (process.memory, 5 peeks).
   * @returns {SystemMemory} the ROM vector table's address and contents, DEV_ID and F_SIZE
   * @throws Error "STM32F1Bootloader: <reason>" naming the first check that failed
   */
  function check(): SystemMemory;
  /**
   * Leave Espruino for the STM32F1's ST ROM bootloader (system memory boot, AN2606), like E.rebootToDFU() on
   * STM32F4 or MicroPython's machine.bootloader(). EXPERIMENTAL: not yet run on silicon.
   *
   * Runs check(), prints what to do next, waits `drainMs` for the console to send it, then runs a 296-byte Thumb
   * routine through E.nativeCall that: disables interrupts (PRIMASK), stops SysTick, disables and un-pends every
   * NVIC interrupt, clears pending SysTick/PendSV, drops the Original's USB pull-up (C13 high) and resets and
   * unclocks the USB macrocell, pulses the USART1 reset, returns RCC to the HSI with the PLL and HSE off
   * (RM0008 sec. 7.3, waiting for each switch; a clock that does not switch ends in a system reset instead), sets
   * VTOR and MSP from the ROM's vector table and branches to its reset handler. It never writes flash or RAM.
   *
   * Afterwards the chip talks the USART bootloader protocol (AN3155) on USART1: A9 = TX, A10 = RX, 8 data bits,
   * even parity, 1 stop bit, autobaud 1200-115200 baud on the host's first 0x7F; USB disconnects. BOOT0 stays low,
   * so RST (or a power cycle) returns to Espruino. Use e.g. `stm32flash -b 115200 /dev/ttyUSB0`.
   * On success this function never returns.
   * @param opts `{confirm: true}` (required), `drainMs` (ms, default 500)
   * @throws Error "STM32F1Bootloader: ..." when check() fails or `confirm` is not `true` (nothing printed, no native
   *   code run), and when the routine refuses: called in handler mode (an interrupt; returns the exception number)
   *   or the code is not 4-byte aligned. In every case nothing was changed.
   */
  function enterSystemBootloader(opts: Options): void;

  export { check, enterSystemBootloader };
  export type { Options, SystemMemory };
}
