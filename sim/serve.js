#!/usr/bin/env node
// The virtual Espruino board as a TCP server for the `espruino` CLI or a terminal:
//   node sim/serve.js [--port N] [--model original|medium|connectivity|xl] [--lifetime s] [--idle s]
// prints "listening tcp://127.0.0.1:PORT" once ready, serves one client at a time on 127.0.0.1, and stops after
// --lifetime seconds (default 600) or --idle seconds without a client or input (default 120), or on SIGINT/SIGTERM.
// --report-flash: on stop, print "flash unchanged" or "flash changed at 0x........-0x........, ..." (compared with
// the flash at start), so that a runner can check that uploaded code left flash as it found it.
// On stop it prints "board counters: ..." (native calls, BSY polls, simulated time, bus faults).
import { fileURLToPath } from "node:url";
import { createBoard } from "./board.js";
import { PowerCut } from "./power-cut.js";
import { serveREPL } from "./tcp.js";
import { hex } from "./format.js";

const USAGE = "usage: node sim/serve.js [--port N] [--model original|medium|connectivity|xl] [--lifetime s] [--idle s] [--quiet] " +
  "[--report-flash]";

/**
 * Parse command-line arguments.
 * @param {string[]} argv  arguments after the script name
 * @returns {{port: number, model: string, lifetimeMs: number, idleTimeoutMs: number, quiet: boolean, reportFlash: boolean}}
 */
export function parseArgs(argv) {
  const o = { port: 0, model: "original", lifetimeMs: 600_000, idleTimeoutMs: 120_000, quiet: false, reportFlash: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${a} needs a number, got ${v}\n${USAGE}`);
      i++;
      return n;
    };
    if (a === "--port") o.port = num();
    else if (a === "--model") { if (!/^(original|medium|connectivity|xl)$/.test(v || "")) throw new Error(`--model: ${v}\n${USAGE}`); o.model = v; i++; }
    else if (a === "--lifetime") o.lifetimeMs = num() * 1000;
    else if (a === "--idle") o.idleTimeoutMs = num() * 1000;
    else if (a === "--quiet" || a === "-q") o.quiet = true;
    else if (a === "--report-flash") o.reportFlash = true;
    else if (a === "--help" || a === "-h") { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return o;
}

/**
 * Start a virtual board and serve it.
 * @param {ReturnType<typeof parseArgs>} o
 * @returns {Promise<{board: object, server: import("./tcp.js").REPLServer}>}
 */
export async function serve(o) {
  const board = createBoard({ model: o.model });
  new PowerCut(board); // VirtualBoard.cutPower() for board code (examples/demo.js)
  const log = o.quiet ? () => {} : (m) => console.error(`[virtual board] ${m}`);
  const server = await serveREPL({ board, port: o.port, lifetimeMs: o.lifetimeMs, idleTimeoutMs: o.idleTimeoutMs, log });
  server.closed.then(() => { if (typeof board.dispose === "function") board.dispose(); });
  return { board, server };
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
  try { options = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
  const { board, server } = await serve(options);
  const before = options.reportFlash ? board.flash() : null;
  console.log(`listening ${server.url}`);
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => server.close(sig));
  const reason = await server.closed;
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
