/**
 * USART1 register block (RM0008 §27.6): SR (reset 0x00C0), DR, BRR, CR1-3, GTPR. Only the registers: the serial
 * link of the virtual board is the TCP connection (sim/serial-port.js). Clocked by RCC_APB2ENR.USART1EN (bit 14).
 */
import { RegisterBlock } from "./register-block.js";

export const USART_SR = 0x00, USART_DR = 0x04, USART_BRR = 0x08, USART_CR1 = 0x0c, USART_CR2 = 0x10, USART_CR3 = 0x14;

/** Espruino's Serial1 at 9600 baud on a 72 MHz APB2 (UE|TE|RE|RXNEIE, BRR = 72e6/9600) */
export const USART1_ESPRUINO = { [USART_BRR]: 0x1d4c, [USART_CR1]: 0x202c };

export class Usart extends RegisterBlock {
  /** @param {{name: string, rcc: import("./rcc.js").Rcc, bus: "APB1"|"APB2", bit: number}} o */
  constructor(o) {
    super({ name: o.name, rcc: o.rcc, clock: { bus: o.bus, bit: o.bit }, regs: {
      [USART_SR]: { reset: 0xc0, writable: 0x360 }, [USART_DR]: { reset: 0, writable: 0x1ff },
      [USART_BRR]: { reset: 0, writable: 0xffff }, [USART_CR1]: { reset: 0, writable: 0x3fff },
      [USART_CR2]: { reset: 0, writable: 0x7f7f }, [USART_CR3]: { reset: 0, writable: 0x7ff },
      0x18: { reset: 0, writable: 0xffff },
    } });
  }
}
