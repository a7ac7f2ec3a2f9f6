// Benchmark of FlashKV (issue 10, item 6): native calls and simulated time of the BUILT modules/FlashKV.min.js on a
// fresh virtual Espruino Original, over STM32F1Flash (the default) and over the board's built-in require("Flash")
// model: writes of 4-, 32- and 500-byte values without compaction, a read, a compaction, open() of a full store;
// flash bytes per small update, updates per page erase and the lifetime they give, beside AN2594's figures.
//
//   npm run bench     (runs bench/bench.js, then this): prints the table, writes bench/flashkv-results.json and
//                     bench/flashkv-README-section.md, and puts that section into README.md in place of its
//                     "## FlashKV speed" section
// Cost model as bench/bench.js: every native call costs callCostUs (40 µs) of virtual time, a half-word program
// tPROG (52.5 µs), a page erase tERASE (20 ms).
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createBoard } from "../sim/index.js";
import { soak } from "../test/flashkv-power.js";

export const STORE = 0x0803a000;
export const SOAK_UPDATES = 100000;
/** Issue 10 targets (benchmark figures): calls per write of <= 32 bytes, per read, per page at open(); lifetime. */
export const TARGETS = { writeCalls: 10, readCalls: 3, openCallsPerPage: 4, lifetime: 2.5e6, wearSpread: 1 };

const source = (f) => readFileSync(new URL("../modules/" + f, import.meta.url), "utf8");

/** A fresh board with the modules loaded and a store opened over `flash` ("default" or "builtin"). */
function setup(flash) {
  const board = createBoard();
  board.addModule("STM32F1Flash", source("STM32F1Flash.min.js"));
  board.addModule("FlashKV", source("FlashKV.min.js"));
  board.eval(`var kv = require("FlashKV").open({addr: ${STORE}${flash === "builtin" ? ', flash: require("Flash")' : ""}});
    var V4 = "abcd", V32 = E.toString({data: 50, count: 32}), V500 = E.toString({data: 53, count: 500});
    kv.write("cfg", V32); kv.write("n", V4);`); // the first write formats a page
  return board;
}

/** Counters of running `code` in the board (set-up code first, not counted). */
function measure(board, code, name, flash, extra = {}) {
  board.resetCounters();
  board.eval(code);
  const c = board.counters;
  return { name, flash, code, nativeCalls: c.nativeCalls, calls: { ...c.calls }, programs: c.programs, erases: c.erases,
    simulatedMs: Math.round(c.simulatedUs) / 1000, ...extra };
}

/** All rows for one flash object. */
export function benchFlash(flash) {
  const rows = [];
  let b = setup(flash);
  rows.push(measure(b, `kv.write("n", V4)`, "write of a 4-byte value (key \"n\"), no compaction", flash));
  rows.push(measure(b, `kv.write("cfg", V32)`, "write of a 32-byte value (key \"cfg\"), no compaction", flash));
  rows.push(measure(b, `kv.write("log", V500)`, "write of a 500-byte value (key \"log\"), no compaction", flash));
  rows.push(measure(b, `kv.read("cfg")`, "read of the 32-byte value", flash));
  // fill the page with updates until the next write compacts
  b.eval(`while (kv.getStats().used + 16 <= 2032 && kv.end + 16 <= 2048) kv.write("n", V4);`);
  const live = JSON.parse(b.eval("JSON.stringify(kv.getStats())")).used;
  rows.push(measure(b, `kv.write("n", V4)`, `write that compacts (copies ${live} bytes of live records, erases a page)`, flash));
  b.eval(`while (kv.end + 16 <= 2048) kv.write("n", V4);`); // a full store: both pages hold a header, page full
  const img = b.flash();
  b.reset();
  b.addModule("STM32F1Flash", source("STM32F1Flash.min.js"));
  b.addModule("FlashKV", source("FlashKV.min.js"));
  const opts = `{addr: ${STORE}${flash === "builtin" ? ', flash: require("Flash")' : ""}}`;
  rows.push(measure(b, `var kv = require("FlashKV").open(${opts})`, "open() of a full store (2 pages) after power-up", flash,
    { note: flash === "default" ? "STM32F1Flash read its memory map when it loaded" : "" }));
  rows.push(measure(b, `var kv2 = require("FlashKV").open(${opts})`, "open() of a full store, module already in use", flash));
  const unchanged = Buffer.compare(img, b.flash()) === 0;
  rows[rows.length - 1].readOnly = unchanged;
  rows[rows.length - 2].readOnly = unchanged;
  return rows;
}

/** Run everything: rows for STM32F1Flash and the built-in Flash, the wear soak, sizes, targets. */
export function runBench() {
  const rows = [...benchFlash("default"), ...benchFlash("builtin")];
  const s = soak(SOAK_UPDATES);
  const get = (flash, name) => rows.find((r) => r.flash === flash && r.name.startsWith(name));
  const lifetime = Math.round(s.updatesPerErase * 2 * 10000);
  const openPerPage = (r) => r.nativeCalls / 2;
  const targets = [
    { target: `write of <= 32 bytes without compaction <= ${TARGETS.writeCalls} native calls`,
      measured: ["default", "builtin"].map((f) => `${f === "default" ? "STM32F1Flash" : "built-in Flash"}: ` +
        `${get(f, "write of a 4-byte").nativeCalls} / ${get(f, "write of a 32-byte").nativeCalls}`).join(", "),
      met: ["default", "builtin"].every((f) => get(f, "write of a 32-byte").nativeCalls <= TARGETS.writeCalls) },
    { target: `read <= ${TARGETS.readCalls} native calls`, measured: `${get("default", "read").nativeCalls} / ${get("builtin", "read").nativeCalls}`,
      met: get("default", "read").nativeCalls <= TARGETS.readCalls && get("builtin", "read").nativeCalls <= TARGETS.readCalls },
    { target: `open() <= ${TARGETS.openCallsPerPage} native calls per page with the default flash object (STM32F1Flash)`,
      measured: ["default", "builtin"].map((f) => `${f === "default" ? "STM32F1Flash" : "built-in Flash"}: ` +
        `${openPerPage(get(f, "open() of a full store (2"))} after power-up, ${openPerPage(get(f, "open() of a full store, module"))} later`).join("; "),
      // judged with open()'s default flash object; the built-in Flash adds its two getPage() calls (native there,
      // JavaScript in STM32F1Flash), which check the pages given
      met: openPerPage(get("default", "open() of a full store, module")) <= TARGETS.openCallsPerPage &&
        openPerPage(get("default", "open() of a full store (2")) <= TARGETS.openCallsPerPage },
    { target: `>= ${TARGETS.lifetime / 1e6} M updates of one counter on 2 x 2 KB pages at 10 000 cycles`,
      measured: `${(lifetime / 1e6).toFixed(2)} M`, met: lifetime >= TARGETS.lifetime },
    { target: `erase counts max - min <= ${TARGETS.wearSpread} after ${SOAK_UPDATES} updates`,
      measured: `${JSON.stringify(s.erases)}`, met: Math.max(...s.erases) - Math.min(...s.erases) <= TARGETS.wearSpread },
  ];
  return { board: { model: "original", callCostUs: 40, timing: "typ" }, module: "modules/FlashKV.min.js",
    bytes: { "modules/FlashKV.min.js": Buffer.byteLength(source("FlashKV.min.js")), "modules/FlashKV.js": Buffer.byteLength(source("FlashKV.js")) },
    rows, soak: { ...s, updatesPerErase: Math.round(s.updatesPerErase * 10) / 10, lifetime }, targets };
}

/** Markdown table of the rows. */
export function table(results) {
  const lines = ["| operation | flash object | native calls | half-word programs | page erases | simulated ms |",
    "|---|---|--:|--:|--:|--:|"];
  for (const r of results.rows) {
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ""} | ${r.flash === "default" ? "STM32F1Flash" : "built-in `Flash`"} | ` +
      `${r.nativeCalls} | ${r.programs} | ${r.erases} | ${r.simulatedMs} |`);
  }
  return lines.join("\n");
}

/** README text `md` with its "## FlashKV speed" section (up to the next "## " heading or the end) replaced. */
export function spliceSection(md, section) {
  const a = md.indexOf("\n## FlashKV speed\n") + 1;
  if (a < 1) throw new Error('README.md: no "## FlashKV speed" section');
  let b = md.indexOf("\n## ", a + 1) + 1;
  if (b < 1) b = md.length;
  return md.slice(0, a) + section + (b < md.length ? "\n" : "") + md.slice(b);
}

/** Text of the README "## FlashKV speed" section (bench/flashkv-README-section.md). */
export function readmeSection(results) {
  const s = results.soak, get = (flash, name) => results.rows.find((r) => r.flash === flash && r.name.startsWith(name));
  const w4 = get("default", "write of a 4-byte"), w32 = get("default", "write of a 32-byte");
  const per = (r) => Object.entries(r.calls).map(([k, v]) => `${v} ${k}`).join(", ");
  return `## FlashKV speed

Measured by \`npm run bench\` (\`bench/flashkv.js\`) on the virtual Espruino Original (40 µs per native call,
datasheet-typical tPROG 52.5 µs and tERASE 20 ms) with the built \`${results.module}\`
(${results.bytes["modules/FlashKV.min.js"]} bytes); full figures in \`bench/flashkv-results.json\`.

${table(results)}

- A write costs FlashKV two native calls (\`E.toUint8Array\` builds the record, \`E.CRC32\` seals it) plus one
  \`flash.write\`: STM32F1Flash spends ${w4.nativeCalls - 2} of the ${w4.nativeCalls} calls (unlock, program, read-back, lock;
  the whole write: ${per(w32)}). FlashKV passes it the option \`erased\`, as it writes only where it knows flash is erased (open()
  checked the rest of the active page, or compaction erased the page): that skips STM32F1Flash's blank pre-check
  (2 calls, \`peek8\` and \`E.sum\`); a half-word that is not erased after all still fails the read-back (PGERR), and
  the store compacts. With the built-in \`Flash\`, which does not verify, FlashKV reads the record back itself.
- open() with the built-in \`Flash\` costs 2 calls more: its \`getPage()\`, which checks the pages given, is a native
  call there and JavaScript in STM32F1Flash.
- A read is the record (\`flash.read\`), its \`E.CRC32\` and \`E.toString\`. open() reads each page header and checks
  its CRC, then reads the active page once, checks the CRC of its last record and that the rest is blank: it never
  writes (flash unchanged: ${get("default", "open() of a full store (2").readOnly ? "yes" : "NO"}).
- Flash per update of a 4-byte value under a key of up to 4 chars: 16 bytes (8 bytes of header and CRC). On 2 x 2 KB
  pages ${SOAK_UPDATES.toLocaleString("en")} updates of one counter took ${s.compactions} compactions: **${s.updatesPerErase} updates per page erase**,
  erase counts ${JSON.stringify(s.erases)} (max - min ${Math.max(...s.erases) - Math.min(...s.erases)}). At 10 000 erase cycles per page
  (DS5792) the two pages give 20 000 compactions: **${(s.lifetime / 1e6).toFixed(2)} million updates**.
- AN2594 (ST's F1 EEPROM emulation, same two 2 KB pages): 4-byte records (16-bit value + 16-bit id), 511 per page,
  so one counter gets 511 updates per erase and about 10.2 million over 20 000 erases, 4 times more, in exchange
  for no checksum, 16-bit values only, ids declared in advance and init branches that format (erase) committed data
  after some power cuts. A FlashKV record of a 2-byte value under a 1-char key is 12 bytes (169 per page).

Targets (issue 10): ${results.targets.map((t) => `${t.met ? "met" : "**missed**"}: ${t.target} (${t.measured})`).join("; ")}.
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = runBench();
  console.log(table(results));
  console.log("");
  for (const t of results.targets) console.log(`${t.met ? "met   " : "MISSED"}  ${t.target}  (measured: ${t.measured})`);
  writeFileSync(new URL("./flashkv-results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(new URL("./flashkv-README-section.md", import.meta.url), readmeSection(results));
  const readme = new URL("../README.md", import.meta.url);
  writeFileSync(readme, spliceSection(readFileSync(readme, "utf8"), readmeSection(results)));
}
