#!/usr/bin/env node
// Calibration of the RAM model (sim/ram-model.js) against the real Espruino 2v29 interpreter.
//
//   node tools/ram-calibrate.js --measure /path/to/measure.mjs [--only FIXTURE,...] [--peak]
//       measures every fixture of test/fixtures/ram (synthetic modules of ours, and past builds of
//       modules/STM32F1Flash.min.js in history/) in the four loading forms on the real interpreter, and writes
//       test/fixtures/ram/calibration.json (module, form, measured, modelled, error). --peak also measures the
//       free JsVars the default upload needs for the fixtures listed in PEAK_FIXTURES (slow: ~30 s each).
//       Fixtures in programs/ are programs, not modules: form "program" = JsVars left after uploading them,
//       modelled by running them on the virtual Original (sim/ram.js walk).
//       Fixtures in board/ read the board while they load (built modules of this project): measured with a
//       prelude (measure.mjs --prelude, run at every start of the interpreter) that gives peek8/16/32,
//       process.memory() and process.env the Original's answers the model's dry run uses (ORIGINAL_READINGS,
//       boardPrelude below).
//       Fixtures in pretokenise/ are loaded with Espruino's `pretokenise` flag already set (E.setFlags in the
//       prelude, as a user's program or boot code would), modelled with moduleVars({pretokenise: true}).
//       measure.mjs is not part of this repository: it uploads a file with the espruino CLI to Espruino 2v29 built
//       for Linux with the Original's variable layout (board `variables` 2756, -m32, USE_CALLFUNCTION_HACK,
//       SPIFLASH_BASE=0 SPIFLASH_LENGTH=FLASH_SAVED_CODE_LENGTH) and reads process.memory().usage before and after
//       require() (README "RAM" section says how to build one).
//   node tools/ram-calibrate.js --codes /path/to/run.mjs
//       measures the stored code of every function of the fixtures in CODE_FIXTURES: each function is created once
//       with the pretokenise flag off and once with it on (E.setFlags) in a program run by run.mjs (the same
//       interpreter; `node run.mjs FILE` evaluates FILE), which prints the length of its "\xFFcod" child; recorded
//       under "codes" in calibration.json, where the model must match every length exactly (tokenisedLength and
//       the plain copy of analyseModule).
//   node tools/ram-calibrate.js
//       recomputes the modelled column from the recorded measurements and prints the table (no interpreter).
//
// test/ram-model.test.js checks that every recorded point is still within ±5 % of the model.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import * as acorn from "acorn";
import { ORIGINAL_READINGS, analyseModule, moduleVars, uploadPeakVars } from "../sim/ram-model.js";
import { createBoard } from "../sim/board.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES = join(ROOT, "test/fixtures/ram");
export const CALIBRATION = join(FIXTURES, "calibration.json");
export const FORMS = ["fn", "str", "storage", "bootcde"];
export const TOLERANCE = 0.05;
/** fixtures whose upload peak is measured (--peak) */
export const PEAK_FIXTURES = ["history/STM32F1Flash-97a7111.min.js", "history/STM32F1Flash-be52d77.min.js",
  "history/STM32F1Flash-9dddbf9.min.js", "readable-kv.js", "readable-kv.min.js", "body-3000.js", "fns-60.js",
  "vars-strings.js", "whitespace.js", "board/STM32F1Flash-efcbbda.min.js", "board/STM32F1Bootloader-efcbbda.min.js",
  "wrapped-kv.min.js", "pt-strings.js", "pretokenise/plain-kv.js"];

/** fixtures whose functions' stored code lengths are measured (--codes) */
export const CODE_FIXTURES = ["pt-tokens.js", "pt-strings.js", "ram-directive.js", "arrows.js", "whitespace.js",
  "comments-inside.js", "nested-text.js", "readable-kv.js", "wrapped-kv.min.js", "board/STM32F1Flash-efcbbda.min.js",
  "board/STM32F1Bootloader-efcbbda.min.js"];

/**
 * The functions of a fixture whose code length is measured: every function text analyseModule finds that is a
 * function expression on its own (methods and getters are not), in analyseModule's order, with the model's
 * stored lengths (flag off: as written, or tokenised for a "ram" function; flag on: tokenised), each function
 * created on its own (a function inside a "ram" function is measured outside it).
 * @returns {{text: string, plain: number, tokenised: number}[]}
 */
export function codeFunctions(source) {
  const out = [];
  for (const [text, infos] of analyseModule(source).functions) {
    try { acorn.parse(`(${text})`, { ecmaVersion: 2020 }); } catch { continue; }
    const info = infos[0];
    const stored = info.codeLength > 0;
    out.push({ text, plain: stored ? (info.ramDirective ? info.tokenLength : info.codeLength) : 0,
      tokenised: stored ? info.tokenLength : 0 });
  }
  return out;
}

/** Measure the code lengths of a fixture's functions with run.mjs (see --codes). */
function measureCodes(runMjs, fixture) {
  const fns = codeFunctions(readFileSync(join(FIXTURES, fixture), "latin1"));
  const dir = mkdtempSync(join(tmpdir(), "ram-codes-"));
  try {
    const result = {};
    for (const flag of [0, 1]) {
      let prog = `E.setFlags({pretokenise:${flag}});var L=[],F;\n`;
      for (const f of fns) prog += `F=(${f.text});L.push(F["\\xFFcod"]?F["\\xFFcod"].length:0);F=0;\n`;
      prog += 'print("@@L",JSON.stringify(L));\n';
      writeFileSync(join(dir, "codes.js"), prog);
      let out;
      try { out = execFileSync("node", [runMjs, join(dir, "codes.js")], { encoding: "latin1" }); } catch (e) { out = e.stdout; }
      const line = out.split("\n").find((l) => l.startsWith("@@L"));
      if (!line) throw new Error(`${fixture}: no lengths printed:\n${out}`);
      result[flag ? "tokenised" : "plain"] = JSON.parse(line.slice(4));
    }
    return fns.map((f, i) => ({ function: f.text.slice(0, 48), plain: result.plain[i], tokenised: result.tokenised[i] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Module name of a fixture file: history/STM32F1Flash-<commit>.min.js -> STM32F1Flash, x.min.js / x.js -> x. */
export const moduleName = (file) => basename(file).replace(/(-[0-9a-f]{7})?(\.min)?\.js$/, "");

/** Fixture files, relative to test/fixtures/ram, sorted: modules, past module builds, modules reading the board,
 * modules loaded with the pretokenise flag set, then programs. */
export function fixtureFiles() {
  const list = (dir) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith(".js")).sort().map((f) => join(dir, f));
  return [...list("."), ...list("history"), ...list("board"), ...list("pretokenise"), ...list("programs")];
}

/** A program fixture (programs/): measured as the JsVars it leaves, not as a module. */
export const isProgram = (fixture) => fixture.startsWith("programs/");
/** A fixture loaded with Espruino's pretokenise flag set beforehand (pretokenise/). */
export const isPretokenised = (fixture) => fixture.startsWith("pretokenise/");
/** A fixture that needs the board's answers while it loads (board/). */
export const readsBoard = (fixture) => fixture.startsWith("board/");

/** Forms a fixture is measured in: programs as programs, modules in the four loading forms. */
export const formsOf = (fixture) => (isProgram(fixture) ? ["program"] : FORMS);

/**
 * JavaScript for measure.mjs --prelude that answers the reads of a module at load as the model's dry run does
 * (sim/ram-model.js ORIGINAL_READINGS): peek8/16/32 at the listed addresses (others 0, with a count: zeros),
 * process.memory()'s flash fields, process.env's fields. The Linux builds have no STM32 behind peek (reading those
 * addresses crashes), report their own BOARD, and their process.memory() has other flash fields. Every answer is
 * a new value (`+ 0`, `>>> 0`): Espruino shares a number's or string's JsVar between the names holding it, so a
 * module keeping an answer the prelude holds too would not be charged for it.
 */
export function boardPrelude(readings = ORIGINAL_READINGS) {
  const mem = {};
  for (const k of Object.keys(readings.memory)) if (k.startsWith("flash_")) mem[k] = readings.memory[k];
  return `(function(){var R=${JSON.stringify(readings.peek)},M=${JSON.stringify(mem)},V=${JSON.stringify(readings.env)},` +
    "e=process.env,k;function f(m,T){return function(a,n){return n>1?new T(n):((R[a>>>0]||0)&m)>>>0}}" +
    "global.peek8=f(255,Uint8Array);global.peek16=f(65535,Uint16Array);global.peek32=f(-1,Uint32Array);" +
    "for(k in V)e[k]=V[k]+(typeof V[k]=='string'?'':0);process.env=e;var pm=process.memory;" +
    "process.memory=function(g){var m=pm(g),k;for(k in M)m[k]=M[k]+0;return m}})();";
}

/** The prelude a fixture is measured with ("" for none). */
export function preludeOf(fixture) {
  if (readsBoard(fixture)) return boardPrelude();
  if (isPretokenised(fixture)) return "E.setFlags({pretokenise:1});";
  return "";
}

/** JsVars a program leaves on the virtual Original: usage after running it minus before (sim/ram.js walk). */
export function programVars(source) {
  const board = createBoard();
  try {
    const before = board.eval("process.memory().usage");
    board.eval(source);
    return board.eval("process.memory().usage") - before;
  } finally {
    board.dispose();
  }
}

/** The model's figure for one calibration point. @param {{fixture: string, form: string}} p */
export function modelled(p) {
  const source = readFileSync(join(FIXTURES, p.fixture), "latin1");
  const name = moduleName(p.fixture);
  if (p.form === "program") return programVars(source);
  const pretokenise = isPretokenised(p.fixture);
  return p.form === "peak" ? uploadPeakVars(source, { name, pretokenise })
    : moduleVars(source, { name, form: p.form, pretokenise }).jsvars;
}

/** Relative error of the model, rounded to 0.1 %. */
export const errorOf = (measured, model) => Math.round(((model - measured) / measured) * 1000) / 10;

/** Markdown table of the calibration points. */
export function table(points) {
  const rows = ["| fixture | module | form | measured | modelled | error |", "|---|---|---|---:|---:|---:|"];
  for (const p of points) rows.push(`| ${p.fixture} | ${p.module} | ${p.form} | ${p.measured} | ${p.modelled} | ${p.error} % |`);
  return rows.join("\n");
}

async function main() {
  const { values } = parseArgs({ options: { measure: { type: "string" }, only: { type: "string" },
    peak: { type: "boolean", default: false }, codes: { type: "string" } } });
  const data = JSON.parse(readFileSync(CALIBRATION, "utf8"));
  if (values.codes) {
    data.codes = CODE_FIXTURES.map((fixture) => ({ fixture, functions: measureCodes(values.codes, fixture) }));
    for (const c of data.codes) process.stderr.write(`${c.fixture}: ${c.functions.length} functions\n`);
  }
  if (values.measure) {
    const { measure } = await import(pathToFileURL(values.measure).href);
    const only = values.only ? new Set(values.only.split(",")) : null;
    for (const fixture of fixtureFiles()) {
      if (only && !only.has(fixture)) continue;
      const forms = values.peak && PEAK_FIXTURES.includes(fixture) ? [...formsOf(fixture), "peak"] : formsOf(fixture);
      const r = await measure(join(FIXTURES, fixture), { name: moduleName(fixture), forms, prelude: preludeOf(fixture) });
      data.points = data.points.filter((p) => p.fixture !== fixture || !forms.includes(p.form));
      for (const form of forms) {
        const measured = form === "peak" ? r.peak.need : r[form];
        data.points.push({ fixture, module: moduleName(fixture), form, measured });
      }
      process.stderr.write(`${fixture}: ${forms.map((f) => `${f} ${f === "peak" ? r.peak.need : r[f]}`).join(", ")}\n`);
      save(data);
    }
  }
  save(data);
  console.log(table(data.points));
}

function save(data) {
  const order = (p) => [fixtureFiles().indexOf(p.fixture), [...FORMS, "peak", "program"].indexOf(p.form)];
  data.points.sort((a, b) => { const x = order(a), y = order(b); return x[0] - y[0] || x[1] - y[1]; });
  for (const p of data.points) { p.modelled = modelled(p); p.error = errorOf(p.measured, p.modelled); }
  writeFileSync(CALIBRATION, JSON.stringify(data, null, 1)
    .replace(/\{\n\s+("fixture"[^{}]*)\n\s+\}/g, (m, body) => `{${body.replace(/\n\s+/g, " ")}}`)
    .replace(/\{\n\s+("function"[^{}]*)\n\s+\}/g, (m, body) => `{${body.replace(/\n\s+/g, " ")}}`) + "\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
