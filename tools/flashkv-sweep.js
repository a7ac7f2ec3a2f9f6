#!/usr/bin/env node
// The full power-cut sweep of FlashKV (`npm run test:power`; .ci/run runs it after `npm test`): the built
// modules/FlashKV.min.js in the virtual board, cut at every native call and inside every flash operation in every
// fault variant of sim/power-cut.js, then recovered and checked against a model of the acknowledged operations
// (test/flashkv-power.js says what is checked). Parts:
//   original  300 operations, 2 x 2 KB pages, STM32F1Flash (the default): every cut
//   builtin   300 operations, the board's built-in require("Flash") model: every native call and erase, every 3rd
//             half-word program
//   4k        300 operations, 3 x 4 KB pages behind a Flash-API object: every native call and erase, every 3rd
//             half-word program
//   depth2    20 operations, 2 x 256-byte pages: every first cut, then in its recovery (open() + redo of the
//             operation cut off) a second cut after every native call and inside 4 random flash ops (all variants)
//   soak      100 000 updates of one counter on 2 x 2 KB pages: wear, updates per erase, the value
//   node tools/flashkv-sweep.js [--workers N] [--only original,builtin,4k,depth2,soak] [--stride K] [--json FILE]
// --stride K runs every K-th plan of every part (a quick look). Exit code 1 on any violation; each one is printed
// as `seed S k K variant V` (replay: Harness.runCase({afterCall: K} or {op: K, variant: V, seed: S})).
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);

/** Parts of the sweep: how first-cut plans are chosen (`every` flash ops: 1 = all) and depth-2 settings. */
export const PARTS = {
  original: { geometry: "original", every: 1 },
  builtin: { geometry: "builtin", every: 3 },
  "4k": { geometry: "4k", every: 3 },
  depth2: { geometry: "tiny", every: 1, depth2: { calls: 1, ops: 4 } },
};

/** Split a part into tasks of about `size` plans each (interleaved, so that each task mixes early and late cuts). */
function tasks(part, total, size, stride) {
  const n = Math.max(1, Math.ceil(total / stride / size));
  return Array.from({ length: n }, (_, c) => ({ part, chunk: c, chunks: n, stride }));
}

/** Worker side: run one task, post its statistics. */
async function runTask({ part, chunk, chunks, stride }) {
  const { sweep, soak } = await import("../test/flashkv-power.js");
  if (part === "soak") return { part, soak: soak(100000) };
  const P = PARTS[part];
  const select = (all) => all.filter((p, i) => i % stride === 0 && Math.floor(i / stride) % chunks === chunk &&
    (p.afterCall !== undefined || p.kind === "erase" || (p.op - 1) % P.every === 0));
  return { part, stats: sweep(P.geometry, select, { depth2: P.depth2 }) };
}

if (!isMainThread) {
  parentPort.on("message", async (task) => parentPort.postMessage(await runTask(task)));
} else if (process.argv[1] === SELF) {
  const { values } = parseArgs({ options: {
    workers: { type: "string", default: String(Math.max(1, Math.min(availableParallelism(), 8))) },
    only: { type: "string", default: "original,builtin,4k,depth2,soak" },
    stride: { type: "string", default: "1" },
    json: { type: "string" },
  } });
  const only = values.only.split(","), stride = Math.max(1, Number(values.stride)), t0 = Date.now();
  const { sweep } = await import("../test/flashkv-power.js");
  const queue = [];
  if (only.includes("soak")) queue.push({ part: "soak" });
  for (const part of Object.keys(PARTS).filter((p) => only.includes(p))) {
    const total = sweep(PARTS[part].geometry, () => []).plans; // plan count from a reference run
    queue.push(...tasks(part, total, part === "depth2" ? 60 : 700, stride));
  }
  const results = [];
  const nWorkers = Math.min(Number(values.workers), queue.length);
  console.log(`flashkv sweep: ${queue.length} tasks on ${nWorkers} worker threads`);
  await Promise.all(Array.from({ length: nWorkers }, () => new Promise((resolve, reject) => {
    const w = new Worker(SELF, { resourceLimits: { maxOldGenerationSizeMb: 384 } }); // vm contexts: collect early
    const next = () => {
      const t = queue.shift();
      if (!t) { w.terminate(); resolve(); return; }
      w.postMessage(t);
    };
    w.on("message", (r) => { results.push(r); process.stdout.write("."); next(); });
    w.on("error", reject);
    next();
  })));
  process.stdout.write("\n");
  const summary = { seconds: Math.round((Date.now() - t0) / 1000), parts: {} };
  let violations = 0;
  for (const r of results) {
    if (r.soak) { summary.parts.soak = r.soak; continue; }
    const s = r.stats, acc = summary.parts[r.part] ??= { geometry: s.geometry, workload: s.workload, plans: s.plans, cases: 0,
      secondCuts: 0, notReached: 0, kinds: {}, violations: [], violationCount: 0 };
    acc.cases += s.cases;
    acc.secondCuts += s.second;
    acc.notReached += s.notReached;
    for (const [k, v] of Object.entries(s.kinds)) acc.kinds[k] = (acc.kinds[k] || 0) + v;
    acc.violationCount += s.violations.length;
    acc.violations.push(...s.violations.filter(Boolean).slice(0, 20 - acc.violations.length));
  }
  for (const [part, s] of Object.entries(summary.parts)) {
    if (part === "soak") {
      const ok = s.value === s.updates && Math.max(...s.erases) - Math.min(...s.erases) <= 1 &&
        JSON.stringify(s.erases) === JSON.stringify(s.real);
      if (!ok) violations++;
      console.log(`soak: ${s.updates} updates, ${s.compactions} compactions, ${s.updatesPerErase.toFixed(1)} updates per erase, ` +
        `erase counts ${JSON.stringify(s.erases)} (simulator ${JSON.stringify(s.real)}), value ${s.value}: ${ok ? "ok" : "VIOLATION"}`);
      continue;
    }
    violations += s.violationCount;
    console.log(`${part} (${s.geometry}; ${s.workload.ops} operations, ${s.workload.compactions} compactions, ` +
      `${s.workload.nativeCalls} native calls, ${s.workload.flashOps} flash operations): ${s.cases} cases` +
      (s.secondCuts ? ` (all with a second cut in the recovery)` : "") + `, ${s.violationCount} violations`);
    for (const [k, v] of Object.entries(s.kinds).sort()) console.log(`    ${String(v).padStart(6)}  ${k}`);
    for (const v of s.violations) console.log(`  VIOLATION ${v.name} (${v.cut}; operation cut off: ${v.pending}): ${v.violations.join("; ")}`);
  }
  console.log(`flashkv sweep: ${violations} violations in ${summary.seconds} s`);
  if (values.json) writeFileSync(values.json, JSON.stringify(summary, null, 1));
  process.exit(violations ? 1 : 0);
}
