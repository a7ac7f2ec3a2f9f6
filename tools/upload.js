#!/usr/bin/env node
// Upload a file to an Espruino board with the pinned `espruino` CLI (node_modules/espruino, 0.1.67) and turn the
// board's output into a real exit code.
//   npm run upload -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|medium|connectivity|xl]
//                     [--flash FILE] [--modules DIR] [--sleep s] [--timeout s] [--verbose] file.js
// Without --port it starts the virtual board (sim/) on a free 127.0.0.1 port for the run and stops it after
// (--flash FILE: the virtual board's flash is loaded from FILE and kept there, so flash persists across runs).
// Modules are taken from the first `modules/` folder found in the file's folder or a parent (as the CLI's own
// local-modules lookup and the Web IDE's project folder do), then --modules DIR, then this project's modules/.
// The CLI traps it avoids (EspruinoTools 0.1.67: bin/espruino-cli.js, core/modules.js, plugins/localModules.js):
//   --no-ble                                  crash (exit 7) at connect on machines without D-Bus
//   --config MODULE_URL=<dir>|...|modules     local modules/ lookup is broken (plugins/localModules.js uses `fs`
//   --config MODULE_EXTENSIONS=.min.js|.js      without requiring it) and falls back to network URLs serving the
//                                             OLD STM32F1Flash; MODULE_URL takes plain paths (relative to the cwd)
//   --config BOARD_JSON_URL=tools/espruino-boards   no board JSON download either
//   -r ./tools/cli-guard.cjs                  any http/https request is blocked and reported (never a network URL)
//   --config SERIAL_THROTTLE_SEND=1           hang forever after small uploads
//   --config MODULE_MINIFICATION_LEVEL=       .min.js is sent as built (no esprima re-minification)
//   -v                                        the transcript shows what was sent, so the sent module is checked
//                                             byte for byte against modules/<name>.min.js
//   exit code 0 whatever happens              output parsed: Uncaught, Module not found, no connection, no
//                                             upload, timeout -> non-zero
//   exits only 500 ms after the board goes    the launcher stops the CLI itself a moment after the upload completed
//   quiet (never for a program that prints)     (after --sleep), so programs that keep printing upload fine
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError, modelOption, numberOption, orExit, parse, portOption } from "./cli-options.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = "node_modules/espruino/bin/espruino-cli.js";
const GUARD = "./tools/cli-guard.cjs";
const GUARD_MARKER = "[cli-guard] blocked network request:";
const USAGE = "usage: npm run upload -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|medium|connectivity|xl]\n" +
  "                         [--flash FILE] [--modules DIR] [--sleep s] [--timeout s] [--verbose] file.js";
/** How long the launcher keeps listening after the upload completed (and after --sleep), in ms, before it stops a
 * CLI that is still waiting for the board to go quiet (it never does for a program that keeps printing). */
export const LISTEN_AFTER_UPLOAD_MS = 2000;

/**
 * Whether a line of the CLI's own output says that all code was sent. bin/espruino-cli.js (sendCode) prints
 * "Upload Complete", or "Upload Complete. Sleeping for Ns" with --sleep: match the start only.
 * @param {string} line
 */
export const isUploadComplete = (line) => /^Upload Complete\b/i.test(line.trim());

/**
 * The node arguments that run the pinned CLI with every trap avoided.
 * @param {object} o
 * @param {string} o.port  serial device or tcp://host:port
 * @param {string} o.file  file to upload, relative to `cwd` (or absolute)
 * @param {number} [o.sleep]  seconds the CLI keeps listening after the upload (--sleep)
 * @param {string[]} [o.modulesDirs]  folders searched for modules, in order (absolute, or relative to the project
 *   root); default this project's modules/
 * @param {Record<string, string>} [o.config]  more CLI settings (--config KEY=VALUE), e.g. SAVE_ON_SEND
 * @returns {string[]} arguments for `node` (the CLI runs with cwd = project root)
 */
export function cliArgs({ port, file, sleep, modulesDirs = [join(ROOT, "modules")], config = {} }) {
  const url = modulesDirs.map((d) => {
    const rel = relative(ROOT, resolve(ROOT, d));
    return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? resolve(ROOT, d) : rel;
  }).join("|");   // EspruinoTools core/modules.js: each MODULE_URL entry in order, each extension in order
  const args = ["-r", GUARD, CLI, "--no-ble", "-v",
    "--config", `MODULE_URL=${url}`,
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
 * Where the CLI finds module `name`, as EspruinoTools core/modules.js (fetchGetModule) looks: each folder of
 * MODULE_URL in order, each extension of MODULE_EXTENSIONS (.min.js, .js) in order; the first file that exists.
 * @param {string} name  module name
 * @param {string[]} dirs  absolute folders, in search order
 * @returns {string|null} absolute path
 */
export function findModule(name, dirs) {
  for (const d of dirs) {
    for (const ext of [".min.js", ".js"]) {
      const f = join(d, name + ext);
      if (existsSync(f)) return f;
    }
  }
  return null;
}

/**
 * The folders modules come from for `file`: the first `modules/` folder in the file's folder or one of its parents
 * (as EspruinoTools plugins/localModules.js walks up from its working directory, and as a Web IDE project keeps its
 * own modules/), then `extra` folders, then this project's modules/ (so its modules are always found). No duplicates.
 * @param {string} file  absolute path of the uploaded file
 * @param {string[]} [extra]  absolute folders (--modules)
 * @returns {string[]} absolute paths
 */
export function moduleDirs(file, extra = []) {
  const dirs = [];
  for (let d = dirname(file); ; d = dirname(d)) {
    const m = join(d, "modules");
    if (existsSync(m) && statSync(m).isDirectory()) { dirs.push(m); break; }
    if (dirname(d) === d) break;
  }
  for (const d of [...extra, join(ROOT, "modules")]) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

/**
 * Check that every module the CLI sent with Modules.addCached is the file it should have found (findModule), byte
 * for byte (the launcher disables the CLI's re-minification).
 * @param {string} sent  code the CLI sent
 * @param {string|string[]} modulesDirs  absolute folder(s), in search order
 * @returns {{name: string, file: string|null, ok: boolean}[]}
 */
export function checkSentModules(sent, modulesDirs) {
  const dirs = [].concat(modulesDirs);
  const out = [];
  const re = /Modules\.addCached\(("(?:[^"\\]|\\.)*"),function\(\)\{/g;
  let m;
  while ((m = re.exec(sent))) {
    const name = JSON.parse(m[1]);
    const file = findModule(name, dirs);
    let ok = false;
    if (file) {
      const code = readFileSync(file, "utf8").replace(/\r\n/g, "\n").trim();
      ok = sent.startsWith(code, m.index + m[0].length);
    }
    out.push({ name, file, ok });
  }
  return out;
}

/** A file or folder for messages: relative to the project root when inside it. @param {string} p */
const shown = (p) => (relative(ROOT, p).startsWith("..") ? p : relative(ROOT, p) || ".");
/** Folders for messages: "modules/, /home/me/app/modules/". @param {string[]} dirs */
const shownDirs = (dirs) => dirs.map((d) => shown(d) + "/").join(", ");

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
 * @param {string|string[]} [run.modulesDirs]  absolute folders modules come from, in order (sent modules are
 *   compared with them); `run.modulesDir` (one folder) is accepted too
 * @returns {{ok: boolean, complete: boolean, reasons: string[], boardLines: string[],
 *   modules: {name: string, file: string|null, ok: boolean}[]}}
 */
export function judge(run) {
  const reasons = [];
  const lines = run.stdout.split("\n");
  const boardLines = lines.filter((l) => l.startsWith("--] ")).map((l) => renderLine(l.slice(4)));
  const log = lines.filter((l) => !l.startsWith("--] ")).join("\n");
  const err = run.stderr || "";
  const dirs = [].concat(run.modulesDirs || run.modulesDir || []);
  if (run.timedOut) reasons.push("timed out: the CLI did not finish in time (killed)");
  const exitedByItself = !run.timedOut && !run.stoppedEarly;
  if (exitedByItself && (run.exitCode !== 0 || run.signal)) {
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
  // Complete: the CLI said so (any wording starting "Upload Complete"), or it sent code and exited 0 by itself.
  const complete = connected && !!sent && (log.split("\n").some(isUploadComplete) ||
    (exitedByItself && run.exitCode === 0 && !run.signal));
  if (connected && sent && !complete) reasons.push("the upload did not complete");
  if (/Prompt not detected/.test(err + log)) reasons.push("the board did not return a prompt after the upload");
  for (const l of err.split("\n")) {
    const m = /Module (\S+) not found/.exec(l);
    if (m) reasons.push(`module ${m[1]} not found in ${dirs.length ? shownDirs(dirs) : "modules/"} (the CLI sent nothing for it)`);
  }
  const modules = dirs.length ? checkSentModules(sent, dirs) : [];
  for (const m of modules) {
    if (!m.ok) reasons.push(`module ${m.name} sent by the CLI is not ${m.file ? shown(m.file) : "in " + shownDirs(dirs)} as built`);
  }
  for (const l of boardLines) {
    if (/Uncaught\b/.test(l)) reasons.push(`the board reported: ${l.trim()}`);
    else if (/Module .* not found/.test(l)) reasons.push(`the board reported: ${l.trim()}`);
  }
  return { ok: reasons.length === 0, complete, reasons, boardLines, modules };
}

/**
 * Start the virtual board (node sim/serve.js, a child process, so that code stuck in a loop on the board cannot
 * stop this process's timeouts) on a free 127.0.0.1 port.
 * @param {object} [o]
 * @param {string} [o.model]  "original" (default), "medium", "connectivity" or "xl"
 * @param {number} [o.lifetimeS]  hard stop of the server, default 300 s
 * @param {boolean} [o.reportFlash]  have stop() report whether flash changed since the start
 * @param {string} [o.flashFile]  load the board's flash from this file (if it exists) and save it there on stop
 * @returns {Promise<{url: string, stop: function(): Promise<{flash: string|null, counters: string|null, stuck: boolean,
 *   output: string}>}>} stop() ends the server (SIGTERM, then SIGKILL after 2 s: `stuck`) and returns its flash report
 *   line ("flash unchanged" or "flash changed at ...") when asked for, and everything it printed
 */
export function startVirtualBoard({ model = "original", lifetimeS = 300, reportFlash = false, flashFile } = {}) {
  const args = ["sim/serve.js", "--port", "0", "--model", model, "--lifetime", String(lifetimeS),
    "--idle", String(lifetimeS), "--quiet"];
  if (reportFlash) args.push("--report-flash");
  if (flashFile) args.push("--flash", resolve(flashFile));
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
      reject(new Error(`virtual board did not start: ${why}\n${err}`.trim()));
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
          return { flash, counters, stuck: code !== 0, output: out + err };
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
 * @param {string} [o.flash]  virtual board only: its flash is loaded from this file and saved back after the run
 * @param {string[]} [o.modules]  extra folders to take modules from (after the file's own modules/ folder)
 * @param {number} [o.sleep]  seconds the CLI listens after the upload (default 0; then the launcher listens
 *   LISTEN_AFTER_UPLOAD_MS more at most, or until the board has been quiet for 500 ms)
 * @param {number} [o.timeoutMs]  kill the CLI after this long (default 60 000 ms + sleep)
 * @param {function(string): void} [o.onBoardLine]  each board output line, as a terminal shows it
 * @param {function(string): void} [o.onLog]  diagnostics: the command line, the verdict, CLI errors
 * @param {function(string, string[]): boolean} [o.until]  stop the CLI early (instead of waiting out --sleep) once this
 *   returned true for a board line and the upload is complete
 * @param {string[]} [o.modulesDirs]  exactly these folders for modules (relative to the project root or absolute),
 *   instead of the uploaded file's own modules/ folder, o.modules and this project's modules/
 * @param {Record<string, string>} [o.config]  more CLI settings (cliArgs)
 * @returns {Promise<ReturnType<typeof judge> & {command: string, stdout: string, stderr: string, counters?: string|null}>}
 */
export async function upload(o) {
  const onLog = o.onLog || (() => {});
  const fileAbs = resolve(o.file);
  if (!existsSync(fileAbs)) {
    return { ok: false, complete: false, reasons: [`file not found: ${o.file}`], boardLines: [], modules: [], command: "",
      stdout: "", stderr: "" };
  }
  let virtual = null, port = o.port;
  if (!port) {
    try {
      virtual = await startVirtualBoard({ model: o.model, flashFile: o.flash });
    } catch (e) {
      return { ok: false, complete: false, reasons: [e.message.replace(/\s+/g, " ").trim()], boardLines: [], modules: [],
        command: "", stdout: "", stderr: "" };
    }
    port = virtual.url;
    onLog(`virtual board (${o.model || "original"}) listening on ${port}${o.flash ? `, flash kept in ${o.flash}` : ""}`);
  }
  const dirs = o.modulesDirs ? o.modulesDirs.map((d) => resolve(ROOT, d))
    : moduleDirs(fileAbs, (o.modules || []).map((d) => resolve(d)));
  const rel = relative(ROOT, fileAbs);
  const args = cliArgs({ port, file: isAbsolute(rel) || rel.startsWith("..") ? fileAbs : rel, sleep: o.sleep,
    modulesDirs: dirs, config: o.config });
  const command = commandLine(args);
  onLog(`running: ${command}`);
  const timeoutMs = (o.timeoutMs || 60_000) + (o.sleep || 0) * 1000;
  let run, stopped = null;
  try {
    run = await runCli(args, { timeoutMs, sleepMs: (o.sleep || 0) * 1000, onBoardLine: o.onBoardLine, until: o.until });
  } finally {
    if (virtual) stopped = await virtual.stop();
  }
  const verdict = judge({ ...run, port, modulesDirs: dirs });
  if (stopped && stopped.stuck) {
    verdict.ok = false;
    verdict.reasons.push("the virtual board did not stop when asked (code stuck in a loop?): killed");
  }
  if (stopped && /^virtual board: cannot save flash.*$/m.test(stopped.output)) {
    verdict.ok = false;
    verdict.reasons.push(/^virtual board: cannot save flash.*$/m.exec(stopped.output)[0]);
  }
  return { ...verdict, command, stdout: run.stdout, stderr: run.stderr, counters: stopped && stopped.counters };
}

/**
 * Spawn the CLI in the project root and collect its output. Once the CLI says the upload is complete it gets
 * `sleepMs` + LISTEN_AFTER_UPLOAD_MS to finish by itself (it exits 500 ms after the board goes quiet); a CLI still
 * running then (the board keeps printing) is stopped and the run counts as `stoppedEarly`, not as a failure.
 * @param {string[]} args  node arguments (cliArgs)
 * @param {{timeoutMs: number, sleepMs?: number, listenMs?: number, onBoardLine?: function(string): void,
 *   until?: function(string, string[]): boolean}} o
 * @returns {Promise<{stdout: string, stderr: string, exitCode: number|null, signal: string|null, timedOut: boolean, stoppedEarly: boolean}>}
 */
export function runCli(args, { timeoutMs, sleepMs = 0, listenMs = LISTEN_AFTER_UPLOAD_MS, onBoardLine, until }) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", partial = "", timedOut = false, stoppedEarly = false, satisfied = false, uploaded = false;
    let listenTimer = null;
    const seen = [];
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    const stopEarly = (afterMs) => {
      if (stoppedEarly) return;
      stoppedEarly = true;
      setTimeout(() => child.kill("SIGTERM"), afterMs).unref(); // let trailing output arrive
    };
    child.stdout.setEncoding("latin1");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
      partial += d;
      let i;
      while ((i = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, i);
        partial = partial.slice(i + 1);
        if (!uploaded && isUploadComplete(line)) {
          uploaded = true;
          listenTimer = setTimeout(() => stopEarly(0), sleepMs + listenMs);
          listenTimer.unref();
        }
        if (line.startsWith("--] ")) {
          const text = renderLine(line.slice(4));
          seen.push(text);
          if (onBoardLine) onBoardLine(text);
          if (until && !satisfied) satisfied = until(text, seen);
        }
        if (satisfied && uploaded) stopEarly(300); // all code sent and the caller has what it needs
      }
    });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(listenTimer);
      resolvePromise({ stdout, stderr, exitCode, signal, timedOut, stoppedEarly: stoppedEarly && !timedOut });
    });
  });
}

/**
 * Parse command-line arguments (node:util parseArgs).
 * @param {string[]} argv
 * @returns {{file: string, port?: string, model: string, flash?: string, modules: string[], sleep: number,
 *   timeoutMs: number, verbose: boolean, help?: boolean}}
 * @throws {UsageError} unknown option, missing value, bad number, unknown model, no file, two files
 */
export function parseArgs(argv) {
  const { values: v, positionals } = parse(argv, {
    port: { type: "string", short: "p" }, model: { type: "string" }, flash: { type: "string" },
    modules: { type: "string", multiple: true }, sleep: { type: "string" }, timeout: { type: "string" },
    verbose: { type: "boolean", short: "v" }, help: { type: "boolean", short: "h" },
  });
  if (v.help) return { help: true };
  const port = portOption(v.port);
  const o = {
    port, model: modelOption(v.model, port), modules: v.modules || [], verbose: !!v.verbose,
    sleep: numberOption("--sleep", v.sleep) ?? 0,
    timeoutMs: (numberOption("--timeout", v.timeout, { min: 1 }) ?? 60) * 1000,
  };
  if (v.flash !== undefined) {
    if (port) throw new UsageError("--flash keeps the virtual board's flash in a file; it cannot be combined with --port");
    if (!v.flash.trim()) throw new UsageError("--flash needs a file name");
    o.flash = v.flash;
  }
  if (positionals.length === 0) throw new UsageError("no file given");
  if (positionals.length > 1) throw new UsageError(`only one file can be uploaded, got ${positionals.join(", ")}`);
  o.file = positionals[0];
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
  const o = orExit("upload", USAGE, () => parseArgs(process.argv.slice(2)));
  if (o.help) { console.log(USAGE); process.exit(0); }
  const here = (p) => resolve(process.env.INIT_CWD || process.cwd(), p); // npm run: INIT_CWD is where the user typed it
  const r = await upload({
    ...o,
    file: here(o.file),
    flash: o.flash && here(o.flash),
    modules: o.modules.map(here),
    onBoardLine: (l) => console.log(l),
    onLog: (m) => console.log(`upload: ${m}`),
  });
  const transcript = saveTranscript("upload-transcript.log", r);
  if (o.verbose) console.error(r.stdout + r.stderr);
  if (r.counters) console.log(`upload: virtual ${r.counters}`);
  if (r.ok) {
    console.log(`upload: OK (${r.modules.map((m) => `${m.name} from ${shown(m.file)}`).join(", ") || "no modules"}; transcript ${transcript})`);
  } else {
    for (const why of r.reasons) console.error(`upload: FAILED: ${why}`);
    console.error(`upload: transcript in ${transcript}`);
  }
  process.exit(r.ok ? 0 : 1);
}
