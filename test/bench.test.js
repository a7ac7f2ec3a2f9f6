// The benchmark (bench/bench.js, issue 4 item 3) runs and its rows are sane. The targets themselves are
// asserted by module.test.js (native-call budgets); here only what makes the benchmark a fair report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { benchClone, benchOriginal, benchSeed, floors, moduleBytes, readmeSection, runBench, spliceSpeed, table,
  targetLines } from "../bench/bench.js";

const results = runBench();
const row = (impl, op) => results.rows.find((r) => r.impl === impl && r.op === op && !r.perWord);

test("floors: 20 ms + 1024 x 52.5 µs for erase + program of 2 KB, 1024 x 52.5 µs for programming only", () => {
  assert.deepEqual(floors("typ"), { eraseWritePageUs: 73760, programPageUs: 53760 });
});

test("results JSON shape: board, floors, rows with counters, module bytes, targets", () => {
  const r = JSON.parse(JSON.stringify(results));
  assert.deepEqual(r.board, { model: "original", callCostUs: 40, timing: "typ", freeStart: r.board.freeStart });
  assert.deepEqual(r.floorsMs, { eraseWritePageMs: 73.76, programPageMs: 53.76 });
  assert.equal(r.module, "modules/STM32F1Flash.min.js");
  assert.ok(r.rows.length >= 10);
  for (const x of r.rows) {
    for (const k of ["name", "impl", "op"]) assert.equal(typeof x[k], "string", `${x.name}: ${k}`);
    for (const k of ["nativeCalls", "bsyPolls", "simulatedUs", "simulatedMs", "programs", "erases"]) {
      assert.ok(Number.isFinite(x[k]) && x[k] >= 0, `${x.name}: ${k} = ${x[k]}`);
    }
    assert.equal(typeof x.calls, "object");
    assert.ok(x.floorMs === null || x.floorMs > 0);
    assert.ok(x.xFloor === null || x.xFloor === Math.round((x.simulatedUs / (x.floorMs * 1000)) * 1000) / 1000);
    if (!x.perWord) assert.equal(typeof x.ok, "boolean", `${x.name}: ok`);
  }
  const bytes = moduleBytes();
  assert.deepEqual(r.bytes, bytes);
  assert.ok(bytes["modules/STM32F1Flash.min.js"] > 0 && bytes["modules/STM32F1Flash.js"] > 0);
  assert.equal(r.targets.length, 6);
  for (const t of r.targets) assert.equal(typeof t.met, "boolean");
  assert.equal(targetLines(results).length, 6);
  assert.ok(targetLines(results).every((l) => /^(met   |MISSED)  /.test(l)));
});

test("every row of our module and of the working seed baseline produced the right flash contents", () => {
  for (const x of results.rows.filter((r) => !r.perWord && r.op !== "eraseWriteErrata")) assert.equal(x.ok, true, x.name);
});

test("erase + write of 2 KB: ours uses at least 10x fewer native calls than the seed algorithm", () => {
  const ours = row("STM32F1Flash", "eraseWrite"), seed = row("seed (2014)", "eraseWrite");
  assert.ok(ours.nativeCalls * 10 <= seed.nativeCalls, `${ours.nativeCalls} vs ${seed.nativeCalls}`);
  assert.equal(ours.programs, 1024);
  assert.equal(seed.programs, 1024);
  assert.equal(ours.erases, 1);
  assert.equal(seed.erases, 1);
});

test("simulated device time is never below the physical floor where one applies", () => {
  for (const x of results.rows.filter((r) => r.floorMs !== null && r.ok && !r.perWord)) {
    assert.ok(x.simulatedMs >= x.floorMs, `${x.name} (${x.impl}): ${x.simulatedMs} ms < floor ${x.floorMs} ms`);
    assert.ok(x.xFloor >= 1);
  }
});

test("the seed rows count BSY polls; ours and the seed read the same 2 KB", () => {
  const seed = row("seed (2014)", "eraseWrite");
  assert.ok(seed.bsyPolls > 0 && seed.bsyPolls < seed.nativeCalls);
  assert.equal(row("seed (2014)", "read").nativeCalls, 512);
  assert.equal(row("seed (2014)", "isPageSafe").nativeCalls, 512);
});

test("512 word writes: total and per-word rows agree; FPEC locked after ours", () => {
  const ours = row("STM32F1Flash", "wordWrites");
  const per = results.rows[results.rows.indexOf(ours) + 1];
  assert.equal(per.perWord, true);
  assert.equal(per.nativeCalls, Math.round((ours.nativeCalls / 512) * 1000) / 1000);
  assert.equal(ours.programs, 1024);
  assert.equal(ours.locked, true);
});

test("clone chip with waitEachHalfWord: the page is programmed correctly, nothing dropped", () => {
  const [c] = benchClone().rows;
  assert.equal(c.ok, true);
  assert.equal(c.droppedWrites, 0);
  assert.equal(c.programs, 1024);
  assert.ok(c.simulatedMs >= c.floorMs);
});

test("the benchmark functions run on their own and the table/README text show every row", () => {
  assert.ok(benchOriginal().rows.length >= 7);
  assert.ok(benchSeed().rows.length >= 4);
  const t = table(results);
  assert.equal(t.split("\n").length, results.rows.length + 2);
  const md = readmeSection(results);
  assert.match(md, /^## Speed\n/);
  assert.ok(md.includes(t));
  assert.ok(md.includes(String(results.bytes["modules/STM32F1Flash.min.js"])));
});

test("README.md's Speed section is what the benchmark gives for the committed module (run npm run bench)", () => {
  const md = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  assert.equal(spliceSpeed(md, readmeSection(results)), md);
});
