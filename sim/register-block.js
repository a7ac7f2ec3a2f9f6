/**
 * A peripheral register block on the STM32F1 bus: 32-bit registers at word offsets with reset values and
 * writable-bit masks, clocked by one RCC enable bit (RM0008 §7.3.7/§7.3.8: with the clock off, writes are ignored
 * and registers read 0) and reset by the matching RCC_APBxRSTR bit. GPIO ports (gpio.js), USART1 (usart.js) and the
 * USB macrocell (usb.js) build on it.
 */
export class RegisterBlock {
  /**
   * @param {object} o
   * @param {string} o.name
   * @param {object<number, {reset: number, writable: number}>} o.regs   offset -> register
   * @param {import("./rcc.js").Rcc} [o.rcc]
   * @param {{bus: "APB1"|"APB2", bit: number}} [o.clock]   enable / reset bit of the peripheral
   */
  constructor(o) {
    this.name = o.name;
    this.layout = o.regs;
    this.rcc = o.rcc ?? null;
    this.clockBit = o.clock ?? null;
    this.values = {};
    this.reset();
  }

  /** Registers to their reset values (RM0008 register descriptions). */
  reset() { for (const off of Object.keys(this.layout)) this.values[off] = this.layout[off].reset >>> 0; }

  /** Set registers to given values (the state Espruino leaves them in), without side effects. */
  set(values) { for (const [off, v] of Object.entries(values)) this.values[off] = v >>> 0; }

  /** @returns {boolean} the RCC enable bit of this peripheral is set */
  get clocked() { return !this.rcc || !this.clockBit || this.rcc.clocked(this.clockBit.bus, this.clockBit.bit); }

  /** RCC reset line: called while the peripheral's APBxRSTR bit is set. */
  onReset(bus, bit) { if (this.clockBit && this.clockBit.bus === bus && this.clockBit.bit === bit) this.reset(); }

  /** @param {number} off @returns {number} */
  read(off) {
    if (!this.clocked) return 0;
    return (this.values[off] ?? 0) >>> 0;
  }

  /** @param {number} off @param {number} value in its lane @param {number} mask bits written */
  write(off, value, mask) {
    if (!this.clocked) return;
    const r = this.layout[off];
    if (!r) return;
    const w = r.writable & mask;
    this.values[off] = ((this.values[off] & ~w) | (value & w)) >>> 0;
  }
}
