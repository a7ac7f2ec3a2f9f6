/**
 * The CPU of the virtual board, for machine code that JavaScript hands to E.nativeCall: the Cortex-M0+ core of the
 * npm package rp2040js (an ARMv6-M instruction-set emulator, Wokwi's Raspberry Pi Pico emulator) executing
 * against this chip's bus (chip.js: flash, SRAM, system memory, RCC, GPIO, USART1, USB, NVIC, SysTick, SCB).
 * ARMv6-M is a subset of the F103's ARMv7-M (Cortex-M3), so code that runs here runs there; Thumb-2-only
 * instructions (MOVW/MOVT, CBZ, IT, wide offsets...) stop the run as undefined instructions.
 *
 * Not modelled: taking exceptions (a pending, enabled interrupt with PRIMASK clear stops the run with reason
 * "interrupt", since the handler it would run is Espruino's own code), priorities, the MPU, unaligned accesses.
 * Time: each instruction advances the virtual clock by its cycle count at the current SYSCLK (rcc.js) and clocks
 * SysTick.
 */
import { hex } from "./format.js";

const { CortexM0Core } = await import(new URL("cortex-m0-core.js", import.meta.resolve("rp2040js")).href);

/** Where the emulated code "returns to" Espruino: an address inside the firmware (never executed). */
export const RETURN_TO_ESPRUINO = 0x08002c00;
/** Espruino's main stack on the Original: the top of its 48 KB SRAM (the stack grows down from 0x2000C000). */
export const ESPRUINO_MSP = 0x2000bfe0;

/**
 * @typedef {object} RunResult
 * @property {"return"|"rom"|"interrupt"|"reset"|"fault"|"undefined"|"limit"} reason  why the run stopped:
 *   returned to the caller, reached the ROM's reset handler, an interrupt would be taken, SCB_AIRCR.SYSRESETREQ,
 *   a bus fault, an instruction ARMv6-M lacks, or `maxInstructions` executed
 * @property {number} r0       r0 at the end (the return value)
 * @property {number} pc
 * @property {number} msp
 * @property {boolean} primask PRIMASK.PM
 * @property {number} control  CONTROL (bit 1 SPSEL, bit 0 nPRIV)
 * @property {number} ipsr
 * @property {number} instructions
 * @property {number} cycles
 * @property {{addr:number, width:number, value:number}[]} writes  every bus write the code made, in order
 * @property {string} [detail]  what the stop reason refers to (fault address, instruction, IRQ)
 */

export class Cortex {
  /**
   * @param {object} o
   * @param {import("./chip.js").Chip} o.chip
   * @param {number} [o.maxInstructions=2000000]
   */
  constructor(o) {
    this.chip = o.chip;
    this.maxInstructions = o.maxInstructions ?? 2_000_000;
  }

  /**
   * Run code until it returns to the caller, reaches one of `stopAt`, or stops otherwise (RunResult.reason).
   * @param {number} entry   address of the first instruction (bit 0, the Thumb bit, ignored)
   * @param {number[]} args  r0..r3
   * @param {object} [state] the caller's context: `msp` (ESPRUINO_MSP), `psp` (0), `control` (0), `primask`
   *   (false), `ipsr` (0: thread mode; an exception number = called from that handler)
   * @param {number[]} [stopAt]  addresses (Thumb bit ignored) where the run ends with reason "rom"
   * @param {{cycle: number, irq: number}[]} [events] peripheral interrupts raised (NVIC pending) at given cycles
   * @returns {RunResult}
   */
  call(entry, args, state = {}, stopAt = [], events = []) {
    const chip = this.chip, counters = chip.counters;
    const writes = [];
    let fault = null, undef = null, resetRequested = false;
    const faultsBefore = () => counters.busFaults;
    let faultCount = faultsBefore();
    const checkFault = (addr, what) => {
      if (counters.busFaults !== faultCount && !fault) fault = `bus fault on ${what} ${hex(addr)}`;
    };
    const bus = {
      logger: {
        debug() {}, info() {}, error(_n, m) { undef ??= m; },
        warn(_n, m) { if (/not implemented|Opcode/.test(m)) undef = undef ? `${undef}; ${m}` : m; else undef ??= m; },
      },
      onBreak(code) { undef ??= `BKPT/UDF ${code}`; },
      readUint32: (a) => { const v = chip.read32(a >>> 0); checkFault(a, "read"); return v; },
      readUint16: (a) => { const v = chip.read16(a >>> 0); checkFault(a, "read"); return v; },
      readUint8: (a) => { const v = chip.read8(a >>> 0); checkFault(a, "read"); return v; },
      writeUint32: (a, v) => { writes.push({ addr: a >>> 0, width: 32, value: v >>> 0 }); chip.write32(a >>> 0, v); checkFault(a, "write"); },
      writeUint16: (a, v) => { writes.push({ addr: a >>> 0, width: 16, value: v & 0xffff }); chip.write16(a >>> 0, v); checkFault(a, "write"); },
      writeUint8: (a, v) => { writes.push({ addr: a >>> 0, width: 8, value: v & 0xff }); chip.write8(a >>> 0, v); checkFault(a, "write"); },
    };
    const core = new CortexM0Core(bus);
    const msp = state.msp ?? ESPRUINO_MSP;
    core.SPSEL = 0;
    core.SP = msp;
    core.bankedSP = (state.psp ?? 0) >>> 0;
    if ((state.control ?? 0) & 2) core.switchStack(1);
    core.nPRIV = !!((state.control ?? 0) & 1);
    core.PM = !!state.primask;
    core.IPSR = state.ipsr ?? 0;
    core.currentMode = core.IPSR ? 1 : 0;
    core.VTOR = chip.scb.vtor;
    for (let i = 0; i < 4; i++) core.registers[i] = (args[i] ?? 0) >>> 0;
    core.LR = (RETURN_TO_ESPRUINO | 1) >>> 0;
    core.PC = entry & ~1;
    const stops = stopAt.map((a) => (a & ~1) >>> 0);
    const pendingEvents = [...events].sort((a, b) => a.cycle - b.cycle);

    const savedReset = chip.onSystemReset;
    chip.onSystemReset = () => { resetRequested = true; };
    const savedActive = chip.scb.vectActive;
    chip.scb.vectActive = core.IPSR;
    let reason = "limit", detail, n = 0;
    try {
      for (; n < this.maxInstructions; n++) {
        const pc = core.PC >>> 0;
        if (pc === RETURN_TO_ESPRUINO) { reason = "return"; break; }
        if (stops.includes(pc)) { reason = "rom"; break; }
        while (pendingEvents.length && pendingEvents[0].cycle <= core.cycles) chip.nvic.setPending(pendingEvents.shift().irq);
        if (!core.PM) {
          const irq = chip.nvic.pendingEnabled();
          const st = chip.scb.pendSt, sv = chip.scb.pendSv;
          if (irq >= 0 || st || sv) {
            reason = "interrupt";
            detail = irq >= 0 ? `IRQ ${irq}` : st ? "SysTick" : "PendSV";
            break;
          }
        }
        const before = core.cycles;
        faultCount = faultsBefore();
        core.executeInstruction();
        const cycles = core.cycles - before;
        chip.clock.advance(cycles / (chip.rcc.sysclkHz() / 1e6));
        chip.systick.tick(cycles);
        chip.scb.vectActive = core.IPSR;
        if (undef) { reason = "undefined"; detail = `${undef} at ${hex(pc)}`; break; }
        if (fault) { reason = "fault"; detail = `${fault} at pc ${hex(pc)}`; break; }
        if (resetRequested) { reason = "reset"; break; }
      }
    } finally {
      chip.onSystemReset = savedReset;
      chip.scb.vectActive = savedActive;
    }
    if (reason === "limit") detail = `${n} instructions`;
    return {
      reason, detail, r0: core.registers[0] >>> 0, pc: core.PC >>> 0, msp: core.SPmain >>> 0,
      primask: core.PM, control: (core.SPSEL ? 2 : 0) | (core.nPRIV ? 1 : 0), ipsr: core.IPSR,
      instructions: n, cycles: core.cycles, writes,
    };
  }
}
