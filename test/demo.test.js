// The main job (`npm start`): examples/demo.js uploaded by the real espruino CLI to the virtual board ends in a
// verified write, keeps a FlashKV value through a power cut in the middle of an update, and exits 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("npm start's upload of examples/demo.js prints the map, a verified write and the board's counters, exit 0", () => {
  const root = new URL("..", import.meta.url).pathname;
  const r = spawnSync(process.execPath, ["tools/upload.js", "examples/demo.js"], { cwd: root, encoding: "utf8",
    timeout: 120_000, env: { ...process.env, INIT_CWD: root } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /0x0802F000-0x0803AFFF {2}free/);
  assert.match(r.stdout, /word 0x0802F000 = 0xCAFEBABE/);
  assert.match(r.stdout, /text 0x0802F010 = "Hello from STM32F1Flash"/);
  assert.match(r.stdout, /Verify: OK/);
  // FlashKV: a value kept, power cut inside the next update (torn program), power up, the value survived
  assert.match(r.stdout, /FlashKV kept greeting = "Hello from FlashKV"\n[^]*cutting power[^]*espruino\.com[^]*\n/);
  assert.match(r.stdout, /Power is back: greeting = "Hello from FlashKV"\nFlashKV survived the power cut: OK/);
  assert.doesNotMatch(r.stdout, /not reached/);
  assert.match(r.stdout, /board counters: \d+ native calls, \d+ BSY polls, [\d.]+ ms simulated, 0 bus faults/);
});
