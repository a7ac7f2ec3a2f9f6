// The built module on the other STM32F1 densities the virtual board models: medium density (1 KB pages, no
// bootloader, SAVE_ON_FLASH build) and XL density (two banks: bank 2 through KEYR2/SR2/CR2/AR2).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILDS, boardWith, cr, CR_LOCK, preload } from "./helpers.js";

const plain = (v) => JSON.parse(JSON.stringify(v));

for (const build of BUILDS) {
  describe(`${build} on a medium-density STM32F103RB (128 KB, 1 KB pages)`, () => {
    test("geometry and memory map: no bootloader, firmware from 0x08000000, 1 KB pages", () => {
      const { f } = boardWith(build, { model: "medium" });
      const i = f.getInfo();
      assert.deepEqual([i.length, i.pageSize, i.pages, i.devId], [131072, 1024, 128, 0x410]);
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
      assert.throws(() => f.erasePage(0x08000000), /erasePage 0x08000000: inside firmware 0x08000000-0x08016BFF/);
      assert.throws(() => f.erasePage(0x0801c000), /inside saved code/);
      assert.throws(() => f.write("x", 0x08020000), /outside flash/);
      assert.deepEqual(board.flash(), before);
    });

    test("WRPRTERR on medium density: WRPR bit k protects pages 4k..4k+3", () => {
      // page 0x08017000 is page 92 -> bit 23
      const { board, f } = boardWith(build, { model: "medium", wrpr: ~(1 << 23) >>> 0 });
      assert.throws(() => f.write("x", 0x08017000), /write 0x08017000: write-protected \(WRPRTERR\)/);
      f.write("y", 0x08017000 + 4 * 1024); // page 96, bit 24: not protected
      assert.equal(cr(board) & 0xff, CR_LOCK);
    });
  });

  describe(`${build} on an XL-density STM32F103ZG (1 MB, two banks)`, () => {
    test("geometry: 2 KB pages, bank 2 at 0x08080000", () => {
      const { f } = boardWith(build, { model: "xl" });
      const i = f.getInfo();
      assert.deepEqual([i.length, i.pageSize, i.devId, i.bank2], [1048576, 2048, 0x430, 0x08080000]);
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

    test("a write across the bank boundary is split between the banks", () => {
      const { board, f } = boardWith(build, { model: "xl" });
      const data = board.eval("var d = new Uint8Array(64); for (var i = 0; i < 64; i++) d[i] = i + 1; d");
      f.write(data, 0x08080000 - 31);
      assert.deepEqual(f.read(64, 0x08080000 - 31), data);
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
      const i = f.getInfo();
      assert.deepEqual([i.devId, i.pageSize, i.length], [0, 2048, 262144]);
      preload(board, 0x0802f000, new Uint8Array(2048).fill(1));
      f.erasePage(0x0802f7ff);
      assert.equal(f.isPageSafe(0x0802f000), true);
    });

    test("medium density falls back on F_SIZE: 128 KB -> 1 KB pages", () => {
      const { f } = boardWith(build, { model: "medium", idcodeReadable: false });
      const i = f.getInfo();
      assert.deepEqual([i.devId, i.pageSize, i.length], [0, 1024, 131072]);
      f.erasePage(0x08017000);
    });
  });
}
