/**
 * System control block of the Cortex-M3 r1p1 in the STM32F10x (PM0056 §4.4): CPUID 0x411F_C231, ICSR (VECTACTIVE
 * from the running code, PENDSTSET/CLR, PENDSVSET/CLR, NMIPENDSET, ISRPENDING), VTOR, AIRCR (VECTKEY 0x05FA;
 * SYSRESETREQ asks for a system reset through `onSystemReset`), SCR, CCR, SHPR1-3, SHCSR. Offsets are from
 * 0xE000ED00.
 */
export const SCB_BASE = 0xe000ed00;
export const SCB_CPUID = 0x00, SCB_ICSR = 0x04, SCB_VTOR = 0x08, SCB_AIRCR = 0x0c, SCB_SCR = 0x10, SCB_CCR = 0x14,
  SCB_SHPR1 = 0x18, SCB_SHPR2 = 0x1c, SCB_SHPR3 = 0x20, SCB_SHCSR = 0x24;
export const CPUID_CORTEX_M3_R1P1 = 0x411fc231;

const PENDSVCLR = 1 << 27, PENDSVSET = 1 << 28, PENDSTCLR = 1 << 25, PENDSTSET = 1 << 26, NMIPENDSET = 1 << 31;

export class Scb {
  /**
   * @param {object} o
   * @param {function():void} o.onSystemReset   AIRCR.SYSRESETREQ with the right key
   * @param {function():number} [o.pendingIrq]  lowest pending IRQ number (for VECTPENDING/ISRPENDING), -1 if none
   */
  constructor(o) {
    this.onSystemReset = o.onSystemReset;
    this.pendingIrq = o.pendingIrq ?? (() => -1);
    /** exception number of the code running now (IPSR); 0 = thread mode. The Cortex runner sets it. */
    this.vectActive = 0;
    this.reset();
  }

  reset() {
    this.pendSt = false; this.pendSv = false; this.pendNmi = false;
    this.vtor = 0; this.aircr = 0; this.scr = 0; this.ccr = 0; this.shpr = [0, 0, 0]; this.shcsr = 0;
  }

  /** @param {number} off @returns {number} */
  read(off) {
    switch (off) {
      case SCB_CPUID: return CPUID_CORTEX_M3_R1P1 >>> 0;
      case SCB_ICSR: {
        const irq = this.pendingIrq();
        const vectPending = this.pendNmi ? 2 : this.pendSv ? 14 : this.pendSt ? 15 : irq >= 0 ? irq + 16 : 0;
        return ((this.pendNmi ? NMIPENDSET : 0) | (this.pendSv ? PENDSVSET : 0) | (this.pendSt ? PENDSTSET : 0) |
          (irq >= 0 ? 1 << 22 : 0) | (vectPending << 12) | (this.vectActive & 0x1ff)) >>> 0;
      }
      case SCB_VTOR: return this.vtor >>> 0;
      case SCB_AIRCR: return (0xfa050000 | (this.aircr & 0x700)) >>> 0;
      case SCB_SCR: return this.scr;
      case SCB_CCR: return this.ccr;
      case SCB_SHPR1: case SCB_SHPR2: case SCB_SHPR3: return this.shpr[(off - SCB_SHPR1) >> 2] >>> 0;
      case SCB_SHCSR: return this.shcsr;
    }
    return 0;
  }

  /** @param {number} off @param {number} value in its lane @param {number} mask */
  write(off, value, mask) {
    const v = (value & mask) >>> 0;
    switch (off) {
      case SCB_ICSR:
        if (v & NMIPENDSET) this.pendNmi = true;
        if (v & PENDSVSET) this.pendSv = true; else if (v & PENDSVCLR) this.pendSv = false;
        if (v & PENDSTSET) this.pendSt = true; else if (v & PENDSTCLR) this.pendSt = false;
        return;
      case SCB_VTOR: this.vtor = ((this.vtor & ~mask) | (value & mask & 0x3fffff80)) >>> 0; return;
      case SCB_AIRCR:
        if (mask !== 0xffffffff || (v >>> 16) !== 0x05fa) return;   // VECTKEY must be written with a word store
        this.aircr = v & 0x700;
        if (v & 4) this.onSystemReset();
        return;
      case SCB_SCR: this.scr = v & 0x16; return;
      case SCB_CCR: this.ccr = v & 0x31b; return;
      case SCB_SHPR1: case SCB_SHPR2: case SCB_SHPR3: {
        const i = (off - SCB_SHPR1) >> 2;
        this.shpr[i] = ((this.shpr[i] & ~mask) | (value & mask)) >>> 0;
        return;
      }
      case SCB_SHCSR: this.shcsr = v & 0x7058b; return;
    }
  }
}
