// tools/test-device.js on the virtual board through the real CLI: green on test-on-device/, red on the failing
// fixtures; and the on-device suites pass the Espruino dialect guard (ES5, no use before declaration).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkSource } from "../tools/check-espruino.js";
import { finished, parseArgs, parseTap, tapProblems } from "../tools/test-device.js";
import { startVirtualBoard } from "../tools/upload.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUITES = readdirSync(join(ROOT, "test-on-device")).filter((f) => f.endsWith(".js"));

/** Run `node tools/test-device.js ...args` like `npm run test:device -- ...args` (after the build). */
function runner(...args) {
  const r = spawnSync(process.execPath, ["tools/test-device.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Run the runner against a virtual board served on TCP: the same code path as a real port (--sleep 5, no flash check). */
async function runnerOnServedBoard(...args) {
  const vb = await startVirtualBoard({ lifetimeS: 120 });
  try {
    const r = await new Promise((resolve) => {
      const child = spawn(process.execPath, ["tools/test-device.js", "--port", vb.url, ...args], { cwd: ROOT });
      let out = "";
      child.stdout.on("data", (d) => { out += d; });
      child.stderr.on("data", (d) => { out += d; });
      child.on("close", (status) => resolve({ status, out }));
    });
    return { ...r, url: vb.url };
  } finally {
    await vb.stop();
  }
}

test("the on-device suites are Espruino dialect (ES5, declared before use, ASCII)", () => {
  assert.ok(SUITES.includes("basic.js"));
  for (const f of SUITES) {
    const { errors } = checkSource(readFileSync(join(ROOT, "test-on-device", f), "utf8"), f);
    assert.deepEqual(errors, [], f);
  }
});

test("runner is green on test-on-device/ and the suites leave flash as they found it", () => {
  const r = runner();
  assert.equal(r.status, 0, r.out);
  for (const f of SUITES) assert.match(r.out, new RegExp(`# PASS test-on-device/${f.replace(".", "\\.")}: \\d+ tests`));
  assert.match(r.out, /# touching only 0x0[0-9a-f]{7} \.\. 0x0[0-9a-f]{7}/, "the suite prints what it touches");
  assert.doesNotMatch(r.out, /left flash changed/);
});

test("runner is red on a deliberately failing assertion", () => {
  const r = runner("test/fixtures/failing-suite.js");
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /# FAIL test\/fixtures\/failing-suite\.js: not ok 2 - deliberately failing assertion/);
});

test("runner is red on a missing plan and on an Uncaught error", () => {
  const r = runner("test/fixtures/no-summary-suite.js", "test/fixtures/uncaught-suite.js");
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /FAIL test\/fixtures\/no-summary-suite\.js: no plan line/);
  assert.match(r.out, /FAIL test\/fixtures\/uncaught-suite\.js: the board reported: Uncaught Error: escaped from the suite/);
  assert.match(r.out, /# 0\/2 suites passed/);
});

test("runner is red when a suite leaves flash changed (virtual board) or the board gets stuck", () => {
  const dirty = runner("test/fixtures/dirty-suite.js");
  assert.equal(dirty.status, 1, dirty.out);
  assert.match(dirty.out, /FAIL the suites did not leave flash as they found it: flash changed at 0x0803AFFC-0x0803AFFF/);
  const stuck = runner("test/fixtures/stuck-suite.js");
  assert.equal(stuck.status, 1, stuck.out);
  assert.match(stuck.out, /FAIL the virtual board did not stop when asked/);
});

test("TAP checks: counts must match, numbering must run 1..N", () => {
  const ok = parseTap(["ok 1 - a", "ok 2 - b", "# tests 2 pass 2 fail 0", "1..2"]);
  assert.deepEqual(tapProblems(ok), []);
  assert.match(tapProblems(parseTap(["ok 1 - a", "# tests 2 pass 2 fail 0", "1..2"])).join("\n"), /does not match|incorrect number/);
  assert.match(tapProblems(parseTap(["ok 1 - a", "ok 3 - b", "# tests 2 pass 2 fail 0", "1..2"])).join("\n"), /id greater than plan end/);
  assert.match(tapProblems(parseTap(["# tests 0 pass 0 fail 0", "1..0"])).join("\n"), /no test results/);
});

test("standard TAP is accepted: plan first, no summary line, SKIP and TODO directives, unnumbered results", () => {
  assert.deepEqual(tapProblems(parseTap(["TAP version 13", "1..2", "ok 1 - a", "ok 2 - b # SKIP no such pin"])), []);
  assert.deepEqual(tapProblems(parseTap(["ok - a", "not ok - b # TODO later", "1..2"])), []);
  assert.deepEqual(tapProblems(parseTap(["1..0 # SKIP no free page on this board"])), []);
  assert.match(tapProblems(parseTap(["1..3", "ok 1 - a", "ok 2 - b"])).join("\n"), /incorrect number of tests/);
  assert.match(tapProblems(parseTap(["1..2", "ok 1 - a", "Bail out! flash locked"])).join("\n"), /Bail out! flash locked/);
  assert.match(tapProblems(parseTap(["ok 1 - a", "ok 2 - b"])).join("\n"), /no plan line/);
  assert.match(tapProblems(parseTap(["1..1", "not ok 1 - broken"])).join("\n"), /not ok 1 - broken/);
  // when to stop listening: all results of a plan given first, a plan after the results, a bail out
  assert.equal(finished("", ["1..2", "ok 1 - a"]), false);
  assert.equal(finished("", ["1..2", "ok 1 - a", "ok 2 - b"]), true);
  assert.equal(finished("", ["ok 1 - a", "1..1"]), true);
  assert.equal(finished("", ["Bail out!"]), true);
});

test("runner accepts a suite printing standard TAP (plan first, no summary) through the CLI", () => {
  const r = runner("test/fixtures/standard-tap-suite.js");
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /# PASS test\/fixtures\/standard-tap-suite\.js: 3 tests/);
});

test("a board on a port (the virtual board served on TCP: the real-port path, --sleep 5) runs the suites green", async () => {
  const t0 = Date.now();
  const r = await runnerOnServedBoard();
  assert.equal(r.status, 0, r.out);
  for (const f of SUITES) assert.match(r.out, new RegExp(`# PASS test-on-device/${f.replace(".", "\\.")}: \\d+ tests`));
  assert.match(r.out, new RegExp(`# ${SUITES.length}/${SUITES.length} suites passed`));
  assert.ok(Date.now() - t0 < 15_000 * SUITES.length, "stops listening once each suite is done, not after --sleep");
});

test("runner options are checked: a mistake is one clear line and exit 2, before any board is touched", () => {
  for (const [args, msg] of [
    [["--port"], /--port <value>' argument missing/],
    [["--port", "--sleep", "1"], /argument is ambiguous/],
    [["--timeout", "abc"], /--timeout needs a number of seconds >= 1, got "abc"/],
    [["--model", "f103"], /--model f103: unknown virtual board \(use original, medium, connectivity, xl\)/],
    [["--port", "tcp://127.0.0.1:1", "--model", "medium"], /cannot be combined with --port/],
    [["--port", "tcp://127.0.0.1"], /expected tcp:\/\/host:port/],
    [["--bogus"], /Unknown option '--bogus'/],
  ]) {
    const r = runner(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.out}`);
    assert.match(r.out, msg, args.join(" "));
    assert.match(r.out, /^usage: npm run test:device/m);
    assert.doesNotMatch(r.out, /\n\s+at /, "no stack trace");
    assert.doesNotMatch(r.out, /# suite /, "nothing was run");
  }
  assert.throws(() => parseArgs(["--sleep=-1"]), /--sleep needs a number of seconds >= 0/);
});
