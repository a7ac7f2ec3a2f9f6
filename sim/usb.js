/**
 * The USB full-speed device macrocell of the STM32F103 (RM0008 §23.5): EP0R-EP7R, CNTR (reset 0x0003: FRES and
 * PDWN set, the macrocell held in reset and powered down), ISTR, FNR, DADDR, BTABLE. Clocked by RCC_APB1ENR.USBEN
 * (bit 23), reset by RCC_APB1RSTR.USBRST. The host sees the device when the macrocell runs and the D+ pull-up is
 * on; on the Original the pull-up is switched by C13 (low = connected; Espruino's USB_Cable_Config).
 */
import { RegisterBlock } from "./register-block.js";

export const USB_CNTR = 0x40, USB_ISTR = 0x44, USB_FNR = 0x48, USB_DADDR = 0x4c, USB_BTABLE = 0x50;

/** Espruino's USB CDC running: CTRM|WKUPM|SUSPM|RESETM interrupts, device enabled at address 5. */
export const USB_ESPRUINO = { [USB_CNTR]: 0x9c00, [USB_DADDR]: 0x85, 0x00: 0x0220, 0x04: 0x0621 };

export class UsbDevice extends RegisterBlock {
  /** @param {{rcc: import("./rcc.js").Rcc}} o */
  constructor(o) {
    const regs = {};
    for (let ep = 0; ep < 8; ep++) regs[ep * 4] = { reset: 0, writable: 0xffff };
    Object.assign(regs, {
      [USB_CNTR]: { reset: 0x0003, writable: 0xbf1f }, [USB_ISTR]: { reset: 0, writable: 0xff00 },
      [USB_FNR]: { reset: 0, writable: 0 }, [USB_DADDR]: { reset: 0, writable: 0xff }, [USB_BTABLE]: { reset: 0, writable: 0xfff8 },
    });
    super({ name: "USB", rcc: o.rcc, clock: { bus: "APB1", bit: 23 }, regs });
  }

  /** @returns {boolean} the macrocell is clocked, out of reset (FRES = 0) and powered (PDWN = 0) */
  get running() { return this.clocked && (this.values[USB_CNTR] & 3) === 0; }
}
