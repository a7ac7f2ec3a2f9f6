#!/usr/bin/env node
// Upload a file to an Espruino board with the pinned `espruino` CLI (node_modules/espruino, 0.1.67) and turn the
// board's output into a real exit code.
//   npm run upload -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|medium|connectivity|xl] [--sleep s]
//                     [--timeout s] [--verbose] file.js
// Without --port it starts the virtual board (sim/) on a free 127.0.0.1 port for the run and stops it after.
// The CLI traps it avoids (../shared/reference/espruino-platform.md §8):
//   --no-ble                                  crash (exit 7) at connect on machines without D-Bus
//   --config MODULE_URL=modules               local modules/ lookup is broken and falls back to network URLs
//   --config MODULE_EXTENSIONS=.min.js|.js      serving the OLD STM32F1Flash; a plain path relative to the cwd
//   --config BOARD_JSON_URL=tools/espruino-boards   no board JSON download either
//   -r ./tools/cli-guard.cjs                  any http/https request is blocked and reported (never a network URL)
//   --config SERIAL_THROTTLE_SEND=1           hang forever after small uploads
//   --config MODULE_MINIFICATION_LEVEL=       .min.js is sent as built (no esprima re-minification)
//   -v                                        the transcript shows what was sent, so the sent module is checked
//                                             byte for byte against modules/<name>.min.js
//   exit code 0 whatever happens              output parsed: Uncaught, Module not found, no connection, no
//                                             upload, timeout -> non-zero
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = "node_modules/espruino/bin/espruino-cli.js";
const GUARD = "./tools/cli-guard.cjs";
const GUARD_MARKER = "[cli-guard] blocked network request:";
const USAGE = "usage: npm run upload -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|medium|connectivity|xl] " +
  "[--sleep s] [--timeout s] [--verbose] file.js";

/**
 * The node arguments that run the pinned CLI with every trap avoided.
 * @param {object} o
 * @param {string} o.port  serial device or tcp://host:port
 * @param {string} o.file  file to upload, relative to `cwd` (or absolute)
 * @param {number} [o.sleep]  seconds the CLI keeps listening after the upload (--sleep)
 * @param {string} [o.modulesDir]  relative to `cwd`; default "modules"
 * @param {Record<string, string>} [o.config]  more CLI settings (--config KEY=VALUE), e.g. SAVE_ON_SEND
 * @returns {string[]} arguments for `node` (the CLI runs with cwd = project root)
 */
export function cliArgs({ port, file, sleep, modulesDir = "modules", config = {} }) {
  const args = ["-r", GUARD, CLI, "--no-ble", "-v",
    "--config", `MODULE_URL=${modulesDir}`,
    "--config", "MODULE_EXTENSIONS=.min.js|.js",
    "--config", "MODULE_MINIFICATION_LEVEL=",
    "--config", "BOARD_JSON_URL=tools/espruino-boards",
    "--config", "SERIAL_THROTTLE_SEND=1",
    "-p", port];
  for (const [k, v] of Object.entries(config)) args.push("--config", `${k}=${v}`);
  if (sleep) args.push("--sleep", String(sleep));
  args.push(file);
  return args;
}

/** Quote one argument for display as a POSIX shell word. @param {string} a */
const shellWord = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/** The command line as a user would type it in the project root. @param {string[]} args */
export const commandLine = (args) => ["node", ...args].map(shellWord).join(" ");

/**
 * Render what a terminal shows for one received line: backspaces and cursor-left move back, CR returns to
 * column 0, other escape sequences are dropped. Removes the prompt erasing Espruino does before output.
 * @param {string} raw  one line as received (without the LF)
 * @returns {string}
 */
export function renderLine(raw) {
  const cells = [];
  let x = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\x1b") {
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(raw.slice(i));
      if (m) {
        const n = m[1] ? parseInt(m[1], 10) : 1;
        if (m[2] === "D") x = Math.max(0, x - n);
        else if (m[2] === "C") x += n;
        i += m[0].length - 1;
      } else i++;
      continue;
    }
    if (c === "\b") { x = Math.max(0, x - 1); continue; }
    if (c === "\r") { if (i < raw.length - 1) x = 0; continue; }
    if (c < " " && c !== "\t") continue;
    while (cells.length < x) cells.push(" ");
    cells[x++] = c;
  }
  return cells.join("").replace(/\s+$/, "");
}

/**
 * The code the CLI sent, from its verbose transcript ("serial: ---> <JSON string>"), with ESC LF turned back
 * into LF. Empty string if nothing was sent.
 * @param {string} stdout
 * @returns {string}
 */
export function sentCode(stdout) {
  let out = "";
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("serial: ---> ")) continue;
    try { out += JSON.parse(line.slice(13)); } catch { /* truncated line: ignore */ }
  }
  return out.replace(/\x1b\n/g, "\n");
}

/**
 * Check that every module the CLI sent with Modules.addCached is the file in modules/ exactly as built.
 * @param {string} sent  code the CLI sent
 * @param {string} modulesDir  absolute path of modules/
 * @returns {{name: string, file: string|null, ok: boolean}[]}
 */
export function checkSentModules(sent, modulesDir) {
  const out = [];
  const re = /Modules\.addCached\(("(?:[^"\\]|\\.)*"),function\(\)\{/g;
  let m;
  while ((m = re.exec(sent))) {
    const name = JSON.parse(m[1]);
    const candidates = [".min.js", ".js"].map((ext) => join(modulesDir, name + ext));
    const file = candidates.find((f) => existsSync(f)) || null;
    let ok = false;
    if (file) {
      const code = readFileSync(file, "utf8").replace(/\r\n/g, "\n").trim();
      ok = sent.startsWith(code, m.index + m[0].length);
    }
    out.push({ name, file, ok });
  }
  return out;
}

/**
 * Decide whether an upload worked, from everything the CLI printed. Pure: used by upload() and by the tests.
 * @param {object} run
 * @param {string} run.stdout  CLI stdout (verbose transcript; board lines start with "--] ")
 * @param {string} run.stderr  CLI stderr
 * @param {number|null} run.exitCode
 * @param {string|null} [run.signal]
 * @param {boolean} [run.timedOut]
 * @param {boolean} [run.stoppedEarly]  the caller stopped the CLI once it had seen what it needed
 * @param {string} run.port
 * @param {string} [run.modulesDir]  absolute path of modules/ (sent modules are compared with it)
 * @returns {{ok: boolean, reasons: string[], boardLines: string[], modules: {name: string, file: string|null, ok: boolean}[]}}
 */
export function judge(run) {
  const reasons = [];
  const lines = run.stdout.split("\n");
  const boardLines = lines.filter((l) => l.startsWith("--] ")).map((l) => renderLine(l.slice(4)));
  const log = lines.filter((l) => !l.startsWith("--] ")).join("\n");
  const err = run.stderr || "";
  if (run.timedOut) reasons.push("timed out: the CLI did not finish in time (killed)");
  if (!run.timedOut && !run.stoppedEarly && (run.exitCode !== 0 || run.signal)) {
    reasons.push(`the CLI exited with ${run.signal ? "signal " + run.signal : "code " + run.exitCode}`);
  }
  for (const l of err.split("\n")) {
    if (l.startsWith(GUARD_MARKER)) reasons.push(`the CLI tried the network (blocked): ${l.slice(GUARD_MARKER.length).trim()}`);
  }
  const connected = /^Connected$/m.test(log);
  if (!connected) {
    const why = err.split("\n").filter((l) => /Unable to connect|RECEIVE ERROR|not found|Error opening|ECONN|EACCES|ENOENT.*tty/i.test(l));
    reasons.push(`no connection to ${run.port}${why.length ? ": " + why.join("; ") : ""}` +
      (/^tcp:/.test(run.port) ? "" : " (the CLI opens only serial ports the OS lists: check the device exists, " +
        "that you may open it (e.g. the dialout group) and that udevadm is installed)"));
  }
  const sent = sentCode(run.stdout);
  if (connected && !sent) reasons.push("no upload observed: the CLI sent no code");
  if (connected && sent && !/^Upload Complete$/m.test(log)) reasons.push("the upload did not complete");
  if (/Prompt not detected/.test(err + log)) reasons.push("the board did not return a prompt after the upload");
  for (const l of err.split("\n")) {
    const m = /Module (\S+) not found/.exec(l);
    if (m) reasons.push(`module ${m[1]} not found in modules/ (the CLI sent nothing for it)`);
  }
  const modules = run.modulesDir ? checkSentModules(sent, run.modulesDir) : [];
  for (const m of modules) {
    if (!m.ok) reasons.push(`module ${m.name} sent by the CLI is not ${m.file ? relative(ROOT, m.file) : "in modules/"} as built`);
  }
  for (const l of boardLines) {
    if (/Uncaught\b/.test(l)) reasons.push(`the board reported: ${l.trim()}`);
    else if (/Module .* not found/.test(l)) reasons.push(`the board reported: ${l.trim()}`);
  }
  return { ok: reasons.length === 0, reasons, boardLines, modules };
}

/**
 * Start the virtual board (node sim/serve.js, a child process, so that code stuck in a loop on the board cannot
 * stop this process's timeouts) on a free 127.0.0.1 port.
 * @param {object} [o]
 * @param {string} [o.model]  "original" (default), "medium", "connectivity" or "xl"
 * @param {number} [o.lifetimeS]  hard stop of the server, default 300 s
 * @param {boolean} [o.reportFlash]  have stop() report whether flash changed since the start
 * @returns {Promise<{url: string, stop: function(): Promise<{flash: string|null, stuck: boolean}>}>} stop() ends the
 *   server (SIGTERM, then SIGKILL after 2 s: `stuck`) and returns its flash report line ("flash unchanged" or
 *   "flash changed at ...") when asked for
 */
export function startVirtualBoard({ model = "original", lifetimeS = 300, reportFlash = false } = {}) {
  const args = ["sim/serve.js", "--port", "0", "--model", model, "--lifetime", String(lifetimeS),
    "--idle", String(lifetimeS), "--quiet"];
  if (reportFlash) args.push("--report-flash");
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  const exited = new Promise((r) => child.on("close", r));
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => { err += d; });
  return new Promise((resolvePromise, reject) => {
    let started = false;
    const fail = (why) => {
      if (started) return;
      started = true;
      child.kill("SIGKILL");
      reject(new Error(`virtual board did not start: ${why}\n${err}`));
    };
    const timer = setTimeout(() => fail("no 'listening' line within 10 s"), 10_000);
    exited.then((code) => { clearTimeout(timer); fail(`exited with ${code}`); });
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^listening (tcp:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (!m || started) return;
      started = true;
      clearTimeout(timer);
      resolvePromise({
        url: m[1],
        stop: async () => {
          child.kill("SIGTERM");
          const kill = setTimeout(() => child.kill("SIGKILL"), 2000);
          const code = await exited;
          clearTimeout(kill);
          const flash = (/^flash (unchanged|changed at .*)$/m.exec(out) || [null])[0];
          const counters = (/^board counters: .*$/m.exec(out) || [null])[0];
          return { flash, counters, stuck: code !== 0 };
        },
      });
    });
  });
}

/**
 * Upload `file` with the pinned CLI and judge the result.
 * @param {object} o
 * @param {string} o.file  path of the file to upload (relative to process.cwd() or absolute)
 * @param {string} [o.port]  serial device or tcp://host:port; default: a virtual board started for this run
 * @param {string} [o.model]  virtual board model when no port is given
 * @param {number} [o.sleep]  seconds the CLI listens after the upload (default 0; the CLI always waits until the
 *   board has been quiet for 500 ms)
 * @param {number} [o.timeoutMs]  kill the CLI after this long (default 60 000 ms + sleep)
 * @param {function(string): void} [o.onBoardLine]  each board output line, as a terminal shows it
 * @param {function(string): void} [o.onLog]  diagnostics: the command line, the verdict, CLI errors
 * @param {function(string, string[]): boolean} [o.until]  stop the CLI early (instead of waiting out --sleep) once this
 *   returned true for a board line and the CLI has sent everything ("Upload Complete")
 * @param {string} [o.modulesDir]  where the CLI looks for modules, relative to the project root (default "modules")
 * @param {Record<string, string>} [o.config]  more CLI settings (cliArgs)
 * @returns {Promise<ReturnType<typeof judge> & {command: string, stdout: string, stderr: string}>}
 */
export async function upload(o) {
  const onLog = o.onLog || (() => {});
  const fileAbs = resolve(o.file);
  if (!existsSync(fileAbs)) {
    return { ok: false, reasons: [`file not found: ${o.file}`], boardLines: [], modules: [], command: "", stdout: "", stderr: "" };
  }
  let virtual = null, port = o.port;
  if (!port) {
    virtual = await startVirtualBoard({ model: o.model });
    port = virtual.url;
    onLog(`virtual board (${o.model || "original"}) listening on ${port}`);
  }
  const rel = relative(ROOT, fileAbs);
  const args = cliArgs({ port, file: isAbsolute(rel) || rel.startsWith("..") ? fileAbs : rel, sleep: o.sleep,
    modulesDir: o.modulesDir, config: o.config });
  const command = commandLine(args);
  onLog(`running: ${command}`);
  const timeoutMs = (o.timeoutMs || 60_000) + (o.sleep || 0) * 1000;
  let run, stopped = null;
  try {
    run = await runCli(args, { timeoutMs, onBoardLine: o.onBoardLine, until: o.until });
  } finally {
    if (virtual) stopped = await virtual.stop();
  }
  const verdict = judge({ ...run, port, modulesDir: join(ROOT, o.modulesDir || "modules") });
  if (stopped && stopped.stuck) {
    verdict.ok = false;
    verdict.reasons.push("the virtual board did not stop when asked (code stuck in a loop?): killed");
  }
  return { ...verdict, command, stdout: run.stdout, stderr: run.stderr, counters: stopped && stopped.counters };
}

/**
 * Spawn the CLI in the project root and collect its output.
 * @param {string[]} args  node arguments (cliArgs)
 * @param {{timeoutMs: number, onBoardLine?: function(string): void, until?: function(string, string[]): boolean}} o
 * @returns {Promise<{stdout: string, stderr: string, exitCode: number|null, signal: string|null, timedOut: boolean, stoppedEarly: boolean}>}
 */
export function runCli(args, { timeoutMs, onBoardLine, until }) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", partial = "", timedOut = false, stoppedEarly = false, satisfied = false, uploaded = false;
    const seen = [];
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    child.stdout.setEncoding("latin1");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
      partial += d;
      let i;
      while ((i = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, i);
        partial = partial.slice(i + 1);
        if (line === "Upload Complete") uploaded = true;
        if (line.startsWith("--] ")) {
          const shown = renderLine(line.slice(4));
          seen.push(shown);
          if (onBoardLine) onBoardLine(shown);
          if (until && !satisfied) satisfied = until(shown, seen);
        }
        if (satisfied && uploaded && !stoppedEarly) { // all code sent and the caller has what it needs
          stoppedEarly = true;
          setTimeout(() => child.kill("SIGTERM"), 300).unref(); // let trailing output arrive
        }
      }
    });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({ stdout, stderr, exitCode, signal, timedOut, stoppedEarly });
    });
  });
}

/**
 * Parse command-line arguments.
 * @param {string[]} argv
 * @returns {{file?: string, port?: string, model: string, sleep: number, timeoutMs: number, verbose: boolean}}
 */
export function parseArgs(argv) {
  const o = { model: "original", sleep: 0, timeoutMs: 60_000, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === "--port" || a === "-p") { if (!v) throw new Error(`--port needs a value\n${USAGE}`); o.port = v; i++; }
    else if (a === "--model") { o.model = v; i++; }
    else if (a === "--sleep") { o.sleep = Number(v); i++; }
    else if (a === "--timeout") { o.timeoutMs = Number(v) * 1000; i++; }
    else if (a === "--verbose" || a === "-v") o.verbose = true;
    else if (a === "--help" || a === "-h") throw new Error(USAGE);
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (o.file) throw new Error(`only one file can be uploaded\n${USAGE}`);
    else o.file = a;
  }
  if (!o.file) throw new Error(`no file given\n${USAGE}`);
  if (!Number.isFinite(o.sleep) || !Number.isFinite(o.timeoutMs)) throw new Error(USAGE);
  return o;
}

/**
 * Save the full CLI transcript under build/ for inspection. Returns its path relative to the project root.
 * @param {string} name
 * @param {{command: string, stdout: string, stderr: string}} r
 */
export function saveTranscript(name, r) {
  const dir = join(ROOT, "build");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `$ ${r.command}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}\n`, "latin1");
  return relative(ROOT, path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
  const r = await upload({
    ...o,
    file: resolve(process.env.INIT_CWD || process.cwd(), o.file), // npm run: INIT_CWD is where the user typed it
    onBoardLine: (l) => console.log(l),
    onLog: (m) => console.log(`upload: ${m}`),
  });
  const transcript = saveTranscript("upload-transcript.log", r);
  if (o.verbose) console.error(r.stdout + r.stderr);
  if (r.counters) console.log(`upload: virtual ${r.counters}`);
  if (r.ok) {
    console.log(`upload: OK (${r.modules.map((m) => `${m.name} from ${relative(ROOT, m.file)}`).join(", ") || "no modules"}; transcript ${transcript})`);
  } else {
    for (const why of r.reasons) console.error(`upload: FAILED: ${why}`);
    console.error(`upload: transcript in ${transcript}`);
  }
  process.exit(r.ok ? 0 : 1);
}
