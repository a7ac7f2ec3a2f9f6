/**
 * RCC of the STM32F10x (RM0008 §7.3, non-connectivity register set) with the rules the system-bootloader entry
 * depends on:
 *  - the ready flags are read-only and follow their enables after a start-up / stop delay in virtual time
 *    (HSIRDY tSU(HSI) <= 2 µs and PLLRDY tLOCK <= 200 µs: DS5792 tables 24, 26; HSERDY: the crystal start-up);
 *  - SWS follows SW only once the selected source is ready ("the switch occurs when the clock source is ready",
 *    RM0008 §7.2.6), a few clock cycles after the write; SW = 11 is not allowed (no effect);
 *  - PLLON cannot be cleared while the PLL is the system clock (SWS), HSEON not while the HSE feeds the system
 *    clock directly or through the PLL, HSION not while the HSI does (RM0008 §7.3.1 bit descriptions);
 *  - PLLSRC, PLLXTPRE, PLLMUL (and USBPRE, which must not change while the USB clock runs) "can be written only
 *    when the PLL is disabled" (RM0008 §7.3.2); HSEBYP only while HSEON = 0;
 *  - RCC_CIR clear bits (16..20, 23) are write-only; the APBxRSTR bits reset the peripherals they name.
 * A write the hardware ignores is recorded as a diagnostic so that tests can fail on it.
 */
export const RCC_CR = 0x00, RCC_CFGR = 0x04, RCC_CIR = 0x08, RCC_APB2RSTR = 0x0c, RCC_APB1RSTR = 0x10,
  RCC_AHBENR = 0x14, RCC_APB2ENR = 0x18, RCC_APB1ENR = 0x1c, RCC_BDCR = 0x20, RCC_CSR = 0x24;

const HSION = 1 << 0, HSIRDY = 1 << 1, HSEON = 1 << 16, HSERDY = 1 << 17, HSEBYP = 1 << 18,
  PLLON = 1 << 24, PLLRDY = 1 << 25;
const CR_RDY = HSIRDY | HSERDY | PLLRDY | 0xff00;    // + HSICAL[15:8]: read-only
const CFGR_PLL_CONFIG = 0x007f0000;                  // PLLSRC | PLLXTPRE | PLLMUL[3:0] | USBPRE
const SWS_SHIFT = 2;

/**
 * Delays in µs of virtual time: start-up DS5792 tSU(HSI) 1-2 µs, tLOCK(PLL) 200 µs max, an HSE crystal about 1 ms;
 * HSIRDY and HSERDY drop 6 oscillator cycles (0.75 µs at 8 MHz) after HSION / HSEON clear (RM0008 §7.3.1), PLLRDY a
 * few cycles after PLLON. SWS follows SW "after a few clock cycles" of both sources: no datasheet figure, so 1 µs
 * (8 HSI cycles) here, generous on purpose, so that code which does not wait for SWS is caught.
 */
export const RCC_DELAYS_US = { hsiStart: 2, hseStart: 1000, pllLock: 200, hsiStop: 0.75, hseStop: 0.75, pllStop: 0.1, switch: 1 };

/** Reset values (RM0008 §7.3): CR 0x0000_XX83 (HSICAL = 0x5A here), AHBENR 0x14, CSR 0x0C00_0000. */
export const RCC_RESET = { cr: 0x00005a83, cfgr: 0, ahbenr: 0x14, apb2enr: 0, apb1enr: 0, csr: 0x0c000000 };

/**
 * Espruino 2v29 running on the Original (targets/stm32/jshardware.c SetSysClock for 72 MHz from the 8 MHz HSE):
 * HSE + PLL x9 = 72 MHz, APB1 /2, USB clock PLL/1.5; GPIOA-D, AFIO and USART1 clocked (APB2ENR), USB, PWR and
 * BKP clocked (APB1ENR).
 */
export const RCC_ESPRUINO = { cr: 0x03035a83, cfgr: 0x001d040a, ahbenr: 0x14, apb2enr: 0x0000403d, apb1enr: 0x18800000,
  csr: 0x0c000000 };

export class Rcc {
  /**
   * @param {object} o
   * @param {import("./clock.js").Clock} o.clock
   * @param {function(string):void} o.diag           receives "ignored write" diagnostics
   * @param {function(string, number):void} [o.onPeripheralReset]  (bus "APB1"|"APB2", bit) while a RSTR bit is set
   */
  constructor(o) {
    this.clock = o.clock;
    this.diag = o.diag;
    this.onPeripheralReset = o.onPeripheralReset ?? (() => {});
    /** start-up / stop delays in µs (a copy of RCC_DELAYS_US; tests set hsiStart = Infinity for a dead HSI) */
    this.delays = { ...RCC_DELAYS_US };
    /** ignored writes since the last reset (tests assert none) */
    this.ignored = [];
    this.reset(RCC_ESPRUINO);
  }

  /** Set every register (default: hardware reset values); no start-up delays pending. */
  reset(v = RCC_RESET) {
    this.cr = v.cr >>> 0;
    this.cfgr = v.cfgr >>> 0;
    this.cir = 0;
    this.apb2rstr = 0; this.apb1rstr = 0;
    this.ahbenr = v.ahbenr; this.apb2enr = v.apb2enr; this.apb1enr = v.apb1enr;
    this.bdcr = 0; this.csr = v.csr;
    /** pending changes: [{atUs, apply()}] */
    this.events = [];
    this.ignored = [];
  }

  /** Apply the ready/switch changes whose time has come. */
  sync() {
    if (!this.events.length) return;
    const now = this.clock.nowUs;
    this.events.sort((a, b) => a.atUs - b.atUs);
    while (this.events.length && this.events[0].atUs <= now) this.events.shift().apply();
  }

  /** Schedule `apply` after `us`, replacing any pending event with the same key. */
  later(key, us, apply) {
    this.events = this.events.filter((e) => e.key !== key);
    this.events.push({ key, atUs: this.clock.nowUs + us, apply });
  }

  ignore(msg) {
    this.ignored.push(msg);
    this.diag(`RCC: ${msg} (RM0008 §7.3)`);
  }

  /** @returns {number} SWS: 0 HSI, 1 HSE, 2 PLL */
  get sws() { this.sync(); return (this.cfgr >>> SWS_SHIFT) & 3; }
  /** @returns {boolean} PLLSRC = HSE (CFGR bit 16) */
  get pllFromHse() { return (this.cfgr & (1 << 16)) !== 0; }
  /** @returns {boolean} HSI on (the FPEC needs it for program/erase, PM0075 §2.3) */
  hsiOn() { this.sync(); return (this.cr & HSION) !== 0; }
  /** @returns {boolean} the peripheral's clock enable bit is set. @param {"AHB"|"APB1"|"APB2"} bus @param {number} bit */
  clocked(bus, bit) {
    const r = bus === "APB1" ? this.apb1enr : bus === "APB2" ? this.apb2enr : this.ahbenr;
    return ((r >>> bit) & 1) === 1;
  }
  /** @returns {number} SYSCLK in Hz from the current SWS, CFGR and an 8 MHz HSE */
  sysclkHz() {
    const sws = this.sws;
    if (sws === 0) return 8e6;
    if (sws === 1) return 8e6;
    const mul = Math.min(((this.cfgr >>> 18) & 15) + 2, 16);
    const src = this.pllFromHse ? (this.cfgr & (1 << 17) ? 4e6 : 8e6) : 4e6;
    return src * mul;
  }

  /** @param {number} off register offset @returns {number} */
  read(off) {
    this.sync();
    switch (off) {
      case RCC_CR: return this.cr >>> 0;
      case RCC_CFGR: return this.cfgr >>> 0;
      case RCC_CIR: return this.cir >>> 0;
      case RCC_APB2RSTR: return this.apb2rstr >>> 0;
      case RCC_APB1RSTR: return this.apb1rstr >>> 0;
      case RCC_AHBENR: return this.ahbenr >>> 0;
      case RCC_APB2ENR: return this.apb2enr >>> 0;
      case RCC_APB1ENR: return this.apb1enr >>> 0;
      case RCC_BDCR: return this.bdcr >>> 0;
      case RCC_CSR: return this.csr >>> 0;
    }
    return 0;
  }

  /** @param {number} off @param {number} value (already in its lane) @param {number} mask bits written */
  write(off, value, mask) {
    this.sync();
    const merge = (old) => ((old & ~mask) | (value & mask)) >>> 0;
    switch (off) {
      case RCC_CR: return this.writeCR(merge(this.cr));
      case RCC_CFGR: return this.writeCFGR(merge(this.cfgr));
      case RCC_CIR: this.cir = (merge(this.cir) & 0x1f00) | (this.cir & 0x9f & ~((value & mask) >>> 16)); return;
      case RCC_APB2RSTR: this.apb2rstr = merge(this.apb2rstr); this.resets("APB2", this.apb2rstr); return;
      case RCC_APB1RSTR: this.apb1rstr = merge(this.apb1rstr); this.resets("APB1", this.apb1rstr); return;
      case RCC_AHBENR: this.ahbenr = merge(this.ahbenr); return;
      case RCC_APB2ENR: this.apb2enr = merge(this.apb2enr); return;
      case RCC_APB1ENR: this.apb1enr = merge(this.apb1enr); return;
      case RCC_BDCR: this.bdcr = merge(this.bdcr); return;
      case RCC_CSR: this.csr = merge(this.csr); return;
    }
  }

  /** Peripherals held in reset while their RSTR bit is set. */
  resets(bus, bits) {
    for (let b = 0; b < 32; b++) if ((bits >>> b) & 1) this.onPeripheralReset(bus, b);
  }

  writeCR(v) {
    const old = this.cr, sws = (this.cfgr >>> SWS_SHIFT) & 3, sw = this.cfgr & 3;
    let next = (v & ~CR_RDY) | (old & CR_RDY);
    if (!(v & HSION) && (old & HSION) && (sws === 0 || sw === 0 || (sws === 2 && !this.pllFromHse))) {
      this.ignore("HSION clear ignored: HSI is (or is selected to become) the system clock"); next |= HSION;
    }
    if (!(v & PLLON) && (old & PLLON) && (sws === 2 || sw === 2)) {
      this.ignore("PLLON clear ignored: the PLL is (or is selected to become) the system clock"); next |= PLLON;
    }
    if (!(v & HSEON) && (old & HSEON) && (sws === 1 || sw === 1 || (this.pllFromHse && (next & PLLON) && (sws === 2 || sw === 2)))) {
      this.ignore("HSEON clear ignored: the HSE feeds the system clock"); next |= HSEON;
    }
    if ((v & HSEBYP) !== (old & HSEBYP) && (old & HSEON)) {
      this.ignore("HSEBYP write ignored: only while HSEON = 0"); next = (next & ~HSEBYP) | (old & HSEBYP);
    }
    this.cr = next >>> 0;
    const d = this.delays;
    this.follow("hsi", HSION, HSIRDY, old, d.hsiStart, d.hsiStop);
    this.follow("hse", HSEON, HSERDY, old, d.hseStart, d.hseStop);
    this.follow("pll", PLLON, PLLRDY, old, d.pllLock, d.pllStop);
  }

  /** A ready flag follows its enable: set `startUs` after it is set, cleared `stopUs` after it is cleared. */
  follow(key, on, rdy, old, startUs, stopUs) {
    const now = this.cr & on, was = old & on;
    if (now && !was) this.later(key, startUs, () => { if (this.cr & on) { this.cr |= rdy; this.updateSws(); } });
    if (!now && was) this.later(key, stopUs, () => { if (!(this.cr & on)) this.cr &= ~rdy; });
  }

  writeCFGR(v) {
    const old = this.cfgr;
    let next = (v & ~(3 << SWS_SHIFT)) | (old & (3 << SWS_SHIFT));
    if (((next ^ old) & CFGR_PLL_CONFIG) && (this.cr & PLLON)) {
      this.ignore("PLLSRC/PLLXTPRE/PLLMUL/USBPRE write ignored: only while PLLON = 0");
      next = (next & ~CFGR_PLL_CONFIG) | (old & CFGR_PLL_CONFIG);
    }
    if ((next & 3) === 3) { this.ignore("SW = 11 is not allowed"); next = (next & ~3) | (old & 3); }
    this.cfgr = next >>> 0;
    if ((next & 3) !== (old & 3)) this.later("sw", this.delays.switch, () => this.updateSws());
  }

  /** SWS takes SW's value once the selected source is ready. */
  updateSws() {
    const sw = this.cfgr & 3;
    const ready = [HSIRDY, HSERDY, PLLRDY][sw];
    if (ready && (this.cr & ready)) this.cfgr = ((this.cfgr & ~(3 << SWS_SHIFT)) | (sw << SWS_SHIFT)) >>> 0;
  }
}
