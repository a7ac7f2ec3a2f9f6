// The Espruino runtime of the virtual board (espruino-platform.md §2-§4, §6; docs/ARCHITECTURE.md).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createBoard, KEY1, KEY2 } from "../sim/index.js";

const FREE = 0x0802f000;
const SR = 0x4002200c, CR = 0x40022010;

function unlockedBoard(opts) {
  const board = createBoard(opts);
  board.chip.write32(0x40022004, KEY1);
  board.chip.write32(0x40022004, KEY2);
  return board;
}

describe("peek / poke (§3)", () => {
  test("peek with count undefined/1 returns a number, count > 1 a typed array of the board's realm", () => {
    const b = createBoard();
    assert.equal(b.eval("typeof peek8(0x08000000)"), "number");
    assert.equal(b.eval("typeof peek32(0x08000000, 1)"), "number");
    assert.equal(b.eval("peek8(0x08000000, 4) instanceof Uint8Array"), true);
    assert.equal(b.eval("peek16(0x08000000, 4) instanceof Uint16Array"), true);
    assert.equal(b.eval("var a = peek32(0x0802f000, 3); a instanceof Uint32Array && a.length"), 3);
    assert.deepEqual([...b.eval("peek8(0x1FFFF7E0, 2)")], [0x00, 0x01]);
  });

  test("peek32 is unsigned: erased flash reads 4294967295", () => {
    const b = createBoard();
    assert.equal(b.eval("peek32(0x0802f000)"), 4294967295);
    assert.equal(b.eval("peek32(0x0802f000, 2)[1]"), 4294967295);
  });

  test("peek16 is two byte reads; peek32 one access (counted as SR polls)", () => {
    const b = createBoard();
    b.eval("peek16(0x4002200C)");
    assert.equal(b.counters.bsyPolls, 2);
    b.eval("peek32(0x4002200C)");
    assert.equal(b.counters.bsyPolls, 3);
    b.eval("peek32(0x4002200C, 4)");                 // SR, CR, AR, reserved
    assert.equal(b.counters.bsyPolls, 4);
  });

  test("addresses are int32-converted: 0xE0042000 and its negative int32 alias are the same", () => {
    const b = createBoard();
    assert.equal(b.eval("peek32(0xE0042000) & 0xFFF"), 0x414);
    assert.equal(b.eval("peek32(0xE0042000|0) & 0xFFF"), 0x414);
  });

  test("poke number = one store of exactly that width (poke32 with PG set is a bus fault)", () => {
    const b = unlockedBoard();
    b.eval("poke32(0x40022010, 1)");                  // PG
    b.eval("poke32(0x0802f000, 0x12345678)");
    assert.equal(b.counters.busFaults, 1);
    assert.equal(b.counters.faults[0].width, 32);
    b.eval("poke8(0x0802f000, 0x12)");
    assert.equal(b.counters.faults[1].width, 8);
    b.eval("poke16(0x0802f000, 0x5678)");
    b.drain();
    assert.equal(b.eval("peek32(0x0802f000)"), 0xffff5678);
    assert.equal(b.counters.programs, 1);
  });

  test("poke Array / typed array / String = one store per element at addr + i*width; undefined/null = nothing", () => {
    const b = createBoard();
    b.eval("poke8(0x20000000, [1, 2, 3])");
    b.eval("poke16(0x20000004, new Uint16Array([0x1111, 0x2222]))");
    b.eval("poke32(0x20000008, [0xCAFEBABE])");
    b.eval("poke8(0x20000010, 'AB')");
    b.eval("poke32(0x20000000, undefined); poke32(0x20000000, null)");
    assert.deepEqual([...b.eval("peek8(0x20000000, 4)")], [1, 2, 3, 0]);
    assert.deepEqual([...b.eval("peek16(0x20000004, 2)")], [0x1111, 0x2222]);
    assert.equal(b.eval("peek32(0x20000008)"), 0xcafebabe);
    assert.equal(b.eval("E.toString(peek8(0x20000010, 2))"), "AB");
    assert.equal(b.counters.busFaults, 0);
  });

  test("poke16 of an array programs back-to-back half-words with no delay (stalls, §5.2)", () => {
    const b = unlockedBoard();
    b.eval("poke32(0x40022010, 1); poke16(0x0802f000, [1, 2, 3, 4])");
    assert.equal(b.counters.stalls, 3);
    assert.deepEqual([...b.eval("peek16(0x0802f000, 4)")], [1, 2, 3, 4]);
  });
});

describe("E.* helpers (§4)", () => {
  test("E.sum over a Uint32Array sums as signed int32: 512 erased words -> -512; bytes -> 130560", () => {
    const b = createBoard();
    assert.equal(b.eval("E.sum(peek32(0x0802f000, 512))"), -512);
    assert.equal(b.eval("E.sum(peek8(0x0802f000, 512))"), 512 * 255);
    assert.equal(b.eval("E.sum([1, 2, 3.5])"), 6.5);
  });

  test("E.memoryArea returns a String of the bytes, read through the bus (stalls while BSY)", () => {
    const b = unlockedBoard();
    assert.equal(b.eval("E.memoryArea(0x1FFFF7E0, 2)"), "\x00\x01");
    b.eval("poke32(0x40022010, 2); poke32(0x40022014, 0x0802e800); poke32(0x40022010, 0x42)");
    const t0 = b.clock.nowUs;
    const s = b.eval("E.memoryArea(0x0802e800, 4)");
    assert.equal(s, "\xff\xff\xff\xff", "the NEW contents");
    assert.equal(b.clock.nowUs, t0 + 20000, "40 µs call cost, then stalled until the erase (started at t0) ended");
    assert.equal(b.counters.stalls, 1);
  });

  test("E.CRC32, E.toString, E.toUint8Array, E.toArrayBuffer", () => {
    const b = createBoard();
    assert.equal(b.eval('E.CRC32("hello")'), 907060870);
    assert.equal(b.eval("E.CRC32(new Uint8Array([104,101,108,108,111]))"), 907060870);
    assert.equal(b.eval('E.toString([72, 105], "!", {data: 46, count: 2})'), "Hi!..");
    assert.equal(b.eval('var u = E.toUint8Array("AB", 67); u instanceof Uint8Array && u.join()'), "65,66,67");
    assert.equal(b.eval('var ab = E.toArrayBuffer("AB"); ab instanceof ArrayBuffer && new Uint8Array(ab)[1]'), 66);
  });

  test("E.nativeCall runs Thumb code from a flat string on the emulated CPU; E.getAddressOf gives its 4-aligned address", () => {
    const b = createBoard();
    assert.equal(b.eval("typeof E.getAddressOf + typeof E.nativeCall"), "functionfunction");
    // adds r0, r0, #1 ; bx lr
    assert.equal(b.eval("E.nativeCall(1, 'int(int)', E.toString([0x40, 0x1c, 0x70, 0x47]))(41)"), 42);
    const addr = b.eval("E.getAddressOf(E.toString([0x40, 0x1c, 0x70, 0x47]), true)");
    assert.ok(addr >= 0x20000000 && addr < 0x2000c000 && addr % 4 === 0, addr.toString(16));
    assert.equal(b.eval(`E.nativeCall(${addr + 1}, 'int(int)')(1)`), 2, "absolute address, no data");
    assert.throws(() => b.eval("E.nativeCall(1, 'double(double)', 'x')"), /not modelled/);
    assert.throws(() => b.eval("E.nativeCall(1, 'int()', E.toString([0x00, 0xbf, 0x00, 0xf0]))()"), /undefined|fault/);
  });
});

describe("process", () => {
  test("process.memory(): 2v29 fields, flash_binary_end is the ALIAS address on the Original", () => {
    const b = createBoard();
    const m = b.eval("process.memory()");
    assert.deepEqual(Object.keys(m), ["free", "usage", "total", "history", "gc", "gctime", "blocksize",
      "stackEndAddress", "stackFree", "flash_start", "flash_binary_end", "flash_code_start", "flash_length"]);
    assert.equal(m.total, 2756);
    assert.equal(m.free + m.usage, 2756);
    assert.equal(m.blocksize, 13, "2756 variables: 12-bit refs, 13-byte JsVars (src/jsutils.h)");
    assert.equal(m.flash_start, 0x08000000);
    assert.equal(m.flash_binary_end, 0x0002e7a0);
    assert.equal(m.flash_code_start, 0x0803b000);
    assert.equal(m.flash_length, 262144);
    assert.equal(b.eval("process.memory(false).gc"), undefined);
    b.addModule("big", "exports.s = '" + "x".repeat(1200) + "';");
    assert.ok(b.eval("process.memory().usage") > m.usage, "cached modules use blocks");
  });

  test("process.env", () => {
    const b = createBoard();
    const env = JSON.parse(b.eval("JSON.stringify(process.env)"));
    assert.equal(env.BOARD, "ESPRUINOBOARD");
    assert.equal(env.VERSION, "2v29");
    assert.equal(env.FLASH, 262144);
    assert.equal(env.RAM, 49152);
    assert.equal(env.STORAGE, 20480);
    assert.equal(env.CONSOLE, "USB");
    assert.match(env.MODULES, /^Flash,Storage/);
    assert.match(env.SERIAL, /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  });
});

describe("Modules / require", () => {
  test("addCached(name, String): body runs immediately with module-local exports/module", () => {
    const b = createBoard();
    b.eval("var ran = 0");
    b.eval("Modules.addCached('A', 'ran++; exports.x = 1; var local = 5;')");
    assert.equal(b.eval("ran"), 1, "ran at addCached");
    assert.equal(b.eval("require('A').x + require('A').x"), 2);
    assert.equal(b.eval("ran"), 1, "not again at require");
    assert.equal(b.eval("typeof local + typeof exports + typeof module"), "undefinedundefinedundefined");
    b.addModule("B", "module.exports = function () { return 42; };");
    assert.equal(b.eval("require('B')()"), 42);
  });

  test("addCached(name, Function): its code text runs with exports/module (as the espruino CLI uploads)", () => {
    const b = createBoard();
    b.eval("Modules.addCached('C', function () { exports.y = 7; })");
    assert.equal(b.eval("require('C').y"), 7);
    const hostValue = 3;
    b.addModule("D", function () { module.exports = { z: typeof hostValue }; });
    assert.equal(b.require("D").z, "undefined", "only the text is used, not the host closure");
    assert.equal(b.eval("Modules.getCached().join()"), "C,D");
    b.eval("Modules.removeCached('C')");
    assert.equal(b.eval("Modules.getCached().join()"), "D");
  });

  test('require of a missing module throws Error: Module "X" not found', () => {
    const b = createBoard();
    assert.throws(() => b.eval("require('Nope')"), (e) => e.message === 'Module "Nope" not found');
    assert.equal(b.eval("try { require('Nope') } catch (e) { e instanceof Error }"), true, "an Error of the board's realm");
    assert.throws(() => b.eval("Modules.addCached('x', 5)"), /args must be addCached\(string, string\|function\)/);
  });
});

describe("dialect (§6) and globals", () => {
  test("unsupported built-ins are removed from the context", () => {
    const b = createBoard();
    for (const name of ["Map", "Set", "WeakMap", "Symbol", "Reflect", "Proxy", "RangeError", "Array.from",
      "Object.freeze", "Number.isInteger", "Math.imul", "Math.trunc", "Math.clz32"]) {
      assert.equal(b.eval(`typeof ${name}`), "undefined", name);
    }
    assert.throws(() => b.eval("new Map()"), /Map is not defined/);
    assert.equal(b.eval("typeof JSON.stringify + typeof Object.keys + typeof Uint8Array + typeof Promise"),
      "functionfunctionfunctionfunction");
  });

  test("every native call is counted by name and charged callCostUs before its accesses", () => {
    const b = createBoard({ callCostUs: 25 });
    b.eval("peek32(0x08000000); peek32(0x08000000, 4); poke8(0x20000000, 1); E.sum([1]); process.memory(); getTime()");
    assert.equal(b.counters.nativeCalls, 6);
    assert.deepEqual({ ...b.counters.calls }, { peek32: 2, poke8: 1, "E.sum": 1, "process.memory": 1, getTime: 1 });
    assert.equal(b.counters.simulatedUs, 150);
    assert.equal(b.eval("getTime()"), 175 / 1e6, "getTime() is virtual time in seconds");
    b.eval("var x = [1,2,3].map(function (v) { return v * 2; })");   // plain JS costs nothing
    assert.equal(b.counters.nativeCalls, 7);
    b.resetCounters();
    assert.equal(b.counters.nativeCalls, 0);
    assert.equal(b.counters.simulatedUs, 0);
    assert.deepEqual({ ...b.counters.calls }, {});
  });

  test("print / console.log append lines to board.output; setOutput(fn) receives text incl. \\n", () => {
    const b = createBoard();
    b.eval("print('a', 1, [1, 2], {x: 'y'}); console.log(new Uint8Array([1, 2]))");
    assert.deepEqual(b.output, ['a 1 [ 1, 2 ] { "x": "y" }', "new Uint8Array([1, 2])"]);
    const got = [];
    b.setOutput((t) => got.push(t));
    b.eval("print('hi')");
    assert.deepEqual(got, ["hi\n"]);
    assert.equal(b.output.length, 2);
  });
});

describe("timers", () => {
  test("flushTimers runs pending timeouts synchronously in due order, intervals once per flush", () => {
    const b = createBoard();
    b.eval("var log = []; setTimeout(function () { log.push('b'); }, 200); setTimeout(function () { log.push('a'); " +
      "setTimeout(function () { log.push('c'); }, 1000); }, 100); var iv = setInterval(function () { log.push('i'); }, 150);" +
      "var t = setTimeout(function () { log.push('never'); }, 50); clearTimeout(t);");
    assert.equal(b.flushTimers(), 4);
    assert.equal(b.eval("log.join('')"), "aibc");
    b.flushTimers();
    assert.equal(b.eval("log.join('')"), "aibci", "interval still scheduled");
    b.eval("clearInterval(iv)");
    assert.equal(b.flushTimers(), 0);
    b.dispose();
  });

  test("timers run on real host timers; uncaught errors are printed; dispose clears them", async () => {
    const b = createBoard();
    b.eval("var n = 0; setTimeout(function () { n++; }, 5); setTimeout(function () { throw new Error('boom'); }, 5);");
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(b.eval("n"), 1);
    assert.deepEqual(b.output, ["Uncaught Error: boom"]);
    b.eval("setTimeout(function () { n++; }, 5)");
    b.dispose();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(b.eval("n"), 1);
  });
});

describe("reset semantics", () => {
  test("board.reset(): new context (globals, modules, timers gone); FPEC reset; flash and counters kept", () => {
    const b = unlockedBoard();
    b.eval("var keep = 1; Modules.addCached('M', 'exports.a=1'); setTimeout(function(){}, 10000);");
    b.eval("poke32(0x40022010, 1); poke16(0x0802f000, 0x1234)");
    const calls = b.counters.nativeCalls;
    b.reset();
    assert.equal(b.eval("typeof keep"), "undefined");
    assert.throws(() => b.eval("require('M')"), /not found/);
    assert.equal(b.flushTimers(), 0);
    assert.equal(b.eval("peek32(0x40022010)"), 0x80);
    assert.equal(b.eval("peek16(0x0802f000)"), 0x1234);
    assert.equal(b.counters.nativeCalls, calls + 2);
  });

  test("E.reboot() is a hardware reset: code after it does not run, the key lock-up is cleared", () => {
    const b = createBoard();
    b.eval("poke32(0x40022004, 1)");                 // wrong key: locked until reset
    assert.equal(b.chip.fpec[0].keyState, "LOCKED_UNTIL_RESET");
    b.eval("var after = 0; E.reboot(); after = 1;");
    assert.equal(b.eval("typeof after"), "undefined");
    assert.equal(b.chip.fpec[0].keyState, "LOCKED");
  });

  test("the global reset() is a soft reset after the current command: JS state cleared, FPEC untouched", () => {
    const b = unlockedBoard();
    b.eval("var x = 1; reset(); x = 2;");
    assert.equal(b.eval("typeof x"), "undefined");
    assert.equal(b.eval("peek32(0x40022010)"), 0, "still unlocked");
  });
});

describe("String search as Espruino 2v29 (sim/string-search.js)", () => {
  test("indexOf/includes also match a needle that runs past the end (measured on the real 2v29 for Linux)", () => {
    const b = createBoard();
    // [expression, what the real 2v29 interpreter (2756 variables, -m32) printed]
    const measured = [
      [`"abc".indexOf("cd")`, 2], [`"abc".indexOf("xyz")`, -1], [`",addr,".indexOf(",bo,")`, 5],
      [`"hello".indexOf("lox")`, 3], [`"hello".indexOf("lo")`, 3], [`"abc".indexOf("bcd")`, 1],
      [`"abcdef".indexOf("ef,")`, 4], [`"abcdef".indexOf("zzzzzz")`, -1], [`"abcdef".indexOf("zzzzzzz")`, -1],
      [`",addr,pages,flash,".indexOf(",bogus,")`, 17],
      [`"abc".includes("cx")`, true], [`"abc".includes("cd")`, true], [`"abc".includes("x")`, false],
      [`"abcabc".indexOf("bc", 2)`, 4], [`"abc".indexOf("")`, 0], [`"".indexOf("")`, -1],
      [`"abc".lastIndexOf("cd")`, -1], [`"abc".indexOf("c", 5)`, -1], [`"ab".indexOf("b", -3)`, 1],
    ];
    for (const [expr, value] of measured) assert.equal(b.eval(expr), value, expr);
  });

  test("a SAVE_ON_FLASH build (medium model) searches correctly and has no String includes", () => {
    const b = createBoard({ model: "medium" });
    assert.equal(b.eval(`"abc".indexOf("cd")`), -1);
    assert.equal(b.eval(`typeof "abc".includes`), "undefined");
  });
});
