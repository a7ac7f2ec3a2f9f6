// FlashKV under power cuts, fast subset (the full sweep: `npm run test:power`, tools/flashkv-sweep.js): the built
// modules/FlashKV.min.js in the virtual board, cut after native calls and inside flash operations in every fault
// variant, then recovered and checked against the model of acknowledged operations (test/flashkv-power.js).
// A failure names its case as `seed S k K variant V`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Harness, WORKLOADS, planName, plans, sweep, workload } from "./flashkv-power.js";

/** Assert a sweep found nothing; print what it covered. */
function clean(s) {
  const detail = s.violations.filter(Boolean).map((v) => `${v.name} (${v.cut}): ${v.violations.join("; ")}`).join("\n");
  assert.equal(s.violations.length, 0, detail);
  assert.ok(s.cases > 0);
  return `${s.cases} cases: ${Object.entries(s.kinds).map(([k, v]) => `${v} ${k}`).join(", ")}`;
}

test("the workloads: >= 300 operations of every type spanning >= 3 compactions on the 2 KB geometries", () => {
  for (const g of ["original", "builtin", "4k"]) {
    const [seed, count, max] = WORKLOADS[g];
    const ops = workload(seed, count, max);
    assert.ok(ops.length >= 300);
    assert.deepEqual([...new Set(ops.map((o) => o[0]))].sort(), ["ab", "arr", "del", "dv", "f32", "json", "s", "u16", "u8"]);
    const s = sweep(g, () => []);
    assert.ok(s.workload.compactions >= 3, `${g}: ${s.workload.compactions} compactions`);
    if (g !== "4k") assert.ok(s.workload.full >= 1, `${g}: a write that does not fit`);
  }
});

test("original (STM32F1Flash, 2 x 2 KB): every 97th cut, and every erase in every variant", (t) => {
  t.diagnostic(clean(sweep("original", (all) => all.filter((p, i) => i % 97 === 0 || p.kind === "erase"))));
});

test("built-in Flash model and 4 KB pages: every 211th cut", (t) => {
  t.diagnostic(clean(sweep("builtin", (all) => all.filter((p, i) => i % 211 === 0))));
  t.diagnostic(clean(sweep("4k", (all) => all.filter((p, i) => i % 211 === 0))));
});

test("depth 2 (2 x 256-byte pages): a second cut inside the recovery of every 97th first cut", (t) => {
  t.diagnostic(clean(sweep("tiny", (all) => all.filter((p, i) => i % 97 === 0), { depth2: { ops: 3 } })));
});

test("a cut is replayable: the same plan gives the same flash, and its name says `seed S k K variant V`", () => {
  const h = new Harness({ ops: workload(5, 40), geometry: "original" });
  const ref = h.reference();
  const p = plans(ref, 5).find((x) => x.variant === "torn" && x.op > 100);
  assert.match(planName(p), /^seed 5 k \d+ variant torn$/);
  h.runCase(p);
  h.cutOnly(p);
  const a = h.image();
  h.cutOnly(p);
  assert.deepEqual(h.image(), a);
});

test("the harness catches broken stores (mutations of the built modules/FlashKV.js)", () => {
  const js = readFileSync(new URL("../modules/FlashKV.js", import.meta.url), "utf8");
  const every = (n) => (all) => all.filter((p, i) => i % n === 0);
  const mutants = {
    "open() trusts the last record without its CRC":
      [/if \(E\.CRC32\(u\.subarray\(last, last \+ z\)\) == word\(u, last \+ z\)\)/, "if (true)", every(150)],
    "compaction writes the page header (the commit) before the records":
      [/(if \(o > HEADER\)\s*t\.program\(img\.subarray\(HEADER, o\), d \+ HEADER\);)([\s\S]*?t\.program\(new Uint8Array\(h\.buffer\), d\);)/,
        "$2 $1", every(150)],
    "open() takes the oldest generation": [/g > t\.gen/, "g < t.gen", every(150)],
    // caught by the "weak" erase variant: a page that reads blank after a cut erase is not really erased
    "compaction skips the erase of a page that reads blank": [/f\.erasePage\(\(d = t\.addr \+ D \* P\)\);/,
      "if (E.sum(f.read(P, (d = t.addr + D * P))) != 255 * P) f.erasePage(d);", (all) => all.filter((p) => p.variant === "weak")],
  };
  const ops = workload(11, 60);
  for (const [name, [re, by, select]] of Object.entries(mutants)) {
    assert.match(js, re, `${name}: the mutation applies to the build`);
    const s = sweep("original", select, { source: js.replace(re, by), ops });
    assert.ok(s.violations.length > 0, `${name}: ${s.cases} cases and no violation`);
    const s0 = sweep("original", select, { source: js, ops });
    assert.equal(s0.violations.length, 0, `${name}: the same cases pass on the unmutated readable build`);
  }
});
