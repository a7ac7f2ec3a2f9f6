// The likeliest mix-ups get errors that say what was probably meant, unknown option keys and non-object options
// are refused, objects that only look like buffers are not data, the built-in's write(byte, addr) form, and
// crc32(addr, length) against zlib's CRC-32. Every refusal leaves flash bit-for-bit unchanged and locked.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { createBoard } from "../sim/index.js";
import { BUILDS, boardWith, cr, CR_LOCK, moduleSource, preload } from "./helpers.js";

const FREE = 0x0802f000;

/** zlib's CRC-32 (zlib.crc32 from Node 20.15; before that, the CRC-32 zlib writes into a gzip trailer). */
const zlibCrc32 = (bytes) => zlib.crc32 ? zlib.crc32(bytes) : zlib.gzipSync(bytes).readUInt32LE(zlib.gzipSync(bytes).length - 8);

function refuses(board, fn, re) {
  const before = board.flash();
  assert.throws(fn, re);
  assert.deepEqual(board.flash(), before, "flash must be unchanged");
  assert.equal(cr(board) & 0xff, CR_LOCK, "FPEC locked, PG/PER clear");
}

for (const build of BUILDS) {
  describe(`${build}: mix-ups and input holes get clear Errors, flash untouched`, () => {
    const { board, f } = boardWith(build);
    const cases = [
      // argument order of the two write forms
      ["write(0x142, addr): not a byte, not an address", () => f.write(0x142, FREE),
        /write: 322 is not a byte or a flash address: write\(byte, addr\) or write\(addr, word\)/],
      ["write(addr, 'Hello'): data second", () => f.write(FREE, "Hello"),
        /write 0x802f000: bad word Hello; data goes first: write\(data, addr\)/],
      ["write(addr, [1, 2]): data second", () => f.write(FREE, [1, 2]), /bad word 1,2; data goes first/],
      ["read(addr, 4): length second", () => f.read(FREE, 4),
        /read: length 134410240 is an address\? read\(length, addr\)/],
      ["crc32(length, addr): address second", () => f.crc32(16, FREE),
        /crc32: length 134410240 is an address\? crc32\(addr, length\)/],
      // non-object and unknown options
      ["erasePage(addr, true)", () => f.erasePage(0x0803b800, true), /erasePage: bad options true/],
      ["getFree(5)", () => f.getFree(5), /getFree: bad options 5/],
      ["getPage(addr, 'x')", () => f.getPage(FREE, "x"), /getPage: bad options x/],
      ["write('x', addr, 5)", () => f.write("x", 0x0802f001, 5), /write: bad options 5/],
      ["write(addr, word, null)", () => f.write(FREE, 1, null), /write: bad options null/],
      ["read(4, addr, 1)", () => f.read(4, FREE, 1), /read: bad options 1/],
      ["crc32(addr, 4, true)", () => f.crc32(FREE, 4, true), /crc32: bad options true/],
      ["erasePage: misspelt option", () => f.erasePage(0x0803b800, { allowSavedcode: true }),
        /erasePage: unknown option allowSavedcode/],
      ["write: misspelt option", () => f.write("x", FREE, { allowfirmware: true }), /write: unknown option allowfirmware/],
      ["getFree: misspelt option", () => f.getFree({ allowUndocumneted: true }), /getFree: unknown option allowUndocumneted/],
      ["getPage: option of setup()", () => f.getPage(FREE, { waitEachHalfWord: true }), /getPage: unknown option waitEachHalfWord/],
      ["setup: misspelt option", () => f.setup({ waitEachHalfword: true }), /setup: unknown option waitEachHalfword/],
      ["setup: per-call option", () => f.setup({ allowFirmware: true }), /setup: unknown option allowFirmware/],
      // objects that only look like buffers
      ["write of a buffer look-alike", () => f.write({ buffer: [300, -1, 1.5, "x"], byteLength: 4 }, FREE), /write: bad data/],
      ["write of an object with byteLength", () => f.write({ byteLength: 2, 0: 1, 1: 2 }, FREE), /write: bad data/],
      ["write of a byte out of range", () => f.write(256, FREE), /write: 256 is not a byte or a flash address/],
    ];
    for (const [name, fn, re] of cases) test(name, () => refuses(board, fn, re));

    test("setup() keeps the previous settings when it refuses", () => {
      f.setup({ waitEachHalfWord: true });
      assert.throws(() => f.setup({ waitEachHalfWord: false, typo: 1 }), /unknown option typo/);
      assert.equal(board.eval("1"), 1);
      f.setup({});
    });
  });

  describe(`${build}: write(byte, addr), the built-in's one-byte form`, () => {
    test("a number 0..255 first writes that byte; the seed form still takes any flash address first", () => {
      const { board, f } = boardWith(build);
      f.write(0x42, FREE + 1);
      f.write(0, FREE + 2);
      f.write(255, FREE + 5); // 0xFF: the byte stays erased-looking
      f.write(FREE + 8, 0x42);
      assert.deepEqual([...f.read(6, FREE)], [0xff, 0x42, 0x00, 0xff, 0xff, 0xff]);
      assert.throws(() => f.write(7, FREE + 3), /write 0x802f002: not erased/, "its half-word was programmed");
      assert.equal(f.read(FREE + 8), 0x42);
      assert.equal(cr(board) & 0xff, CR_LOCK);
    });
  });

  describe(`${build}: a read-back mismatch on a clone chip points at setup({waitEachHalfWord: true})`, () => {
    test("the error names the fix; with it the write works", () => {
      const { board, f } = boardWith(build, { clone: true });
      assert.throws(() => f.write(board.eval("new Uint8Array([1,2,3,4])"), FREE),
        /write 0x802f002: read-back mismatch; clone chip\? setup\(\{waitEachHalfWord: true\}\)/);
      f.setup({ waitEachHalfWord: true });
      f.write(board.eval("new Uint8Array([1,2,3,4])"), FREE + 8);
      // with waitEachHalfWord set the hint would be wrong: a mismatch then says only that
      board.eval("var _p = poke16; poke16 = function (a, v) { _p(a, v ^ 1); };");
      assert.throws(() => f.write([5, 6], FREE + 16), /write 0x802f010: read-back mismatch$/);
    });
  });

  describe(`${build}: crc32(addr, length)`, () => {
    test("equals zlib's CRC-32 of the same bytes, in two native calls", () => {
      const { board, f } = boardWith(build);
      const bytes = new Uint8Array(2048).map((_, i) => (i * 31 + 7) & 255);
      preload(board, FREE, bytes);
      board.resetCounters();
      assert.equal(f.crc32(FREE, 2048), zlibCrc32(bytes));
      assert.equal(board.counters.nativeCalls, 2);
      assert.equal(f.crc32(FREE + 5, 1), zlibCrc32(bytes.subarray(5, 6)));
      const fw = board.flash().subarray(0x2800, 0x2d000);
      assert.equal(f.crc32(0x08002800, fw.length), zlibCrc32(fw), "the whole firmware: reading needs no override");
      assert.equal(f.crc32(0x08040000, 16, { allowUndocumented: true }), zlibCrc32(new Uint8Array(16).fill(255)));
      assert.equal(zlibCrc32(Buffer.from("hello")), 907060870);
    });

    test("bad ranges are refused; a SAVE_ON_FLASH build (medium model) has no E.CRC32: clear Error", () => {
      const { board, f } = boardWith(build);
      refuses(board, () => f.crc32(FREE, 0), /crc32: bad length 0/);
      refuses(board, () => f.crc32(0x08060000, 4), /crc32 0x8060000: outside flash/);
      refuses(board, () => f.crc32(0x08040000, 4), /crc32 0x8040000: inside undocumented, needs option allowUndocumented/);
      refuses(board, () => f.crc32("0x0802F000", 4), /crc32: bad addr 0x0802F000/);
      const { board: medium, f: m } = boardWith(build, { model: "medium" });
      refuses(medium, () => m.crc32(0x08017000, 4), /crc32: E.CRC32 missing \(SAVE_ON_FLASH build\)/);
    });
  });

  describe(`${build}: require() refuses a chip or firmware it cannot drive`, () => {
    /** Load the module on a board changed by `patch` (Espruino code run first); returns the board. */
    function loadOn(patch, re) {
      const board = createBoard();
      board.eval(patch);
      const before = board.flash();
      assert.throws(() => board.addModule("STM32F1Flash", moduleSource(build)), re);
      assert.deepEqual(board.flash(), before, "flash must be unchanged");
      assert.equal(board.eval("E.getFlags().pretokenise"), 0, "the interpreter flag is put back");
      // as on Espruino, what the module had exported by then is cached: nothing
      assert.deepEqual(Object.keys(board.require("STM32F1Flash")), []);
      return board;
    }

    for (const [what, size] of [["no F_SIZE (reads 0xFFFF)", 0xffff], ["F_SIZE 0", 0], ["F_SIZE 8 KB", 8]]) {
      test(`not an STM32F1: ${what}`, () => {
        loadOn(`var _peek16 = peek16; peek16 = function (a, n) { return a == 0x1FFFF7E0 ? ${size} : _peek16(a, n); };`,
          new RegExp(`^Error: F_SIZE 0x1ffff7e0: reads ${size}, not an STM32F1$`));
      });
    }

    test("a firmware whose process.memory() has no flash fields", () => {
      loadOn("var _memory = process.memory; process.memory = function (gc) { var m = _memory(gc); " +
        "delete m.flash_code_start; return m; };", /^Error: process\.memory\(\): no flash fields$/);
    });

    test("the user's pretokenise flag is kept", () => {
      const board = createBoard();
      board.eval("E.setFlags({pretokenise: 1})");
      board.addModule("STM32F1Flash", moduleSource(build));
      assert.equal(board.eval("E.getFlags().pretokenise"), 1);
    });
  });
}
