// RAM budgets (bench/budgets.json) of every shipped module, by the calibrated model (sim/ram-model.js), and the
// README "## RAM" section written by bench/ram.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { budgets, checkBudget, fileFigures, readmeSection, runRamBench, spliceRam, table } from "../bench/ram.js";
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

test("checkBudget: over budget fails; a module marked over may not grow; within budget passes", () => {
  const fig = (fn, storage) => ({ fn, storage });
  assert.equal(checkBudget(fig(450, 200), { ram: 450, flash: 200 }).ok, true);
  assert.deepEqual(checkBudget(fig(451, 200), { ram: 450, flash: 200 }).reasons, ["ram: 451 JsVars > budget 450"]);
  assert.equal(checkBudget(fig(450, 201), { ram: 450, flash: 200 }).ok, false);
  const over = { ram: 450, flash: 200, over: { ram: 510, flash: 250 } };
  assert.equal(checkBudget(fig(510, 250), over).ok, true);
  assert.equal(checkBudget(fig(511, 250), over).ok, false);
  assert.equal(checkBudget(fig(510, 251), over).ok, false);
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
