#!/usr/bin/env node
// The virtual Espruino board as a TCP server for the `espruino` CLI or a terminal:
//   node sim/serve.js [--port N] [--model original|medium|connectivity|xl] [--flash FILE] [--lifetime s] [--idle s]
//                     [--quiet] [--report-flash]       (npm run board -- ...)
// prints "listening tcp://127.0.0.1:PORT" once ready and serves one client at a time on 127.0.0.1. The board stays
// powered (RAM, timers, flash) across clients and uploads until it is told to stop: Ctrl-C / SIGINT / SIGTERM, or
// --lifetime seconds in all, or --idle seconds without a client or input (both off unless given).
// --flash FILE: the board's flash is loaded from FILE at start (a new board when FILE does not exist yet) and
// written back to it whenever a client disconnects and on stop, so saved code and Storage files survive restarts
// (each start is a power-on: save()d state and boot code run).
// --report-flash: on stop, print "flash unchanged" or "flash changed at 0x........-0x........, ..." (compared with
// the flash at start), so that a runner can check that uploaded code left flash as it found it.
// On stop it prints "board counters: ..." (native calls, BSY polls, simulated time, bus faults).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseArgs as parseCommandLine } from "node:util";
import { fileURLToPath } from "node:url";
import { createBoard, FIRMWARE } from "./board.js";
import { PowerCut } from "./power-cut.js";
import { serveREPL } from "./tcp.js";
import { hex } from "./format.js";

const MODELS = Object.keys(FIRMWARE);
const USAGE = `usage: node sim/serve.js [--port N] [--model ${MODELS.join("|")}] [--flash FILE] [--lifetime s] [--idle s] ` +
  "[--quiet] [--report-flash]";

/**
 * Parse command-line arguments (node:util parseArgs, strict).
 * @param {string[]} argv  arguments after the script name
 * @returns {{port: number, model: string, flashFile?: string, lifetimeMs: number, idleTimeoutMs: number, quiet: boolean,
 *   reportFlash: boolean, help?: boolean}}
 * @throws {Error} a one-line message plus the usage: unknown option, missing value, bad number, unknown model
 */
export function parseArgs(argv) {
  let v;
  try {
    ({ values: v } = parseCommandLine({ args: argv, strict: true, allowPositionals: false, options: {
      port: { type: "string" }, model: { type: "string" }, flash: { type: "string" }, lifetime: { type: "string" },
      idle: { type: "string" }, quiet: { type: "boolean", short: "q" }, "report-flash": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    } }));
  } catch (e) {
    throw new Error(`${e.message.split("\n")[0]}\n${USAGE}`);
  }
  const num = (name, text, max = Infinity) => {
    if (text === undefined) return 0;
    const n = text.trim() === "" ? NaN : Number(text);
    if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name} needs a number 0..${max}, got "${text}"\n${USAGE}`);
    return n;
  };
  if (v.model !== undefined && !MODELS.includes(v.model)) throw new Error(`--model ${v.model}: unknown model (use ${MODELS.join(", ")})\n${USAGE}`);
  if (v.flash !== undefined && !v.flash.trim()) throw new Error(`--flash needs a file name\n${USAGE}`);
  const port = num("port", v.port, 65535);
  if (!Number.isInteger(port)) throw new Error(`--port needs a whole number, got "${v.port}"\n${USAGE}`);
  return { port, model: v.model ?? "original", flashFile: v.flash, lifetimeMs: num("lifetime", v.lifetime) * 1000,
    idleTimeoutMs: num("idle", v.idle) * 1000, quiet: !!v.quiet, reportFlash: !!v["report-flash"], help: !!v.help };
}

/**
 * Start a virtual board and serve it.
 * @param {ReturnType<typeof parseArgs>} o
 * @returns {Promise<{board: object, server: import("./tcp.js").REPLServer, saveFlash: function(): void}>}
 * @throws {Error} --flash FILE that is not a flash image of this model
 */
export async function serve(o) {
  let flashImage;
  if (o.flashFile && existsSync(o.flashFile)) {
    flashImage = new Uint8Array(readFileSync(o.flashFile));
    const size = createBoard({ model: o.model, blank: true }).flash().length;
    if (flashImage.length !== size) {
      throw new Error(`--flash ${o.flashFile}: not a flash image of the ${o.model} board (${flashImage.length} bytes, ` +
        `expected ${size}); delete it to start with a new board`);
    }
  }
  const board = createBoard({ model: o.model, flashImage });
  new PowerCut(board); // VirtualBoard.cutPower() for board code (examples/demo.js)
  const log = o.quiet ? () => {} : (m) => console.error(`[virtual board] ${m}`);
  /** Write the flash to --flash FILE (whole file replaced at once: a new file renamed over the old one). */
  const saveFlash = () => {
    if (!o.flashFile) return;
    const tmp = `${o.flashFile}.tmp`;
    writeFileSync(tmp, board.flash());
    renameSync(tmp, o.flashFile);
  };
  const server = await serveREPL({ board, port: o.port, lifetimeMs: o.lifetimeMs, idleTimeoutMs: o.idleTimeoutMs, log,
    onDisconnect: saveFlash });
  server.closed.then(() => { if (typeof board.dispose === "function") board.dispose(); });
  return { board, server, saveFlash };
}

/**
 * Byte ranges that differ between two flash snapshots (index 0 = 0x08000000), as "0x0803A800-0x0803A807"
 * (inclusive), at most 8.
 * @param {Uint8Array} a @param {Uint8Array} b
 * @returns {string[]}
 */
export function changedRanges(a, b) {
  const out = [];
  for (let i = 0; i < a.length && out.length < 8; i++) {
    if (a[i] === b[i]) continue;
    let j = i;
    while (j + 1 < a.length && a[j + 1] !== b[j + 1]) j++;
    out.push(`${hex(0x08000000 + i)}-${hex(0x08000000 + j)}`);
    i = j;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let options;
  try { options = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`serve: ${e.message}`); process.exit(2); }
  if (options.help) { console.log(USAGE); process.exit(0); }
  let started;
  try { started = await serve(options); } catch (e) { console.error(`serve: ${e.message}`); process.exit(2); }
  const { board, server, saveFlash } = started;
  const before = options.reportFlash ? board.flash() : null;
  console.log(`listening ${server.url}`);
  if (options.flashFile) console.error(`[virtual board] flash kept in ${options.flashFile}`);
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => server.close(sig));
  const reason = await server.closed;
  try { saveFlash(); } catch (e) { console.log(`virtual board: cannot save flash to ${options.flashFile}: ${e.message}`); }
  if (before) {
    const changed = changedRanges(before, board.flash());
    console.log(changed.length ? `flash changed at ${changed.join(", ")}` : "flash unchanged");
  }
  const c = board.counters;
  console.log(`board counters: ${c.nativeCalls} native calls, ${c.bsyPolls} BSY polls, ` +
    `${(c.simulatedUs / 1000).toFixed(2)} ms simulated, ${c.busFaults} bus faults`);
  console.log(`virtual board stopped (${reason})`);
  process.exit(0);
}
