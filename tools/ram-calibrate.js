#!/usr/bin/env node
// Calibration of the RAM model (sim/ram-model.js) against the real Espruino 2v29 interpreter.
//
//   node tools/ram-calibrate.js --measure /path/to/measure.mjs [--only NAME,...] [--peak]
//       measures every fixture of test/fixtures/ram (synthetic modules of ours, and past builds of
//       modules/STM32F1Flash.min.js in history/) in the four loading forms on the real interpreter, and writes
//       test/fixtures/ram/calibration.json (module, form, measured, modelled, error). --peak also measures the
//       free JsVars the default upload needs for the fixtures listed in PEAK_FIXTURES (slow: ~30 s each).
//       Fixtures in programs/ are programs, not modules: form "program" = JsVars left after uploading them,
//       modelled by running them on the virtual Original (sim/ram.js walk).
//       measure.mjs is not part of this repository: it uploads a file with the espruino CLI to Espruino 2v29 built
//       for Linux with the Original's variable layout (board `variables` 2756, -m32, USE_CALLFUNCTION_HACK,
//       SPIFLASH_BASE=0 SPIFLASH_LENGTH=FLASH_SAVED_CODE_LENGTH) and reads process.memory().usage before and after
//       require() (README "RAM" section says how to build one).
//   node tools/ram-calibrate.js
//       recomputes the modelled column from the recorded measurements and prints the table (no interpreter).
//
// test/ram-model.test.js checks that every recorded point is still within ±5 % of the model.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { moduleVars, uploadPeakVars } from "../sim/ram-model.js";
import { createBoard } from "../sim/board.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES = join(ROOT, "test/fixtures/ram");
export const CALIBRATION = join(FIXTURES, "calibration.json");
export const FORMS = ["fn", "str", "storage", "bootcde"];
export const TOLERANCE = 0.05;
/** fixtures whose upload peak is measured (--peak) */
export const PEAK_FIXTURES = ["history/STM32F1Flash-97a7111.min.js", "history/STM32F1Flash-be52d77.min.js",
  "history/STM32F1Flash-9dddbf9.min.js", "readable-kv.js", "readable-kv.min.js", "body-3000.js", "fns-60.js",
  "vars-strings.js", "whitespace.js"];

/** Module name of a fixture file: history/STM32F1Flash-<commit>.min.js -> STM32F1Flash, x.min.js / x.js -> x. */
export const moduleName = (file) => basename(file).replace(/(-[0-9a-f]{7})?(\.min)?\.js$/, "");

/** Fixture files, relative to test/fixtures/ram, sorted: modules, past module builds, then programs. */
export function fixtureFiles() {
  const list = (dir) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith(".js")).sort().map((f) => join(dir, f));
  return [...list("."), ...list("history"), ...list("programs")];
}

/** A program fixture (programs/): measured as the JsVars it leaves, not as a module. */
export const isProgram = (fixture) => fixture.startsWith("programs/");

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
  return p.form === "peak" ? uploadPeakVars(source, { name }) : moduleVars(source, { name, form: p.form }).jsvars;
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
    peak: { type: "boolean", default: false } } });
  const data = JSON.parse(readFileSync(CALIBRATION, "utf8"));
  if (values.measure) {
    const { measure } = await import(pathToFileURL(values.measure).href);
    const only = values.only ? new Set(values.only.split(",")) : null;
    for (const fixture of fixtureFiles()) {
      if (only && !only.has(fixture)) continue;
      const forms = isProgram(fixture) ? ["program"]
        : values.peak && PEAK_FIXTURES.includes(fixture) ? [...FORMS, "peak"] : FORMS;
      const r = await measure(join(FIXTURES, fixture), { name: moduleName(fixture), forms });
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
  writeFileSync(CALIBRATION, JSON.stringify(data, null, 1).replace(/\{\n\s+("fixture"[^}]*)\n\s+\}/g,
    (m, body) => `{${body.replace(/\n\s+/g, " ")}}`) + "\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
