/**
 * A GPIO port of the STM32F10x (RM0008 §9.2): CRL/CRH (reset 0x4444_4444: floating inputs), IDR, ODR, BSRR, BRR,
 * LCKR. BSRR sets ODR bits with its low half and resets them with its high half (set wins); BRR resets. IDR shows
 * ODR for pins configured as outputs, else the level given by `inputs`. Clocked by RCC_APB2ENR.IOPxEN.
 */
import { RegisterBlock } from "./register-block.js";

export const GPIO_CRL = 0x00, GPIO_CRH = 0x04, GPIO_IDR = 0x08, GPIO_ODR = 0x0c, GPIO_BSRR = 0x10, GPIO_BRR = 0x14,
  GPIO_LCKR = 0x18;

export class GpioPort extends RegisterBlock {
  /**
   * @param {object} o
   * @param {string} o.name        "GPIOC"
   * @param {number} o.bit         IOPxEN / IOPxRST bit in RCC_APB2ENR / APB2RSTR (GPIOA 2 ... GPIOE 6)
   * @param {import("./rcc.js").Rcc} o.rcc
   */
  constructor(o) {
    super({ name: o.name, rcc: o.rcc, clock: { bus: "APB2", bit: o.bit }, regs: {
      [GPIO_CRL]: { reset: 0x44444444, writable: 0xffffffff }, [GPIO_CRH]: { reset: 0x44444444, writable: 0xffffffff },
      [GPIO_IDR]: { reset: 0, writable: 0 }, [GPIO_ODR]: { reset: 0, writable: 0xffff },
      [GPIO_BSRR]: { reset: 0, writable: 0 }, [GPIO_BRR]: { reset: 0, writable: 0 }, [GPIO_LCKR]: { reset: 0, writable: 0 },
    } });
    /** input levels of the pins (bit n = pin n) when not outputs */
    this.inputs = 0;
  }

  /** @param {number} pin @returns {boolean} MODE != 00: the pin is an output */
  isOutput(pin) {
    const cr = this.values[pin < 8 ? GPIO_CRL : GPIO_CRH];
    return ((cr >>> ((pin & 7) * 4)) & 3) !== 0;
  }

  /** @param {number} pin @returns {0|1} the pin's level (ODR for outputs) */
  level(pin) {
    const src = this.isOutput(pin) ? this.values[GPIO_ODR] : this.inputs;
    return ((src >>> pin) & 1);
  }

  read(off) {
    if (!this.clocked) return 0;
    if (off === GPIO_IDR) { let v = 0; for (let p = 0; p < 16; p++) v |= this.level(p) << p; return v >>> 0; }
    if (off === GPIO_BSRR || off === GPIO_BRR) return 0;   // write-only
    return super.read(off);
  }

  write(off, value, mask) {
    if (!this.clocked) return;
    const v = value & mask;
    if (off === GPIO_BSRR) { this.values[GPIO_ODR] = ((this.values[GPIO_ODR] & ~(v >>> 16)) | (v & 0xffff)) & 0xffff; return; }
    if (off === GPIO_BRR) { this.values[GPIO_ODR] &= ~(v & 0xffff); return; }
    super.write(off, value, mask);
  }
}
