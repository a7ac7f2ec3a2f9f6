// The built FlashKV (modules/FlashKV.js and .min.js) on the virtual Espruino Original: the API (Storage names),
// every data type, reopening after a reset, the default address, the built-in Flash model and a 4 KB-page flash
// object, every bad-input class (clear Error, flash unchanged), `full`, native calls per operation, the wear soak,
// and the flash rules (whole aligned words, nothing re-programmed, whole pages erased).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createBoard } from "../sim/index.js";
import { FlashStore } from "../sim/flash-store.js";
import { flashObject, soak } from "./flashkv-power.js";

const STORE = 0x0803a000; // the last 2 pages of the free area of the virtual Original = open()'s default
const src = (f) => readFileSync(new URL("../modules/" + f, import.meta.url), "utf8");

/** A board with STM32F1Flash and the FlashKV build loaded; `opts` for createBoard. */
function boardWith(build, opts) {
  const board = createBoard(opts);
  board.addModule("STM32F1Flash", src("STM32F1Flash.min.js"));
  board.addModule("FlashKV", src(build));
  return board;
}

/** Power-cycle: flash kept, RAM lost, modules loaded again. */
function reboot(board, build) {
  board.reset();
  board.addModule("STM32F1Flash", src("STM32F1Flash.min.js"));
  board.addModule("FlashKV", src(build));
}

const ev = (board, code) => board.eval(code);
const json = (board, code) => JSON.parse(board.eval(`JSON.stringify(${code})`));

for (const build of ["FlashKV.js", "FlashKV.min.js"]) {
  describe(`${build} on the virtual Espruino Original`, () => {
    test("write/read of every data type; read gives a String; writeJSON/readJSON; erase; list; getStats", () => {
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open();`);
      assert.equal(ev(b, `kv.write("boots", "42")`), true);
      ev(b, `kv.write("u8", new Uint8Array([0, 1, 255]));
        kv.write("ab", new Uint8Array([9, 8]).buffer);
        kv.write("arr", [65, 66, 0, 255]);
        kv.write("u16", new Uint16Array([0x1234, 0xabcd]));
        kv.write("sub", new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 3));
        kv.write("dv", new DataView(new Uint8Array([7, 6, 5]).buffer, 1, 2));
        kv.write("f64", new Float64Array([1.5]));
        kv.write("empty", "");
        kv.writeJSON("cfg", {rate: 10, on: true, name: "x"});`);
      assert.equal(ev(b, `kv.read("boots")`), "42");
      assert.equal(ev(b, `typeof kv.read("u8")`), "string");
      assert.deepEqual(json(b, `["u8", "ab", "arr", "u16", "sub", "dv", "f64"].map(function (k) {
        var s = kv.read(k), a = []; for (var i = 0; i < s.length; i++) a.push(s.charCodeAt(i)); return a; })`),
      [[0, 1, 255], [9, 8], [65, 66, 0, 255], [0x34, 0x12, 0xcd, 0xab], [2, 3], [6, 5], [0, 0, 0, 0, 0, 0, 0xf8, 0x3f]]);
      assert.equal(ev(b, `kv.read("empty")`), "");
      assert.deepEqual(json(b, `kv.readJSON("cfg")`), { rate: 10, on: true, name: "x" });
      assert.equal(ev(b, `kv.read("nothing")`), undefined);
      assert.equal(ev(b, `kv.readJSON("nothing")`), undefined);
      assert.equal(ev(b, `kv.read("toString")`), undefined, "no key inherited from Object.prototype");
      ev(b, `kv.erase("boots")`);
      assert.equal(ev(b, `kv.read("boots")`), undefined);
      assert.deepEqual(json(b, `kv.list().sort()`), ["ab", "arr", "cfg", "dv", "empty", "f64", "sub", "u16", "u8"]);
      const s = json(b, `kv.getStats()`);
      assert.deepEqual(Object.keys(s), ["pages", "pageSize", "used", "free", "erases"]);
      assert.equal(s.pages, 2);
      assert.equal(s.pageSize, 2048);
      assert.equal(s.used + s.free, 2048 - 16);
      assert.deepEqual(s.erases, [1, 0], "the first write formatted the first page (one erase)");
      // used = 8 + key + data rounded up to 4, per live record
      assert.equal(s.used, [["u8", 3], ["ab", 2], ["arr", 4], ["u16", 4], ["sub", 2], ["dv", 2], ["f64", 8], ["empty", 0],
        ["cfg", 31]].reduce((a, [k, n]) => a + 8 + ((k.length + n + 3) & ~3), 0));
    });

    test("keys named like Object.prototype members or numbers survive compactions and reopening", () => {
      // on the real 2v29 interpreter for-in skips "constructor" and a function compares as 0: the store must not
      // depend on either (checked there too, see the report of issue 10)
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open(); ["constructor", "toString", "17", "0", "hasOwnProperty"].forEach(function (k) {
        kv.write(k, "v:" + k); }); for (var i = 0; i < 300; i++) kv.write("n", "" + i);`);
      assert.equal(ev(b, `kv.read("valueOf")`), undefined);
      ev(b, `kv.erase("valueOf")`);
      reboot(b, build);
      assert.deepEqual(json(b, `(function (kv) { return kv.list().sort().map(function (k) { return k + "=" + kv.read(k); }); })(
        require("FlashKV").open())`), ["0=v:0", "17=v:17", "constructor=v:constructor", "hasOwnProperty=v:hasOwnProperty",
        "n=299", "toString=v:toString"]);
    });

    test("reopen after a reset: same contents; open() after a clean stop reads only (0 programs, 0 erases)", () => {
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open(); for (var i = 0; i < 200; i++) kv.write("k" + (i % 7), "v" + i);
        kv.erase("k3");`);
      const before = json(b, `[kv.list().sort(), kv.list().sort().map(function (k) { return kv.read(k); }), kv.getStats()]`);
      reboot(b, build);
      const img = b.flash();
      b.resetCounters();
      ev(b, `var kv = require("FlashKV").open();`);
      assert.equal(b.counters.programs, 0);
      assert.equal(b.counters.erases, 0);
      assert.deepEqual(b.flash(), img);
      assert.deepEqual(json(b, `[kv.list().sort(), kv.list().sort().map(function (k) { return kv.read(k); }), kv.getStats()]`), before);
      assert.equal(ev(b, `kv.read("k6")`), "v195");
    });

    test("default addr: the last `pages` pages of STM32F1Flash.getFree()[0]; pages: 3 moves it down", () => {
      const b = boardWith(build);
      ev(b, `var a = require("FlashKV").open(); a.write("x", "1");`);
      assert.equal(b.chip.flash.eraseCounts[(STORE - 0x08000000) / 2048], 1, "first write erased 0x0803A000");
      assert.deepEqual(json(b, `require("STM32F1Flash").getFree()`), [{ addr: 0x0802f000, length: 0xc000 }]);
      const c = boardWith(build);
      ev(c, `require("FlashKV").open({pages: 3}).write("x", "1");`);
      assert.equal(c.chip.flash.eraseCounts[(0x08039800 - 0x08000000) / 2048], 1);
    });

    test("a value that cannot fit throws `full` and changes nothing stored; a smaller one still fits", () => {
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open(); kv.write("a", E.toString({data: 65, count: 1000})); kv.write("b", "bb");`);
      const img = b.flash(), stats = json(b, `kv.getStats()`);
      assert.throws(() => ev(b, `kv.write("c", E.toString({data: 67, count: 1100}))`), /^Error: FlashKV write: c: full$/);
      assert.throws(() => ev(b, `kv.write("a", E.toString({data: 66, count: 4000}))`), /full/, "bigger than a page");
      assert.deepEqual(b.flash(), img, "flash unchanged");
      assert.deepEqual(json(b, `kv.getStats()`), stats);
      assert.equal(ev(b, `kv.read("a").length`), 1000);
      ev(b, `kv.write("a", E.toString({data: 66, count: 1900}))`); // replaces a: fits after compaction
      assert.equal(ev(b, `kv.read("a").length`), 1900);
      assert.equal(ev(b, `kv.read("b")`), "bb");
    });

    test("bad input: every argument class throws a clear Error and leaves flash untouched", () => {
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open({addr: ${STORE}}); kv.write("keep", "me");`);
      const cases = [
        [`require("FlashKV").open(5)`, /^Error: FlashKV open: bad options$/],
        [`require("FlashKV").open("x")`, /bad options/],
        [`require("FlashKV").open({adr: ${STORE}})`, /^Error: FlashKV open: unknown option adr$/],
        [`require("FlashKV").open({addr: ${STORE}, page: 2})`, /^Error: FlashKV open: unknown option page$/],
        [`require("FlashKV").open({pages: 1})`, /bad pages/],
        [`require("FlashKV").open({pages: 256})`, /bad pages/],
        [`require("FlashKV").open({pages: 2.5})`, /bad pages/],
        [`require("FlashKV").open({pages: "2"})`, /bad pages/],
        [`require("FlashKV").open({addr: ${STORE + 4}})`, /^Error: FlashKV open: bad addr 134455300$/],
        [`require("FlashKV").open({addr: "0x0803A000"})`, /bad addr/],
        [`require("FlashKV").open({addr: -2048})`, /bad addr/],
        [`require("FlashKV").open({addr: 0x0803A000 + 0.5})`, /bad addr/],
        [`require("FlashKV").open({addr: 0x09000000})`, /bad addr/],
        [`require("FlashKV").open({addr: 0x0803F800, pages: 2})`, /bad pages/], // runs past documented flash
        [`require("FlashKV").open({flash: {}})`, /bad flash/],
        [`require("FlashKV").open({flash: {getPage: 1, erasePage: 1, write: 1, read: 1}})`, /bad flash/],
        [`require("FlashKV").open({addr: ${STORE}, pages: 3})`, /^Error: FlashKV open: pages: 2$/], // made with 2
        [`kv.write()`, /^Error: FlashKV write: bad key undefined$/],
        [`kv.write("", "x")`, /bad key/],
        [`kv.write("${"x".repeat(29)}", "x")`, /bad key/],
        [`kv.write(5, "x")`, /bad key/],
        [`kv.write({}, "x")`, /bad key/],
        [`kv.write("__proto__", "x")`, /bad key/],
        [`kv.write("\\xFFhidden", "x")`, /bad key/],
        [`kv.write("k")`, /^Error: FlashKV write: bad data$/],
        [`kv.write("k", null)`, /bad data/],
        [`kv.write("k", 42)`, /bad data/],
        [`kv.write("k", true)`, /bad data/],
        [`kv.write("k", {a: 1})`, /bad data/],
        [`kv.write("k", [256])`, /bad data/],
        [`kv.write("k", [-1])`, /bad data/],
        [`kv.write("k", [1.5])`, /bad data/],
        [`kv.write("k", ["a"])`, /bad data/],
        [`kv.writeJSON("k", undefined)`, /bad data/],
        [`kv.writeJSON("k", function () {})`, /bad data/],
        [`kv.writeJSON(7, 1)`, /bad key/],
        [`kv.read()`, /^Error: FlashKV read: bad key undefined$/],
        [`kv.read(1)`, /bad key/],
        [`kv.readJSON("")`, /bad key/],
        [`kv.erase()`, /^Error: FlashKV erase: bad key undefined$/],
        [`kv.erase("${"y".repeat(29)}")`, /bad key/],
      ];
      for (const [code, re] of cases) {
        const before = b.flash();
        assert.throws(() => ev(b, code), re, code);
        assert.deepEqual(b.flash(), before, `flash unchanged by ${code}`);
      }
      ev(b, `kv.write("j", "{not json")`);
      assert.throws(() => ev(b, `kv.readJSON("j")`), /SyntaxError|JSON/);
      assert.equal(ev(b, `kv.read("keep")`), "me", "the store still works");
    });

    test("needs E.CRC32: a SAVE_ON_FLASH firmware (the medium model) gets a clear Error", () => {
      // the 700-variable medium board cannot hold both modules uploaded to RAM (sim/ram-model.js): no RAM limit here
      const b = boardWith(build, { model: "medium", ramLimit: false });
      assert.throws(() => ev(b, `require("FlashKV").open({addr: 0x0801f000})`), /^Error: FlashKV open: no E\.CRC32$/);
    });

    test("an append onto flash that is not erased after all (written behind the store's back): PGERR, compaction, value kept", () => {
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open(); kv.write("a", "1"); kv.write("b", "2");`);
      const next = Number(ev(b, `kv.act + kv.end`)); // where the next record goes (fields of the store)
      const erases = json(b, `kv.getStats().erases`);
      // another writer programs a word there after open(): the store still believes it is erased
      ev(b, `require("STM32F1Flash").write([0x12, 0x34, 0x56, 0x78], ${next})`);
      assert.equal(ev(b, `kv.write("a", "new")`), true);
      assert.equal(ev(b, `kv.read("a")`), "new");
      assert.equal(ev(b, `kv.read("b")`), "2");
      assert.equal(json(b, `kv.getStats().erases`).reduce((x, y) => x + y), erases.reduce((x, y) => x + y) + 1,
        "the failed append sent the write into a compaction (one page erase)");
      reboot(b, build);
      ev(b, `var kv = require("FlashKV").open();`);
      assert.deepEqual([ev(b, `kv.read("a")`), ev(b, `kv.read("b")`)], ["new", "2"]);
    });

    test("native calls (STM32F1Flash, the default): write 10 (8 in STM32F1Flash.write: no blank pre-check), read 3, open 2 per page + 4", () => {
      const b = boardWith(build);
      ev(b, `var kv = require("FlashKV").open(); kv.write("boots", "0"); kv.write("cfg", E.toString({data: 1, count: 32}));`);
      b.resetCounters();
      ev(b, `kv.write("boots", "1")`);
      // the record (E.toUint8Array, E.CRC32), then STM32F1Flash.write with {erased: true}: no peek8 + E.sum
      assert.deepEqual(b.counters.calls, { "E.toUint8Array": 1, "E.CRC32": 1, "peek32": 1, "poke32": 4, "poke16": 1,
        "E.memoryArea": 1, "E.toString": 1 });
      ev(b, `var v32 = E.toString({data: 2, count: 32})`);
      b.resetCounters();
      ev(b, `kv.write("cfg", v32)`);
      assert.equal(b.counters.nativeCalls, 10, "a 32-byte value");
      b.resetCounters();
      assert.equal(ev(b, `kv.read("boots")`), "1");
      assert.equal(b.counters.nativeCalls, 3);
      b.resetCounters();
      ev(b, `require("FlashKV").open()`); // STM32F1Flash has its memory map already
      // a header per page, a CRC per valid header (one: no compaction yet), the page, its String, last CRC, blank rest
      assert.equal(b.counters.nativeCalls, 2 + 1 + 4, JSON.stringify(b.counters.calls));
      ev(b, `for (var i = 0; i < 150; i++) kv.write("boots", "" + i);`); // compactions: both pages hold a header
      b.resetCounters();
      ev(b, `require("FlashKV").open()`);
      assert.equal(b.counters.nativeCalls, 2 * 2 + 4, JSON.stringify(b.counters.calls));
      b.resetCounters();
      ev(b, `require("FlashKV").open({pages: 4, addr: 0x08038000})`); // no store there yet: headers only
      assert.equal(b.counters.nativeCalls, 4, JSON.stringify(b.counters.calls));
    });
  });
}

describe("over other Flash API objects", () => {
  test("the board's built-in require(\"Flash\") (F1 faults of the firmware kept): same contents, write <= 10 calls", () => {
    const b = boardWith("FlashKV.min.js");
    ev(b, `var kv = require("FlashKV").open({addr: ${STORE}, flash: require("Flash")});
      for (var i = 0; i < 300; i++) kv.write("n" + (i % 5), "value " + i);`);
    b.resetCounters();
    ev(b, `kv.write("n1", "x")`);
    assert.ok(b.counters.nativeCalls <= 10, JSON.stringify(b.counters.calls));
    assert.ok(b.counters.erases === 0);
    reboot(b, "FlashKV.min.js");
    assert.deepEqual(json(b, `(function (kv) { return kv.list().sort().map(function (k) { return kv.read(k); }); })(
      require("FlashKV").open({addr: ${STORE}, flash: require("Flash")}))`), ["value 295", "x", "value 297", "value 298", "value 299"]);
    // the same store is readable through STM32F1Flash (the format does not depend on the flash object)
    assert.equal(ev(b, `require("FlashKV").open({addr: ${STORE}}).read("n1")`), "x");
  });

  test("4 KB pages (a Flash-API object of our own, 3 pages): compactions, reopen, the rules of flash", () => {
    const b = boardWith("FlashKV.min.js");
    const store = new FlashStore({ size: 4096 * 4, pageSize: 4096, base: 0x10000000 });
    const install = () => { b.context.FL = flashObject(b, store); };
    install();
    ev(b, `var kv = require("FlashKV").open({addr: 0x10000000, pages: 3, flash: FL});
      for (var i = 0; i < 1000; i++) kv.write("k" + (i % 9), E.toString({data: i & 255, count: i % 60}));`);
    assert.deepEqual(json(b, `kv.getStats()`).erases, [...store.eraseCounts.slice(0, 3)]);
    assert.ok(store.eraseCounts[0] >= 3 && store.eraseCounts[3] === 0, `${store.eraseCounts}`);
    assert.deepEqual(store.violations ?? [], [], "only whole aligned words, each programmed once per erase");
    b.reset();
    b.addModule("FlashKV", src("FlashKV.min.js"));
    install();
    assert.equal(ev(b, `require("FlashKV").open({addr: 0x10000000, pages: 3, flash: FL}).read("k8")`).length, 998 % 60);
  });
});

describe("faults other than power cuts", () => {
  test("a flash object that silently drops a half-word (as Flash.write on F1 after a PGERR): read back, compacted, retried", () => {
    for (let drop = 1; drop <= 60; drop += 7) {
      const b = boardWith("FlashKV.min.js");
      const store = new FlashStore({ size: 4096 * 4, pageSize: 4096, base: 0x10000000 });
      b.context.FL = flashObject(b, store, { drop: 40 + drop });
      ev(b, `var kv = require("FlashKV").open({addr: 0x10000000, pages: 2, flash: FL});
        for (var i = 0; i < 12; i++) kv.write("k" + (i % 3), "value " + i);`);
      b.reset();
      b.addModule("FlashKV", src("FlashKV.min.js"));
      b.context.FL = flashObject(b, store);
      assert.deepEqual(json(b, `(function (kv) { return kv.list().sort().map(function (k) { return kv.read(k); }); })(
        require("FlashKV").open({addr: 0x10000000, pages: 2, flash: FL}))`), ["value 9", "value 10", "value 11"], `drop ${40 + drop}`);
      assert.deepEqual(store.violations, [], "nothing written twice");
    }
  });

  test("an append that fails, then a compaction that fails: the write throws, later writes never go over the failed record", () => {
    const b = boardWith("FlashKV.min.js");
    const store = new FlashStore({ size: 4096 * 4, pageSize: 4096, base: 0x10000000 });
    // erase 1 formats the first page; program 8 + 9 = 17 is inside the second record; erase 2 (its compaction) fails
    b.context.FL = flashObject(b, store, { drop: 17, failErase: 2 });
    ev(b, `var kv = require("FlashKV").open({addr: 0x10000000, pages: 2, flash: FL}); kv.write("a", "1234");`);
    assert.throws(() => ev(b, `kv.write("b", "5678")`), /erase failed/);
    assert.equal(ev(b, `kv.read("b")`), undefined);
    ev(b, `kv.write("c", "9"); kv.write("b", "again");`);
    assert.deepEqual(store.violations, [], "nothing programmed twice");
    b.reset();
    b.addModule("FlashKV", src("FlashKV.min.js"));
    b.context.FL = flashObject(b, store);
    assert.deepEqual(json(b, `(function (kv) { return kv.list().sort().map(function (k) { return kv.read(k); }); })(
      require("FlashKV").open({addr: 0x10000000, pages: 2, flash: FL}))`), ["1234", "again", "9"]);
  });

  test("the newest committed page is never the one erased, even when it has the fewest erases", async () => {
    // 3 pages with headers made by hand: page 0 active (generation 5, 1 erase), pages 1 and 2 older (9 erases)
    const { crc32 } = await import("../sim/espruino.js");
    const b = boardWith("FlashKV.min.js");
    const { PowerCut } = await import("../sim/power-cut.js");
    const store = new FlashStore({ size: 4096 * 4, pageSize: 4096, base: 0x10000000 });
    const header = (gen, erases) => {
      const h = new Uint8Array(new Uint32Array([0x014b46 | (3 << 24), gen, erases, 0]).buffer);
      new DataView(h.buffer).setUint32(12, crc32(h.subarray(0, 12)), true);
      return h;
    };
    store.bytes.set(header(5, 1), 0);
    store.bytes.set(header(3, 9), 4096);
    store.bytes.set(header(4, 9), 8192);
    const pc = new PowerCut(b, { stores: [store] });
    b.context.FL = flashObject(b, store);
    ev(b, `var kv = require("FlashKV").open({addr: 0x10000000, pages: 3, flash: FL}); kv.write("keep", "me");
      while (kv.end + 12 <= 4096) kv.write("n", "x");`);
    assert.deepEqual(json(b, `kv.getStats().erases`), [1, 9, 9]);
    pc.arm({ op: 1, variant: "done" }); // the next write compacts: cut right after its erase
    ev(b, `kv.write("n", "y")`);
    assert.equal(pc.cut.kind, "erase");
    assert.notEqual(pc.cut.page, 0, "not the active page");
    b.addModule("FlashKV", src("FlashKV.min.js"));
    b.context.FL = flashObject(b, store);
    assert.equal(ev(b, `require("FlashKV").open({addr: 0x10000000, pages: 3, flash: FL}).read("keep")`), "me");
  });
});

describe("wear", () => {
  test("100 000 updates of one counter on 2 x 2 KB pages: erase counts equal, as the simulator counted; >= 125 updates per erase", () => {
    const s = soak(100000);
    assert.equal(s.value, 100000);
    assert.deepEqual(s.erases, s.real, "erase counts kept in the page headers = the simulator's");
    assert.ok(Math.max(...s.erases) - Math.min(...s.erases) <= 1, JSON.stringify(s.erases));
    assert.ok(s.updatesPerErase >= 125, `${s.updatesPerErase} updates per erase: 20 000 erases give ${Math.round(s.updatesPerErase * 20000)}`);
  });
});

test("test-on-linux-espruino/FlashKV-logic.js (run on the real 2v29 built for Linux) passes on the virtual board too", () => {
  const b = createBoard();
  b.addModule("FlashKV", src("FlashKV.min.js"));
  b.eval(readFileSync(new URL("../test-on-linux-espruino/FlashKV-logic.js", import.meta.url), "utf8"));
  // the same count as on the real interpreter: the workload follows the same path on both
  assert.equal(b.output.at(-1), "FlashKV logic: PASS 2077 checks");
});
