/**
 * SysTick of the Cortex-M3 (PM0056 §4.5): STK_CTRL (ENABLE, TICKINT, CLKSOURCE, COUNTFLAG cleared by a read),
 * STK_LOAD (24 bits), STK_VAL (any write clears it and COUNTFLAG), STK_CALIB (0x0000_2328 on STM32F10x: 9000 ticks
 * = 1 ms at HCLK/8 = 9 MHz). Counts processor clocks (CLKSOURCE = 1) or HCLK/8 when `tick` is called; reaching 0
 * with TICKINT set pends the SysTick exception through `pend()`. Offsets are from 0xE000E010.
 */
export const SYSTICK_BASE = 0xe000e010;
export const STK_CTRL = 0x0, STK_LOAD = 0x4, STK_VAL = 0x8, STK_CALIB = 0xc;

/** Espruino running: ENABLE|TICKINT|CLKSOURCE, the 24-bit range as its time base (targets/stm32/jshardware.c). */
export const SYSTICK_ESPRUINO = { ctrl: 7, load: 0xffffff, val: 0x7fffff };

export class SysTick {
  /** @param {{pend: function():void}} o  pend: set the SysTick exception pending (ICSR.PENDSTSET) */
  constructor(o) {
    this.pend = o.pend;
    this.reset();
  }

  reset() { this.ctrl = 0; this.load = 0; this.val = 0; this.fraction = 0; }

  /** Set the running state without side effects. */
  set(v) { this.ctrl = v.ctrl; this.load = v.load; this.val = v.val; }

  /** Advance by `cycles` processor clocks. */
  tick(cycles) {
    if (!(this.ctrl & 1)) return;
    let n = this.ctrl & 4 ? cycles : (this.fraction + cycles) / 8;
    if (!(this.ctrl & 4)) { this.fraction = (this.fraction + cycles) % 8; n = Math.floor(n); }
    while (n > 0) {
      if (this.val === 0) { this.val = this.load; n--; continue; }
      const step = Math.min(n, this.val);
      this.val -= step; n -= step;
      if (this.val === 0) { this.ctrl |= 1 << 16; if (this.ctrl & 2) this.pend(); }
    }
  }

  /** @param {number} off @returns {number} */
  read(off) {
    switch (off) {
      case STK_CTRL: { const v = this.ctrl; this.ctrl &= ~(1 << 16); return v >>> 0; }
      case STK_LOAD: return this.load;
      case STK_VAL: return this.val;
      case STK_CALIB: return 0x00002328;
    }
    return 0;
  }

  /** @param {number} off @param {number} value @param {number} mask */
  write(off, value, mask) {
    const v = value & mask;
    switch (off) {
      case STK_CTRL: this.ctrl = (this.ctrl & (1 << 16)) | (v & 7); return;
      case STK_LOAD: this.load = v & 0xffffff; return;
      case STK_VAL: this.val = 0; this.ctrl &= ~(1 << 16); return;
    }
  }
}
