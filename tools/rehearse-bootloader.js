#!/usr/bin/env node
// Rehearse the STM32F1Bootloader module on the virtual Espruino Original with the real stm32flash:
//   npm run rehearse:bootloader [-- --stay]
// 1. starts a virtual board on a TCP port (sim/tcp.js) and, as a terminal would, uploads
//    modules/STM32F1Bootloader.min.js and calls require("STM32F1Bootloader").enterSystemBootloader({confirm:true});
// 2. bridges a pseudo-terminal to the board's serial link with socat (the stand-in for a USB-serial adapter on A9/A10);
// 3. runs stm32flash on it: probe, then dump the whole flash to a file and compare it with the board's flash;
// 4. starts Espruino again with stm32flash -g 0x08000000 (--stay: leaves the board in the ST bootloader instead).
// Needs the Debian packages stm32flash and socat (`apt-get install -y stm32flash socat`); fails without them.
// Linux ptys cannot carry parity (the pty driver forces CS8 and clears PARENB), so stm32flash runs with -m 8n1 here;
// a real board needs the default 8e1. test-apt/stm32flash.test.js uses the same functions.
import { spawn, spawnSync, execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createBoard } from "../sim/board.js";
import { serveREPL } from "../sim/tcp.js";

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const USAGE = "usage: npm run rehearse:bootloader [-- --stay]   (--stay: leave the board in the ST bootloader, serving on)";

/** Throw unless the Debian package's program runs. @param {string} name  @param {string[]} args */
export function requireTool(name, args = ["-h"]) {
  const r = spawnSync(name, args, { stdio: "ignore" });
  if (r.error && r.error.code === "ENOENT") throw new Error(`${name} is not installed: apt-get install -y stm32flash socat`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A virtual Original in the ST ROM bootloader, with a pty bridged to its serial link.
 * @param {object} [o]
 * @param {object} [o.boardOptions]  createBoard options
 * @param {string} [o.call]  the JavaScript typed at the console (default: enterSystemBootloader({confirm:true}))
 * @returns {Promise<{board, tty: string, dir: string, console: string, stm32flash: function(string[]): Promise<{code: number, out: string}>, close: function(): Promise<void>}>}
 */
export async function startRehearsal(o = {}) {
  requireTool("stm32flash");
  requireTool("socat", ["-V"]);
  const board = createBoard(o.boardOptions ?? {});
  const server = await serveREPL({ board, port: 0, idleTimeoutMs: 0, lifetimeMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), "stm32f1-rehearsal-"));
  const tty = join(dir, "ttyV0");
  let socat = null;
  const close = async () => {
    if (socat && socat.exitCode === null) { socat.kill("SIGTERM"); await new Promise((r) => socat.once("exit", r)); }
    await server.close();
    board.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // 1. the console: upload the module and call it, as the espruino CLI or a terminal would
    const text = await talk(server.port, [
      `\x10Modules.addCached("STM32F1Bootloader", ${JSON.stringify(readFileSync(join(ROOT, "modules/STM32F1Bootloader.min.js"), "utf8"))})\n`,
      (o.call ?? 'require("STM32F1Bootloader").enterSystemBootloader({confirm:true})') + "\n",
    ], /RST to return|Uncaught/);
    if (/Uncaught/.test(text)) throw new Error(`the board refused: ${text.slice(text.indexOf("Uncaught")).split("\r")[0]}`);
    // 2. the wire: a pty for stm32flash, bridged to the board's serial link
    socat = spawn("socat", [`PTY,link=${tty},raw,echo=0`, `TCP:127.0.0.1:${server.port}`], { stdio: "ignore" });
    for (let i = 0; i < 100 && !existsSync(tty); i++) await sleep(50);
    if (!existsSync(tty)) throw new Error("socat did not create the pty");
    const stm32flash = (args) => new Promise((resolve) => {
      execFile("stm32flash", ["-m", "8n1", ...args, tty], { timeout: 180_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, out: (stdout + stderr).replace(/\r/g, "\n") });
      });
    });
    return { board, tty, dir, console: text, stm32flash, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Send lines to the board's console over TCP; resolve with everything received once `until` matches. */
function talk(port, lines, until) {
  return new Promise((resolve, reject) => {
    let text = "";
    const sock = net.connect(port, "127.0.0.1", () => { for (const l of lines) sock.write(l, "latin1"); });
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no answer from the board: ${text.slice(-300)}`)); }, 10_000);
    sock.on("data", (d) => {
      text += d.toString("latin1");
      if (until.test(text)) { clearTimeout(timer); sock.end(); }
    });
    // the board serves one client at a time: the next one (socat) may connect once this one is closed
    sock.on("close", () => { clearTimeout(timer); if (until.test(text)) setTimeout(() => resolve(text), 50); });
    sock.on("error", reject);
  });
}

/** stm32flash output without its progress lines. */
export const summary = (out) => out.split("\n").filter((l) => l.trim() && !/^(Read|Wrote)( and verified)? address/.test(l.trim())).join("\n");

export const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let args;
  try { args = parseArgs({ options: { stay: { type: "boolean" }, help: { type: "boolean", short: "h" } } }).values; }
  catch (e) { console.error(`${e.message}\n${USAGE}`); process.exit(2); }
  if (args.help) { console.log(USAGE); process.exit(0); }
  const t0 = Date.now();
  const r = await startRehearsal().catch((e) => { console.error(e.message); process.exit(1); });
  const say = (s) => console.log(s);
  say("== The board's console, after typing require(\"STM32F1Bootloader\").enterSystemBootloader({confirm:true}):");
  say(r.console.split(/\r?\n/).filter((l) => /Entering|Connect|stm32flash|USB/.test(l)).map((l) => "  " + l).join("\n"));
  say(`== The routine ran on the emulated CPU: ${r.board.cpu.lastRun.instructions} instructions, stopped at ${r.board.cpu.lastRun.reason === "rom" ? "the ROM reset handler" : r.board.cpu.lastRun.reason}`);
  say(`== stm32flash -m 8n1 ${r.tty}   (on a real board: stm32flash -b 115200 /dev/ttyUSB0)`);
  const probe = await r.stm32flash([]);
  say(summary(probe.out).split("\n").filter((l) => !/^(stm32flash 0|http)/.test(l)).map((l) => "  " + l).join("\n"));
  const size = r.board.chip.flash.size;
  const file = join(r.dir, "flash.bin");
  say(`== stm32flash -m 8n1 -r flash.bin -S 0x08000000:${size} ${r.tty}`);
  const dump = await r.stm32flash(["-r", file, "-S", `0x08000000:${size}`]);
  const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  const same = Buffer.compare(bytes, Buffer.from(r.board.flash())) === 0;
  say(`  exit ${dump.code}, ${bytes.length} bytes, sha256 ${sha256(bytes)}: ${same ? "equal to" : "DIFFERENT from"} the board's flash`);
  if (!args.stay) {
    say(`== stm32flash -m 8n1 -g 0x08000000 ${r.tty}`);
    const go = await r.stm32flash(["-g", "0x08000000"]);
    say(`  exit ${go.code}; the board runs Espruino again: process.env.VERSION = ${JSON.stringify(r.board.eval("process.env.VERSION"))}`);
    await r.close();
    say(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    process.exit(probe.code || dump.code || go.code || !same ? 1 : 0);
  }
  say(`== the board stays in the ST bootloader; try: stm32flash -m 8n1 ${r.tty}   (Ctrl-C ends)`);
  process.once("SIGINT", () => r.close().then(() => process.exit(0)));
}
