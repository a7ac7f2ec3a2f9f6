#!/usr/bin/env node
// Install a shipped module on a board so that its code stays in flash: the built modules/<Name>.min.js becomes a
// Storage file named <Name>, which require("<Name>") finds (Espruino src/jswrap_modules.c: cache, built-in, then
// Storage). Function bodies parsed from flash stay there (one JsVar each instead of ~1 per 13 bytes): see README
// "Keeping the module in flash".
//   npm run install:flash -- [--port /dev/ttyACM0 | tcp://host:port] [--model original|...] [--name STM32F1Flash]
//                            [--file modules/STM32F1Flash.min.js] [--verbose]
// Without --port it starts the virtual board for the run.
// How: the pinned espruino CLI uploads the file with "Save on Send: to Storage file" (SAVE_ON_SEND=3,
// SAVE_STORAGE_FILE=<Name>, LOAD_STORAGE_FILE=0): it writes the text with require("Storage").write(name, chunk,
// offset, size) in 1 KB chunks, quoted by the CLI (so any byte survives), after its usual reset(). Modules the file
// requires are installed first, each as its own Storage file; the CLI is pointed at an empty module folder so that
// it never pastes another module into the file. Then a second upload checks the file on the board (length and
// E.CRC32 against the local file) and require()s it once, reporting the JsVars it takes.
// Limits checked before anything is sent: Storage file names are at most 28 characters (JSF_MAX_FILENAME_LENGTH);
// the Original's Storage area is 20 KB (10 pages of 2 KB), so the unminified .js files do not fit; ASCII only
// (TCP connections send UTF-8).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as acorn from "acorn";
import { ROOT, saveTranscript, startVirtualBoard, upload } from "./upload.js";
import { moduleNames } from "./modules.js";
import { crc32 } from "../sim/espruino.js";

export const MAX_NAME = 28;
export const STORAGE_BYTES = 20480 - 32; // the Original's saved-code area minus one file header

/** Shipped modules that `source` requires at load or later (string-literal require calls). */
export function shippedRequires(source) {
  const found = new Set();
  const shipped = new Set(moduleNames());
  const walk = (n) => {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "CallExpression" && n.callee.type === "Identifier" && n.callee.name === "require" &&
      n.arguments[0] && n.arguments[0].type === "Literal" && shipped.has(n.arguments[0].value)) found.add(n.arguments[0].value);
    for (const k of Object.keys(n)) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(walk); else if (v && typeof v.type === "string") walk(v);
    }
  };
  walk(acorn.parse(source, { ecmaVersion: 2020 }));
  return [...found];
}

/**
 * What is wrong with installing `source` as Storage file `name` (empty when nothing).
 * @param {string} name @param {Buffer} bytes
 */
export function checkInstallable(name, bytes) {
  const problems = [];
  if (!name || name.length > MAX_NAME) problems.push(`Storage file names are 1..${MAX_NAME} characters: "${name}"`);
  if (bytes.length > STORAGE_BYTES) {
    problems.push(`${bytes.length} bytes do not fit in the Original's 20 KB Storage area (install the .min.js)`);
  }
  const wide = bytes.findIndex((b) => b > 126 || (b < 32 && b !== 9 && b !== 10 && b !== 13));
  if (wide >= 0) problems.push(`byte ${wide} is not printable ASCII (0x${bytes[wide].toString(16)})`);
  return problems;
}

/** The program uploaded after the install: checks the file on the board and loads it once. */
export function verifyProgram(name) {
  return `var n = ${JSON.stringify(name)};
var t = require("Storage").read(n);
print("@@file", t ? t.length : -1, t && E.CRC32 ? E.CRC32(t) : -1);
process.memory();
var u0 = process.memory().usage;
var m = require(n);
print("@@loaded", typeof m, Object.keys(m).length, process.memory().usage - u0);
`;
}

/**
 * Install `name` (and the shipped modules it requires) as Storage files, then verify.
 * @param {{name: string, file?: string, port: string, onLog: function(string): void}} o
 * @returns {Promise<{ok: boolean, reasons: string[], installed: string[], jsvars?: number}>}
 */
export async function installFlash(o) {
  const onLog = o.onLog || (() => {});
  const order = [];
  const visit = (name, file) => {
    if (order.some((x) => x.name === name)) return;
    const path = file || join(ROOT, "modules", `${name}.min.js`);
    if (!existsSync(path)) throw new Error(`no ${relative(ROOT, path)}: run npm run build`);
    const bytes = readFileSync(path);
    for (const dep of shippedRequires(bytes.toString("latin1"))) if (dep !== name) visit(dep);
    order.push({ name, path, bytes });
  };
  visit(o.name, o.file && resolve(o.file));
  for (const m of order) {
    const problems = checkInstallable(m.name, m.bytes);
    if (problems.length) return { ok: false, reasons: problems.map((p) => `${m.name}: ${p}`), installed: [] };
  }
  const empty = join(ROOT, "build", "no-modules");
  mkdirSync(empty, { recursive: true });
  const installed = [];
  for (const m of order) {
    onLog(`writing ${relative(ROOT, m.path)} (${m.bytes.length} bytes) to Storage file "${m.name}"`);
    const r = await upload({ file: m.path, port: o.port, modulesDirs: ["build/no-modules"],
      config: { SAVE_ON_SEND: "3", SAVE_STORAGE_FILE: m.name, LOAD_STORAGE_FILE: "0" }, onLog });
    saveTranscript(`install-flash-${m.name}.log`, r);
    const deps = new Set(order.map((x) => x.name));
    const reasons = r.reasons.filter((why) => !(/^module (\S+) not found/.exec(why) && deps.has(/^module (\S+)/.exec(why)[1])));
    if (reasons.length) return { ok: false, reasons: reasons.map((w) => `${m.name}: ${w}`), installed };
    installed.push(m.name);
  }
  const target = order[order.length - 1];
  const verify = join(ROOT, "build", "install-flash-verify.js");
  writeFileSync(verify, verifyProgram(target.name));
  const lines = [];
  const r = await upload({ file: verify, port: o.port, modulesDirs: ["build/no-modules"], onLog,
    onBoardLine: (l) => lines.push(l) });
  saveTranscript("install-flash-verify.log", r);
  const reasons = [...r.reasons];
  const file = lines.map((l) => /@@file (-?\d+) (-?\d+)/.exec(l)).find(Boolean);
  const loaded = lines.map((l) => /@@loaded (\w+) (\d+) (-?\d+)/.exec(l)).find(Boolean);
  if (!file) reasons.push("the board did not report the Storage file");
  else {
    if (Number(file[1]) !== target.bytes.length) reasons.push(`Storage file "${target.name}" holds ${file[1]} bytes, not ${target.bytes.length}`);
    if (Number(file[2]) !== -1 && Number(file[2]) >>> 0 !== crc32(target.bytes)) reasons.push(`Storage file "${target.name}": CRC32 differs from ${relative(ROOT, target.path)}`);
  }
  if (!loaded || loaded[1] !== "object" || Number(loaded[2]) === 0) reasons.push(`require("${target.name}") did not load the module from Storage`);
  return { ok: reasons.length === 0, reasons, installed, jsvars: loaded ? Number(loaded[3]) : undefined,
    crcChecked: file ? Number(file[2]) !== -1 : false };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({ options: {
    port: { type: "string", short: "p" }, model: { type: "string", default: "original" },
    name: { type: "string", default: "STM32F1Flash" }, file: { type: "string" }, verbose: { type: "boolean", short: "v" },
  } });
  const onLog = values.verbose ? (m) => console.log(`install:flash: ${m}`) : () => {};
  let virtual = null, port = values.port;
  let r;
  try {
    if (!port) {
      virtual = await startVirtualBoard({ model: values.model });
      port = virtual.url;
      console.log(`install:flash: virtual board (${values.model}) on ${port}`);
    }
    const file = values.file && resolve(process.env.INIT_CWD || process.cwd(), values.file);
    r = await installFlash({ name: values.name, file, port, onLog });
  } catch (e) {
    r = { ok: false, reasons: [e.message], installed: [] };
  } finally {
    if (virtual) await virtual.stop();
  }
  if (r.ok) {
    console.log(`install:flash: OK: Storage file${r.installed.length > 1 ? "s" : ""} ${r.installed.map((n) => `"${n}"`).join(", ")} ` +
      `written and ${r.crcChecked ? "CRC32-checked" : "length-checked"}; require("${values.name}") loads it from flash: ` +
      `${r.jsvars} JsVars (transcripts in build/install-flash-*.log)`);
  } else {
    for (const why of r.reasons) console.error(`install:flash: FAILED: ${why}`);
  }
  process.exit(r.ok ? 0 : 1);
}
