// RAM benchmark (issue 9, item 3): the JsVars every shipped module (tools/modules.js moduleNames()) costs on the
// Espruino Original in each loading form, from the calibrated RAM model (sim/ram-model.js, checked against the real
// Espruino 2v29 interpreter by test/ram-model.test.js), beside the issue's reference figures and the budgets in
// bench/budgets.json. Every module tools/modules.js finds (src/<Name>/index.ts) is measured; a module with an
// `open` budget in budgets.json also gets the JsVars the state its program keeps costs (e.g. an open FlashKV store
// with N keys: openFigures).
//
//   npm run bench           (runs bench/bench.js, then this) prints the table, writes bench/ram-results.json and
//                           bench/README-ram-section.md, and puts that section into README.md in place of its
//                           "## RAM" section
//
// The logic lives in exported functions (used by test/ram-budget.test.js); the CLI part is at the bottom.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { FORMS, moduleVars, uploadPeakVars } from "../sim/ram-model.js";
import { createBoard } from "../sim/board.js";
import { moduleNames } from "../tools/modules.js";

export const TOTAL = 2756;
/** Budgets and the issue's reference figures (bench/budgets.json). */
export const budgets = () => JSON.parse(readFileSync(new URL("./budgets.json", import.meta.url), "utf8"));
/** Calibration recorded in test/fixtures/ram/calibration.json: points, how many of them the model gives exactly,
 * and the functions whose stored code length was measured. */
export function calibrationSummary() {
  const c = JSON.parse(readFileSync(new URL("../test/fixtures/ram/calibration.json", import.meta.url), "utf8"));
  return { points: c.points.length, exact: c.points.filter((p) => p.measured === p.modelled).length,
    codes: (c.codes || []).reduce((n, f) => n + f.functions.length, 0) };
}

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
    const open = budget && budget.open ? openFigures({
      modules: Object.fromEntries(moduleNames().map((n) => [n, source(`${n}.min.js`)])),
      program: readFileSync(new URL("../" + budget.open.program, import.meta.url), "latin1"), open: budget.open }) : null;
    return { name, files: [min, full], budget, verdict, open, reference: B.reference[name] || null };
  });
  return { board: B.board, calibration: calibrationSummary(), modules };
}

/**
 * JsVars of what a module's program keeps while it runs (e.g. an open store with n keys), by the RAM model on the
 * virtual Original: every module of `modules` is loaded first (board.addModule, as the CLI would upload them),
 * then for each n of open.keys: usage after `var KEYS = n;` + program, minus usage after `var KEYS = n;` alone,
 * each on a fresh board. Limit: open.base + open.perKey * n. The model walks the objects the program keeps
 * (a store's index in a property is seen key by key); what only a closure holds is estimated from the enclosing
 * function's initialisers (sim/ram.js), so confirm the figures on the real interpreter (README "## RAM").
 * @param {{modules: object<string, string>, program: string, open: {base: number, perKey: number, keys: number[]}}} o
 * @returns {{keys: number, jsvars: number, limit: number, within: boolean}[]}
 */
export function openFigures({ modules, program, open }) {
  return open.keys.map((keys) => {
    const board = createBoard();
    try {
      for (const [name, src] of Object.entries(modules)) board.addModule(name, src);
      board.eval(`var KEYS = ${keys};`);
      const before = board.eval("process.memory().usage");
      board.eval(program);
      const jsvars = board.eval("process.memory().usage") - before;
      const limit = open.base + open.perKey * keys;
      return { keys, jsvars, limit, within: jsvars <= limit };
    } finally {
      board.dispose();
    }
  });
}

/**
 * Budget verdict of a module's .min.js: ram = the default upload (fn form), flash = kept in flash (storage form).
 * A figure over its budget fails, unless budgets.json lists it under `over` with a cap, while it equals that cap
 * exactly: growing beyond the cap fails, and so does shrinking below it (the cap must follow it down, so that
 * later growth cannot hide under an old cap); a cap on a figure within budget fails too (remove it).
 * @returns {{ram: {value, budget, within, over, cap}, flash: {value, budget, within, over, cap}, ok: boolean,
 *   reasons: string[]}}  over: JsVars above the budget (0 when within); cap: the `over` cap, if any
 */
export function checkBudget(min, budget) {
  const reasons = [];
  const one = (key, value) => {
    const within = value <= budget[key];
    const cap = budget.over ? budget.over[key] : undefined;
    const over = within ? 0 : value - budget[key];
    if (within && cap !== undefined) {
      reasons.push(`${key}: ${value} JsVars is within the budget ${budget[key]}: remove over.${key} (${cap}) from budgets.json`);
    } else if (!within && cap === undefined) {
      reasons.push(`${key}: ${value} JsVars, over the budget ${budget[key]} by ${over}`);
    } else if (!within && value > cap) {
      reasons.push(`${key}: ${value} JsVars, over the budget ${budget[key]} by ${over} and grown beyond its cap ${cap}`);
    } else if (!within && value < cap) {
      reasons.push(`${key}: ${value} JsVars, below its cap ${cap} (still over the budget ${budget[key]} by ${over}): ` +
        `lower over.${key} in budgets.json to ${value}`);
    }
    return { value, budget: budget[key], within, over, cap };
  };
  const ram = one("ram", min.fn), flash = one("flash", min.storage);
  return { ram, flash, ok: reasons.length === 0, reasons };
}

/** "454 / 450: over by 4 (capped at 454)" or "191 / 200". */
const verdictText = (x) => `${x.value} / ${x.budget}` +
  (x.within ? "" : `: **over by ${x.over}**${x.cap !== undefined ? ` (capped at ${x.cap} until it is shrunk)` : ""}`);

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

/** Budget lines, one per module (and one per `open` figure). */
export function budgetLines(results) {
  return results.modules.flatMap((m) => {
    if (!m.budget) return [`${m.name}: no budget in bench/budgets.json`];
    const v = m.verdict;
    const s = (x, k) => `${k} ${verdictText(x).replace(/\*\*/g, "")}`;
    const lines = [`${m.name}: ${s(v.ram, "RAM (default upload)")}, ${s(v.flash, "kept in flash")}` +
      (v.ok ? "" : ` - FAILS: ${v.reasons.join("; ")}`)];
    for (const o of m.open || []) {
      lines.push(`${m.name} while open with ${o.keys} keys: ${o.jsvars} / ${o.limit}` + (o.within ? "" : ` OVER by ${o.jsvars - o.limit}`));
    }
    return lines;
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
  const C = results.calibration || calibrationSummary();
  const refRows = [];
  for (const m of results.modules) {
    for (const r of m.reference ? m.reference.rows : []) refRows.push(`| ${m.name} | ${r.form} | ${r.jsvars} |`);
  }
  const budgetRows = results.modules.map((m) => m.budget
    ? `| ${m.name} | ${verdictText(m.verdict.ram)} | ${verdictText(m.verdict.flash)} | ${m.budget.source} |`
    : `| ${m.name} | no budget | | |`);
  const openRows = results.modules.flatMap((m) => (m.open || []).map((o) =>
    `| ${m.name} | ${o.keys} | ${o.jsvars} | ${o.limit} (${m.budget.open.base} + ${m.budget.open.perKey} per key)` +
    `${o.within ? "" : `: **over by ${o.jsvars - o.limit}**`} |`));
  return `## RAM

The Original has ${TOTAL} variables (JsVars) of ${B.board.blocksize} bytes; a fresh board uses about ${B.board.baseUsage}
after \`reset()\`. Figures below are JsVars left in use once \`require("X")\` returned, from the RAM model of the
virtual board (\`sim/ram-model.js\`), which is calibrated against the real Espruino 2v29 interpreter (built for
Linux with the Original's variable layout): \`test/fixtures/ram/calibration.json\` holds ${C.points}
measured points, every one within ±5 % of the model and ${C.exact} of them exactly, and the stored code length
of ${C.codes} functions, each exact (\`test/ram-model.test.js\`). Regenerated by \`npm run bench\`.

${table(results)}

Loading forms: the espruino CLI and the Web IDE send \`Modules.addCached("X", function(){...})\` by default (the
code then lives in RAM; each module of this project sets Espruino's \`pretokenise\` flag while it loads, so its
functions' code is kept tokenised — keywords, operators and small integers one byte each, no spaces or comments —
about one JsVar per 13 bytes of that); "kept in flash" means the module's text stays in flash and only its
structure is in RAM (about 5 JsVars per top-level function plus names) — see "Keeping the module in flash" below.
The upload also needs free JsVars for a moment: the REPL's copy of the line and the wrapper function's code, on
top of the module ("free JsVars the default upload needs").

Budgets (\`bench/budgets.json\`; \`test/ram-budget.test.js\` fails when a module's \`.min.js\` goes over, by the
model; a module listed there as over its budget carries a cap equal to its figure, and the test fails as soon as
the figure moves away from the cap, up or down, so the cap can only follow the module down):

| module | RAM: default upload | kept in flash | budget from |
|---|--:|--:|---|
${budgetRows.join("\n")}
${openRows.length ? `
While open (\`bench/budgets.json\` \`open\`: the program in \`bench/ram-open/\` run on the virtual board after the
modules loaded, with \`var KEYS = n;\` in front; JsVars it leaves in use):

| module | keys | JsVars | budget |
|---|--:|--:|---|
${openRows.join("\n")}
` : ""}
Checking a figure on the real interpreter (Espruino 2v29 built for Linux with the Original's variable layout:
board \`variables\` 2756, \`-m32\`, \`USE_CALLFUNCTION_HACK\`, \`SPIFLASH_BASE=0 SPIFLASH_LENGTH=FLASH_SAVED_CODE_LENGTH\`):
\`node tools/ram-calibrate.js --measure <script>\` measures the fixtures of \`test/fixtures/ram/\` (its header says
what the script does). A module that reads the chip while it loads (as this project's do) goes into
\`test/fixtures/ram/board/\`: it is measured with the answers of \`boardPrelude()\` (\`tools/ram-calibrate.js\`) run
before it, since \`peek\` at STM32 addresses crashes on Linux. An open store: the JsVars a program leaves after its
upload, \`var KEYS = n;\` followed by \`bench/ram-open/<Name>.js\`, minus those of \`var KEYS = n; require("<Name>");\`
(the same modules uploaded, no store).

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
