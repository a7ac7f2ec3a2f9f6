// The firmware image of the virtual boards (sim/firmware-image.js): vector table at the image start, SCB->VTOR
// pointing at it after every reset, Reset_Handler with its literal pool, the .data image after _etext.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBoard, SCB_VTOR } from "../sim/index.js";
import { thumbBL } from "../sim/firmware-image.js";

const BASE = 0x08000000;

/** little-endian reads from a flash snapshot */
const u16 = (f, a) => f[a - BASE] | (f[a - BASE + 1] << 8);
const u32 = (f, a) => (u16(f, a) | (u16(f, a + 2) << 16)) >>> 0;

/** The word an `ldr rN, [pc, #imm8*4]` at `a` loads (PC = a + 4, word-aligned). */
const literal = (f, a) => u32(f, ((a + 4) & ~3) + (u16(f, a) & 0xff) * 4);

for (const [model, start, sp, firstLdr] of [
  ["original", 0x08002800, 0x2000c000, 8], // Espruino's startup_stm32f10x_hd.s: ldr r0, =_estack; mov sp, r0 first
  ["medium", BASE, 0x20005000, 4], // ST's startup_stm32f10x_md.s
  ["connectivity", BASE, 0x20010000, 4],
  ["xl", BASE, 0x20018000, 4],
]) {
  test(`${model}: vector table at ${start.toString(16)}, SCB->VTOR = its link address, Reset_Handler's literal pool`, () => {
    const b = createBoard({ model });
    const L = b.layout;
    const f = b.flash();
    assert.equal(b.chip.read32(SCB_VTOR), start - BASE, "main() sets VTOR to &_VECTOR_TABLE");
    b.chip.write32(SCB_VTOR, 0x1000);
    b.reset();
    assert.equal(b.chip.read32(SCB_VTOR), start - BASE, "and again after a reset");
    assert.equal(u32(f, start), sp, "initial SP = _estack, the end of SRAM");
    const rh = u32(f, start + 4);
    assert.equal(rh & 1, 1, "Thumb bit");
    assert.equal((BASE | rh) - 1, L.resetHandler);
    const at = L.resetHandler + firstLdr; // ldr r3, =_sidata
    assert.deepEqual([u16(f, at) >> 8, u16(f, at + 2), u16(f, at + 4), u16(f, at + 6)], [0x4b, 0x585b, 0x5043, 0x3104]);
    assert.equal(literal(f, at), L.etext - BASE, "_sidata = _etext (link address)");
    assert.deepEqual([u16(f, at + 8) >> 8, u16(f, at + 10) >> 8, u16(f, at + 12)], [0x48, 0x4b, 0x1842]);
    assert.equal(literal(f, at + 8), 0x20000000, "_sdata");
    assert.equal(literal(f, at + 10) - literal(f, at + 8), L.dataImageEnd - L.etext, "_edata - _sdata = .data image");
    assert.equal(b.eval("process.memory().flash_binary_end"), L.etext - BASE);
  });
}

test("the Original's bootloader is an image of its own: its Reset_Handler's _sidata lies inside the bootloader", () => {
  const f = createBoard().flash();
  const rh = (BASE | u32(f, BASE + 4)) - 1;
  assert.ok(rh > BASE && rh < 0x08002800);
  assert.ok(literal(f, rh + 8) < 0x2800);
});

test('startup "none": a Reset_Handler without the literal-pool pattern', () => {
  const b = createBoard({ startup: "none", blank: false });
  const f = b.flash();
  const rh = b.layout.resetHandler;
  const code = new Uint16Array(f.buffer.slice(rh - BASE, rh - BASE + 80));
  assert.ok(!code.includes(0x585b) && !code.includes(0x1842));
});

test("thumbBL encodes BL T1 as GNU as does (bl 0x8003340 at 0x800623a = f7fd f881)", () => {
  assert.deepEqual(thumbBL(0x0800623a, 0x08003340), [0xf7fd, 0xf881]);
  assert.deepEqual(thumbBL(0x08000000, 0x08000104), [0xf000, 0xf880]);
});
