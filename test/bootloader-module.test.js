// require("STM32F1Bootloader") from the BUILT modules/ files on the virtual board: the call reaches the ST ROM
// through E.nativeCall on the emulated CPU; every bad input or unsafe situation throws a clear Error and changes
// nothing (flash, the registers the routine touches, no native code run).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createBoard } from "../sim/index.js";
import { BOOTLOADER_BUILDS, builtSource, settings } from "./bootloader-helpers.js";

/** A board (createBoard options) with the module loaded; `setup(board)` runs before the module loads. */
function boardWith(build, options = {}, setup = () => {}) {
  const board = createBoard(options);
  setup(board);
  board.addModule("STM32F1Bootloader", builtSource(build));
  return board;
}

/** Run `code` expecting an Error matching `pattern`, then check that nothing changed and no native code ran. */
function refuses(board, code, pattern, { printed = false } = {}) {
  const flash = board.flash();
  const regs = settings(board.chip);
  const sram = board.chip.sram.slice();
  const out = board.output.length;
  board.cpu.lastRun = null;
  assert.throws(() => board.eval(code), (e) => pattern.test(String(e.message)) && /^STM32F1Bootloader: /.test(e.message), `expected ${pattern}`);
  assert.deepEqual(board.flash(), flash, "flash unchanged");
  assert.deepEqual(settings(board.chip), regs, "registers unchanged");
  assert.equal(board.systemBootloader, null, "still Espruino");
  assert.equal(board.chip.usbAttached(), board.model === "original");
  if (!printed) {
    assert.equal(board.output.length, out, "nothing printed");
    assert.equal(board.cpu.lastRun, null, "no native code run");
    assert.deepEqual(board.chip.sram, sram, "SRAM unchanged");
  }
}

for (const build of BOOTLOADER_BUILDS) {
  describe(`${build} on the virtual Original`, () => {
    test("check() reports the ROM table at 0x1FFFF000, DEV_ID 0x414, 256 KB", () => {
      const b = boardWith(build);
      const r = JSON.parse(b.eval('JSON.stringify(require("STM32F1Bootloader").check())'));
      assert.deepEqual(r, { addr: 0x1ffff000, msp: 0x200001fc, reset: 0x1ffff021, devId: 0x414, flashKB: 256 });
    });

    test("enterSystemBootloader({confirm:true}) prints the instructions and leaves Espruino for the ROM, flash untouched", () => {
      const b = boardWith(build);
      const flash = b.flash();
      b.eval('require("STM32F1Bootloader").enterSystemBootloader({confirm: true})');
      assert.ok(b.systemBootloader, "the CPU runs the ST ROM bootloader");
      assert.equal(b.cpu.lastRun.reason, "rom");
      assert.equal(b.cpu.lastRun.pc, 0x1ffff020);
      assert.equal(b.cpu.lastRun.msp, 0x200001fc);
      const text = b.output.join("\n");
      assert.match(text, /USB will disconnect/);
      assert.match(text, /RX to A9, TX to A10/);
      assert.match(text, /8E1, autobaud/);
      assert.match(text, /stm32flash/);
      assert.match(text, /RST to return/);
      assert.deepEqual(b.flash(), flash, "flash unchanged");
      assert.equal(b.cpu.lastRun.writes.filter((w) => w.addr < 0x40000000).length, 0, "no RAM or flash writes by the routine");
      assert.ok(!b.chip.usbAttached(), "USB detached");
      assert.ok(b.counters.simulatedUs >= 500000, "the console had 500 ms to drain");
      assert.throws(() => b.eval("1+1"), /ST system bootloader/);
      b.reset();
      assert.equal(b.systemBootloader, null);
      assert.equal(b.eval("1+1"), 2, "RST returns to Espruino");
      assert.ok(b.chip.usbAttached());
    });

    test("works when DBGMCU_IDCODE reads 0 (F1 errata): F_SIZE picks the ROM address", () => {
      const b = boardWith(build, { idcodeReadable: false });
      assert.equal(b.eval('require("STM32F1Bootloader").check().devId'), 0);
      b.eval('require("STM32F1Bootloader").enterSystemBootloader({confirm: true, drainMs: 0})');
      assert.ok(b.systemBootloader);
    });

    test("missing confirmation: Error, nothing printed, no native code", () => {
      const b = boardWith(build);
      for (const arg of ["", "{}", "{confirm: 1}", "{confirm: 'yes'}", "true"]) {
        refuses(b, `require("STM32F1Bootloader").enterSystemBootloader(${arg})`, /confirm:true/);
      }
    });

    test("not an STM32F1: a Cortex-M4 CPUID, an unknown DEV_ID, a non-STM32 build", () => {
      const m4 = boardWith(build, {}, (b) => { const read = b.chip.scb.read.bind(b.chip.scb); b.chip.scb.read = (o) => (o === 0 ? 0x410fc241 : read(o)); });
      refuses(m4, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true})', /not an STM32F1: CPUID 0x410fc241/);
      const f2 = boardWith(build, {}, (b) => { b.chip.idcode = () => 0x20000411; });
      refuses(f2, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true})', /not an STM32F1: DEV_ID 0x411/);
      const linux = boardWith(build, {}, (b) => { const mem = b.runtime.memory; b.runtime.memory = (c, g) => { const m = mem(c, g); delete m.flash_start; return m; }; });
      refuses(linux, 'require("STM32F1Bootloader").check()', /not an STM32 board/);
    });

    test("wrong density layout: DEV_ID 0x414 (high density) with F_SIZE 128 KB; F_SIZE 0xFFFF with DEV_ID unreadable", () => {
      const b = boardWith(build, {}, (bd) => { const i = 0x7e0; bd.chip.info[i] = 128; bd.chip.info[i + 1] = 0; });
      refuses(b, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true})', /wrong density layout: DEV_ID 0x414 with F_SIZE 128 KB/);
      const c = boardWith(build, { idcodeReadable: false }, (bd) => { bd.chip.info[0x7e0] = 0xff; bd.chip.info[0x7e1] = 0xff; });
      refuses(c, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true})', /not an STM32F1: DEV_ID 0x0, F_SIZE 65535 KB/);
    });

    test("implausible ROM vector table: erased, MSP outside SRAM, even reset vector, reset outside system memory", () => {
      for (const [vectors, why] of [
        [[0xffffffff, 0xffffffff], "erased"], [[0x08000000, 0x1ffff021], "MSP in flash"], [[0x200001fe, 0x1ffff021], "MSP not 4-aligned"],
        [[0x200001fc, 0x1ffff020], "even reset"], [[0x200001fc, 0x08000101], "reset in flash"], [[0x200001fc, 0x1ffff801], "reset in the option bytes"],
        [[0x2000c004, 0x1ffff021], "MSP above SRAM"],
      ]) {
        const b = boardWith(build, { romVectors: vectors });
        refuses(b, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true})', /implausible ROM vector table at 0x1ffff000/, { why });
      }
    });

    test("called in handler mode: the routine returns the exception number, the call throws, nothing changed", () => {
      const b = boardWith(build);
      b.cpu.caller.ipsr = 15;
      refuses(b, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true, drainMs: 0})', /handler mode \(exception 15\): nothing changed/, { printed: true });
      assert.equal(b.cpu.lastRun.reason, "return");
      assert.equal(b.cpu.lastRun.writes.length, 0);
    });

    test("code not on a 4-byte boundary (older firmware): the routine refuses, nothing changed", () => {
      const b = boardWith(build);
      b.cpu.misalign = 2;
      refuses(b, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true, drainMs: 0})', /not 4-byte aligned: nothing changed/, { printed: true });
    });

    test("SAVE_ON_FLASH firmware without E.nativeCall (medium-density model): Error", () => {
      const b = boardWith(build, { model: "medium" });
      refuses(b, 'require("STM32F1Bootloader").enterSystemBootloader({confirm: true})', /E.nativeCall is missing/);
    });
  });
}

test("XL density board: ROM at 0x1FFFE000, C13 left alone (not an Original)", () => {
  const b = boardWith("STM32F1Bootloader.min.js", { model: "xl" });
  const odr = b.chip.gpioc.values[0x0c];
  b.eval('require("STM32F1Bootloader").enterSystemBootloader({confirm: true, drainMs: 0})');
  assert.equal(b.cpu.lastRun.pc, 0x1fffe020);
  assert.equal(b.cpu.lastRun.writes.find((w) => w.addr === 0x40011010).value, 0, "GPIOC_BSRR written with 0: no pin changed");
  assert.equal(b.chip.gpioc.values[0x0c], odr);
});
