#!/usr/bin/env node
// Run the Espruino-dialect suites in test-on-device/ on a board through the real `espruino` CLI (tools/upload.js)
// and fail on any `not ok`, a missing or wrong plan, a `Bail out!`, a timeout, an `Uncaught` error or a failed upload.
// Suites print standard TAP (version 13/14 as the `tap-parser` package reads it): result lines `ok N - name` /
// `not ok N - name` (SKIP and TODO directives allowed), and a plan `1..N` before or after them. An optional summary
// comment `# tests N pass P fail F` is checked against the results when present.
//   npm run test:device                                  the virtual board (one board for all suites)
//   npm run test:device -- --port /dev/ttyACM0           a real board over USB
//   node tools/test-device.js [--port P] [--model M] [--sleep s] [--timeout s] [suite.js ...]
// On the virtual board (node sim/serve.js --report-flash) it also checks that the suites left flash exactly as
// they found it.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Parser } from "tap-parser";
import { ROOT, saveTranscript, startVirtualBoard, upload } from "./upload.js";
import { modelOption, numberOption, orExit, parse, portOption } from "./cli-options.js";

const USAGE = "usage: npm run test:device -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|medium|connectivity|xl]\n" +
  "                              [--sleep s] [--timeout s] [suite.js ...]";

/**
 * Parse the TAP a suite printed (tap-parser; lines that are not TAP are ignored).
 * @param {string[]} lines  board output lines
 * @returns {{tests: {n: number, ok: boolean, name: string, skip: boolean, todo: boolean}[],
 *   summary: {tests: number, pass: number, fail: number}|null,
 *   plan: {start: number, end: number, skipAll: boolean, skipReason: string}|null,
 *   bailout: string|false, parserFailures: string[]}}
 */
export function parseTap(lines) {
  const tests = [];
  let summary = null, final = null, m;
  const parser = new Parser();
  parser.on("assert", (a) => tests.push({ n: a.id, ok: a.ok, name: a.name, skip: !!a.skip, todo: !!a.todo }));
  parser.on("complete", (r) => { final = r; });
  for (const raw of lines) {
    const line = raw.trim();
    if ((m = /^# tests (\d+) pass (\d+) fail (\d+)$/.exec(line))) summary = { tests: +m[1], pass: +m[2], fail: +m[3] };
    parser.write(line + "\n");
  }
  parser.end();
  const plan = final.plan.start === null && !final.plan.skipAll ? null
    : { start: final.plan.start, end: final.plan.end, skipAll: final.plan.skipAll, skipReason: final.plan.skipReason };
  const parserFailures = final.failures.filter((f) => f.tapError).map((f) => (f.name ? `${f.tapError}: ${f.name}` : f.tapError));
  return { tests, summary, plan, bailout: final.bailout, parserFailures };
}

/**
 * Why a suite's TAP output is not a pass (empty when it is).
 * @param {ReturnType<typeof parseTap>} tap
 * @returns {string[]}
 */
export function tapProblems({ tests, summary, plan, bailout, parserFailures }) {
  const out = [];
  for (const t of tests) if (!t.ok && !t.todo) out.push(`not ok ${t.n} - ${t.name}`);
  if (bailout !== false) out.push(`Bail out!${bailout === true || !bailout ? "" : " " + bailout}`);
  // "1..0 # SKIP reason" is a suite that skips everything on purpose; a bare "1..0" ran nothing
  if (!tests.length && !(plan && plan.skipAll && plan.skipReason)) out.push("no test results");
  for (const f of parserFailures) out.push(f === "no plan" ? "no plan line (1..N)" : f);
  if (summary && (summary.tests !== tests.length || summary.pass + summary.fail !== summary.tests ||
      summary.fail !== tests.filter((t) => !t.ok).length)) {
    out.push(`summary "# tests ${summary.tests} pass ${summary.pass} fail ${summary.fail}" does not match the ${tests.length} result lines`);
  }
  return [...new Set(out)];
}

/**
 * Whether a suite is done, from the lines seen so far: a plan after its results, as many results as a plan given
 * first, or a `Bail out!`. Used to stop listening early (a real port is listened to for --sleep seconds otherwise).
 * @param {string} line  the newest line
 * @param {string[]} seen  all lines so far
 */
export function finished(line, seen) {
  let plan = null, results = 0;
  for (const raw of seen) {
    const l = raw.trim();
    if (/^Bail out!/.test(l)) return true;
    const m = /^1\.\.(\d+)\b/.exec(l);
    if (m) plan = +m[1];
    else if (/^(not )?ok\b/.test(l)) results++;
  }
  return plan !== null && results >= plan;
}

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

/**
 * Parse command-line arguments (node:util parseArgs).
 * @param {string[]} argv
 * @returns {{suites: string[], port?: string, model: string, sleep?: number, timeoutMs?: number, help?: boolean}}
 * @throws {UsageError} unknown option, missing value, bad number, unknown model
 */
export function parseArgs(argv) {
  const { values: v, positionals } = parse(argv, {
    port: { type: "string", short: "p" }, model: { type: "string" }, sleep: { type: "string" },
    timeout: { type: "string" }, help: { type: "boolean", short: "h" },
  });
  if (v.help) return { help: true, suites: [] };
  const port = portOption(v.port);
  const timeout = numberOption("--timeout", v.timeout, { min: 1 });
  const o = { suites: positionals, port, model: modelOption(v.model, port), sleep: numberOption("--sleep", v.sleep),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000 };
  if (!o.suites.length) {
    const dir = join(ROOT, "test-on-device");
    o.suites = readdirSync(dir).filter((f) => f.endsWith(".js")).sort().map((f) => join(dir, f));
  }
  return o;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const o = orExit("test:device", USAGE, () => parseArgs(process.argv.slice(2)));
  if (o.help) { console.log(USAGE); process.exit(0); }
  const { ok, results } = await runSuites(o);
  const failed = results.filter((r) => !r.ok);
  console.log(`# ${results.length - failed.length}/${results.length} suites passed${failed.length ? "; failed: " + failed.map((r) => r.suite).join(", ") : ""}`);
  process.exit(ok ? 0 : 1);
}
