// The machine code the STM32F1Bootloader module ships is its assembly source, checked without an assembler:
// capstone (capstone-wasm) disassembles the bytes inside modules/*.js and every instruction must be the next one
// of src/STM32F1Bootloader/enter-system-bootloader.S (labels resolved, `ldr rX, =CONST` found in the literal
// pool), ARMv6-M only, and nothing else may follow the literal pool. (npm run test:apt also re-assembles the
// source with GNU as and compares the bytes.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ASM_SOURCE, BOOTLOADER_BUILDS, disassemble, shippedRoutine } from "./bootloader-helpers.js";

/** Instructions and labels of the .S file, in order: {label} or {mnemonic, ops: [..]}. */
function parseSource(text) {
  const out = [];
  for (let line of text.split("\n")) {
    line = line.replace(/@.*$/, "").trim();
    if (!line || line.startsWith(".")) continue;
    const label = /^(\w+):$/.exec(line);
    if (label) { out.push({ label: label[1] }); continue; }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    out.push({ mnemonic: m[1], ops: m[2] });
  }
  return out;
}

/** Operands as comparable tokens: numbers as values, `rd, rd, #imm` folded to `rd, #imm`, "sy" barriers. */
function norm(mnemonic, ops) {
  let t = ops.replace(/\s+/g, "").toLowerCase().split(",").filter(Boolean)
    .map((o) => o.replace(/#(0x[0-9a-f]+|\d+)/, (_, n) => "#" + Number(n)));
  t = t.map((o) => o.replace(/\[(r\d+),#0\]/, "[$1]").replace(/^\[(r\d+)$/, "[$1"));
  if (/^(adds|subs)$/.test(mnemonic) && t.length === 3 && t[0] === t[1] && t[2].startsWith("#")) t = [t[0], t[2]];
  if (/^(dsb|isb|dmb)$/.test(mnemonic) && !t.length) t = ["sy"];
  return t.join(",");
}

const ARMV6M_WIDE = new Set(["bl", "mrs", "msr", "dsb", "dmb", "isb"]);

test("the shipped bytes are the same in routine.ts, modules/STM32F1Bootloader.js and .min.js", () => {
  const ts = /ROUTINE = "([^"]+)"/.exec(readFileSync(new URL("../src/STM32F1Bootloader/routine.ts", import.meta.url), "utf8"))[1];
  for (const build of BOOTLOADER_BUILDS) assert.equal(shippedRoutine(build).toString("base64"), ts, build);
});

test("capstone's disassembly of the shipped bytes is enter-system-bootloader.S, ARMv6-M only, literal pool last", async () => {
  const bytes = shippedRoutine();
  const src = parseSource(ASM_SOURCE);
  const count = src.filter((s) => s.mnemonic).length;
  const insns = await disassemble(bytes, count);
  assert.equal(insns.length, count, "every source instruction decodes");
  // label addresses: the address of the instruction after the label
  const labels = {};
  let k = 0;
  for (const s of src) { if (s.label) labels[s.label] = insns[k]?.addr ?? insns.at(-1).addr + insns.at(-1).size; else k++; }
  const word = (a) => bytes.readUInt32LE(a);
  const literals = [];
  k = 0;
  for (const s of src) {
    if (s.label) continue;
    const i = insns[k++];
    const where = `0x${i.addr.toString(16)}: source "${s.mnemonic} ${s.ops}", bytes "${i.mnemonic} ${i.ops}"`;
    assert.ok(i.size === 2 || ARMV6M_WIDE.has(i.mnemonic), `${where}: not ARMv6-M`);
    assert.equal(i.mnemonic.replace(/\.n$|\.w$/, ""), s.mnemonic, where);
    const lit = /^(r\d),=(0x[0-9a-f]+)$/i.exec(s.ops.replace(/\s+/g, ""));
    if (lit) {
      const m = /^(r\d), \[pc, #(0x[0-9a-f]+|\d+)\]$/.exec(i.ops);
      assert.ok(m && m[1] === lit[1].toLowerCase(), `${where}: a PC-relative literal load`);
      const at = ((i.addr + 4) & ~3) + Number(m[2]);
      assert.equal(word(at), Number(lit[2]) >>> 0, `${where}: literal at 0x${at.toString(16)}`);
      if (!literals.includes(Number(lit[2]) >>> 0)) literals.push(Number(lit[2]) >>> 0);
      continue;
    }
    const target = /^[a-z_]\w*$/.test(s.ops.trim()) ? labels[s.ops.trim()] : undefined;
    if (target !== undefined) { assert.equal(i.ops, `#0x${target.toString(16)}`, `${where}: branch target`); continue; }
    assert.equal(norm(i.mnemonic, i.ops), norm(s.mnemonic, s.ops), where);
  }
  const codeEnd = insns.at(-1).addr + insns.at(-1).size;
  const pool = (codeEnd + 3) & ~3;
  assert.equal(bytes.length, pool + 4 * literals.length, "the literal pool ends the code, nothing else follows");
  literals.forEach((v, n) => assert.equal(word(pool + 4 * n), v, `pool word ${n}`));
});

test("no Thumb-2-only encodings anywhere in the code (MOVW/MOVT, CBZ/CBNZ, IT, wide loads/stores)", async () => {
  const bytes = shippedRoutine();
  const src = parseSource(ASM_SOURCE).filter((s) => s.mnemonic).length;
  for (const i of await disassemble(bytes, src)) {
    assert.ok(!/^(movw|movt|cbz|cbnz|it|ldr\.w|str\.w|orr\.w|and\.w)/.test(i.mnemonic), `${i.mnemonic} ${i.ops}`);
  }
});
