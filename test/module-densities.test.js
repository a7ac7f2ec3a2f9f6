// The built module on the other STM32F1 densities the virtual board models: medium density (1 KB pages, no
// bootloader, SAVE_ON_FLASH build) and XL density (two banks: bank 2 through KEYR2/SR2/CR2/AR2).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILDS, boardWith, cr, CR_LOCK, preload } from "./helpers.js";

// The unminified build needs more JsVars than the medium board's 700 (as on a real HYSTM32_28-like board): the RAM
// limit is off to test its behaviour there; the .min.js loads within the limit.

const plain = (v) => JSON.parse(JSON.stringify(v));

for (const build of BUILDS) {
  describe(`${build} on a medium-density STM32F103RB (128 KB, 1 KB pages)`, () => {
    test("geometry and memory map: no bootloader, firmware from 0x08000000, 1 KB pages", () => {
      const { f } = boardWith(build, { model: "medium" });
      assert.deepEqual(plain(f.getMemoryMap()).map((r) => [r.name, r.addr, r.length]), [
        ["firmware", 0x08000000, 0x16c00],
        ["free", 0x08016c00, 0x0801c000 - 0x08016c00],
        ["saved code", 0x0801c000, 0x4000],
      ]);
      assert.deepEqual(plain(f.getPage(0x08016fff)), { addr: 0x08016c00, length: 1024 });
    });

    test("erase one 1 KB page only, write and read back, locked after", () => {
      const { board, f } = boardWith(build, { model: "medium" });
      preload(board, 0x08017000, new Uint8Array(2048).fill(0x55));
      f.erasePage(0x08017000 + 1000);
      const fl = board.flash();
      assert.ok(fl.subarray(0x17000, 0x17400).every((b) => b === 0xff));
      assert.ok(fl.subarray(0x17400, 0x17800).every((b) => b === 0x55), "the next 1 KB page is kept");
      f.write("medium density", 0x08017001);
      assert.equal(String.fromCharCode(...f.read(14, 0x08017001)), "medium density");
      f.write(0x08017100, 0xa5a5a5a5);
      assert.equal(f.read(0x08017100), 0xa5a5a5a5);
      assert.equal(cr(board) & 0xff, CR_LOCK);
    });

    test("guards: firmware and saved code refused, flash unchanged", () => {
      const { board, f } = boardWith(build, { model: "medium" });
      const before = board.flash();
      assert.throws(() => f.erasePage(0x08000000), /erasePage 0x8000000: inside firmware, needs option allowFirmware/);
      assert.throws(() => f.erasePage(0x0801c000), /inside saved code/);
      assert.throws(() => f.write("x", 0x08020000), /outside flash/);
      // across the empty bootloader region at the start and the empty undocumented one at the end: outside flash,
      // not "inside bootloader" / "inside undocumented"
      assert.throws(() => f.write("abcd", 0x07fffffe, { allowFirmware: true }), /write 0x7fffffe: outside flash/);
      assert.throws(() => f.write("abcd", 0x0801fffe, { allowSavedCode: true }), /write 0x801fffe: outside flash/);
      assert.deepEqual(board.flash(), before);
    });

    test("WRPRTERR on medium density: WRPR bit k protects pages 4k..4k+3", () => {
      // page 0x08017000 is page 92 -> bit 23
      const { board, f } = boardWith(build, { model: "medium", wrpr: ~(1 << 23) >>> 0 });
      assert.throws(() => f.write("x", 0x08017000), /write 0x8017000: write-protected \(WRPRTERR\)/);
      f.write("y", 0x08017000 + 4 * 1024); // page 96, bit 24: not protected
      assert.equal(cr(board) & 0xff, CR_LOCK);
    });
  });

  describe(`${build} on an XL-density STM32F103ZG (1 MB, two banks)`, () => {
    test("geometry: 1 MB in 2 KB pages", () => {
      const { f } = boardWith(build, { model: "xl" });
      assert.deepEqual(plain(f.getPage(0x080fffff)), { addr: 0x080ff800, length: 2048 });
      assert.equal(f.getPage(0x08100000), undefined);
    });

    test("bank 2 pages erase and program through KEYR2/SR2/CR2/AR2; both banks locked after", () => {
      const { board, f } = boardWith(build, { model: "xl" });
      preload(board, 0x08090000, [1, 2, 3]);
      f.erasePage(0x08090000);
      assert.equal(f.isPageSafe(0x08090000), true);
      f.write(0x08090000, 0x01234567);
      f.write("bank two", 0x08090010);
      assert.equal(f.read(0x08090000), 0x01234567);
      assert.equal(String.fromCharCode(...f.read(8, 0x08090010)), "bank two");
      assert.equal(cr(board, 0) & 0xff, CR_LOCK);
      assert.equal(cr(board, 1) & 0xff, CR_LOCK);
      assert.equal(board.counters.busFaults, 0);
    });

    test("a write across the bank boundary is refused, flash untouched; each bank's part on its own works", () => {
      const { board, f } = boardWith(build, { model: "xl" });
      const data = board.eval("var d = new Uint8Array(64); for (var i = 0; i < 64; i++) d[i] = i + 1; d");
      const before = board.flash();
      assert.throws(() => f.write(data, 0x08080000 - 31), /write 0x807ffe1: crosses into bank 2/);
      assert.deepEqual(board.flash(), before);
      f.write(data.subarray(0, 31), 0x08080000 - 31);
      f.write(data.subarray(31), 0x08080000);
      assert.deepEqual(f.read(64, 0x08080000 - 31), data, "reads may cross");
      assert.equal(cr(board, 0) & 0xff, CR_LOCK);
      assert.equal(cr(board, 1) & 0xff, CR_LOCK);
    });

    test("unlock() opens both banks, lock() locks both", () => {
      const { board, f } = boardWith(build, { model: "xl" });
      f.unlock();
      assert.equal(cr(board, 0) & CR_LOCK, 0);
      assert.equal(cr(board, 1) & CR_LOCK, 0);
      f.erasePage(0x080a0000);
      assert.equal(cr(board, 1) & 0xff, 0);
      f.lock();
      assert.equal(cr(board, 0) & 0xff, CR_LOCK);
      assert.equal(cr(board, 1) & 0xff, CR_LOCK);
    });
  });
}

for (const build of BUILDS) {
  describe(`${build} when DBGMCU_IDCODE reads 0 (F1 errata: debug registers not readable by user software)`, () => {
    test("the Original falls back on F_SIZE: 256 KB -> 2 KB pages; erase is still one whole page", () => {
      const { board, f } = boardWith(build, { idcodeReadable: false });
      assert.equal(f.getPage(0x0802f000).length, 2048);
      assert.equal(plain(f.getMemoryMap()).pop().addr, 0x08040000, "256 KB documented");
      preload(board, 0x0802f000, new Uint8Array(2048).fill(1));
      f.erasePage(0x0802f7ff);
      assert.equal(f.isPageSafe(0x0802f000), true);
    });

    test("medium density falls back on F_SIZE: 128 KB -> 1 KB pages", () => {
      const { f } = boardWith(build, { model: "medium", idcodeReadable: false });
      assert.equal(f.getPage(0x08017000).length, 1024);
      f.erasePage(0x08017000);
    });

    test("XL density: bank 2 follows F_SIZE (> 512 KB), so it is still driven through KEYR2/SR2/CR2/AR2", () => {
      const { board, f } = boardWith(build, { model: "xl", idcodeReadable: false });
      f.erasePage(0x08090000);
      f.write("bank two", 0x08090010);
      assert.equal(String.fromCharCode(...f.read(8, 0x08090010)), "bank two");
      assert.equal(cr(board, 1) & 0xff, CR_LOCK);
      assert.equal(board.counters.busFaults, 0);
    });
  });
}

for (const build of BUILDS) {
  describe(`${build} on a connectivity-line STM32F105RB (128 KB, 2 KB pages, DEV_ID 0x418)`, () => {
    test("DEV_ID 0x418 gives 2 KB pages although F_SIZE is 128 KB: erase takes the whole 2 KB page", () => {
      const { board, f } = boardWith(build, { model: "connectivity" });
      assert.deepEqual(plain(f.getPage(0x08017fff)), { addr: 0x08017800, length: 2048 });
      preload(board, 0x08017000, new Uint8Array(4096).fill(0x55));
      f.erasePage(0x08017800);
      const fl = board.flash();
      assert.ok(fl.subarray(0x17800, 0x18000).every((b) => b === 0xff), "all 2 KB erased and verified");
      assert.ok(fl.subarray(0x17000, 0x17800).every((b) => b === 0x55), "the page before is kept");
      f.write("connectivity", 0x08017800);
      assert.equal(String.fromCharCode(...f.read(12, 0x08017800)), "connectivity");
      assert.equal(cr(board) & 0xff, CR_LOCK);
    });
  });
}
