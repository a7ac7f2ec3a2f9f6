// The routine the STM32F1Bootloader module ships (the bytes inside modules/STM32F1Bootloader.min.js), run on
// rp2040js's Cortex-M0+ instruction-set emulator (sim/cortex.js) against the F103 register model (sim/chip.js:
// RCC with its RM0008 rules, NVIC, SysTick, SCB, GPIOC, USB, USART1, the ST ROM vector table). The start state is
// Espruino running at 72 MHz on HSE + PLL with the USB console up. Mutants (instructions replaced by NOPs, found
// with capstone) show that each group of assertions depends on the step it checks.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Chip } from "../sim/chip.js";
import { Cortex, ESPRUINO_MSP, RETURN_TO_ESPRUINO } from "../sim/cortex.js";
import { IRQ } from "../sim/nvic.js";
import { disassemble, registers, settings, shippedRoutine } from "./bootloader-helpers.js";

const CODE_AT = 0x20002000;
const ROUTINE = shippedRoutine();
const NOP = 0xbf00;

/** Run `code` at `at` on a fresh chip of `model`; returns {chip, r, before} (before: registers at the start). */
function run({ code = ROUTINE, model = "original", at = CODE_AT, state = {}, events = [], setup = () => {} } = {}) {
  const chip = new Chip({ model });
  chip.sram.set(code, at - 0x20000000);
  setup(chip);
  const before = settings(chip);
  const flash = chip.snapshotFlash();
  const sram = chip.sram.slice();
  const rom = chip.preset.infoStart;
  const r = new Cortex({ chip }).call(at | 1, [rom, model === "original" ? 0x2000 : 0], state, [chip.romVectors[1]], events);
  return { chip, r, before, flash, sram, rom };
}

/** Copy of the routine with the instructions matching `pick(insn, n)` (n = index among matches) replaced by NOPs. */
async function mutant(pick) {
  const code = Buffer.from(ROUTINE);
  const insns = await disassemble(code, 110);
  let n = 0;
  for (const i of insns) {
    if (!pick(`${i.mnemonic} ${i.ops}`.trim(), i)) continue;
    for (let b = 0; b < i.size; b += 2) code.writeUInt16LE(NOP, i.addr + b);
    n++;
  }
  assert.ok(n > 0, "the mutant changed something");
  return code;
}

/** Every end-state check of a successful entry; returns the list of failed checks (empty = pass). */
function endStateProblems({ chip, r, flash, sram, rom }, { usb = true } = {}) {
  const p = [];
  const reg = registers(chip);
  const want = (name, ok, got) => { if (!ok) p.push(`${name}: ${got}`); };
  want("stopped at the ROM reset handler", r.reason === "rom" && r.pc === ((chip.romVectors[1] & ~1) >>> 0), `${r.reason} ${r.detail ?? ""} pc ${r.pc.toString(16)}`);
  want("MSP from the ROM table", r.msp === chip.romVectors[0], r.msp.toString(16));
  want("PRIMASK set", r.primask === true, r.primask);
  want("CONTROL = 0 (MSP, privileged)", r.control === 0, r.control);
  want("RCC_CR at reset (HSI on and ready, HSE/PLL/CSS off)", reg.RCC_CR === 0x00005a83, reg.RCC_CR.toString(16));
  want("RCC_CFGR at reset (SW = SWS = HSI, PLL config 0)", reg.RCC_CFGR === 0, reg.RCC_CFGR.toString(16));
  want("RCC_CIR 0", reg.RCC_CIR === 0, reg.RCC_CIR);
  want("no RCC write ignored", chip.rcc.ignored.length === 0, chip.rcc.ignored.join("; "));
  want("RCC reset bits released", reg.RCC_APB1RSTR === 0 && reg.RCC_APB2RSTR === 0, `${reg.RCC_APB1RSTR} ${reg.RCC_APB2RSTR}`);
  want("SysTick stopped", reg.STK_CTRL === 0 && reg.STK_LOAD === 0 && reg.STK_VAL === 0, `${reg.STK_CTRL} ${reg.STK_LOAD} ${reg.STK_VAL}`);
  want("no IRQ enabled", chip.nvic.enabledList().length === 0, chip.nvic.enabledList());
  want("no IRQ pending", chip.nvic.pendingList().length === 0, chip.nvic.pendingList());
  want("no SysTick/PendSV pending", !chip.scb.pendSt && !chip.scb.pendSv, `${chip.scb.pendSt} ${chip.scb.pendSv}`);
  want("VTOR = ROM table", reg.SCB_VTOR === rom, reg.SCB_VTOR.toString(16));
  if (usb) {
    want("USB off (no clock)", !chip.rcc.clocked("APB1", 23) && !chip.usb.running, reg.RCC_APB1ENR.toString(16));
    want("USB macrocell was reset", chip.usb.values[0x40] === 0x0003 && chip.usb.values[0x4c] === 0, chip.usb.values[0x40]);
    want("C13 high (USB pull-up off)", chip.gpioc.level(13) === 1 && !chip.usbAttached(), chip.gpioc.level(13));
  }
  want("USART1 at reset values", reg.USART1_CR1 === 0 && reg.USART1_BRR === 0, reg.USART1_CR1.toString(16));
  const memWrites = r.writes.filter((w) => w.addr < 0x40000000);
  want("no flash or RAM writes", memWrites.length === 0, JSON.stringify(memWrites));
  want("flash unchanged", Buffer.compare(Buffer.from(flash), Buffer.from(chip.snapshotFlash())) === 0, "");
  want("SRAM unchanged", Buffer.compare(Buffer.from(sram), Buffer.from(chip.sram)) === 0, "");
  want("no bus fault", chip.counters.busFaults === 0, JSON.stringify(chip.counters.faults));
  return p;
}

describe("the shipped routine on the Cortex-M0+ emulator (rp2040js) and the F103 model", () => {
  test("A: from Espruino at 72 MHz with USB up, it reaches the ROM with every end-state check met", () => {
    const res = run();
    const before = res.before;
    assert.equal(before.RCC_CR, 0x03035a83, "start: HSE + PLL");
    assert.equal(before.RCC_CFGR, 0x001d040a, "start: SYSCLK = PLL x9");
    assert.ok(res.chip.nvic.enabledList().length === 0);
    assert.deepEqual(endStateProblems(res), []);
    assert.ok(res.r.instructions < 400, `${res.r.instructions} instructions`);
  });

  test("A2: the start state really had everything running (so the end state is the routine's doing)", () => {
    const chip = new Chip({});
    assert.ok(chip.usbAttached());
    assert.deepEqual(chip.nvic.enabledList(), [IRQ.USB_LP_CAN1_RX0, IRQ.USART1, IRQ.USBWakeUp]);
    assert.equal(chip.systick.ctrl & 3, 3);
    assert.equal(chip.scb.vtor, 0);   // a bare Chip: the board passes Espruino's link base (0x2800 on the Original)
  });

  test("B: an interrupt raised while it runs is not taken (PRIMASK) and ends disabled and un-pended", () => {
    const res = run({ events: [{ cycle: 10, irq: IRQ.USB_LP_CAN1_RX0 }, { cycle: 11, irq: IRQ.USBWakeUp }] });
    assert.deepEqual(endStateProblems(res), []);
  });

  test("C: entered with CONTROL.SPSEL = 1 (process stack): it ends on the main stack from the ROM table", () => {
    const res = run({ state: { control: 2, psp: 0x20008000 } });
    assert.deepEqual(endStateProblems(res), []);
  });

  test("D: in handler mode (IPSR = 15, SysTick) it returns 15 and writes nothing", () => {
    const res = run({ state: { ipsr: 15 } });
    assert.equal(res.r.reason, "return");
    assert.equal(res.r.r0, 15);
    assert.equal(res.r.writes.length, 0);
    assert.equal(res.r.primask, false);
    assert.deepEqual(settings(res.chip), res.before);
    assert.equal(res.r.pc, RETURN_TO_ESPRUINO);
    assert.equal(res.r.msp, ESPRUINO_MSP);
  });

  test("E: at an address that is 2 mod 4 (the literal pool would be read wrong) it returns -1 and writes nothing", () => {
    const res = run({ at: CODE_AT + 2 });
    assert.equal(res.r.reason, "return");
    assert.equal(res.r.r0 | 0, -1);
    assert.equal(res.r.writes.length, 0);
    assert.deepEqual(settings(res.chip), res.before);
  });

  test("F: an HSI that never becomes ready ends in a system reset request (SCB_AIRCR), not a jump", () => {
    const res = run({ setup: (chip) => { chip.rcc.delays.hsiStart = Infinity; chip.rcc.cr &= ~3; } });
    assert.equal(res.r.reason, "reset");
    assert.ok(res.r.writes.some((w) => w.addr === 0xe000ed0c && w.value === 0x05fa0004));
    assert.ok(res.r.instructions > 65536 * 5, `${res.r.instructions}: the wait is bounded, not skipped`);
  });

  test("G: XL density (ROM at 0x1FFFE000, r1 = 0: C13 untouched) reaches its own ROM table", () => {
    const res = run({ model: "xl" });
    assert.equal(res.r.reason, "rom");
    assert.equal(res.r.pc, 0x1fffe020);
    assert.deepEqual(endStateProblems(res, { usb: false }), []);
  });

  test("the run takes simulated microseconds at the real clock rates (72 MHz, then 8 MHz on HSI)", () => {
    const chip = new Chip({});
    chip.sram.set(ROUTINE, CODE_AT - 0x20000000);
    const t0 = chip.clock.nowUs;
    const r = new Cortex({ chip }).call(CODE_AT | 1, [0x1ffff000, 0x2000], {}, [chip.romVectors[1]]);
    const us = chip.clock.nowUs - t0;
    assert.ok(us > r.cycles / 72 && us < r.cycles / 8 + 1, `${us} µs for ${r.cycles} cycles`);
  });
});

test("the emulated CPU stops where an interrupt would be taken: pending + enabled with PRIMASK clear, not with it set", () => {
  const chip = new Chip();
  const code = Buffer.from([0x62, 0xb6, 0x00, 0xbf, 0x00, 0xbf, 0x70, 0x47]);   // cpsie i; nop; nop; bx lr
  chip.sram.set(code, CODE_AT - 0x20000000);
  chip.nvic.setPending(IRQ.USB_LP_CAN1_RX0);
  const r = new Cortex({ chip }).call(CODE_AT | 1, [], { primask: true });
  assert.equal(r.reason, "interrupt");
  assert.equal(r.pc, CODE_AT + 2, "right after cpsie");
  chip.nvic.setPending(IRQ.USB_LP_CAN1_RX0, false);
  assert.equal(new Cortex({ chip }).call(CODE_AT | 1, [], { primask: true }).reason, "return");
});

describe("mutants of the routine fail the end-state checks", () => {
  const expectFail = async (name, pick, pattern, opts = {}) => {
    const res = run({ code: await mutant(pick), ...opts });
    const problems = endStateProblems(res);
    assert.ok(problems.length > 0, `${name}: the mutant passed`);
    if (pattern) assert.ok(problems.some((p) => pattern.test(p)), `${name}: ${problems.join(" | ")}`);
    return problems;
  };

  test("switch to HSI removed (the RCC_CFGR store of SW = HSI): PLL/HSE cannot stop, reset after the wait", async () => {
    let seen = 0;
    await expectFail("no SW=HSI", (t) => t === "str r4, [r3, #4]" && seen++ === 0, /ROM reset handler|RCC_CR|ignored/);
  });

  test("wait for SWS = HSI removed: clearing PLLON while the PLL still clocks the CPU is ignored", async () => {
    let seen = 0;
    const p = await expectFail("no SWS wait", (t) => t.startsWith("bl ") && seen++ === 1, /ignored|RCC_CR/);
    assert.ok(p.some((x) => /PLLON clear ignored/.test(x)), p.join(" | "));
  });

  test("PLL config clear removed: RCC_CFGR keeps PLLSRC/PLLMUL", async () => {
    let seen = 0;
    await expectFail("no CFGR PLL clear", (t) => t === "str r4, [r3, #4]" && seen++ === 1, /RCC_CFGR/);
  });

  test("cpsid i removed: an interrupt raised during the run would be taken (Espruino's handler would run)", async () => {
    const res = run({ code: await mutant((t) => t === "cpsid i"), events: [{ cycle: 10, irq: IRQ.USB_LP_CAN1_RX0 }] });
    assert.equal(res.r.reason, "interrupt");
    assert.equal(res.r.detail, "IRQ 20");
    assert.ok(endStateProblems(res).some((p) => /ROM reset handler/.test(p)));
  });

  test("SysTick stop removed", async () => {
    await expectFail("no SysTick", (t, i) => i.addr >= 0x14 && i.addr <= 0x18 && t.startsWith("str r2"), /SysTick/);
  });

  test("NVIC ICER removed / ICPR removed", async () => {
    await expectFail("no ICER", (t, i) => i.addr >= 0x1e && i.addr <= 0x22, /no IRQ enabled/);
    await expectFail("no ICPR", (t, i) => i.addr >= 0x28 && i.addr <= 0x2c, /no IRQ pending/, { events: [{ cycle: 10, irq: IRQ.USB_LP_CAN1_RX0 }] });
  });

  test("USB pull-up store removed: the host still sees the device (C13 low)", async () => {
    await expectFail("no C13", (t) => t === "str r1, [r3]", /C13/);
  });

  test("USB reset pulse and clock-off removed", async () => {
    await expectFail("no USB off", (t, i) => i.addr >= 0x3e && i.addr <= 0x4c && t.startsWith("str"), /USB/);
  });

  test("MSP load removed / CONTROL clear removed", async () => {
    await expectFail("no msr msp", (t) => t.startsWith("msr msp"), /MSP/);
    await expectFail("no msr control", (t) => t.startsWith("msr control"), /CONTROL|MSP/, { state: { control: 2, psp: 0x20008000 } });
  });

  test("handler-mode check removed: called from SysTick it would take the machine away from Espruino", async () => {
    const code = await mutant((t, i) => i.addr === 6);   // bne refuse_handler
    const res = run({ code, state: { ipsr: 15 } });
    assert.notEqual(res.r.reason, "return");
  });
});
