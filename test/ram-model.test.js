// The RAM model (sim/ram-model.js) against its calibration on the real Espruino 2v29 interpreter, and the RAM of
// the virtual board (sim/ram.js): process.memory() from the model, and out of memory as on the board.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CALIBRATION, FIXTURES, FORMS, TOLERANCE, fixtureFiles, isProgram, modelled } from "../tools/ram-calibrate.js";
import { ORIGINAL, addCachedLine, chainVars, flatVars, layoutFor, moduleVars, nameVars, uploadPeakVars } from "../sim/ram-model.js";
import { createBoard } from "../sim/index.js";
import { REPL } from "../sim/repl.js";
import { moduleSource } from "./helpers.js";

const calibration = JSON.parse(readFileSync(CALIBRATION, "utf8"));

describe("calibration on the real interpreter (test/fixtures/ram/calibration.json)", () => {
  test("every fixture has a measured point in every form (modules: fn, str, storage, bootcde; programs)", () => {
    for (const fixture of fixtureFiles()) {
      const forms = isProgram(fixture) ? ["program"] : FORMS;
      for (const form of forms) {
        assert.ok(calibration.points.some((p) => p.fixture === fixture && p.form === form && p.measured > 0),
          `${fixture} ${form}: no measurement (node tools/ram-calibrate.js --measure ...)`);
      }
    }
    assert.ok(calibration.points.length >= 200, `${calibration.points.length} points`);
    assert.ok(calibration.points.filter((p) => p.form === "peak").length >= 5, "upload peaks measured");
  });

  for (const p of calibration.points) {
    test(`${p.fixture} ${p.form}: model within ±${TOLERANCE * 100} % of ${p.measured} JsVars`, () => {
      const m = modelled(p);
      assert.ok(Math.abs(m - p.measured) <= TOLERANCE * p.measured,
        `modelled ${m}, measured ${p.measured} (${(((m - p.measured) / p.measured) * 100).toFixed(1)} %)`);
    });
  }
});

describe("JsVar layout of the Original (src/jsutils.h, 2756 variables)", () => {
  test("12-bit references: 13-byte JsVars, names hold 4 characters then 9 per block, strings 8 then 9", () => {
    assert.deepEqual({ ...layoutFor(2756) }, { ...ORIGINAL });
    assert.equal(ORIGINAL.blocksize, 13);
    assert.deepEqual([1, 4, 5, 13, 14, 22, 23].map((n) => nameVars(n)), [1, 1, 2, 2, 3, 3, 4]);
    assert.deepEqual([0, 8, 9, 17, 18, 26].map((n) => chainVars(n)), [1, 1, 2, 2, 3, 3]);
    assert.deepEqual([18, 26, 27, 4157].map((n) => flatVars(n)), [3, 3, 4, 321]);
    assert.deepEqual([ORIGINAL.intMin, ORIGINAL.intMax], [-2048, 2047]);
  });

  test("other variable counts follow the same table (700: 10-bit refs, 12-byte JsVars)", () => {
    const m = layoutFor(700);
    assert.equal(m.blocksize, 12);
    assert.deepEqual([m.intMin, m.intMax, m.extChars], [-512, 511, 8]);
  });

  test("a module costs less kept in flash than uploaded to RAM, the same in fn and str forms", () => {
    const src = moduleSource("STM32F1Flash.min.js");
    const v = (form) => moduleVars(src, { name: "STM32F1Flash", form }).jsvars;
    assert.equal(v("fn"), v("str"));
    assert.equal(v("storage"), v("bootcde"));
    assert.ok(v("storage") < v("fn") / 1.5);
  });
});

/** A virtual Original with a REPL in front of it, as the espruino CLI sees it. */
function replBoard() {
  const board = createBoard();
  let out = "";
  const repl = new REPL({ board, write: (s) => { out += s; } });
  return { board, repl, lines: () => out.replace(/\r/g, "").split("\n"), clear: () => { out = ""; } };
}

describe("RAM of the virtual Original (sim/ram.js)", () => {
  test("process.memory(): usage = base + the module as modelled + the program's data; free + usage = total", () => {
    const b = createBoard();
    const m0 = b.eval("process.memory()");
    assert.equal(m0.free + m0.usage, 2756);
    b.addModule("STM32F1Flash", moduleSource("STM32F1Flash.min.js"));
    const u1 = b.eval("process.memory().usage");
    assert.equal(u1 - m0.usage, moduleVars(moduleSource("STM32F1Flash.min.js"), { name: "STM32F1Flash", form: "str" }).jsvars);
    b.eval('var f = require("STM32F1Flash"), page = new Uint8Array(2048), label = "first free page";');
    // f: a name (the module is counted once); page: name 1 + Uint8Array 1 + ArrayBuffer 1 + flat string 1 + 158
    // blocks of 13 bytes; label: name 2 (5 characters) + string 2 (15 characters)
    assert.equal(b.eval("process.memory().usage") - u1, 1 + (1 + 1 + 1 + 1 + 158) + (2 + 2));
    b.eval("page = undefined");
    assert.equal(b.eval("process.memory().usage") - u1, 1 + 1 + 4, "released data no longer counted");
  });

  test("the default upload of STM32F1Flash.min.js fits; the unminified STM32F1Flash.js does not, as on the board", () => {
    const r = replBoard();
    const before = r.board.eval("process.memory().usage");
    r.repl.feed("\x10" + addCachedLine("STM32F1Flash", moduleSource("STM32F1Flash.min.js")) + "\n");
    assert.doesNotMatch(r.lines().join("\n"), /OUT OF MEMORY|Interrupted/);
    assert.equal(r.board.eval("process.memory().usage") - before,
      moduleVars(moduleSource("STM32F1Flash.min.js"), { name: "STM32F1Flash", form: "fn" }).jsvars);
    assert.equal(r.board.eval('typeof require("STM32F1Flash").write'), "function");

    const big = replBoard();
    big.repl.feed("\x10" + addCachedLine("STM32F1Flash", moduleSource("STM32F1Flash.js")) + "\n");
    const lines = big.lines();
    assert.ok(lines.includes("OUT OF MEMORY    at module"), lines.join("|"));
    assert.ok(lines.includes("Execution Interrupted"));
    assert.ok(lines.includes("New interpreter error: LOW_MEMORY,MEMORY"));
    assert.equal(big.board.eval('typeof require("STM32F1Flash").write'), "undefined", "cached without its exports");
  });

  test("the upload peak decides: with fewer free JsVars than the peak the min.js upload fails", () => {
    const src = moduleSource("STM32F1Flash.min.js");
    const peak = uploadPeakVars(src, { name: "STM32F1Flash" });
    for (const [spare, fails] of [[5, false], [-5, true]]) {
      const r = replBoard();
      const free = r.board.eval("process.memory().free");
      // a filler string taking all but (peak + spare) JsVars: name 1 + chained string
      const chars = 8 + 9 * (free - peak - spare - 2);
      r.board.eval(`var filler = "${"x".repeat(chars)}";`);
      r.repl.feed("\x10" + addCachedLine("STM32F1Flash", src) + "\n");
      assert.equal(r.lines().includes("OUT OF MEMORY    at module"), fails, `spare ${spare}`);
    }
  });

  test("a command that leaves more data than the board has: OUT OF MEMORY, then commands are interrupted until reset()", () => {
    const r = replBoard();
    r.repl.feed('\x10var a = []; for (var i = 0; i < 3000; i++) a.push("item number " + i);\n');
    assert.deepEqual(r.lines().filter((l) => /MEMORY|Interrupted/.test(l)),
      ["OUT OF MEMORY    at REPL", "Execution Interrupted", "New interpreter error: LOW_MEMORY,MEMORY"]);
    r.clear();
    r.repl.feed('\x10print("still running")\n');
    assert.ok(r.lines().includes("Execution Interrupted"));
    assert.ok(!r.lines().includes("still running"));
    r.clear();
    r.repl.feed("\x10reset();\n");
    r.repl.feed('\x10print("after reset", process.memory().usage)\n');
    const base = createBoard().eval("process.memory().usage");
    assert.ok(r.lines().some((l) => l.endsWith(`after reset ${base}`)), r.lines().join("|"));
  });

  test("a timer callback that runs out: 'Execution Interrupted during event processing.'", () => {
    const b = createBoard();
    b.eval('setTimeout(function () { global.keep = []; for (var i = 0; i < 3000; i++) keep.push("entry " + i); }, 1);');
    b.flushTimers();
    assert.deepEqual(b.output, ["OUT OF MEMORY", "Execution Interrupted during event processing.",
      "New interpreter error: LOW_MEMORY,MEMORY"]);
    b.eval("setTimeout(function () { print('next'); }, 1);");
    assert.equal(b.output.at(-1), "Execution Interrupted");
    b.dispose();
  });

  test("the program's data is walked like Espruino's GC: shared objects once, cycles end, timers count", () => {
    const b = createBoard();
    const u = () => b.eval("process.memory().usage");
    const u0 = u();
    b.eval("var o = { self: null }; o.self = o; var p = o;");
    assert.equal(u() - u0, 1 + 1 + 1 + 1, "o: name + object + 'self' name (4 characters); p: a name");
    const u1 = u();
    b.eval("setInterval(function () { x++; }, 1000);");
    assert.equal(u() - u1, 5 + 2 + 3, "timer 5 + interval 2 + function (fn, \\xFFcod, code)");
    b.dispose();
  });
});

test("fixtures are our own small modules and programs (no code from other repositories)", () => {
  for (const f of fixtureFiles()) {
    const text = readFileSync(join(FIXTURES, f), "latin1");
    assert.doesNotMatch(text, /Copyright|Gordon Williams|espruino\.com\/modules/i, f);
  }
});
