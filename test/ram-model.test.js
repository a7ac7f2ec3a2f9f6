// The RAM model (sim/ram-model.js) against its calibration on the real Espruino 2v29 interpreter, and the RAM of
// the virtual board (sim/ram.js): process.memory() from the model, and out of memory as on the board.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CALIBRATION, CODE_FIXTURES, FIXTURES, TOLERANCE, codeFunctions, fixtureFiles, formsOf, isPretokenised, modelled,
  readsBoard } from "../tools/ram-calibrate.js";
import { ORIGINAL, addCachedLine, analyseModule, chainVars, flatVars, layoutFor, moduleVars, nameVars, tokenisedLength,
  uploadPeakVars } from "../sim/ram-model.js";
import { createBoard } from "../sim/index.js";
import { REPL } from "../sim/repl.js";
import { moduleSource } from "./helpers.js";
import * as acorn from "acorn";

const acornParse = (code, tokens) => acorn.parse(code, { ecmaVersion: 2020, onToken: tokens, allowReturnOutsideFunction: true });

const calibration = JSON.parse(readFileSync(CALIBRATION, "utf8"));

describe("calibration on the real interpreter (test/fixtures/ram/calibration.json)", () => {
  test("every fixture has a measured point in every form (modules: fn, str, storage, bootcde; programs)", () => {
    for (const fixture of fixtureFiles()) {
      for (const form of formsOf(fixture)) {
        assert.ok(calibration.points.some((p) => p.fixture === fixture && p.form === form && p.measured > 0),
          `${fixture} ${form}: no measurement (node tools/ram-calibrate.js --measure ...)`);
      }
    }
    assert.ok(calibration.points.length >= 200, `${calibration.points.length} points`);
    assert.ok(calibration.points.filter((p) => p.form === "peak").length >= 5, "upload peaks measured");
    // the built modules of this project as the build wraps them, and modules loaded with the flag already set
    assert.ok(fixtureFiles().filter(readsBoard).length >= 2 && fixtureFiles().filter(isPretokenised).length >= 2);
  });

  test("stored code lengths of every function of the code fixtures, flag off and on, measured = model exactly", () => {
    assert.deepEqual(calibration.codes.map((c) => c.fixture), CODE_FIXTURES);
    for (const c of calibration.codes) {
      const model = codeFunctions(readFileSync(join(FIXTURES, c.fixture), "latin1"));
      assert.equal(model.length, c.functions.length, c.fixture);
      model.forEach((m, i) => {
        const r = c.functions[i];
        assert.equal(m.text.slice(0, 48), r.function, `${c.fixture} #${i}`);
        assert.deepEqual({ plain: m.plain, tokenised: m.tokenised }, { plain: r.plain, tokenised: r.tokenised },
          `${c.fixture} #${i}: ${r.function}`);
      });
    }
    assert.ok(calibration.codes.reduce((n, c) => n + c.functions.length, 0) >= 100);
  });

  test("every point but the upload peaks is exact (a point the model misses goes under \"inexact\" with the reason)", () => {
    const allowed = new Set((calibration.inexact || []).map((x) => `${x.fixture} ${x.form}`));
    const off = calibration.points.filter((p) => p.form !== "peak" && !allowed.has(`${p.fixture} ${p.form}`))
      .map((p) => ({ p, m: modelled(p) })).filter(({ p, m }) => m !== p.measured)
      .map(({ p, m }) => `${p.fixture} ${p.form}: measured ${p.measured}, modelled ${m}`);
    assert.deepEqual(off, []);
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

  test("the build's wrapper: module names inside try/finally count, code is tokenised, the flag is put back", () => {
    const body = "var limit = 70000, label = \"a label of 20 chars\";\n" +
      "function area(width, height) { return width * height + 1000; /* comment */ }\nexports.area = area;\n";
    const wrapped = "var pretokenise = E.getFlags().pretokenise;\nE.setFlags({ pretokenise: 1 });\ntry {\n" + body +
      "} finally {\n  E.setFlags({ pretokenise: pretokenise });\n}\n";
    const v = (src, form, o) => moduleVars(src, { name: "m", form, ...o }).jsvars;
    // kept in flash: the wrapped module costs its extra name (pretokenise: 2 JsVars, value 0 in the name) only
    assert.equal(v(wrapped, "storage"), v(body, "storage") + nameVars("pretokenise".length));
    // in RAM: as the plain module loaded with the flag set by the user, plus that name
    assert.equal(v(wrapped, "fn"), v(body, "fn", { pretokenise: true }) + nameVars("pretokenise".length));
    assert.ok(v(body, "fn", { pretokenise: true }) < v(body, "fn"));
    const info = analyseModule(wrapped).functions.get("function area(width, height) { return width * height + 1000; /* comment */ }")[0];
    assert.equal(info.tokenised, true);
    assert.equal(info.tokenLength, "width*height+".length + 3 + 1); // 1000: LEX_RAW_INT16 + 2 bytes; the `;`
    // a declaration in a branch that did not run makes no name
    assert.equal(v("if (0) { var never = 70000; }\n" + body, "storage"), v(body, "storage"));
  });

  test("tokenisedLength follows src/jslex.c: reserved words and operators 1 byte, integers 1-3, strings 2 + length", () => {
    const len = (code) => {
      const tokens = [];
      acornParse(code, tokens);
      return tokenisedLength(code, tokens, 0, tokens.length - 2); // without the eof token
    };
    assert.equal(len("return a + 1 ;"), 1 + 1 + 1 + 2 + 1);
    assert.equal(len("x = 0 + 127 + 128 + 32767 + 32768"), 1 + 1 + 1 + 1 + 2 + 1 + 3 + 1 + 3 + 1 + 5);
    assert.equal(len('s = "" + "hello world"'), 1 + 1 + 2 + 1 + 2 + 11);
    assert.equal(len('b = atob("AAECAwQF")'), 1 + 1 + 2 + 6);
    assert.equal(len("a = b - -c"), 1 + 1 + 1 + 1 + 1 + 1 + 1); // "- -" keeps its space
    assert.equal(len("var x = y instanceof Z"), 1 + 1 + 1 + 1 + 1 + 1);
    assert.equal(len("x >>>= 1.5"), 1 + 1 + 3);
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

  test("E.setFlags({pretokenise: 1}): functions the program creates while it is set count with tokenised code", () => {
    const fn = "function area(width, height) { return width * height + 1000; }";
    const cost = (flag) => {
      const b = createBoard();
      b.eval(`E.setFlags({ pretokenise: ${flag} });`);
      const u0 = b.eval("process.memory().usage");
      b.eval(fn);
      const u = b.eval("process.memory().usage") - u0;
      b.dispose();
      return u;
    };
    // name "area" 1 + function 1 + 2 params (2 each: stored with a prefix) + "\xFFcod" 1 + code after `return`:
    // 22 characters as written (a flat string: 1 + 2 blocks of 13), 17 bytes tokenised (a chain of 1 + 1 blocks)
    assert.equal(cost(0), 1 + 1 + 4 + 1 + 3);
    assert.equal(cost(1), 1 + 1 + 4 + 1 + 2);
    // set and cleared by the same command: only what was created in between is tokenised
    const b = createBoard();
    const u0 = b.eval("process.memory().usage");
    b.eval(`E.setFlags({ pretokenise: 1 }); ${fn} E.setFlags({ pretokenise: 0 }); ${fn.replace("area", "plain")}`);
    assert.equal(b.eval("process.memory().usage") - u0, cost(1) + cost(0) + 1); // "plain" is a 5-character name
    b.dispose();
  });

  test("a module uploaded while the user has pretokenise set is counted as loaded with the flag", () => {
    const src = readFileSync(join(FIXTURES, "readable-kv.js"), "latin1");
    const b = createBoard();
    b.eval("E.setFlags({ pretokenise: 1 });");
    const u0 = b.eval("process.memory().usage");
    b.addModule("kv", src);
    assert.equal(b.eval("process.memory().usage") - u0, moduleVars(src, { name: "kv", form: "str", pretokenise: true }).jsvars);
    assert.ok(moduleVars(src, { name: "kv", form: "str", pretokenise: true }).jsvars < moduleVars(src, { name: "kv", form: "str" }).jsvars);
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
