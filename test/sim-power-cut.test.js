// Power cuts of the virtual board (sim/power-cut.js): what each fault variant leaves in the cells, "after native
// call k", RAM lost and flash kept at power-up, no native call while the power is off, determinism, the
// VirtualBoard.cutPower() hook for board code (boot function, modules kept as saved code would be).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBoard } from "../sim/index.js";
import { PowerCut, ERASE_VARIANTS, PROGRAM_VARIANTS, describeCut, tornValue, rng, variantsOf } from "../sim/power-cut.js";

const PAGE = 0x0803a000, OFF = PAGE - 0x08000000, PAGE_NO = OFF / 2048;
const KEYR = 0x40022004, SR = 0x4002200c, CR = 0x40022010, AR = 0x40022014;

/** Board code that unlocks the FPEC and programs the half-words `hw` from PAGE (one poke16 each, BSY waits). */
const program = (hw) => `poke32(${KEYR}, 0x45670123); poke32(${KEYR}, 0xCDEF89AB); poke32(${CR}, 1);` +
  hw.map((v, i) => `poke16(${PAGE + 2 * i}, ${v}); while (peek32(${SR}) & 1);`).join("") + `poke32(${CR}, 0x80);`;
const erase = `poke32(${KEYR}, 0x45670123); poke32(${KEYR}, 0xCDEF89AB); poke32(${CR}, 2); poke32(${AR}, ${PAGE});` +
  `poke32(${CR}, 0x42); while (peek32(${SR}) & 1); poke32(${CR}, 0x80);`;

const half = (board, i) => board.chip.flash.read16(OFF + 2 * i);

test("program variants: not-started keeps 0xFFFF, done stores the value, torn leaves some of its 0-bits at 1", () => {
  const want = { "not-started": [0x1234, 0xffff], done: [0x1234, 0x00f0] };
  for (const variant of PROGRAM_VARIANTS) {
    const board = createBoard(), pc = new PowerCut(board);
    board.eval(`var x = 1;`);
    pc.arm({ op: 2, variant, seed: 9 });
    assert.equal(board.eval(program([0x1234, 0x00f0, 0x5555]) + "'returned'"), undefined, "the code was cut off");
    assert.equal(pc.cut.variant, variant);
    assert.equal(pc.cut.kind, "program");
    assert.equal(pc.cut.offset, OFF + 2);
    assert.equal(half(board, 2), 0xffff, "nothing after the cut is programmed");
    assert.equal(board.eval("typeof x"), "undefined", "RAM lost: a new interpreter context");
    assert.equal(board.chip.read32(CR), 0x80, "FPEC back to its reset state (LOCK)");
    if (variant === "torn") {
      const v = half(board, 1);
      assert.equal(half(board, 0), 0x1234);
      assert.equal(v & 0x00f0, 0x00f0, "bits the program leaves at 1 stay 1");
      assert.ok(v !== 0xffff && v !== 0x00f0, `torn value 0x${v.toString(16)} lies strictly between old and new`);
    } else assert.deepEqual([half(board, 0), half(board, 1)], want[variant]);
  }
});

test("erase variants: untouched, done, partial mix of old bytes and 0xFF, zero-prefix, weak", () => {
  for (const variant of ERASE_VARIANTS) {
    const board = createBoard(), pc = new PowerCut(board);
    const old = new Uint8Array(2048).map((_, i) => (i * 7) & 0x7f);
    board.chip.flash.bytes.set(old, OFF);
    const before = board.chip.flash.eraseCounts[PAGE_NO];
    pc.arm({ op: 1, variant, seed: 3 });
    board.eval(erase);
    assert.equal(pc.cut.kind, "erase");
    const cells = board.chip.flash.bytes.subarray(OFF, OFF + 2048);
    if (variant === "untouched") assert.deepEqual([...cells], [...old]);
    if (variant === "done" || variant === "weak") assert.ok(cells.every((b) => b === 0xff));
    if (variant === "partial") {
      let kept = 0, erased = 0, mixed = 0;
      cells.forEach((b, i) => { if (b === old[i]) kept++; else if (b === 0xff) erased++; else if ((b & old[i]) === old[i]) mixed++; });
      assert.equal(kept + erased + mixed, 2048, "every cell is old, 0xFF, or old with bits set");
      assert.ok(kept > 100 && erased > 100, `${kept} kept, ${erased} erased`);
    }
    if (variant === "zero-prefix") {
      const n = cells.findIndex((b) => b !== 0);
      assert.ok(n >= 2 && n % 2 === 0, `prefix of ${n} zero bytes`);
      assert.deepEqual([...cells.subarray(n)], [...old.subarray(n)], "after the prefix: old data");
    }
    assert.equal(board.chip.flash.eraseCounts[PAGE_NO], before + (variant === "untouched" ? 0 : 1));
    if (variant === "weak") {
      board.eval(program([0x1234, 0x0000]));
      assert.notEqual(half(board, 0), 0x1234, "a program into a weakly erased page comes out torn");
      assert.ok(half(board, 1) !== 0 && half(board, 1) !== 0xffff, "also a 0x0000 program comes out torn");
      board.eval(erase);
      board.eval(program([0x1234]));
      assert.equal(half(board, 0), 0x1234, "after a real erase, programs work again");
    }
  }
});

test("after native call k: the operation still running completes, nothing later runs, RAM lost, flash kept", () => {
  const board = createBoard(), pc = new PowerCut(board);
  pc.arm({ afterCall: 4 }); // poke32 KEY1, poke32 KEY2, poke32 CR=PG, poke16: the program is in flight
  board.eval(program([0x4321, 0x8765]));
  assert.equal(pc.cut.at, "native call");
  assert.equal(pc.cut.name, "poke16");
  assert.equal(half(board, 0), 0x4321, "the program in flight ends at the cut");
  assert.equal(half(board, 1), 0xffff);
  assert.match(describeCut(pc.cut), /^seed 0 k 4 variant after \(after native call 4: poke16\)$/);
});

test("while the power is off every native call throws, also in catch/finally of the code cut off", () => {
  const board = createBoard(), pc = new PowerCut(board);
  const seen = [];
  board.context.seen = (x) => seen.push(x);
  pc.arm({ afterCall: 1 });
  board.eval(`try { peek32(${SR}); } catch (e) { seen("catch " + e.name); try { poke32(${CR}, 0x80); } catch (e2) { seen("finally " + e2.name); } }`);
  assert.deepEqual(seen, ["catch PowerCutSignal", "finally PowerCutSignal"]);
  assert.equal(board.counters.calls.poke32, undefined, "no poke32 ran");
  assert.equal(pc.off, false, "powered up once the code returned");
  assert.equal(pc.powerUps, 1);
});

test("deterministic: the same seed, k and variant leave the same cells", () => {
  const cells = () => {
    const board = createBoard(), pc = new PowerCut(board);
    pc.arm({ op: 2, variant: "torn", seed: 42 });
    board.eval(program([0x0000, 0x0001, 0x0002]));
    return [half(board, 0), half(board, 1), half(board, 2)];
  };
  assert.deepEqual(cells(), cells());
});

test("tornValue: a non-empty proper subset of the bits to clear stays 1; none when fewer than two bits", () => {
  const next = rng(1);
  for (let i = 0; i < 200; i++) {
    const t = next() & 0xffff, v = tornValue(0xffff, t, next);
    if (v === null) { assert.ok(((~t & 0xffff) & ((~t & 0xffff) - 1)) === 0); continue; }
    assert.equal(v & t, t, "bits of the target that are 1 stay 1");
    assert.ok(v !== t && v !== 0xffff);
  }
  assert.equal(tornValue(0xffff, 0xfffe, next), null);
  assert.deepEqual(variantsOf({ kind: "program", old: 0xffff, value: 0xffff }), ["not-started", "done"]);
  assert.deepEqual(variantsOf({ kind: "erase" }), ERASE_VARIANTS);
});

test("VirtualBoard.cutPower: board code arms a cut; after power-up the boot function runs with the modules kept", async () => {
  const board = createBoard(), pc = new PowerCut(board);
  board.addModule("m", "exports.x = 41;");
  board.eval(`VirtualBoard.cutPower({op: 1, variant: "done", boot: function () { print("boot", require("m").x + 1); }});` +
    program([0xbeef]));
  assert.equal(pc.cut.variant, "done");
  assert.equal(half(board, 0), 0xbeef);
  board.flushTimers();
  assert.deepEqual(board.output.slice(-1), ["boot 42"]);
  assert.throws(() => board.eval(`VirtualBoard.cutPower({op: 1, variant: "melted"})`), /variant must be one of/);
  assert.throws(() => board.eval(`VirtualBoard.cutPower()`), /expecting/);
});
