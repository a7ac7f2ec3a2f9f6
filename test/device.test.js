// tools/test-device.js on the virtual board through the real CLI: green on test-on-device/, red on the failing
// fixtures; and the on-device suites pass the Espruino dialect guard (ES5, no use before declaration).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkSource } from "../tools/check-espruino.js";
import { parseTap, tapProblems } from "../tools/test-device.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUITES = readdirSync(join(ROOT, "test-on-device")).filter((f) => f.endsWith(".js"));

/** Run `node tools/test-device.js ...args` like `npm run test:device -- ...args` (after the build). */
function runner(...args) {
  const r = spawnSync(process.execPath, ["tools/test-device.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr };
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
  assert.match(r.out, /# PASS test-on-device\/basic\.js: \d+ tests/);
  assert.match(r.out, /# touching only 0x0[0-9a-f]{7} \.\. 0x0[0-9a-f]{7}/, "the suite prints what it touches");
  assert.doesNotMatch(r.out, /left flash changed/);
});

test("runner is red on a deliberately failing assertion", () => {
  const r = runner("test/fixtures/failing-suite.js");
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /# FAIL test\/fixtures\/failing-suite\.js: not ok 2 - deliberately failing assertion/);
});

test("runner is red on a missing summary and on an Uncaught error", () => {
  const r = runner("test/fixtures/no-summary-suite.js", "test/fixtures/uncaught-suite.js");
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /FAIL test\/fixtures\/no-summary-suite\.js: no summary line/);
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
  assert.match(tapProblems(parseTap(["ok 1 - a", "# tests 2 pass 2 fail 0", "1..2"])).join("\n"), /does not match/);
  assert.match(tapProblems(parseTap(["ok 1 - a", "ok 3 - b", "# tests 2 pass 2 fail 0", "1..2"])).join("\n"), /numbered 3/);
  assert.match(tapProblems(parseTap(["# tests 0 pass 0 fail 0", "1..0"])).join("\n"), /no test results/);
});
