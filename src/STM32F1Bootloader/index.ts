// STM32F1Bootloader: enter the ST system-memory bootloader (the ROM's USART bootloader, AN2606 / AN3155) of an
// STM32F1 from JavaScript, without touching BOOT0, so that the Espruino bootloader and firmware can be rewritten
// over USART1 with stm32flash. Experimental: checked on an instruction-set emulator and the virtual board only.
// One call, enterSystemBootloader({confirm: true}); check() makes the same checks without running anything.
import { C13_HIGH, CORTEX_M3, DBGMCU_IDCODE, DENSITIES, F_SIZE, SCB_CPUID, SRAM, SYSTEM_MEMORY_END } from "./registers";
import { ROUTINE } from "./routine";

/** What check() found: the ROM's vector table and the chip it belongs to. */
export interface SystemMemory {
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
export interface Options {
  /** must be `true`: the board leaves Espruino until RST */
  confirm: boolean;
  /** ms to let the console send the instructions before the jump (default 500) */
  drainMs?: number;
}

function fail(msg: string): Error {
  return new Error("STM32F1Bootloader: " + msg);
}

const hex = (v: number) => "0x" + (v >>> 0).toString(16);

/**
 * Check that this is an STM32F1 whose ST ROM bootloader can be entered, without changing anything: an STM32
 * Espruino build with E.nativeCall, a Cortex-M3 (SCB_CPUID, PM0056 sec. 4.4.1), DEV_ID (if readable) and F_SIZE
 * of one F1 density (RM0008 sec. 31.6.1, sec. 30.1), and at that density's system-memory address a plausible ROM
 * vector table: initial MSP 4-aligned inside SRAM, reset handler odd and inside system memory.
 * Costs 6 native calls (process.memory, 5 peeks).
 * @returns {SystemMemory} the ROM vector table's address and contents, DEV_ID and F_SIZE
 * @throws Error "STM32F1Bootloader: <reason>" naming the first check that failed
 */
export function check(): SystemMemory {
  if (typeof E.nativeCall != "function") throw fail("E.nativeCall is missing (SAVE_ON_FLASH firmware)");
  if (process.memory(false).flash_start !== 0x08000000) throw fail("not an STM32 board");
  var cpuid = peek32(SCB_CPUID);
  if (((cpuid >> 4) & 0xfff) !== CORTEX_M3) throw fail("not an STM32F1: CPUID " + hex(cpuid) + " is no Cortex-M3");
  var devId = peek32(DBGMCU_IDCODE) & 0xfff;
  var kb = peek16(F_SIZE);
  var addr = 0;
  if (!devId && kb >= 16 && kb <= 1024) addr = kb > 512 ? 0x1fffe000 : 0x1ffff000;   // DEV_ID unreadable: F_SIZE decides
  for (var i = 0; i < DENSITIES.length; i += 4) {
    if (DENSITIES[i] === devId) {
      if (kb < DENSITIES[i + 1] || kb > DENSITIES[i + 2]) {
        throw fail("wrong density layout: DEV_ID " + hex(devId) + " with F_SIZE " + kb + " KB");
      }
      addr = DENSITIES[i + 3];
    }
  }
  if (!addr) throw fail("not an STM32F1: DEV_ID " + hex(devId) + ", F_SIZE " + kb + " KB");
  var msp = peek32(addr);
  var reset = peek32(addr + 4);
  var ram = process.env.RAM || 0x18000;
  if (msp & 3 || msp <= SRAM || msp > SRAM + ram || !(reset & 1) || reset < addr || reset >= SYSTEM_MEMORY_END) {
    throw fail("implausible ROM vector table at " + hex(addr) + ": MSP " + hex(msp) + ", reset " + hex(reset));
  }
  return { addr: addr, msp: msp, reset: reset, devId: devId, flashKB: kb };
}

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
export function enterSystemBootloader(opts: Options): void {
  if (!opts || opts.confirm !== true) throw fail("pass {confirm:true}: the board leaves Espruino until RST");
  var rom = check();
  print("Entering the ST system bootloader (experimental). USB will disconnect.\n" +
    "Connect a 3.3V USB-serial adapter: its RX to A9, TX to A10, GND to GND. 8E1, autobaud 1200-115200 baud.\n" +
    "Then e.g. stm32flash -b 115200 /dev/ttyUSB0 - press RST to return to Espruino.");
  var until = getTime() + (opts.drainMs === undefined ? 500 : opts.drainMs) / 1000;
  while (getTime() < until);
  var r = E.nativeCall(1, "int(int,int)", atob(ROUTINE))(rom.addr, process.env.BOARD === "ESPRUINOBOARD" ? C13_HIGH : 0);
  throw fail(r < 0 ? "routine not 4-byte aligned: nothing changed" : "called in handler mode (exception " + r + "): nothing changed");
}
