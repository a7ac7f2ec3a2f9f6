// require("Storage") on the virtual board: Espruino's on-flash format (src/jsflash.c: 32-byte header = uint32
// size|flags<<24 + 28-byte name, data, next header 4-aligned; deleted = first 4 name bytes 0), written through the
// FPEC model, and the API subset programs use (src/jswrap_storage.c).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createBoard } from "../sim/index.js";

const CODE = 0x0803b000, END = 0x08040000;   // flash_code_start .. end of the 256 KB on the Original

/** A board with an empty Storage area (the pre-fill file erased). */
function emptyBoard(options = {}) {
  const b = createBoard(options);
  b.eval("require('Storage').eraseAll()");
  b.resetCounters();
  return b;
}
const bytes = (b, addr, n) => [...b.flash().subarray(addr - 0x08000000, addr - 0x08000000 + n)];
const le32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const name28 = (s) => [...s].map((c) => c.charCodeAt(0)).concat(new Array(28 - s.length).fill(0));
const ascii = (s) => [...s].map((c) => c.charCodeAt(0));
const json = (b, code) => JSON.parse(b.eval(`JSON.stringify(${code})`));

describe("on-flash format (Espruino src/jsflash.c)", () => {
  test("a fresh virtual board has valid Storage at flash_code_start: one file, listed and readable", () => {
    const b = createBoard();
    assert.deepEqual(json(b, "require('Storage').list()"), ["notes.txt"]);
    assert.equal(b.eval("process.memory().flash_code_start"), CODE);
    assert.deepEqual(bytes(b, CODE, 36), [...le32(0x100 - 32), ...name28("notes.txt"), ...ascii("Save")]);
    assert.match(b.eval("require('Storage').read('notes.txt')"), /^Saved by an earlier program/);
  });

  test("header = size | flags << 24 (LE), 28-byte 0-padded name; data follows; the next header is 4-aligned", () => {
    const b = emptyBoard();
    b.eval("var s = require('Storage'); s.write('a', 'Hello'); s.write('long-name.json', [1, 2, 3, 4])");
    assert.deepEqual(bytes(b, CODE, 40), [...le32(5), ...name28("a"), ...ascii("Hello"), 0xff, 0xff, 0xff]);
    const next = CODE + 32 + 8;   // 5 data bytes rounded up to 8
    assert.deepEqual(bytes(b, next, 36), [...le32(4), ...name28("long-name.json"), 1, 2, 3, 4]);
    assert.ok(bytes(b, next + 36, END - next - 36).every((x) => x === 0xff), "the rest erased");
    assert.ok(b.counters.programs > 0 && b.counters.nativeCalls === 2, "written through the FPEC, one native call each");
  });

  test("replacing a file marks the old header deleted (first 4 name bytes 0x00) and appends the new one", () => {
    const b = emptyBoard();
    b.eval("var s = require('Storage'); s.write('cfg', 'one'); s.write('cfg', 'three')");
    assert.deepEqual(bytes(b, CODE, 8), [...le32(3), 0, 0, 0, 0]);
    assert.deepEqual(bytes(b, CODE + 36, 40), [...le32(5), ...name28("cfg"), ...ascii("three"), 0xff, 0xff, 0xff]);
    assert.equal(b.eval("s.read('cfg')"), "three");
    assert.deepEqual(json(b, "s.getStats()"), { totalBytes: END - CODE, freeBytes: END - CODE - 36 - 40,
      fileBytes: 40, fileCount: 1, trashBytes: 36, trashCount: 1 });
    assert.equal(b.eval("s.getFree()"), END - CODE - 76);
    const before = b.flash();
    b.eval("s.write('cfg', 'three')");
    assert.deepEqual(b.flash(), before, "the same contents again: nothing written");
  });

  test("names longer than 28 characters are cut to 28, as the firmware's 29-byte buffer does", () => {
    const b = emptyBoard();
    const long = "x".repeat(30);
    b.eval(`require('Storage').write('${long}', 'v')`);
    assert.deepEqual(json(b, "require('Storage').list()"), ["x".repeat(28)]);
    assert.equal(b.eval(`require('Storage').read('${"x".repeat(28)}')`), "v");
  });

  test("compaction: when no hole is big enough, live files are copied down over deleted ones ('Compacting...')", () => {
    const b = emptyBoard();
    const kb = "k".repeat(1000);
    b.eval(`var s = require('Storage'); s.write('keep', 'kept'); for (var i = 0; i < 25; i++) s.write('big', '${kb}' + i);`);
    const st = json(b, "s.getStats()");
    assert.equal(st.fileCount, 2);
    assert.ok(st.trashCount >= 1, "replaced files are trash until a compaction");
    assert.ok(b.output.some((l) => /^Compacting\.\.\. $/.test(l)), b.output.join("\n"));
    assert.equal(b.eval("s.read('keep')"), "kept");
    assert.equal(b.eval("s.read('big')"), kb + "24");
    b.eval("s.compact()");
    assert.deepEqual(json(b, "s.getStats()").trashCount, 0);
    assert.deepEqual(json(b, "s.list()").sort(), ["big", "keep"]);
    assert.deepEqual(bytes(b, CODE, 4), le32(4), "packed from the start of the area");
  });

  test("a file bigger than the free space is refused with Espruino's error, flash untouched", () => {
    const b = emptyBoard();
    const before = b.flash();
    assert.throws(() => b.eval(`require('Storage').write('huge', 'x', 0, ${END - CODE})`), /Unable to find or create file/);
    assert.deepEqual(b.flash(), before);
  });
});

describe("API (src/jswrap_storage.c)", () => {
  test("write with offset and size (how the Web IDE and CLI upload big files): unwritten bytes read 0xFF", () => {
    const b = emptyBoard();
    b.eval("var s = require('Storage'); s.write('a', 'Hell', 0, 14)");
    assert.equal(b.eval("s.read('a')"), "Hell" + "\xff".repeat(10));
    b.eval("s.write('a', 'o Wo', 4); s.write('a', 'rld!!!', 8)");   // 4-aligned pieces (F1: see the next test)
    assert.equal(b.eval("s.read('a')"), "Hello World!!!");
    assert.equal(b.eval("s.read('a', 6, 5)"), "World");
    const before = b.flash();
    assert.throws(() => b.eval("s.write('a', 'x', 2)"), /File already written with different data/);
    assert.throws(() => b.eval("s.write('a', 'too long', 10)"), /Too much data for file size/);
    assert.throws(() => b.eval("s.write('z', '')"), /Can't create zero length file/);
    assert.deepEqual(b.flash(), before, "refused writes leave flash untouched");
    b.eval("s.write('a', 'new', 0)");
    assert.equal(b.eval("s.read('a')"), "new", "offset 0 writes a new file");
  });

  test("on F1 a write that shares a half-word with data already written is lost (PGERR), as on an Original", () => {
    // jshFlashWriteAligned merges the partial word and programs it again; F1 programs a half-word only when it reads
    // 0xFFFF (PM0075 §2.3.3), so 'o' + ' ' over 'o' + 0xFF fails and the firmware does not notice
    const b = emptyBoard();
    b.eval("var s = require('Storage'); s.write('b', 'Hello', 0, 8); s.write('b', ' ', 5)");
    assert.equal(b.eval("s.read('b')"), "Hello\xff\xff\xff");
    assert.equal(b.eval("peek32(0x4002200C) & 4"), 4, "PGERR left set in FLASH_SR");
  });

  test("read / readArrayBuffer / erase / list(regex, {sf}) / an object is written as JSON", () => {
    const b = emptyBoard();
    b.eval("var s = require('Storage'); s.write('x.js', 'print(1)'); s.write('data', new Uint16Array([0x0201, 0x0403])); s.write('o', {a: 1})");
    assert.equal(b.eval("s.read('missing')"), undefined);
    assert.deepEqual([...b.eval("new Uint8Array(s.readArrayBuffer('data'))")], [1, 2],
      "a typed array: as many bytes as elements (src/jsvar.h JSV_GET_AS_CHAR_ARRAY)");
    assert.equal(b.eval("s.read('o')"), '{"a":1}', "write(object): standard JSON (writeJSON drops the quotes)");
    assert.deepEqual(json(b, "s.list(/\\.js$/)"), ["x.js"]);
    assert.deepEqual(json(b, "s.list(undefined, {sf: false})"), ["x.js", "data", "o"]);
    b.eval("s.erase('data')");
    assert.deepEqual(json(b, "s.list()"), ["x.js", "o"]);
  });

  test("writeJSON writes Espruino's compact JSON (identifier keys unquoted); readJSON parses it and plain JSON", () => {
    const b = emptyBoard();
    b.eval("var s = require('Storage'); s.writeJSON('j', {count: 3, 'a-b': [1, 'x\\n'], f: function () {}, u: undefined, n: NaN})");
    assert.equal(b.eval("s.read('j')"), '{count:3,"a-b":[1,"x\\n"],n:null}');
    assert.deepEqual(json(b, "s.readJSON('j')"), { count: 3, "a-b": [1, "x\n"], n: null });
    b.eval("s.write('bad', '{oops')");
    assert.throws(() => b.eval("s.readJSON('bad')"), (e) => e.name === "SyntaxError");
    assert.equal(b.eval("s.readJSON('bad', true)"), undefined);
    assert.equal(b.eval("s.readJSON('none')"), undefined);
  });

  test("flash rules hold: Storage on a write-protected page is not written (the firmware reports nothing)", () => {
    // FLASH_WRPR bit 31 = pages 62-255 of a high-density part (RM0008 §2.3.4 / PM0075): protects the Storage area
    const b = createBoard({ wrpr: 0x7fffffff });
    const before = b.flash();
    assert.equal(b.eval("require('Storage').write('p', 'data')"), true, "Espruino's jsfWriteFile returns true");
    assert.equal(b.eval("require('Storage').read('p')"), undefined, "nothing was programmed");
    assert.deepEqual(b.flash(), before);
    assert.equal(b.eval("peek32(0x4002200C) & 0x10"), 0x10, "WRPRTERR left set in FLASH_SR");
  });

  test("SAVE_ON_FLASH build (medium model): read/write/list work, readJSON/writeJSON/getFree do not exist", () => {
    const b = createBoard({ model: "medium" });
    assert.equal(b.eval("typeof require('Storage').readJSON + typeof require('Storage').getFree"), "undefinedundefined");
    b.eval("require('Storage').write('m', 'ok')");
    assert.equal(b.eval("require('Storage').read('m')"), "ok");
  });
});

describe("byte for byte as the real Espruino 2v29 (built for Linux with the Original's 20 KB Storage area)", () => {
  // The same programs were run on the real interpreter; these are SHA-256 sums of its 20 KB Storage area afterwards.
  const area = (program) => {
    const b = createBoard({ blank: true });
    b.setOutput(() => {});
    b.eval(program);
    return createHash("sha256").update(b.flash().subarray(CODE - 0x08000000, END - 0x08000000)).digest("hex");
  };

  test("write, replace, writeJSON, write(object), a typed array, a file written in pieces", () => {
    assert.equal(area(`var s = require("Storage"); s.eraseAll(); s.write("a", "Hello"); s.write("long-name.json", [1, 2, 3, 4]);
      s.write("a", "three"); s.writeJSON("j", {count: 3, "a-b": [1, "x\\n"], f: function () {}, u: undefined, n: NaN});
      s.write("o", {a: 1}); s.write("t", new Uint16Array([0x0201, 0x0403]));
      s.write("p", "Hell", 0, 14); s.write("p", "o Wo", 4); s.write("p", "rld!!!", 8);
      s.write("Greeter", "exports.hi = function (w) { return 'hi ' + w; };");`),
    "4ad320031c8a0bbcf48c5e330c41cea6527cf3f048ebc34b8fafdf3c8714b51a");
  });

  test("compaction when the area is full, then erase and compact()", () => {
    assert.equal(area(`var s = require("Storage"); s.eraseAll(); var kb = ""; for (var i = 0; i < 100; i++) kb += "kkkkkkkkkk";
      s.write("keep", "kept"); for (var i = 0; i < 25; i++) s.write("big", kb + i); s.write("after", "x");
      s.erase("keep"); s.compact();`),
    "4afe8946a592364f1eb962dbb906077ed0513e69dad29a10749134e41f631cd6");
  });
});
