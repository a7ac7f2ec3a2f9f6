// The virtual board as an Espruino where programs persist data: modules (`exports = X`, modules kept in Storage),
// reboot / reset() / power cycle (flash kept, RAM lost), save() + onInit / E.on('init'), E.setBootCode and
// load() - Espruino 2v29 src/jswrap_modules.c, src/jsparse.c jspEvaluateModule, src/jsinteractive.c, src/jsflash.c.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createBoard } from "../sim/index.js";
import { moduleSource } from "./helpers.js";

const journalSource = readFileSync(new URL("./fixtures/app/modules/JournalStore.js", import.meta.url), "utf8");
const list = (b) => JSON.parse(b.eval("JSON.stringify(require('Storage').list())"));

describe("modules", () => {
  test("`exports = X` and `module.exports = X` both replace what require returns; `this` is the exports object", () => {
    const b = createBoard();
    b.addModule("A", "function A(n) { this.n = n; } A.prototype.twice = function () { return 2 * this.n; }; exports = A;");
    assert.equal(b.eval("new (require('A'))(21).twice()"), 42);
    b.addModule("B", "module.exports = 5; exports = 7;");
    assert.equal(b.require("B"), 7, "one variable in Espruino (the module scope's `exports`)");
    b.addModule("C", "this.viaThis = 1; exports.viaExports = 2;");
    assert.deepEqual({ ...b.require("C") }, { viaThis: 1, viaExports: 2 });
    b.eval("Modules.addCached('D', function () { exports = function () { return 'fn'; }; })");
    assert.equal(b.eval("require('D')()"), "fn", "the function form the CLI uploads");
  });

  test("a FlashEEPROM-style module (`exports = Constructor`) works over the built-in Flash and over STM32F1Flash", () => {
    const b = createBoard();
    b.addModule("JournalStore", journalSource);
    b.addModule("STM32F1Flash", moduleSource("STM32F1Flash.min.js"));
    // FlashEEPROM's documented use is new (require("FlashEEPROM"))(): the built-in Flash and its getFree()[0], which on
    // the Original is the page holding the firmware's .data image (not blank), so give the built-in a free blank page
    b.eval("var j = new (require('JournalStore'))(0x0803A800); j.write(0, 'Hello'); j.write(1, 'World'); j.write(0, 'Espruino');");
    assert.equal(b.eval("E.toString(j.read(0)) + ' ' + E.toString(j.read(1))"), "Espruino World");
    assert.equal(b.eval("require('Flash').getFree()[0].addr"), 0x0802e800);
    assert.notEqual(b.eval("peek8(0x0802e800)"), 0xff, "the built-in's first free page holds firmware bytes");
    b.eval("var k = new (require('JournalStore'))(undefined, require('STM32F1Flash')); k.erase(); k.write(3, [1, 2, 3]);");
    assert.deepEqual([...b.eval("k.read(3)")], [1, 2, 3]);
    assert.equal(b.eval("k.addr"), 0x0802f000, "STM32F1Flash's getFree() skips the page holding .data bytes");
  });

  test("require('Name') finds a Storage file called Name and evaluates it as a module (once; then cached)", () => {
    const b = createBoard();
    b.eval("require('Storage').write('Greeter', 'var n = 0; exports.hi = function (w) { n++; return \"hi \" + w + \" \" + n; };')");
    b.reset();   // RAM gone, flash kept: the module is found in Storage
    assert.equal(b.eval("require('Greeter').hi('a') + ', ' + require('Greeter').hi('b')"), "hi a 1, hi b 2");
    assert.deepEqual(JSON.parse(b.eval("JSON.stringify(Modules.getCached())")), ["Greeter"]);
    assert.throws(() => b.eval("require('Nope')"), /Module "Nope" not found/);
    const m = createBoard({ model: "medium" });   // SAVE_ON_FLASH builds do not look in Storage
    m.eval("require('Storage').write('Greeter', 'exports.x = 1;')");
    assert.throws(() => m.eval("require('Greeter')"), /Module "Greeter" not found/);
  });
});

describe("reboot, reset(), power cycle", () => {
  test("flash is kept, RAM is lost: globals, modules, timers and event handlers are gone", () => {
    for (const restart of ["E.reboot()", "reset()", "power"]) {
      const b = createBoard();
      b.eval("var ram = 1; Modules.addCached('M', 'exports.a = 1;'); setInterval(function () {}, 1000); " +
        "E.on('kill', function () {}); require('Storage').write('kept', 'yes');");
      if (restart === "power") b.powerCycle(); else b.eval(restart);
      assert.equal(b.eval("typeof ram"), "undefined", restart);
      assert.throws(() => b.eval("require('M')"), /not found/, restart);
      assert.equal(b.runtime.timers.timers.size, 0, restart);
      assert.equal(b.eval("require('Storage').read('kept')"), "yes", restart);
      b.dispose();
    }
  });

  test("save(): the state is back after a power cycle or E.reboot(), E.on('init') and onInit() run; not after reset()", () => {
    const b = createBoard();
    b.eval("var boots = 0; var log = []; function onInit() { boots++; log.push('onInit ' + boots); print('booted ' + boots); } " +
      "E.on('init', function () { log.push('E init'); }); save();");
    assert.deepEqual(b.output.slice(-2), ["Running onInit()...", "booted 1"], "save() runs init handlers and onInit again");
    assert.equal(b.eval("log.join()"), "E init,onInit 1");
    assert.ok(list(b).includes(".varimg"));
    b.output.length = 0;
    b.powerCycle();
    assert.deepEqual(b.output, [b.output[0], "Running onInit()...", "booted 1"]);
    assert.match(b.output[0], /^Loading \d+ bytes from flash\.\.\.$/);
    assert.equal(b.eval("log.join()"), "E init,onInit 1", "the state saved before init ran (boots 0, log empty), then init");
    b.eval("E.reboot()");
    assert.equal(b.eval("boots"), 1);
    b.eval("reset()");
    assert.equal(b.eval("typeof boots"), "undefined", "reset() does not load saved code");
    b.eval("load()");
    assert.equal(b.eval("boots"), 1, "load() does");
    b.eval("reset(true)");
    assert.ok(!list(b).includes(".varimg"), "reset(true) removes saved code");
    b.powerCycle();
    assert.equal(b.eval("typeof boots"), "undefined");
  });

  test("save() keeps objects, prototypes, shared references, typed arrays, timers and modules (re-run)", () => {
    const b = createBoard();
    b.addModule("STM32F1Flash", moduleSource("STM32F1Flash.min.js"));
    b.eval("function P(x) { this.x = x; } P.prototype.get = function () { return this.x; }; var p = new P(3); " +
      "var a = [p, p]; var cyc = {}; cyc.me = cyc; var bytes = new Uint8Array([1, 2, 250]); var f = require('STM32F1Flash'); " +
      "var ticks = 0; setInterval(function () { ticks++; }, 60000); save();");
    b.powerCycle();
    assert.equal(b.eval("[p.get(), a[0] === a[1], cyc.me === cyc, p instanceof P].join()"), "3,true,true,true");
    assert.deepEqual([...b.eval("bytes")], [1, 2, 250]);
    assert.equal(b.eval("f === require('STM32F1Flash') && f.getPage(0x08000000).length"), 2048);
    assert.equal(b.runtime.timers.timers.size, 1);
    b.dispose();
  });

  test("save() is refused while .bootcde exists (2v29); E.setBootCode runs at power-on, .bootrst after reset() too", () => {
    const b = createBoard();
    b.eval("E.setBootCode('var fromBoot = (typeof fromBoot === \"number\" ? fromBoot : 0) + 1;')");
    assert.ok(list(b).includes(".bootcde"));
    assert.throws(() => b.eval("save()"), /Cannot save: \.bootcde file already exists/);
    b.powerCycle();
    assert.equal(b.eval("fromBoot"), 1);
    b.eval("reset()");
    assert.equal(b.eval("typeof fromBoot"), "undefined", ".bootcde does not run after reset()");
    b.eval("E.setBootCode('var always = 1;', true)");
    assert.ok(list(b).includes(".bootrst") && !list(b).includes(".bootcde"));
    b.eval("reset()");
    assert.equal(b.eval("always"), 1, ".bootrst runs after reset() as well");
    b.eval("E.setBootCode('')");
    assert.ok(!list(b).includes(".bootrst"));
  });

  test("Save on Send: .bootcde written in pieces by Storage.write, then load() runs it (what the Web IDE/CLI send)", () => {
    const b = createBoard();
    const code = "var saved = 'on send';\n" + "// padding\n".repeat(120);
    const chunks = [`require("Storage").write(".bootcde",${JSON.stringify(code.slice(0, 1024))},0,${code.length});`];
    for (let i = 1024; i < code.length; i += 1024) chunks.push(`require("Storage").write(".bootcde",${JSON.stringify(code.slice(i, i + 1024))},${i});`);
    for (const c of chunks) b.eval(c);
    b.eval("load()");
    assert.equal(b.eval("saved"), "on send");
    assert.equal(b.eval("require('Storage').read('.bootcde')"), code);
    b.powerCycle();
    assert.equal(b.eval("saved"), "on send");
  });

  test("load(file) runs a Storage file after a reset; E.on('kill') runs before save/load/reset", () => {
    const b = createBoard();
    b.eval("require('Storage').write('app.js', 'var app = \"running\";'); E.on('kill', function () { print('kill'); }); load('app.js')");
    assert.equal(b.eval("app"), "running");
    assert.ok(b.output.includes("kill"));
  });

  test("Storage that is not valid (garbage in the saved-code area) is erased at power-on, as 2v29 does", () => {
    const b = createBoard();
    // where the chain of files goes on (the next page, after the pre-filled file's page): not a header, not erased
    b.chip.flash.bytes.fill(0x55, 0x3b800, 0x3b810);
    b.output.length = 0;
    b.powerCycle();
    assert.deepEqual(b.output, ["Storage is corrupt.", "Erasing Storage Area...", "Erase complete."]);
    assert.deepEqual(list(b), []);
  });
});
