// tools/upload.js: the REAL pinned `espruino` CLI uploading to the virtual board over TCP, and the output judge.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cliArgs, isUploadComplete, judge, moduleDirs, parseArgs, renderLine, runCli, sentCode, startVirtualBoard } from "../tools/upload.js";

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

test("a board on a port (the virtual board served on TCP) with --sleep: `Upload Complete. Sleeping for 1s` completes", async () => {
  const vb = await startVirtualBoard({ lifetimeS: 60 });
  try {
    const r = uploadCli("--sleep", "1", "--port", vb.url, file("sleep.js", 'print("slept upload ran");\n'));
    assert.equal(r.status, 0, r.out + r.err);
    assert.match(r.out, /^slept upload ran$/m);
    assert.match(readFileSync(join(ROOT, "build", "upload-transcript.log"), "latin1"), /^Upload Complete\. Sleeping for 1s$/m);
  } finally {
    await vb.stop();
  }
});

test("completion does not hang on the CLI's wording: any 'Upload Complete...' line, or a clean exit after sending", () => {
  assert.equal(isUploadComplete("Upload Complete"), true);
  assert.equal(isUploadComplete("Upload Complete. Sleeping for 5s"), true);
  assert.equal(isUploadComplete("Uploading..."), false);
  const base = { stderr: "", port: "tcp://x", modulesDirs: [] };
  const sent = `serial: ---> ${JSON.stringify("\x10print(1)\n")}`;
  const v = (stdout, more) => judge({ ...base, stdout, exitCode: 0, ...more });
  assert.deepEqual(v(["Connected", sent, "Upload Complete. Sleeping for 5s"].join("\n")).reasons, []);
  assert.deepEqual(v(["Connected", sent, "Finished sending"].join("\n")).reasons, [], "exit 0 after sending: complete");
  assert.match(v(["Connected", sent].join("\n"), { exitCode: null, signal: "SIGTERM", stoppedEarly: true }).reasons.join(),
    /the upload did not complete/, "stopped before the CLI said it had sent everything");
});

test("a program that keeps printing (setInterval every 300 ms) uploads: exit 0 within seconds, its output shown", () => {
  const t0 = Date.now();
  const r = uploadCli(file("logger.js", 'var n = 0;\nsetInterval(function () { n++; print("tick " + n); }, 300);\n'));
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, /^tick 2$/m);
  assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
});

test("upload options are checked: a mistake is one clear line and exit 2, no virtual board started", () => {
  for (const [args, msg] of [
    [["--port"], /--port <value>' argument missing/],
    [["--port", ""], /--port needs a serial device/],
    [["--timeout", "abc", "x.js"], /--timeout needs a number of seconds >= 1, got "abc"/],
    [["--sleep", "soon", "x.js"], /--sleep needs a number of seconds >= 0, got "soon"/],
    [["--model", "stm32", "x.js"], /--model stm32: unknown virtual board/],
    [["--port", "/dev/ttyACM0", "--flash", "f.bin", "x.js"], /--flash .* cannot be combined with --port/],
    [["--verbose=yes", "x.js"], /does not take an argument/],
    [[], /no file given/],
    [["a.js", "b.js"], /only one file can be uploaded/],
  ]) {
    const r = uploadCli(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.out}${r.err}`);
    assert.match(r.err, msg, args.join(" "));
    assert.match(r.err, /^usage: npm run upload/m);
    assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
    assert.equal(r.out, "", "nothing was run");
  }
  assert.deepEqual(parseArgs(["-p", "tcp://localhost:8266", "app.js"]).port, "tcp://localhost:8266");
  assert.equal(uploadCli("--help").status, 0);
});

test("modules come from the app's own modules/ folder first, then this project's (an `exports = X` module too)", () => {
  const app = join(ROOT, "test/fixtures/app/journal-app.js");
  assert.deepEqual(moduleDirs(app), [join(ROOT, "test/fixtures/app/modules"), join(ROOT, "modules")]);
  const r = uploadCli(app);
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, /--config 'MODULE_URL=test\/fixtures\/app\/modules\|modules'/);
  assert.match(r.out, /^journal key 1 = second, key 2 = other$/m);
  assert.match(r.out, /upload: OK \((JournalStore from test\/fixtures\/app\/modules\/JournalStore\.js, STM32F1Flash from modules\/STM32F1Flash\.min\.js|STM32F1Flash from modules\/STM32F1Flash\.min\.js, JournalStore from test\/fixtures\/app\/modules\/JournalStore\.js)/);
});

test("--flash FILE keeps the virtual board's flash across runs: the boot counter example counts 1, 2, 3", () => {
  const flash = join(dir, "board.flash");
  for (const n of [1, 2, 3]) {
    const r = uploadCli("--flash", flash, join(ROOT, "examples/boot-counter.js"));
    assert.equal(r.status, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`^boot ${n}$`, "m"));
  }
  assert.equal(statSync(flash).size, 0x60000, "the whole flash of the Original (256 KB + the 128 KB ST does not document)");
  const wrong = file("short.flash", "not a flash image");
  const r = uploadCli("--flash", wrong, join(ROOT, "examples/boot-counter.js"));
  assert.equal(r.status, 1);
  assert.match(r.err, /FAILED: virtual board did not start: .*short\.flash: not a flash image of the original board \(17 bytes, expected 393216\)/);
  assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
});

test("a board served on TCP stays powered between uploads (RAM kept until the CLI's reset(), flash kept)", async () => {
  const vb = await startVirtualBoard({ lifetimeS: 60 });
  try {
    for (const n of [1, 2]) {
      const r = uploadCli("--port", vb.url, join(ROOT, "examples/boot-counter.js"));
      assert.equal(r.status, 0, r.out + r.err);
      assert.match(r.out, new RegExp(`^boot ${n}$`, "m"));
    }
  } finally {
    await vb.stop();
  }
});

test("the CLI's Save on Send (SAVE_ON_SEND=1: .bootcde in Storage, then load()) works on the virtual board", async () => {
  const vb = await startVirtualBoard({ lifetimeS: 60 });
  try {
    const args = cliArgs({ port: vb.url, file: file("sos.js", 'var where = "from .bootcde";\nprint("running " + where);\n') });
    args.splice(args.indexOf("-p"), 0, "--config", "SAVE_ON_SEND=1");
    const run = await runCli(args, { timeoutMs: 30_000 });
    const v = judge({ ...run, port: vb.url });
    assert.deepEqual(v.reasons, []);
    assert.match(sentCodeOf(run), /require\("Storage"\)\.write\("\.bootcde",/);
    assert.ok(v.boardLines.includes("running from .bootcde"), v.boardLines.join("\n"));
    const r = uploadCli("--port", vb.url, file("check.js", 'print("bootcde " + require("Storage").read(".bootcde").length + " bytes");\n'));
    assert.match(r.out, /^bootcde \d+ bytes$/m);
  } finally {
    await vb.stop();
  }
});

/** What the CLI sent, from its verbose transcript. */
function sentCodeOf(run) {
  return run.stdout.split("\n").filter((l) => l.startsWith("serial: ---> ")).map((l) => { try { return JSON.parse(l.slice(13)); } catch { return ""; } }).join("");
}

test("README's Web IDE project-folder route: each .min.js copied as <Name>.js (STM32F1Flash.js, FlashKV.js), re-minified by the IDE's Esprima minifier, runs the demo", async () => {
  // EspruinoWebIDE js/plugins/project.js finds only "<name>.js"; EspruinoTools plugins/minify.js then minifies it
  // (MODULE_MINIFICATION_LEVEL ESPRIMA, the default) - the CLI runs the same EspruinoTools code
  const project = join(dir, "ide-project", "modules");
  mkdirSync(project, { recursive: true });
  // the demo uses STM32F1Flash and FlashKV: each .min.js copied as <Name>.js
  for (const name of ["STM32F1Flash", "FlashKV"]) copyFileSync(join(ROOT, "modules", `${name}.min.js`), join(project, `${name}.js`));
  const vb = await startVirtualBoard({ lifetimeS: 60 });
  try {
    const args = cliArgs({ port: vb.url, file: "examples/demo.js", modulesDirs: [project] })
      .map((a) => (a === "MODULE_MINIFICATION_LEVEL=" ? "MODULE_MINIFICATION_LEVEL=ESPRIMA" : a === "MODULE_EXTENSIONS=.min.js|.js" ? "MODULE_EXTENSIONS=.js" : a));
    const run = await runCli(args, { timeoutMs: 60_000 });
    const v = judge({ ...run, port: vb.url });
    assert.deepEqual(v.reasons, []);
    assert.ok(v.boardLines.includes("Verify: OK"), v.boardLines.join("\n"));
    const sentModule = /Modules\.addCached\("STM32F1Flash",function\(\)\{(.*)\}\);/s.exec(sentCode(run.stdout));
    assert.ok(sentModule && !sentModule[1].startsWith(readFileSync(join(project, "STM32F1Flash.js"), "utf8").trim().slice(0, 200)),
      "the module was minified again, not sent as the file");
  } finally {
    await vb.stop();
  }
});
