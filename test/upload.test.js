// tools/upload.js: the REAL pinned `espruino` CLI uploading to the virtual board over TCP, and the output judge.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cliArgs, judge, renderLine, runCli, startVirtualBoard } from "../tools/upload.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "stm32f1flash-upload-"));

/** Write a file to upload into a temp dir; returns its path. */
function file(name, code) {
  const p = join(dir, name);
  writeFileSync(p, code);
  return p;
}

/** Run `node tools/upload.js ...args` like `npm run upload -- ...args`. */
function uploadCli(...args) {
  const r = spawnSync(process.execPath, ["tools/upload.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test("upload succeeds with exit 0; the module sent is modules/STM32F1Flash.min.js as built", () => {
  const r = uploadCli(file("ok.js", 'var F = require("STM32F1Flash");\nprint("page size", F.getPage(0x08000000).length);\n'));
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, /^upload: running: node -r \.\/tools\/cli-guard\.cjs node_modules\/espruino\/bin\/espruino-cli\.js --no-ble /m);
  assert.match(r.out, /--config MODULE_URL=modules /);
  assert.match(r.out, /--config SERIAL_THROTTLE_SEND=1 /);
  assert.match(r.out, /^page size 2048$/m, "board output forwarded to stdout");
  assert.match(r.out, /upload: OK \(STM32F1Flash from modules\/STM32F1Flash\.min\.js/);
});

test("a small upload (< 512 bytes) does not hang", () => {
  const r = uploadCli(file("tiny.js", "print(1)\n"));
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, /^1$/m);
});

test("the trap SERIAL_THROTTLE_SEND=1 avoids: without it a small upload hangs; the launcher times out -> non-zero", async () => {
  const vb = await startVirtualBoard();
  try {
    const args = cliArgs({ port: vb.url, file: file("tiny2.js", "print(2)\n") })
      .filter((a, i, all) => a !== "SERIAL_THROTTLE_SEND=1" && !(a === "--config" && all[i + 1] === "SERIAL_THROTTLE_SEND=1"));
    const run = await runCli(args, { timeoutMs: 4000 });
    const v = judge({ ...run, port: vb.url });
    assert.equal(run.timedOut, true);
    assert.equal(v.ok, false);
    assert.match(v.reasons.join("\n"), /timed out/);
  } finally {
    await vb.stop();
  }
});

test("a file that throws -> non-zero", () => {
  const r = uploadCli(file("throws.js", 'print("before");\nthrow new Error("demo failed");\n'));
  assert.equal(r.status, 1, r.out + r.err);
  assert.match(r.err, /FAILED: the board reported: Uncaught Error: demo failed/);
});

test("a missing module -> non-zero (the CLI warning and the board's error both count)", () => {
  const r = uploadCli(file("missing.js", 'var M = require("NoSuchModule42");\nprint("loaded");\n'));
  assert.equal(r.status, 1, r.out + r.err);
  assert.match(r.err, /FAILED: module NoSuchModule42 not found in modules\//);
  assert.match(r.err, /Module "NoSuchModule42" not found/);
});

test("no connection -> non-zero", () => {
  const r = uploadCli("--port", "tcp://127.0.0.1:1", file("any.js", "print(1)\n"));
  assert.equal(r.status, 1, r.out + r.err);
  assert.match(r.err, /FAILED: no connection to tcp:\/\/127\.0\.0\.1:1/);
});

test("without MODULE_URL the CLI would go to the network: the guard blocks it and the judge fails the run", async () => {
  const vb = await startVirtualBoard();
  try {
    const args = cliArgs({ port: vb.url, file: file("net.js", 'require("STM32F1Flash");\n') })
      .filter((a, i, all) => !(a.startsWith("MODULE_URL=") || a.startsWith("BOARD_JSON_URL=") ||
        (a === "--config" && /^(MODULE_URL|BOARD_JSON_URL)=/.test(all[i + 1] || ""))));
    const run = await runCli(args, { timeoutMs: 30_000 });
    const v = judge({ ...run, port: vb.url, modulesDir: join(ROOT, "modules") });
    assert.equal(v.ok, false);
    assert.ok(v.reasons.some((r) => /tried the network \(blocked\): https?:\/\/www\.espruino\.com/.test(r)), v.reasons.join("\n"));
  } finally {
    await vb.stop();
  }
});

test("judge: a module sent that differs from modules/ fails; board lines are rendered without prompt erasure", () => {
  const min = readFileSync(join(ROOT, "modules", "STM32F1Flash.min.js"), "utf8").trim();
  const sent = (code) => `serial: ---> ${JSON.stringify(`\x10Modules.addCached("STM32F1Flash",function(){${code}});\n`)}`;
  const base = { stderr: "", exitCode: 0, port: "tcp://x", modulesDir: join(ROOT, "modules") };
  const good = judge({ ...base, stdout: ["Connected", sent(min), "--] >\x08hello", "Upload Complete"].join("\n") });
  assert.deepEqual(good.reasons, []);
  assert.deepEqual(good.boardLines, ["hello"]);
  const old = judge({ ...base, stdout: ["Connected", sent("exports.old=1;"), "Upload Complete"].join("\n") });
  assert.match(old.reasons.join("\n"), /module STM32F1Flash sent by the CLI is not modules\/STM32F1Flash\.min\.js as built/);
  const silent = judge({ ...base, stdout: "Connected\n" });
  assert.match(silent.reasons.join("\n"), /no upload observed/);
  assert.equal(renderLine("abc\x08\x08\x08   \x08\x08\x08\x08>x\x1b[D\x1b[Dyz\r"), "yz");
});
