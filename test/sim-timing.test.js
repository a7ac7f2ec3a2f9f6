// Virtual time, counters, clone mode and the BSY errata as Espruino code sees them (controller spec §5, §6;
// docs/ARCHITECTURE.md cost model: callCostUs per native call before its accesses, stalls advance the clock).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBoard, KEY1, KEY2 } from "../sim/index.js";

const FREE = 0x0802f000;

function programReady(opts) {
  const b = createBoard(opts);
  b.chip.write32(0x40022004, KEY1);
  b.chip.write32(0x40022004, KEY2);
  b.chip.write32(0x40022010, 1);       // PG
  b.eval("var data = new Uint16Array(1024); for (var i = 0; i < 1024; i++) data[i] = i;");
  b.resetCounters();
  return b;
}

test("1024 back-to-back half-word pokes (one poke16 of an array) take 1024 x 52.5 µs of device time", () => {
  const b = programReady();
  b.eval(`poke16(${FREE}, data)`);
  assert.equal(b.counters.nativeCalls, 1);
  assert.equal(b.counters.programs, 1024);
  assert.equal(b.counters.stalls, 1023);
  assert.equal(b.counters.stallUs, 1023 * 52.5);
  assert.equal(b.counters.simulatedUs, 40 + 1023 * 52.5, "the last program is still running");
  assert.equal(b.eval(`peek16(${FREE + 2046})`), 1023, "read stalls and sees the new value");
  assert.equal(b.counters.simulatedUs, 40 + 1024 * 52.5);
  assert.deepEqual([...b.flash().subarray(FREE - 0x08000000, FREE - 0x08000000 + 8)], [0, 0, 1, 0, 2, 0, 3, 0]);
});

test("1024 poke16 calls in a JS loop: 40 µs each, every one stalls the remaining 12.5 µs", () => {
  const b = programReady();
  b.eval(`for (var i = 0; i < 1024; i++) poke16(${FREE} + 2 * i, data[i]);`);
  assert.equal(b.counters.calls.poke16, 1024);
  assert.equal(b.counters.stalls, 1023);
  assert.equal(b.counters.stallUs, 1023 * 12.5);
  b.drain();
  assert.equal(b.counters.simulatedUs, 40 + 1024 * 52.5);
});

test("with callCostUs 100 the interpreter is slower than tPROG: no stalls; timing 'max' tPROG 70 µs", () => {
  const b = programReady({ callCostUs: 100 });
  b.eval(`for (var i = 0; i < 16; i++) poke16(${FREE} + 2 * i, i);`);
  assert.equal(b.counters.stalls, 0);
  assert.equal(b.counters.simulatedUs, 1600);
  const m = programReady({ timing: "max" });
  m.eval(`poke16(${FREE}, data)`);
  m.drain();
  assert.equal(m.counters.simulatedUs, 40 + 1024 * 70);
});

test("clone: true drops every half-word of a poke16 array after the first (droppedWrites counted)", () => {
  const b = programReady({ clone: true });
  b.eval(`poke16(${FREE}, data)`);
  assert.equal(b.counters.programs, 1);
  assert.equal(b.counters.droppedWrites, 1023);
  assert.equal(b.counters.stalls, 0);
  b.drain();
  assert.equal(b.eval(`peek32(${FREE})`), 0xffff0000);
  // a driver that polls BSY between half-words works on the clone
  b.eval(`for (var i = 2; i < 6; i++) { poke16(${FREE} + 2 * i, 0x100 + i); while (peek32(0x4002200C) & 1); }`);
  assert.deepEqual([...b.eval(`peek16(${FREE} + 4, 4)`)], [0x102, 0x103, 0x104, 0x105]);
  assert.equal(b.counters.droppedWrites, 1023);
});

test("errata §5.3 needs an SR read within one cycle of STRT: Espruino calls, 40 µs apart, always see BSY=1", () => {
  const b = createBoard();
  b.eval("poke32(0x40022004, 0x45670123); poke32(0x40022004, 0xCDEF89AB);");
  b.resetCounters();
  b.eval(`poke32(0x40022010, 2); poke32(0x40022014, ${FREE - 0x800}); poke32(0x40022010, 0x42);` +
    "var polls = 0; while (peek32(0x4002200C) & 1) polls++;");
  assert.equal(b.eval("polls"), 499, "the poll right after STRT already sees BSY: 20 ms / 40 µs polls");
  // at the same instant of virtual time (a driver in C, a few cycles apart) the errata read happens
  b.eval(`poke32(0x40022010, 2); poke32(0x40022014, ${FREE - 0x800});`);
  b.chip.write32(0x40022010, 0x42);
  assert.equal(b.chip.read32(0x4002200c) & 1, 0, "BSY read as 0 one cycle after STRT");
  // the erase is still running: a driver now clearing PER/locking would be ignored (§8 #14)
  b.chip.write32(0x40022010, 0x80);
  assert.equal(b.chip.fpec[0].keyState, "UNLOCKED", "LOCK write ignored while BSY");
  assert.equal(b.eval(`peek8(${FREE - 0x800})`), 0xff, "flash read stalls until the erase ends");
  assert.equal(b.counters.stalls, 1);
});

test("a BSY poll loop with one register read in between sees BSY for the whole 20 ms erase (499 polls at 40 µs)", () => {
  const b = createBoard();
  b.eval("poke32(0x40022004, 0x45670123); poke32(0x40022004, 0xCDEF89AB);");
  b.eval(`poke32(0x40022010, 2); poke32(0x40022014, ${FREE});`);
  b.resetCounters();
  b.eval("poke32(0x40022010, 0x42); peek32(0x40022010); var polls = 0; while (peek32(0x4002200C) & 1) polls++;");
  assert.equal(b.counters.bsyPolls, 499);
  assert.equal(b.eval("polls"), 498);
  assert.equal(b.counters.simulatedUs, 40 + 20000, "STRT at 40 µs, last poll at its end");
  assert.equal(b.counters.stalls, 0);
  assert.equal(b.eval("peek32(0x4002200C)"), 0x20, "EOP");
});

test("counters.faults record address, width, value, reason and virtual time", () => {
  const b = createBoard();
  b.eval("peek32(0x0); poke32(0x40022004, 0x11111111)");
  const f = b.counters.faults[0];
  assert.deepEqual({ ...f }, { addr: 0x40022004, width: 32, value: 0x11111111, atUs: 80,
    reason: f.reason });
  assert.match(f.reason, /wrong KEY1 0x11111111/);
});
