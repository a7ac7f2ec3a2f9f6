/**
 * NVIC of the Cortex-M3 in the STM32F10x (PM0056 §4.3): ISER/ICER/ISPR/ICPR/IABR (one bit per IRQ, write 1 to
 * set/clear) and IPR (one priority byte per IRQ) for `irqCount` interrupts (60 on low/medium/high/XL density, 68
 * on the connectivity line: RM0008 §10.1.2). Offsets are from 0xE000E100.
 */
export const NVIC_BASE = 0xe000e100;
export const NVIC_ISER = 0x000, NVIC_ICER = 0x080, NVIC_ISPR = 0x100, NVIC_ICPR = 0x180, NVIC_IABR = 0x200,
  NVIC_IPR = 0x300;

/** STM32F10x IRQ numbers used by Espruino on the Original (RM0008 table 63). */
export const IRQ = { USB_LP_CAN1_RX0: 20, USART1: 37, EXTI15_10: 40, USBWakeUp: 42 };

export class Nvic {
  /** @param {{irqCount?: number}} [o] */
  constructor(o = {}) {
    this.irqCount = o.irqCount ?? 60;
    this.words = Math.ceil(this.irqCount / 32);
    this.reset();
  }

  /** System reset: nothing enabled, pending or active, all priorities 0. */
  reset() {
    this.enabled = new Uint32Array(this.words);
    this.pending = new Uint32Array(this.words);
    this.active = new Uint32Array(this.words);
    this.priority = new Uint8Array(this.words * 32);
  }

  /** mask of implemented IRQs in word i */
  implemented(i) { const n = this.irqCount - 32 * i; return n >= 32 ? 0xffffffff : ((1 << n) - 1) >>> 0; }

  /** @param {number} irq @param {boolean} [on=true] set (or clear) an IRQ's pending bit, as a peripheral does */
  setPending(irq, on = true) {
    const w = irq >> 5, b = 1 << (irq & 31);
    this.pending[w] = on ? this.pending[w] | b : this.pending[w] & ~b;
  }

  /** @param {number} irq */
  enable(irq) { this.enabled[irq >> 5] |= 1 << (irq & 31); }

  /** @returns {number} the lowest IRQ number that is pending and enabled, or -1 */
  pendingEnabled() {
    for (let i = 0; i < this.words; i++) {
      const m = this.pending[i] & this.enabled[i];
      if (m) for (let b = 0; b < 32; b++) if ((m >>> b) & 1) return 32 * i + b;
    }
    return -1;
  }

  /** @returns {number[]} numbers of the enabled IRQs */
  enabledList() { return this.list(this.enabled); }
  /** @returns {number[]} numbers of the pending IRQs */
  pendingList() { return this.list(this.pending); }
  list(words) {
    const out = [];
    for (let irq = 0; irq < this.irqCount; irq++) if ((words[irq >> 5] >>> (irq & 31)) & 1) out.push(irq);
    return out;
  }

  /** @param {number} off offset from NVIC_BASE @returns {number} */
  read(off) {
    const i = (off & 0x7f) >> 2;
    if (off >= NVIC_IPR && off < NVIC_IPR + this.priority.length) {
      const p = this.priority, b = off - NVIC_IPR;
      return (p[b] | (p[b + 1] << 8) | (p[b + 2] << 16) | (p[b + 3] << 24)) >>> 0;
    }
    if (i >= this.words) return 0;
    switch (off & ~0x7f) {
      case NVIC_ISER: case NVIC_ICER: return this.enabled[i] >>> 0;
      case NVIC_ISPR: case NVIC_ICPR: return this.pending[i] >>> 0;
      case NVIC_IABR: return this.active[i] >>> 0;
    }
    return 0;
  }

  /** @param {number} off @param {number} value in its lane @param {number} mask */
  write(off, value, mask) {
    const i = (off & 0x7f) >> 2;
    if (off >= NVIC_IPR && off < NVIC_IPR + this.priority.length) {
      for (let k = 0; k < 4; k++) if ((mask >>> (8 * k)) & 0xff) this.priority[off - NVIC_IPR + k] = (value >>> (8 * k)) & 0xf0;
      return;
    }
    if (i >= this.words) return;
    const v = value & mask & this.implemented(i);
    switch (off & ~0x7f) {
      case NVIC_ISER: this.enabled[i] |= v; return;
      case NVIC_ICER: this.enabled[i] &= ~v; return;
      case NVIC_ISPR: this.pending[i] |= v; return;
      case NVIC_ICPR: this.pending[i] &= ~v; return;
    }
  }
}
