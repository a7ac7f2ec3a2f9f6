// The register models the bootloader routine runs against (sim/rcc.js, nvic.js, systick.js, scb.js, gpio.js,
// usb.js): the RM0008 / PM0056 rules, through the chip's bus as code sees them.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Chip } from "../sim/chip.js";

const RCC = 0x40021000, CR = RCC, CFGR = RCC + 4, CIR = RCC + 8, APB1RSTR = RCC + 0x10, APB1ENR = RCC + 0x1c;
const HSION = 1, HSIRDY = 2, HSEON = 1 << 16, HSERDY = 1 << 17, PLLON = 1 << 24, PLLRDY = 1 << 25;

describe("RCC (RM0008 §7.3)", () => {
  test("Espruino's state: HSE + PLL x9 = 72 MHz, SWS = PLL", () => {
    const c = new Chip();
    assert.equal(c.read32(CR), 0x03035a83);
    assert.equal(c.read32(CFGR), 0x001d040a);
    assert.equal(c.rcc.sysclkHz(), 72e6);
  });

  test("ready flags are read-only and follow their enables after the start-up / stop delays", () => {
    const c = new Chip();
    c.write32(CR, c.read32(CR) | HSIRDY | PLLRDY | 0xff00);   // read-only bits: no effect
    assert.equal(c.read32(CR), 0x03035a83);
    c.rcc.reset({ cr: 0x5a80, cfgr: 0, ahbenr: 0x14, apb2enr: 0, apb1enr: 0, csr: 0 });   // HSI off (tests only)
    c.write32(CR, c.read32(CR) | HSION);
    assert.equal(c.read32(CR) & HSIRDY, 0, "not yet");
    c.clock.advance(2);
    assert.equal(c.read32(CR) & HSIRDY, HSIRDY, "after tSU(HSI)");
  });

  test("SWS follows SW only once the selected source is ready, a moment after the write", () => {
    const c = new Chip();
    c.write32(CFGR, c.read32(CFGR) & ~3);   // SW = HSI
    assert.equal((c.read32(CFGR) >> 2) & 3, 2, "still PLL right after the write");
    c.clock.advance(1);
    assert.equal((c.read32(CFGR) >> 2) & 3, 0, "HSI");
    assert.equal(c.rcc.sysclkHz(), 8e6);
  });

  test("PLLON cannot be cleared while the PLL is the system clock; HSEON not while it feeds the PLL in use", () => {
    const c = new Chip();
    c.write32(CR, c.read32(CR) & ~(PLLON | HSEON));
    assert.equal(c.read32(CR) & (PLLON | HSEON), PLLON | HSEON);
    assert.equal(c.rcc.ignored.length, 2);
  });

  test("PLLSRC/PLLXTPRE/PLLMUL/USBPRE can be written only while PLLON = 0", () => {
    const c = new Chip();
    c.write32(CFGR, c.read32(CFGR) & ~0x007f0000);
    assert.equal(c.read32(CFGR) & 0x007f0000, 0x001d0000, "locked");
    c.write32(CFGR, c.read32(CFGR) & ~3); c.clock.advance(1);
    c.write32(CR, c.read32(CR) & ~(PLLON | HSEON));
    c.write32(CFGR, c.read32(CFGR) & ~0x007f0000);
    assert.equal(c.read32(CFGR) & 0x007f0000, 0, "writable with the PLL off");
    c.clock.advance(1);
    assert.equal(c.read32(CR) & (PLLRDY | HSERDY), 0);
  });

  test("SW = 11 is not allowed; CIR clear bits are write-only", () => {
    const c = new Chip();
    c.write32(CFGR, c.read32(CFGR) | 3);
    assert.equal(c.read32(CFGR) & 3, 2);
    c.write32(CIR, 0x009f1f00);
    assert.equal(c.read32(CIR), 0x1f00);
  });

  test("APB1RSTR.USBRST resets the USB macrocell, APB1ENR.USBEN gates it", () => {
    const c = new Chip();
    assert.equal(c.read32(0x40005c40), 0x9c00);
    c.write32(APB1RSTR, 1 << 23); c.write32(APB1RSTR, 0);
    assert.equal(c.read32(0x40005c40), 0x0003, "CNTR reset: FRES | PDWN");
    c.write32(APB1ENR, c.read32(APB1ENR) & ~(1 << 23));
    assert.equal(c.read32(0x40005c40), 0, "no clock: reads 0");
    c.write32(0x40005c40, 0); assert.equal(c.usb.values[0x40], 3, "no clock: writes ignored");
  });
});

describe("GPIO, NVIC, SysTick, SCB", () => {
  test("GPIOC: BSRR sets (set wins), BRR resets, IDR shows outputs; C13 low = USB attached on the Original", () => {
    const c = new Chip();
    assert.ok(c.usbAttached());
    c.write32(0x40011010, 0x20000000 | 0x2000);
    assert.equal(c.read32(0x4001100c) & 0x2000, 0x2000);
    assert.equal(c.read32(0x40011008) & 0x2000, 0x2000);
    assert.ok(!c.usbAttached());
    c.write32(0x40011014, 0x2000);
    assert.equal(c.read32(0x4001100c) & 0x2000, 0);
  });

  test("NVIC: ISER/ICER/ISPR/ICPR write-1 semantics, 60 IRQs on the F103", () => {
    const c = new Chip();
    assert.deepEqual(c.nvic.enabledList(), [20, 37, 42]);
    c.write32(0xe000e200, 1 << 20);
    assert.equal(c.nvic.pendingEnabled(), 20);
    assert.equal((c.read32(0xe000ed04) >>> 12) & 0x1ff, 36, "ICSR.VECTPENDING = 16 + 20");
    c.write32(0xe000e180, 0xffffffff); c.write32(0xe000e184, 0xffffffff); c.write32(0xe000e188, 0xffffffff);
    assert.deepEqual(c.nvic.enabledList(), []);
    c.write32(0xe000e104, 0xffffffff);
    assert.equal(c.read32(0xe000e104), 0x0fffffff, "IRQ 60-63 not implemented");
    c.write32(0xe000e280, 0xffffffff);
    assert.deepEqual(c.nvic.pendingList(), []);
  });

  test("SysTick: counts processor clocks, COUNTFLAG clears on read, TICKINT pends the exception, VAL write clears", () => {
    const c = new Chip();
    c.write32(0xe000e014, 9); c.write32(0xe000e018, 1); c.write32(0xe000e010, 7);
    c.systick.tick(10);
    assert.ok(c.scb.pendSt);
    assert.equal(c.read32(0xe000e010) >>> 16, 1);
    assert.equal(c.read32(0xe000e010) >>> 16, 0);
    c.write32(0xe000ed04, 1 << 25);
    assert.ok(!c.scb.pendSt, "PENDSTCLR");
  });

  test("SCB: CPUID of the Cortex-M3 r1p1, VTOR, AIRCR needs VECTKEY for SYSRESETREQ", () => {
    const c = new Chip();
    assert.equal(c.read32(0xe000ed00), 0x411fc231);
    let resets = 0;
    c.onSystemReset = () => resets++;
    c.write32(0xe000ed0c, 0x00000004);
    assert.equal(resets, 0);
    c.write32(0xe000ed0c, 0x05fa0004);
    assert.equal(resets, 1);
    c.write32(0xe000ed08, 0x1ffff000);
    assert.equal(c.read32(0xe000ed08), 0x1ffff000);
  });
});
