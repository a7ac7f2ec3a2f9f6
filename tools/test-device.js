#!/usr/bin/env node
// Run the Espruino-dialect suites in test-on-device/ on a board through the real `espruino` CLI (tools/upload.js)
// and fail on any `not ok`, a missing summary or plan, a count mismatch, a timeout, an `Uncaught` error or a
// failed upload.
//   npm run test:device                                  the virtual board (one board for all suites)
//   npm run test:device -- --port /dev/ttyACM0           a real board over USB
//   node tools/test-device.js [--port P] [--model M] [--sleep s] [--timeout s] [suite.js ...]
// On the virtual board (node sim/serve.js --report-flash) it also checks that the suites left flash exactly as
// they found it.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, saveTranscript, startVirtualBoard, upload } from "./upload.js";

const USAGE = "usage: npm run test:device -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|medium|connectivity|xl] " +
  "[--sleep s] [--timeout s] [suite.js ...]";

/**
 * Parse the TAP-like lines a suite printed.
 * @param {string[]} lines  board output lines
 * @returns {{tests: {n: number, ok: boolean, name: string}[], summary: {tests: number, pass: number, fail: number}|null,
 *   plan: number|null}}
 */
export function parseTap(lines) {
  const tests = [];
  let summary = null, plan = null, m;
  for (const raw of lines) {
    const line = raw.trim();
    if ((m = /^(not ok|ok) (\d+)\b\s*-?\s*(.*)$/.exec(line))) tests.push({ n: +m[2], ok: m[1] === "ok", name: m[3] });
    else if ((m = /^# tests (\d+) pass (\d+) fail (\d+)$/.exec(line))) summary = { tests: +m[1], pass: +m[2], fail: +m[3] };
    else if ((m = /^1\.\.(\d+)$/.exec(line))) plan = +m[1];
  }
  return { tests, summary, plan };
}

/**
 * Why a suite's TAP output is not a pass (empty when it is).
 * @param {ReturnType<typeof parseTap>} tap
 * @returns {string[]}
 */
export function tapProblems({ tests, summary, plan }) {
  const out = [];
  for (const t of tests) if (!t.ok) out.push(`not ok ${t.n} - ${t.name}`);
  if (!summary) out.push("no summary line (# tests N pass P fail F)");
  if (plan === null) out.push("no plan line (1..N)");
  if (!tests.length) out.push("no test results");
  if (summary && (summary.tests !== tests.length || summary.pass + summary.fail !== summary.tests ||
      summary.fail !== tests.filter((t) => !t.ok).length)) {
    out.push(`summary "# tests ${summary.tests} pass ${summary.pass} fail ${summary.fail}" does not match the ${tests.length} result lines`);
  }
  if (plan !== null && plan !== tests.length) out.push(`plan 1..${plan} but ${tests.length} results`);
  tests.forEach((t, i) => { if (t.n !== i + 1) out.push(`result ${i + 1} is numbered ${t.n}`); });
  return [...new Set(out)];
}

/** Stop listening once a suite has printed its summary and plan. @param {string} line @param {string[]} seen */
const finished = (line, seen) => /^1\.\.\d+$/.test(line.trim()) && seen.some((l) => /^# tests \d+/.test(l.trim()));

/**
 * Run suites on one board.
 * @param {object} o
 * @param {string[]} o.suites  suite files
 * @param {string} [o.port]  serial device or tcp://...; default: a virtual board started for the run
 * @param {string} [o.model]  virtual board model
 * @param {number} [o.sleep]  seconds the CLI keeps listening after each upload (default 5 on a real port, 0 virtual)
 * @param {number} [o.timeoutMs]  per suite (default 60 000 ms)
 * @param {function(string): void} [o.out]  progress and board output (default console.log)
 * @returns {Promise<{ok: boolean, results: {suite: string, ok: boolean, reasons: string[], tests: number}[]}>}
 */
export async function runSuites(o) {
  const out = o.out || ((l) => console.log(l));
  let virtual = null, port = o.port;
  if (!port) {
    virtual = await startVirtualBoard({ model: o.model, reportFlash: true });
    port = virtual.url;
    out(`# virtual board (${o.model || "original"}) on ${port}`);
  }
  const results = [];
  try {
    for (const suite of o.suites) {
      const name = relative(ROOT, suite) || suite;
      out(`# suite ${name}`);
      const r = await upload({
        file: suite, port, sleep: o.sleep ?? (virtual ? 0 : 5), timeoutMs: o.timeoutMs || 60_000, until: finished,
        onBoardLine: (l) => out(`  ${l}`), onLog: (m) => out(`# ${m}`),
      });
      const tap = parseTap(r.boardLines);
      const reasons = [...r.reasons, ...tapProblems(tap)];
      const transcript = saveTranscript(`test-device-${name.replace(/[^\w.-]+/g, "_")}.log`, r);
      results.push({ suite: name, ok: reasons.length === 0, reasons, tests: tap.tests.length });
      out(reasons.length ? `# FAIL ${name}: ${reasons.join("; ")} (transcript ${transcript})`
        : `# PASS ${name}: ${tap.tests.length} tests`);
    }
  } finally {
    if (virtual) {
      const { flash, stuck } = await virtual.stop();
      if (flash !== "flash unchanged" || stuck) {
        const why = stuck ? "the virtual board did not stop when asked (stuck in a loop?)"
          : `the suites did not leave flash as they found it: ${flash || "no flash report"}`;
        results.push({ suite: "(virtual board)", ok: false, tests: 0, reasons: [why] });
        out(`# FAIL ${why}`);
      } else out("# virtual board: flash unchanged by the suites");
    }
  }
  return { ok: results.length > 0 && results.every((r) => r.ok), results };
}

/** @param {string[]} argv */
export function parseArgs(argv) {
  const o = { suites: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === "--port" || a === "-p") { o.port = v; i++; }
    else if (a === "--model") { o.model = v; i++; }
    else if (a === "--sleep") { o.sleep = Number(v); i++; }
    else if (a === "--timeout") { o.timeoutMs = Number(v) * 1000; i++; }
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else o.suites.push(a);
  }
  if (!o.suites.length) {
    const dir = join(ROOT, "test-on-device");
    o.suites = readdirSync(dir).filter((f) => f.endsWith(".js")).sort().map((f) => join(dir, f));
  }
  return o;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
  const { ok, results } = await runSuites(o);
  const failed = results.filter((r) => !r.ok);
  console.log(`# ${results.length - failed.length}/${results.length} suites passed${failed.length ? "; failed: " + failed.map((r) => r.suite).join(", ") : ""}`);
  process.exit(ok ? 0 : 1);
}
