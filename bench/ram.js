// RAM benchmark (issue 9, item 3): the JsVars every shipped module (tools/modules.js moduleNames()) costs on the
// Espruino Original in each loading form, from the calibrated RAM model (sim/ram-model.js, checked against the real
// Espruino 2v29 interpreter by test/ram-model.test.js), beside the reference figures and the budgets in
// bench/budgets.json.
//
//   npm run bench           (runs bench/bench.js, then this) prints the table, writes bench/ram-results.json and
//                           bench/README-ram-section.md, and puts that section into README.md in place of its
//                           "## RAM" section
//
// The logic lives in exported functions (used by test/ram-budget.test.js); the CLI part is at the bottom.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { FORMS, moduleVars, uploadPeakVars } from "../sim/ram-model.js";
import { moduleNames } from "../tools/modules.js";

export const TOTAL = 2756;
/** Budgets and the reference figures (bench/budgets.json). */
export const budgets = () => JSON.parse(readFileSync(new URL("./budgets.json", import.meta.url), "utf8"));
/** Number of calibration points recorded (test/fixtures/ram/calibration.json). */
export const calibrationPoints = () =>
  JSON.parse(readFileSync(new URL("../test/fixtures/ram/calibration.json", import.meta.url), "utf8")).points.length;

/** Source text of a built module file, read now. */
export function source(file) {
  return readFileSync(new URL("../modules/" + file, import.meta.url), "latin1");
}

/**
 * Model figures of one built file.
 * @param {string} name  module name @param {string} file  e.g. "STM32F1Flash.min.js"
 * @returns {{file: string, bytes: number, fn: number, str: number, storage: number, bootcde: number, peak: number,
 *   uploadFits: boolean, storageFits: boolean}}
 */
export function fileFigures(name, file) {
  const src = source(file);
  const row = { file: `modules/${file}`, bytes: Buffer.byteLength(src, "latin1") };
  for (const form of Object.keys(FORMS)) row[form] = moduleVars(src, { name, form }).jsvars;
  row.peak = uploadPeakVars(src, { name });
  const b = budgets().board;
  row.uploadFits = row.peak <= TOTAL - b.baseUsage;
  row.storageFits = row.bytes <= b.storageBytes;
  return row;
}

/** Figures of every shipped module (.min.js and .js) and the budget verdicts (on the .min.js, what is uploaded). */
export function runRamBench() {
  const B = budgets();
  const modules = moduleNames().map((name) => {
    const min = fileFigures(name, `${name}.min.js`);
    const full = fileFigures(name, `${name}.js`);
    const budget = B.modules[name] || null;
    const verdict = budget ? checkBudget(min, budget) : null;
    return { name, files: [min, full], budget, verdict, reference: B.reference[name] || null };
  });
  return { board: B.board, calibrationPoints: calibrationPoints(), modules };
}

/**
 * Budget verdict of a module's .min.js: ram = the default upload (fn form), flash = kept in flash (storage form).
 * A module listed with `over` (figures it had when the budget was set) may stay above its budget but never grow.
 * @returns {{ram: {value, budget, within}, flash: {value, budget, within}, ok: boolean, reasons: string[]}}
 */
export function checkBudget(min, budget) {
  const reasons = [];
  const one = (key, value) => {
    const within = value <= budget[key];
    const cap = budget.over ? budget.over[key] : undefined;
    if (!within && (cap === undefined || value > cap)) {
      reasons.push(`${key}: ${value} JsVars > budget ${budget[key]}` + (cap === undefined ? "" : ` and > the ${cap} recorded in budgets.json "over"`));
    }
    return { value, budget: budget[key], within };
  };
  const ram = one("ram", min.fn), flash = one("flash", min.storage);
  return { ram, flash, ok: reasons.length === 0, reasons };
}

const pct = (n) => `${Math.round((n / TOTAL) * 100)} %`;

/** Markdown table: one row per built file. */
export function table(results) {
  const rows = ["| file | bytes | RAM: function form (default upload) | RAM: string form | kept in flash: Storage file | kept in flash: Save on Send (.bootcde) | free JsVars the default upload needs |",
    "|---|--:|--:|--:|--:|--:|--:|"];
  for (const m of results.modules) {
    for (const f of m.files) {
      const peak = f.uploadFits ? String(f.peak) : `${f.peak} (more than the board has)`;
      const flash = (v) => (f.storageFits ? String(v) : `${v} (file too big for Storage)`);
      rows.push(`| \`${f.file}\` | ${f.bytes} | ${f.fn} (${pct(f.fn)}) | ${f.str} | ${flash(f.storage)} | ${flash(f.bootcde)} | ${peak} |`);
    }
  }
  return rows.join("\n");
}

/** Budget lines, one per module. */
export function budgetLines(results) {
  return results.modules.map((m) => {
    if (!m.budget) return `${m.name}: no budget in bench/budgets.json`;
    const v = m.verdict;
    const s = (x, k) => `${k} ${x.value} / ${x.budget}${x.within ? "" : " OVER"}`;
    return `${m.name}: ${s(v.ram, "RAM")}, ${s(v.flash, "flash")}` +
      (m.budget.over && !(v.ram.within && v.flash.within) ? ` (over budget; may not grow beyond ${m.budget.over.ram} / ${m.budget.over.flash})` : "");
  });
}

/** README text `md` with its "## RAM" section (up to the next "## " heading) replaced by `section`. */
export function spliceRam(md, section) {
  const a = md.indexOf("\n## RAM\n") + 1, b = md.indexOf("\n## ", a + 1) + 1;
  if (a < 1 || b < 1) throw new Error("README.md: no \"## RAM\" section followed by another section");
  return md.slice(0, a) + section + (section.endsWith("\n\n") ? "" : "\n") + md.slice(b);
}

/** Text of the README "## RAM" section (bench/README-ram-section.md). */
export function readmeSection(results) {
  const B = budgets();
  const refRows = [];
  for (const m of results.modules) {
    for (const r of m.reference ? m.reference.rows : []) refRows.push(`| ${m.name} | ${r.form} | ${r.jsvars} |`);
  }
  const budgetRows = results.modules.map((m) => m.budget
    ? `| ${m.name} | ${m.verdict.ram.value} / ${m.budget.ram}${m.verdict.ram.within ? "" : " **over**"} | ` +
      `${m.verdict.flash.value} / ${m.budget.flash}${m.verdict.flash.within ? "" : " **over**"} | ${m.budget.source} |`
    : `| ${m.name} | no budget | | |`);
  return `## RAM

The Original has ${TOTAL} variables (JsVars) of ${B.board.blocksize} bytes; a fresh board uses about ${B.board.baseUsage}
after \`reset()\`. Figures below are JsVars left in use once \`require("X")\` returned, from the RAM model of the
virtual board (\`sim/ram-model.js\`), which is calibrated against the real Espruino 2v29 interpreter (built for
Linux with the Original's variable layout): \`test/fixtures/ram/calibration.json\` holds ${calibrationPoints()}
measured points, every one within ±5 % of the model (\`test/ram-model.test.js\`). Regenerated by \`npm run bench\`.

${table(results)}

Loading forms: the espruino CLI and the Web IDE send \`Modules.addCached("X", function(){...})\` by default (the
code then lives in RAM, about one JsVar per 13 bytes of function text); "kept in flash" means the module's text
stays in flash and only its structure is in RAM (about 5 JsVars per top-level function plus names) — see
"Keeping the module in flash" below. The upload also needs free JsVars for a moment: the REPL's copy of the line
and the wrapper function's code, on top of the module ("free JsVars the default upload needs").

Budgets (\`bench/budgets.json\`; \`test/ram-budget.test.js\` fails when a module's \`.min.js\` goes over, by the
model; a module marked as over its budget may not grow while it is being shrunk):

| module | RAM: default upload | kept in flash | budget from |
|---|--:|--:|---|
${budgetRows.join("\n")}

Reference figures, measured on the real interpreter before this model existed, without the built-ins warmed up
(so they include the 8 JsVars Espruino creates the first time any code calls a String method; the model leaves
those out, as a program usually has them anyway):

| module | loaded as | JsVars |
|---|---|--:|
${refRows.join("\n")}

### Keeping the module in flash

\`npm run install:flash\` writes \`modules/<Name>.min.js\` as a Storage file named \`<Name>\` (through the espruino
CLI's "Save on Send: to Storage file" path), checks it byte for byte (CRC32 of the file on the board) and loads it
once; afterwards \`require("<Name>")\` finds the file, and the function bodies stay in flash:

\`\`\`
npm run install:flash -- --port /dev/ttyACM0                   # STM32F1Flash on a real board
npm run install:flash -- --port /dev/ttyACM0 --name FlashKV    # another shipped module (and what it requires)
\`\`\`

Without \`--port\` it installs on the virtual board. Upload your program as usual afterwards, but keep the module
out of the CLI's way: \`require("STM32F1Flash")\` in your code makes the CLI send the module to RAM again (it does not
know the board has it); write \`var name = "STM32F1Flash"; var f = require(name);\` or set the CLI/Web IDE's module
URL so it finds nothing. The other way: the Web IDE's "Save on Send: Direct to flash" (CLI \`--config SAVE_ON_SEND=1\`)
writes the whole upload, module included, to \`.bootcde\` and runs it from flash at every start.
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = runRamBench();
  console.log(table(results));
  console.log("");
  for (const l of budgetLines(results)) console.log(l);
  writeFileSync(new URL("./ram-results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(new URL("./README-ram-section.md", import.meta.url), readmeSection(results));
  const readme = new URL("../README.md", import.meta.url);
  writeFileSync(readme, spliceRam(readFileSync(readme, "utf8"), readmeSection(results)));
}
