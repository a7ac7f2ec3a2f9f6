// RAM budgets (bench/budgets.json) of every shipped module, by the calibrated model (sim/ram-model.js), and the
// README "## RAM" section written by bench/ram.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { budgetLines, budgets, checkBudget, fileFigures, openFigures, readmeSection, runRamBench, spliceRam, table }
  from "../bench/ram.js";
import { moduleNames } from "../tools/modules.js";

const results = runRamBench();

for (const name of moduleNames()) {
  test(`${name}.min.js is within its RAM budget (default upload to RAM; kept in flash)`, () => {
    const budget = budgets().modules[name];
    assert.ok(budget, `bench/budgets.json has no budget for ${name}`);
    const v = checkBudget(fileFigures(name, `${name}.min.js`), budget);
    assert.ok(v.ok, v.reasons.join("; "));
  });
}

for (const m of results.modules) {
  if (!m.open) continue;
  test(`${m.name} while open is within ${m.budget.open.base} + ${m.budget.open.perKey} JsVars per key (bench/ram-open)`, () => {
    const over = m.open.filter((o) => !o.within).map((o) => `${o.keys} keys: ${o.jsvars} > ${o.limit}`);
    assert.deepEqual(over, []);
  });
}

test("checkBudget: over budget fails; a cap holds a module over budget exactly where it is, up and down", () => {
  const fig = (fn, storage) => ({ fn, storage });
  assert.equal(checkBudget(fig(450, 200), { ram: 450, flash: 200 }).ok, true);
  assert.deepEqual(checkBudget(fig(451, 200), { ram: 450, flash: 200 }).reasons, ["ram: 451 JsVars, over the budget 450 by 1"]);
  assert.deepEqual(checkBudget(fig(450, 201), { ram: 450, flash: 200 }).reasons, ["flash: 201 JsVars, over the budget 200 by 1"]);
  const over = { ram: 450, flash: 200, over: { ram: 454 } };
  const v = checkBudget(fig(454, 191), over);
  assert.equal(v.ok, true);
  assert.deepEqual([v.ram.within, v.ram.over, v.ram.cap, v.flash.within], [false, 4, 454, true]);
  assert.deepEqual(checkBudget(fig(455, 191), over).reasons, ["ram: 455 JsVars, over the budget 450 by 5 and grown beyond its cap 454"]);
  assert.deepEqual(checkBudget(fig(453, 191), over).reasons,
    ["ram: 453 JsVars, below its cap 454 (still over the budget 450 by 3): lower over.ram in budgets.json to 453"]);
  assert.deepEqual(checkBudget(fig(449, 191), over).reasons,
    ["ram: 449 JsVars is within the budget 450: remove over.ram (454) from budgets.json"]);
  // the cap covers only the figure it names: kept in flash must be within its budget
  assert.deepEqual(checkBudget(fig(454, 201), over).reasons, ["flash: 201 JsVars, over the budget 200 by 1"]);
  assert.equal(checkBudget(fig(454, 191), { ...over, over: { ram: 454, flash: 191 } }).ok, false, "a cap on a figure within budget");
});

test("the README table and the bench lines say which budget is missed and by how much", () => {
  const results = { modules: [{ name: "M", files: [], budget: { ram: 450, flash: 200, source: "test", over: { ram: 454 } },
    verdict: checkBudget({ fn: 454, storage: 191 }, { ram: 450, flash: 200, over: { ram: 454 } }) }] };
  assert.match(readmeSection({ ...results, modules: results.modules.map((m) => ({ ...m, reference: null })) }),
    /\| M \| 454 \/ 450: \*\*over by 4\*\* \(capped at 454 until it is shrunk\) \| 191 \/ 200 \| test \|/);
  assert.deepEqual(budgetLines(results),
    ["M: RAM (default upload) 454 / 450: over by 4 (capped at 454 until it is shrunk), kept in flash 191 / 200"]);
});

test("openFigures: JsVars a module's open state keeps, per number of keys, against base + perKey * keys", () => {
  // a tiny store module of our own: open() returns an object holding one entry per key (in a property: the
  // model walks objects, and estimates what closures hold from their initialisers)
  const modules = { Tiny: "exports.open = function () { return { keys: {}, set: function (k, v) { this.keys[k] = v; } }; };" };
  const program = 'var store = require("Tiny").open();\nfor (var i = 0; i < KEYS; i++) store.set("k" + i, i);\n';
  const rows = openFigures({ modules, program, open: { base: 20, perKey: 2, keys: [0, 5, 40] } });
  assert.deepEqual(rows.map((r) => [r.keys, r.limit]), [[0, 20], [5, 30], [40, 100]]);
  // each key: a name of 2-3 characters holding a small integer: one JsVar
  assert.equal(rows[1].jsvars - rows[0].jsvars, 5);
  assert.equal(rows[2].jsvars - rows[0].jsvars, 40);
  assert.deepEqual(rows.map((r) => r.within), rows.map((r) => r.jsvars <= r.limit));
  assert.ok(rows[0].jsvars > 0 && rows[0].within);
});

test("every module with an `open` budget names a program that exists (run by npm run bench once it ships)", () => {
  for (const [name, b] of Object.entries(budgets().modules)) {
    if (!b.open) continue;
    assert.ok(readFileSync(new URL("../" + b.open.program, import.meta.url), "latin1").includes(`require("${name}")`), name);
    assert.ok(b.open.base > 0 && b.open.perKey > 0 && b.open.keys.length > 0, name);
  }
});

test("the table shows every shipped module's .min.js and .js in every form", () => {
  const t = table(results);
  for (const name of moduleNames()) {
    for (const f of [`${name}.min.js`, `${name}.js`]) assert.match(t, new RegExp("`modules/" + f.replace(/\./g, "\\.") + "`"));
  }
  for (const m of results.modules) {
    for (const f of m.files) {
      assert.ok(f.storage < f.fn, `${f.file}: kept in flash costs less than in RAM`);
      assert.ok(f.peak > f.fn, `${f.file}: the upload needs more than the module`);
    }
  }
});

test("README.md's RAM section is what bench/ram.js gives for the committed modules (run npm run bench)", () => {
  const md = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  assert.equal(spliceRam(md, readmeSection(results)), md);
});
