// Board layouts (espruino-platform.md §1, §2) and the medium / xl models (controller spec §1.1, §2.9, §7.1).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createBoard, KEY1, KEY2 } from "../sim/index.js";

const BASE = 0x08000000;
const KEYR = 0x40022004, SR = 0x4002200c, CR = 0x40022010, AR = 0x40022014;
const KEYR2 = 0x40022044, SR2 = 0x4002204c, CR2 = 0x40022050, AR2 = 0x40022054;
const PG = 1, PER = 2, MER = 4, STRT = 0x40, LOCK = 0x80;

const blank = (f, start, end) => f.subarray(start - BASE, end - BASE).every((b) => b === 0xff);
const noFF = (f, start, end) => f.subarray(start - BASE, end - BASE).every((b) => b !== 0xff);
/** no erased (0xFFFF) half-word: what the vector tables and Reset_Handlers of firmware images keep (they hold 0xFF
 * bytes, e.g. in a `bl`), around the filler that has no 0xFF byte at all */
const programmed = (f, start, end) => new Uint16Array(f.buffer, f.byteOffset + start - BASE, (end - start) / 2).every((h) => h !== 0xffff);

describe("original layout (2v29-like)", () => {
  test("bootloader, firmware to _etext, .data image, free gap, saved code, hidden flash", () => {
    const b = createBoard();
    const L = b.layout;
    assert.equal(L.bootloaderEnd, 0x08002800);
    assert.equal(L.etext, 0x0802e7a0);
    assert.equal(L.flashBinaryEnd, 0x0002e7a0);
    assert.equal(L.dataImageEnd, 0x0802e9a0);
    assert.equal(L.freeStart, 0x0802f000);
    assert.equal(L.codeStart, 0x0803b000);
    assert.equal(L.hiddenStart, 0x08040000);
    assert.equal(L.hiddenEnd, 0x08060000);
    const f = b.flash();
    assert.equal(f.length, 0x60000);
    assert.ok(programmed(f, 0x08000000, 0x08002800), "bootloader");
    assert.ok(programmed(f, 0x08002800, 0x0802e7a0), "firmware");
    assert.ok(noFF(f, 0x0802e7a0, 0x0802e9a0), ".data image: page 0x0802E800 is NOT blank");
    assert.ok(blank(f, 0x0802e9a0, 0x0803b000), "free gap (and the rest of the .data page)");
    assert.ok(noFF(f, 0x0803b000, 0x0803b100), "saved code");
    assert.ok(blank(f, 0x0803b100, 0x08060000), "rest of Storage + hidden flash blank");
  });

  test("etext / dataImageSize / codeStart are overridable; blank:true leaves flash erased", () => {
    const b = createBoard({ etext: 0x0002e3f0, dataImageSize: 0x10, codeStart: 0x08038800 });
    assert.equal(b.layout.etext, 0x0802e3f0);
    assert.equal(b.eval("process.memory().flash_binary_end"), 0x0002e3f0);
    assert.equal(b.eval("process.memory().flash_code_start"), 0x08038800);
    assert.equal(b.layout.freeStart, 0x0802e800);
    const f = b.flash();
    assert.ok(noFF(f, 0x0802e3f0, 0x0802e400));
    assert.ok(blank(f, 0x0802e400, 0x08038800));
    assert.ok(createBoard({ blank: true }).flash().every((x) => x === 0xff));
  });

  test("built-in Flash module: getFree starts at the page after _etext (holding .data bytes), erase/write/read work", () => {
    const b = createBoard();
    const free = JSON.parse(b.eval("JSON.stringify(require('Flash').getFree())"));
    assert.deepEqual(free, [{ addr: 0x0802e800, length: 0x0803b000 - 0x0802e800 }, { addr: 0x08040000, length: 0x20000 }]);
    assert.equal(b.eval("peek8(0x0802e800) !== 0xFF"), true, "the firmware's 'free' page is not blank");
    assert.deepEqual(JSON.parse(b.eval("JSON.stringify(require('Flash').getPage(0x0803E123))")), { addr: 0x0803e000, length: 2048 });
    assert.equal(b.eval("require('Flash').getPage(0x08040000)"), undefined, "F1: only up to flash_length");
    b.eval("var F = require('Flash'); F.erasePage(0x0802F000); F.write('hello!', 0x0802F000);");
    assert.equal(b.eval("E.toString(F.read(6, 0x0802F000))"), "hello!");
    assert.equal(b.eval("peek32(0x40022010)"), LOCK, "locked after");
    b.eval("F.write([1, 2], 0x0802F001)");             // read-merge re-programs 'he' -> PGERR, silently skipped
    assert.equal(b.eval("E.toString(F.read(4, 0x0802F000))"), "hell");
    assert.equal(b.eval("peek32(0x4002200C) & 4"), 4, "PGERR left set, nothing reported");
    assert.throws(() => b.eval("F.erasePage(0x0802F000 + 0.5)"), /Address should be an integer/);
  });
});

describe("medium model (STM32F103RB-like, SAVE_ON_FLASH)", () => {
  test("F_SIZE 128, DEV_ID 0x410, 1 KB pages, flash_binary_end linked at 0, no CRC32/getAddressOf/nativeCall/Flash", () => {
    const b = createBoard({ model: "medium" });
    assert.equal(b.eval("peek16(0x1FFFF7E0)"), 128);
    assert.equal(b.eval("peek32(0xE0042000) & 0xFFF"), 0x410);
    const m = b.eval("process.memory()");
    assert.equal(m.flash_binary_end, 0x000168a0, "&_etext: build_linker.py links boards without bootloader at 0");
    assert.equal(m.flash_code_start, 0x0801c000);
    assert.equal(m.flash_length, 131072);
    assert.equal(b.eval("process.env.BOARD"), "HYSTM32_28");
    assert.equal(b.eval("typeof E.CRC32 + typeof E.getAddressOf + typeof E.nativeCall"), "undefinedundefinedundefined");
    assert.throws(() => b.eval("require('Flash')"), (e) => e.message === 'Module "Flash" not found');
    assert.equal(b.flash().length, 128 * 1024);
    assert.notEqual(b.flash()[0], 0xff, "no bootloader: firmware from 0x08000000");
    assert.equal(b.layout.freeStart, 0x08016c00);
  });

  test("page erase is 1 KB; FAR decodes modulo 128 KB; WRPR bit k protects pages 4k..4k+3 (§7.1)", () => {
    const b = createBoard({ model: "medium", wrpr: ~(1 << 27) >>> 0 });   // pages 108..111
    const c = b.chip;
    c.write32(KEYR, KEY1); c.write32(KEYR, KEY2);
    const erase = (a) => { c.write32(CR, PER); c.write32(AR, a); c.write32(CR, PER | STRT); b.drain(); };
    erase(0x08016800);                                 // page 90 (.data image 0x080168A0..)
    const f = b.flash();
    assert.ok(blank(f, 0x08016800, 0x08016c00));
    assert.ok(noFF(f, 0x080167f0, 0x08016800), "page 89 untouched");
    erase(0x08020400);                                 // beyond 128 KB: low bits -> page 1
    assert.ok(blank(b.flash(), 0x08000400, 0x08000800));
    c.write32(SR, 0x34);
    erase(0x0801b000);                                 // page 108: protected
    assert.equal(c.read32(SR), 0x10);
    c.write32(SR, 0x34);
    erase(0x0801c000);                                 // page 112: bit 28, not protected
    assert.equal(c.read32(SR), 0x20);
  });
});

describe("xl model (STM32F103ZG-like, two banks)", () => {
  test("F_SIZE 1024, DEV_ID 0x430, 1 MB, fictional board STM32F1_XL, saved code in bank 2", () => {
    const b = createBoard({ model: "xl" });
    assert.equal(b.eval("peek16(0x1FFFF7E0)"), 1024);
    assert.equal(b.eval("peek32(0xE0042000) & 0xFFF"), 0x430);
    assert.equal(b.eval("process.env.BOARD"), "STM32F1_XL");
    const m = b.eval("process.memory()");
    assert.equal(m.flash_length, 1048576);
    assert.ok(m.flash_binary_end > 0x00040000 && m.flash_binary_end < 0x00051000);
    assert.equal(m.flash_code_start, 0x080f0000);
    assert.equal(b.flash().length, 1048576);
    assert.deepEqual(b.layout.banks.map((x) => x.start), [0x08000000, 0x08080000]);
  });

  test("bank 2 has its own KEYR2/SR2/CR2/AR2: unlocking bank 1 does not unlock bank 2 (§2.9)", () => {
    const b = createBoard({ model: "xl" });
    const c = b.chip;
    assert.equal(c.read32(CR2), LOCK);
    c.write32(KEYR, KEY1); c.write32(KEYR, KEY2);
    assert.equal(c.read32(CR), 0);
    assert.equal(c.read32(CR2), LOCK);
    c.write32(CR, PG);
    c.write16(0x08080000, 0x1234);                     // bank 2 with CR2.PG = 0: ignored
    b.drain();
    assert.equal(c.read16(0x08080000), 0xffff);
    c.write32(KEYR2, KEY1); c.write32(KEYR2, KEY2);
    c.write32(CR2, PG | 0x200 | 0x30);                 // no OPTWRE/OPTPG/OPTER bits in CR2
    assert.equal(c.read32(CR2), PG);
    c.write16(0x08080000, 0x1234);
    assert.equal(c.read32(SR2) & 1, 1, "SR2.BSY");
    assert.equal(c.read32(SR) & 1, 0, "bank 1 idle");
    b.drain();
    assert.equal(c.read16(0x08080000), 0x1234);
    assert.equal(c.read32(SR2), 0x20);
    assert.equal(b.counters.bsyPolls, 3);
  });

  test("read-while-write: reading bank 1 during a bank-2 erase does not stall, reading bank 2 does", () => {
    const b = createBoard({ model: "xl" });
    const c = b.chip;
    c.write32(KEYR2, KEY1); c.write32(KEYR2, KEY2);
    c.write32(CR2, PER); c.write32(AR2, 0x080f0000); c.write32(CR2, PER | STRT);
    assert.equal(c.read32(SR2) & 1, 0, "errata applies to SR2 too");
    c.read32(0x08000000);
    assert.equal(b.counters.stalls, 0);
    assert.equal(c.read8(0x080f0000), 0xff);
    assert.equal(b.counters.stalls, 1);
    assert.equal(b.counters.stallUs, 20000);
  });

  test("CR2.MER erases bank 2 only; AR pointing into the other bank erases nothing", () => {
    const b = createBoard({ model: "xl" });
    const c = b.chip;
    c.write32(KEYR, KEY1); c.write32(KEYR, KEY2);
    c.write32(CR, PER); c.write32(AR, 0x080f0000); c.write32(CR, PER | STRT);
    assert.equal(b.counters.erases, 0);
    assert.ok(b.counters.diagnostics.some((d) => /other bank/.test(d)));
    c.write32(KEYR2, KEY1); c.write32(KEYR2, KEY2);
    c.write32(CR2, MER); c.write32(CR2, MER | STRT);
    b.drain();
    const f = b.flash();
    assert.ok(blank(f, 0x08080000, 0x08100000));
    assert.ok(programmed(f, 0x08000000, 0x08000100), "bank 1 untouched");
  });
});
