// The built module (modules/STM32F1Flash.js and .min.js) on the virtual Espruino Original: every API call, every
// guard, every bad-input class (flash compared before/after), lock state after each operation, error paths.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILDS, boardWith, cr, CR_LOCK, moduleSource, preload } from "./helpers.js";

const FREE = 0x0802f000; // first free page of the virtual Original (page after _etext holds the .data image)
const CODE = 0x0803b000; // flash_code_start
const PAGE = 2048;

/** Assert the FPEC is locked with PG and PER clear (bank `b`). */
function assertLocked(board, b = 0) {
  assert.equal(cr(board, b) & 0xff, CR_LOCK, "FLASH_CR must be LOCK only (PG/PER clear)");
}

/** Run `fn`, expect it to throw an Error matching `re`, and prove flash is bit-for-bit unchanged and locked. */
function refuses(board, fn, re) {
  const before = board.flash();
  assert.throws(fn, re);
  assert.deepEqual(board.flash(), before, "flash must be unchanged");
  assertLocked(board);
}

for (const build of BUILDS) {
  describe(`${build} on the virtual Espruino Original`, () => {
    test("geometry from F_SIZE: 256 KB of documented flash in 2 KB pages; getInfo() is gone (size)", () => {
      const { board, f } = boardWith(build);
      assert.equal(f.getPage(FREE).length, 2048);
      const m = f.getMemoryMap();
      assert.equal(m[3].addr + m[3].length, 0x08040000, "saved code ends at the end of documented flash");
      assert.equal(f.getInfo, undefined);
      board.resetCounters();
      f.getPage(0x08000000);
      assert.equal(board.counters.nativeCalls, 0, "geometry and memory map are read once");
    });

    test("getMemoryMap: bootloader, firmware (+ .data page), free, saved code, undocumented", () => {
      const { f } = boardWith(build);
      const m = JSON.parse(JSON.stringify(f.getMemoryMap())).map((r) => [r.name, r.addr, r.length, r.allow]);
      assert.deepEqual(m, [
        ["bootloader", 0x08000000, 0x2800, "allowBootloader"],
        ["firmware", 0x08002800, FREE - 0x08002800, "allowFirmware"],
        ["free", FREE, CODE - FREE, undefined],
        ["saved code", CODE, 0x08040000 - CODE, "allowSavedCode"],
        ["undocumented", 0x08040000, 0x20000, "allowUndocumented"],
      ]);
    });

    test("the page after _etext is free when blank (no .data image crossing into it)", () => {
      const { f } = boardWith(build, { dataImageSize: 0x10 });
      assert.deepEqual(JSON.parse(JSON.stringify(f.getFree())), [{ addr: 0x0802e800, length: CODE - 0x0802e800 }]);
    });

    test("getFree: the free gap; the undocumented 128 KB only when opted in", () => {
      const { f } = boardWith(build);
      assert.deepEqual(JSON.parse(JSON.stringify(f.getFree())), [{ addr: FREE, length: CODE - FREE }]);
      assert.deepEqual(JSON.parse(JSON.stringify(f.getFree({ allowUndocumented: true }))),
        [{ addr: FREE, length: CODE - FREE }, { addr: 0x08040000, length: 0x20000 }]);
    });

    test("getPage: {addr, length} of the page; undefined outside flash; hidden flash only when opted in", () => {
      const { f } = boardWith(build);
      assert.deepEqual({ ...f.getPage(FREE + 5) }, { addr: FREE, length: PAGE });
      assert.deepEqual({ ...f.getPage(0x08000000) }, { addr: 0x08000000, length: PAGE });
      assert.equal(f.getPage(0x08060000), undefined);
      assert.equal(f.getPage(0x07fff000), undefined);
      assert.equal(f.getPage(0x08040000), undefined);
      assert.deepEqual({ ...f.getPage(0x08040800, { allowUndocumented: true }) }, { addr: 0x08040800, length: PAGE });
      assert.throws(() => f.getPage("0x08000000"), /getPage: bad addr/);
    });

    test("erasePage erases the whole page holding any address in it, verifies, leaves FPEC locked", () => {
      const { board, f } = boardWith(build);
      preload(board, FREE, new Uint8Array(PAGE).fill(0x12));
      preload(board, FREE + PAGE, [0x34]);
      assert.equal(f.erasePage(FREE + 1234), true);
      assert.equal(f.erase, f.erasePage, "erase (seed API) is erasePage");
      const after = board.flash();
      assert.ok(after.subarray(FREE - 0x08000000, FREE - 0x08000000 + PAGE).every((b) => b === 0xff));
      assert.equal(after[FREE + PAGE - 0x08000000], 0x34, "next page untouched");
      assertLocked(board);
      assert.equal(f.erase(FREE + 4), true, "seed erase() returns true");
      assertLocked(board);
    });

    test("write(data, addr) writes the BYTES of String, Array, ArrayBuffer and every typed array", () => {
      const { board, f } = boardWith(build);
      const cases = [
        ["'Hello'", [72, 101, 108, 108, 111]],
        ["[1,2,3,255,0]", [1, 2, 3, 255, 0]],
        ["new Uint8Array([9,8,7]).buffer", [9, 8, 7]],
        ["new Uint8Array([1,2])", [1, 2]],
        ["new Int8Array([-1,-2])", [255, 254]],
        ["new Uint16Array([0x1234,0xABCD])", [0x34, 0x12, 0xcd, 0xab]],
        ["new Int16Array([-2])", [0xfe, 0xff]],
        ["new Uint32Array([0xCAFEBABE])", [0xbe, 0xba, 0xfe, 0xca]],
        ["new Int32Array([-2])", [0xfe, 0xff, 0xff, 0xff]],
        ["new Float32Array([1])", [0, 0, 0x80, 0x3f]],
        ["new Float64Array([1])", [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]],
        ["new Uint8ClampedArray([300])", [255]],
        ["new DataView(new Uint8Array([5,6,7]).buffer, 1)", [6, 7]],
        ["new Uint8Array([1,2,3,4,5,6]).subarray(1, 4)", [2, 3, 4]],
      ];
      let addr = FREE;
      for (const [js, bytes] of cases) {
        f.write(board.eval(js), addr);
        assert.deepEqual([...f.read(bytes.length, addr)], bytes, js);
        assertLocked(board);
        addr += 16;
      }
    });

    test("write(data, addr) at odd edges merges into half-words that are still 0xFFFF", () => {
      const { board, f } = boardWith(build);
      f.write("abc", FREE + 1);
      assert.deepEqual([...f.read(6, FREE)], [0xff, 0x61, 0x62, 0x63, 0xff, 0xff]);
      f.write([0x11], FREE + 6);
      f.write([0x22], FREE + 9);
      assert.deepEqual([...f.read(6, FREE + 5)], [0xff, 0x11, 0xff, 0xff, 0x22, 0xff]);
      // the half-word at FREE+8 reads 0x22FF: its free byte cannot be merged any more (that needs a re-program)
      refuses(board, () => f.write([0x44], FREE + 8), /write 0x802f009: not erased/);
      assertLocked(board);
    });

    test("write(data, addr) onto programmed bytes is refused before anything is written, even the same bytes", () => {
      const { board, f } = boardWith(build);
      f.write("ABCD", FREE);
      refuses(board, () => f.write("ABCDEF", FREE), /write 0x802f000: not erased/);
      refuses(board, () => f.write("XXXXXX", FREE + 2), /write 0x802f002: not erased/);
      f.write("EF", FREE + 4); // the blank bytes after them are still writable
      assert.equal(String.fromCharCode(...f.read(6, FREE)), "ABCDEF");
    });

    test("a write spanning pages and a whole 2 KB page in one call", () => {
      const { board, f } = boardWith(build);
      const data = board.eval("var d = new Uint8Array(3000); for (var i = 0; i < 3000; i++) d[i] = (i * 7) & 255; d");
      f.write(data, FREE + 100);
      assert.deepEqual(f.read(3000, FREE + 100), data);
      assertLocked(board);
    });

    test("a 12 KB write reads flash back in pieces of at most 2 KB (RAM: peek8 and E.toString copy what they read)", () => {
      const { board, f } = boardWith(build);
      const data = board.eval("var d = new Uint8Array(12288); for (var i = 0; i < d.length; i++) d[i] = (i * 13) & 255; d");
      board.eval("var maxRead = 0, _p8 = peek8, _ma = E.memoryArea;" +
        "peek8 = function (a, n) { if (n > maxRead) maxRead = n; return _p8(a, n); };" +
        "E.memoryArea = function (a, n) { if (n > maxRead) maxRead = n; return _ma(a, n); };");
      f.write(data, FREE + 1);
      assert.equal(board.eval("maxRead"), 2048, "blank check and verify read at most 2 KB at a time");
      assert.deepEqual(f.read(12288, FREE + 1), data);
      assertLocked(board);
    });

    test("seed write(addr, word) programs two half-words, low first; read(addr) is unsigned; signed input ok", () => {
      const { board, f } = boardWith(build);
      f.write(FREE, 0xcafebabe);
      assert.equal(f.read(FREE), 0xcafebabe);
      assert.deepEqual([...f.read(4, FREE)], [0xbe, 0xba, 0xfe, 0xca]);
      f.write(FREE + 4, 0xdeadbeef | 0);
      assert.equal(f.read(FREE + 4), 0xdeadbeef);
      refuses(board, () => f.write(FREE + 4, 0xdeadbeef), /write 0x802f004: not erased/); // same value: refused too
      assertLocked(board);
      assert.equal(f.read(FREE + 8), 0xffffffff);
      assert.equal(board.counters.busFaults, 0, "only half-word stores reach flash");
    });

    test("read(length, addr) returns a Uint8Array, also for length 1 (peek8 with count 1 returns a number)", () => {
      const { board, f } = boardWith(build);
      f.write([0x5a], FREE);
      const one = f.read(1, FREE);
      assert.equal(one.constructor.name, "Uint8Array");
      assert.deepEqual([...one], [0x5a]);
      assert.equal(f.read(5, 0x08000000).length, 5, "reading the bootloader is allowed");
      assert.throws(() => f.read(4, 0x08040000), /read 0x8040000: inside undocumented/);
    });

    test("isPageSafe: true on a blank page, false when any byte is programmed", () => {
      const { board, f } = boardWith(build);
      assert.equal(f.isPageSafe(FREE), true);
      assert.equal(f.isPageSafe(0x08002800), false);
      preload(board, FREE + PAGE - 1, [0xfe]);
      assert.equal(f.isPageSafe(FREE + 17), false);
    });

    test("unlock() holds the FPEC open across calls; lock() locks it and clears PG/PER", () => {
      const { board, f } = boardWith(build);
      f.unlock();
      assert.equal(cr(board) & CR_LOCK, 0);
      f.erasePage(FREE);
      assert.equal(cr(board) & 0xff, 0, "held open: unlocked, PG/PER clear");
      f.write(FREE, 0x12345678);
      f.write("xy", FREE + 8);
      assert.equal(cr(board) & 0xff, 0);
      assert.throws(() => f.write("z", FREE), /not erased/);
      assert.equal(cr(board) & 0xff, 0, "a failure while held leaves it unlocked, PG clear");
      f.lock();
      assertLocked(board);
      f.unlock();
      f.unlock(); // second unlock must not write keys again (that would lock the FPEC until reset)
      assert.equal(cr(board) & CR_LOCK, 0);
      assert.equal(board.counters.busFaults, 0);
      f.lock();
      assertLocked(board);
    });

    test("guards: bootloader, firmware and saved code refuse erase/write unless overridden", () => {
      const { board, f } = boardWith(build);
      refuses(board, () => f.erasePage(0x08000000), /erasePage 0x8000000: inside bootloader, needs option allowBootloader/);
      refuses(board, () => f.erasePage(0x08002800), /inside firmware/);
      refuses(board, () => f.erasePage(FREE - 1), /erasePage 0x802e800: inside firmware/);
      refuses(board, () => f.erasePage(CODE), /inside saved code/);
      refuses(board, () => f.erasePage(0x08040000), /inside undocumented/);
      refuses(board, () => f.write(0x08001000, 0), /inside bootloader/);
      refuses(board, () => f.write("x", 0x08010000), /inside firmware/);
      refuses(board, () => f.write(board.eval("new Uint8Array(8)"), CODE - 4), /write 0x803affc: inside saved code/);
      refuses(board, () => f.erase(0x08003000, { allowBootloader: true }), /inside firmware/);
      // explicit overrides work
      f.erasePage(CODE, { allowSavedCode: true });
      assert.equal(f.isPageSafe(CODE), true);
      f.write("saved", CODE, { allowSavedCode: true });
      f.erasePage(0x08040000, { allowUndocumented: true });
      f.write(0x08040000, 1, { allowUndocumented: true });
      assert.equal(f.read(1, 0x08040000, { allowUndocumented: true }).length, 1);
      f.erasePage(0x0802e800, { allowFirmware: true });
      assert.equal(f.isPageSafe(0x0802e800), true);
      assertLocked(board);
    });

    test("setup({allowUndocumented:true}) opens 0x08040000-0x0805FFFF to every call", () => {
      const { f } = boardWith(build);
      assert.equal(f.setup({ allowUndocumented: true }), undefined);
      f.erasePage(0x0805f800);
      f.write([1, 2], 0x0805f800);
      assert.equal(f.read(0x0805f800), 0xffff0201);
      assert.equal(f.getFree().length, 2);
      assert.throws(() => f.setup(), /setup: bad options/);
      assert.throws(() => f.setup(1), /setup: bad options 1/);
      f.setup({});
      assert.throws(() => f.read(4, 0x08040000), /inside undocumented/);
    });

    describe("bad input gets a clear Error and leaves flash untouched", () => {
      const { board, f } = boardWith(build);
      f.write("data", FREE + 64); // a programmed target for the non-blank class
      const cases = [
        ["erasePage non-number", () => f.erasePage("0x0802F000"), /erasePage: bad addr 0x0802F000/],
        ["erasePage NaN", () => f.erasePage(NaN), /bad addr NaN/],
        ["erasePage non-integer", () => f.erasePage(FREE + 0.5), /bad addr/],
        ["erasePage negative", () => f.erasePage(-2048), /bad addr -2048/],
        ["erasePage missing", () => f.erasePage(), /bad addr undefined/],
        ["erasePage outside flash", () => f.erasePage(0x08060000), /erasePage 0x8060000: outside flash/],
        ["erasePage below flash", () => f.erasePage(0x07fff800), /outside flash/],
        ["erasePage in RAM", () => f.erasePage(0x20000000), /outside flash/],
        ["erasePage too big", () => f.erasePage(0x100000000), /bad addr/],
        ["erase Infinity", () => f.erase(Infinity), /bad addr/],
        ["write word non-number word", () => f.write(FREE, "1"), /write 0x802f000: bad word 1/],
        ["write word NaN", () => f.write(FREE, NaN), /bad word NaN/],
        ["write word non-integer", () => f.write(FREE, 1.5), /bad word 1.5/],
        ["write word too big", () => f.write(FREE, 0x100000000), /bad word/],
        ["write word missing", () => f.write(FREE), /bad word undefined/],
        ["write word unaligned", () => f.write(FREE + 2, 1), /write 0x802f002: not 4-aligned/],
        ["write word negative addr", () => f.write(-4, 1), /write: -4 is not a byte or a flash address/],
        ["write word outside", () => f.write(0x08060000, 1), /outside flash/],
        ["write word non-blank", () => f.write(FREE + 64, 0), /write 0x802f040: not erased/],
        ["write data missing", () => f.write(), /write: bad data/],
        ["write data object", () => f.write({}, FREE), /bad data/],
        ["write data null", () => f.write(null, FREE), /bad data/],
        ["write data boolean", () => f.write(true, FREE), /bad data/],
        ["write data addr missing", () => f.write("x"), /write: bad addr undefined/],
        ["write data addr string", () => f.write("x", "1"), /bad addr 1/],
        ["write data addr NaN", () => f.write([1], NaN), /bad addr NaN/],
        ["write data addr non-integer", () => f.write([1], FREE + 0.25), /bad addr/],
        ["write empty string", () => f.write("", FREE), /write 0x802f000: no data/],
        ["write empty array", () => f.write([], FREE), /no data/],
        ["write empty typed array", () => f.write(board.eval("new Uint8Array(0)"), FREE), /no data/],
        ["write array element > 255", () => f.write([1, 256], FREE), /write: bad byte data\[1\]/],
        ["write array element negative", () => f.write([-1], FREE), /bad byte data\[0\]/],
        ["write array element string", () => f.write(["a"], FREE), /bad byte/],
        ["write array element fraction", () => f.write([1.5], FREE), /bad byte/],
        ["write oversized: past free into saved code", () => f.write(board.eval("new Uint8Array(0xC001)"), FREE), /inside saved code/],
        ["write oversized: past end of flash", () => f.write(board.eval("new Uint8Array(0x60001)"), 0x08000000, {
          allowBootloader: true, allowFirmware: true, allowSavedCode: true, allowUndocumented: true }), /outside flash/],
        ["write non-blank target", () => f.write("DATA", FREE + 64), /write 0x802f040: not erased/],
        ["write non-blank at odd edge", () => f.write("q", FREE + 67), /write 0x802f042: not erased/],
        ["read non-number", () => f.read("4"), /read: bad addr 4/],
        ["read unaligned", () => f.read(FREE + 1), /read 0x802f001: not 4-aligned/],
        ["read outside", () => f.read(0x08060000), /outside flash/],
        ["read length 0", () => f.read(0, FREE), /read: bad length 0/],
        ["read length negative", () => f.read(-1, FREE), /bad length/],
        ["read length NaN", () => f.read(NaN, FREE), /bad length/],
        ["read length past end", () => f.read(0x20001, 0x08040000 - 0x20000), /inside undocumented/],
        ["read addr null", () => f.read(4, null), /read: bad addr null/],
        ["isPageSafe non-number", () => f.isPageSafe(null), /isPageSafe: bad addr null/],
        ["isPageSafe outside", () => f.isPageSafe(0x08100000), /outside flash/],
      ];
      for (const [name, fn, re] of cases) test(name, () => refuses(board, fn, re));
    });

    test("WRPRTERR: a write-protected page refuses erase and write with the address named, FPEC locked after", () => {
      // FLASH_WRPR bit k = 0 protects pages 2k, 2k+1 on high density; FREE is page 94 -> bit 47? no: bits 0..30
      // cover pages 0..61, bit 31 covers pages 62..127 (controller spec sec. 7.1)
      const { board, f } = boardWith(build, { wrpr: 0x7fffffff });
      preload(board, FREE, [1, 2, 3, 4]);
      refuses(board, () => f.erasePage(FREE), /erasePage 0x802f000: write-protected \(WRPRTERR\)/);
      refuses(board, () => f.write("hi", FREE + 8), /write 0x802f008: write-protected \(WRPRTERR\)/);
      refuses(board, () => f.write(FREE + 16, 5), /write 0x802f010: write-protected \(WRPRTERR\)/);
      assert.equal(board.chip.read32(0x4002200c) & 0x34, 0, "SR flags cleared after the error");
    });

    test("PGERR: a target that changed after the blank check is reported, not silently skipped", () => {
      const { board, f } = boardWith(build);
      // fault injection: the pre-write read reports blank flash while the cells are programmed
      preload(board, FREE, [0, 0, 0, 0]);
      board.eval("var _peek8 = peek8, _peek32 = peek32, lie8 = 1, lie32 = 1;" +
        "peek8 = function (a, n) { var r = _peek8(a, n); if (a == 0x0802F000 && n == 4 && lie8) { lie8 = 0; r.fill(255); } return r; };" +
        "peek32 = function (a, n) { var r = _peek32(a, n); if (a == 0x0802F000 && lie32) { lie32 = 0; return 0xFFFFFFFF; } return r; };");
      refuses(board, () => f.write([1, 2, 3, 4], FREE), /write 0x802f000: not erased \(PGERR\)/);
      refuses(board, () => f.write(FREE, 0x01020304), /write 0x802f000: not erased \(PGERR\)/);
    });

    test("write(data, addr, {erased: true}) skips the blank pre-check (2 calls less); PGERR still reported", () => {
      const { board, f } = boardWith(build);
      board.resetCounters();
      f.write("ABCD", FREE);
      const checked = board.counters.nativeCalls;
      board.resetCounters();
      f.write("EFGH", FREE + 4, { erased: true });
      assert.equal(board.counters.nativeCalls, checked - 2, "no peek8 + E.sum of the target");
      assert.equal(board.eval("E.toString(peek8(0x0802F000, 8))"), "ABCDEFGH");
      assertLocked(board);
      // the caller's promise is wrong: the FPEC refuses the programmed half-words (PGERR), the others ARE written
      preload(board, FREE + 66, [0x11, 0x22]);
      assert.throws(() => f.write([1, 2, 3, 4, 5, 6], FREE + 64, { erased: true }), /write 0x802f042: not erased \(PGERR\)/);
      assert.deepEqual([...board.flash().subarray(FREE + 64 - 0x08000000, FREE + 70 - 0x08000000)], [1, 2, 0x11, 0x22, 5, 6]);
      assertLocked(board);
      // without the option the same call is refused before anything is written
      refuses(board, () => f.write([1, 2], FREE + 66), /write 0x802f042: not erased$/);
      // the option is checked like the others, and guards still apply
      refuses(board, () => f.write("x", FREE + 128, { erasd: true }), /write: unknown option erasd/);
      refuses(board, () => f.write("x", CODE, { erased: true }), /write 0x803b000: inside saved code, needs option allowSavedCode/);
    });

    test("a wrong key sequence locks the FPEC until reset: clear errors, flash untouched, reset recovers", () => {
      const { board, f } = boardWith(build);
      preload(board, FREE, [1]);
      board.eval("poke32(0x40022004, 0x12345678)"); // wrong KEY1: FPEC locked until reset, bus fault
      refuses(board, () => f.erasePage(FREE), /erasePage 0x802f000: FPEC locked until reset/);
      refuses(board, () => f.write([7], FREE + 2), /FPEC locked until reset/);
      refuses(board, () => f.unlock(), /unlock 0x40022010: FPEC locked until reset/);
      board.reset(); // RAM cleared, flash kept: load the module again, as after a power cycle
      board.addModule("STM32F1Flash", moduleSource(build));
      const g = board.require("STM32F1Flash");
      g.erasePage(FREE);
      assert.equal(g.isPageSafe(FREE), true);
      assertLocked(board);
    });

    test("stale SR flags and a PG bit left set by other code do not break the next operation", () => {
      const { board, f } = boardWith(build);
      // other code: unlock, set PG, program over a programmed half-word (PGERR), leave PG set and unlocked
      preload(board, FREE, [0, 0]);
      board.eval("poke32(0x40022004, 0x45670123); poke32(0x40022004, 0xCDEF89AB); poke32(0x40022010, 1);" +
        "poke16(0x0802F000, 0x1234);");
      assert.ok(board.chip.read32(0x4002200c) & 0x04, "PGERR set by the other code");
      f.erasePage(FREE); // PER with PG left set would not erase (sec. 4.3): the driver must clear PG
      assert.equal(f.isPageSafe(FREE), true);
      f.write(FREE, 0x11223344);
      assert.equal(f.read(FREE), 0x11223344);
      assertLocked(board);
    });

    test("keys are written only while CR.LOCK is set: a strict chip (keys while unlocked fault) works held and not", () => {
      const { board, f } = boardWith(build, { strictKeys: true });
      f.erasePage(FREE);
      f.unlock();
      f.unlock();
      f.erasePage(FREE + PAGE);
      f.write(FREE, 0x01020304);
      f.write("held", FREE + 8);
      f.lock();
      f.write(FREE + 16, 5);
      assert.equal(board.counters.busFaults, 0, "no repeated key sequence");
      assert.equal(f.read(FREE), 0x01020304);
      assertLocked(board);
    });

    test("SR.PGERR/WRPRTERR left set by other code are cleared (written 1) before our operation", () => {
      const { board, f } = boardWith(build, { clone: true });
      preload(board, FREE, [0, 0]);
      board.eval("poke32(0x40022004, 0x45670123); poke32(0x40022004, 0xCDEF89AB); poke32(0x40022010, 1);" +
        "poke16(0x0802F000, 0x1234); poke32(0x40022010, 0x80);");
      assert.ok(board.chip.read32(0x4002200c) & 0x04, "stale PGERR");
      f.erasePage(FREE + PAGE);
      assert.equal(board.chip.read32(0x4002200c) & 0x14, 0, "stale flags cleared by our operation");
      // and a later failure names its own cause, not the stale flag
      board.eval("poke32(0x40022004, 0x45670123); poke32(0x40022004, 0xCDEF89AB); poke32(0x40022010, 1);" +
        "poke16(0x0802F000, 0x1234); poke32(0x40022010, 0x80);");
      assert.throws(() => f.write(board.eval("new Uint8Array([1,2,3,4,5,6])"), FREE + 16), /read-back mismatch/);
    });

    test("verify catches a clone chip dropping writes issued while BSY; waitEachHalfWord fixes it", () => {
      const { board, f } = boardWith(build, { clone: true });
      // the first half-word is programmed, the two stored while it was BSY are lost: a hardware failure, reported
      assert.throws(() => f.write(board.eval("new Uint8Array([1,2,3,4,5,6])"), FREE),
        /write 0x802f002: read-back mismatch/);
      assertLocked(board);
      assert.ok(board.counters.droppedWrites >= 2);
      f.setup({ waitEachHalfWord: true });
      f.write(board.eval("new Uint8Array([1,2,3,4,5,6])"), FREE + 16);
      assert.deepEqual([...f.read(6, FREE + 16)], [1, 2, 3, 4, 5, 6]);
      f.write(FREE + 32, 0xcafebabe);
      assert.equal(f.read(FREE + 32), 0xcafebabe);
      assertLocked(board);
    });

    test("native calls: erasePage + write of a 2 KB page <= 20, isPageSafe <= 3, read(2048) <= 2, word write <= 8", () => {
      const { board, f } = boardWith(build);
      const data = board.eval("var d = new Uint8Array(2048); for (var i = 0; i < 2048; i++) d[i] = i & 255; d");
      board.resetCounters();
      f.erasePage(FREE);
      f.write(data, FREE);
      assert.ok(board.counters.nativeCalls <= 20, `erase+write used ${board.counters.nativeCalls} native calls`);
      board.resetCounters();
      f.isPageSafe(FREE + PAGE);
      assert.ok(board.counters.nativeCalls <= 3, `isPageSafe used ${board.counters.nativeCalls}`);
      board.resetCounters();
      assert.deepEqual(f.read(2048, FREE), data);
      assert.ok(board.counters.nativeCalls <= 2, `read used ${board.counters.nativeCalls}`);
      board.resetCounters();
      f.write(FREE + PAGE, 0x12345678);
      assert.ok(board.counters.nativeCalls <= 8, `write(addr, word) used ${board.counters.nativeCalls}`);
      assertLocked(board);
    });
  });
}
