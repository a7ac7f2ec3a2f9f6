// FlashKV's JavaScript on the real Espruino 2v29 interpreter built for Linux (no STM32 flash there): the store runs
// over a Flash-API object kept in RAM that follows the F1 rules (a half-word is programmed only if it reads 0xFFFF,
// else the FPEC refuses it, PGERR, while the others are programmed; pages erase to 0xFF), registered as the module
// "STM32F1Flash" so open() takes its default path (no read-back of its own, `{erased: 1}` passed to write). A
// workload of 300 writes, writeJSONs and erases over 8 keys (several compactions) is checked against a model after
// every operation and after reopening; then a write onto flash that is not erased after all (written behind the
// store's back) must end in a compaction with every value kept, and bad options must throw. Upload it with the
// real CLI, e.g. espruino -n --board tools/espruino-boards/ESPRUINOBOARD.json --config MODULE_URL=modules
//   --config MODULE_EXTENSIONS=.min.js -o upload.js test-on-linux-espruino/FlashKV-logic.js
// and pipe upload.js into the interpreter. Expected last line: "FlashKV logic: PASS <n> checks".
var BASE = 0x10000000, PAGE = 1024, PAGES = 2, mem = new Uint8Array(PAGE * PAGES), calls = {};
mem.fill(255);
function count(name) { calls[name] = (calls[name] || 0) + 1; }
var fake = {
  getPage: function (a) {
    return a >= BASE && a < BASE + mem.length ? { addr: a - (a - BASE) % PAGE, length: PAGE } : undefined;
  },
  getFree: function () { return [{ addr: BASE, length: mem.length }]; },
  erasePage: function (a) { count("erasePage"); var p = this.getPage(a); mem.fill(255, p.addr - BASE, p.addr - BASE + PAGE); },
  // a copy, as Flash.read gives (on Espruino a typed array's slice() is a plain Array)
  read: function (n, a) { var r = new Uint8Array(n); r.set(new Uint8Array(mem.buffer, a - BASE, n)); return r; },
  write: function (d, a, opts) {
    count(opts && opts.erased ? "write erased" : "write");
    var o = a - BASE, bad = -1, i;
    if (o & 1 || d.length & 1 || o < 0 || o + d.length > mem.length) throw new Error("fake write: bad range");
    for (i = 0; i < d.length; i += 2) {
      if (mem[o + i] != 255 || mem[o + i + 1] != 255) { if (bad < 0) bad = a + i; } else { mem[o + i] = d[i]; mem[o + i + 1] = d[i + 1]; }
    }
    if (bad >= 0) throw new Error("write 0x" + bad.toString(16) + ": not erased (PGERR)");
  }
};
Modules.addCached("STM32F1Flash", function () { exports = fake; });

var checks = 0, failures = 0;
function check(ok, what) { checks++; if (!ok) { failures++; print("FAIL", what); } }
var model = {}, seed = 1;
// small numbers only: the same sequence on Espruino (doubles beyond 2^53 convert differently there) and in Node
function rnd(n) { seed = (seed * 75 + 74) % 65537; return seed % n; }
function value(n) { var s = ""; while (s.length < n) s += String.fromCharCode(32 + rnd(90)); return s; }
function checkAll(kv, when) {
  var k, keys = kv.list().sort().join(), want = Object.keys(model).sort().join();
  check(keys == want, when + ": keys " + keys + " want " + want);
  for (k in model) check(kv.read(k) === model[k], when + ": " + k);
}

var kv = require("FlashKV").open({ addr: BASE, pages: PAGES });
for (var op = 0; op < 300; op++) {
  var key = "key" + rnd(8), r = rnd(10);
  if (r < 2) { kv.erase(key); delete model[key]; }
  else if (r < 4) { var obj = { n: op, s: value(rnd(12)) }; kv.writeJSON(key, obj); model[key] = JSON.stringify(obj); }
  else { var v = value(rnd(60)); kv.write(key, v); model[key] = v; }
  checkAll(kv, "op " + op);
}
var st = kv.getStats();
check(st.erases[0] + st.erases[1] >= 3, "at least 3 compactions: " + st.erases);
check(calls["write erased"] > 0 && !calls.write, "default path: every write with {erased: 1} " + JSON.stringify(calls));
kv = require("FlashKV").open({ addr: BASE, pages: PAGES });
checkAll(kv, "reopened");

// flash that is not erased after all where the next record goes: PGERR, then a compaction keeps everything
var erasesBefore = calls.erasePage;
mem.fill(0x12, kv.end + (kv.act - BASE), kv.end + (kv.act - BASE) + 4);
kv.write("key0", "after PGERR"); model.key0 = "after PGERR";
check(calls.erasePage == erasesBefore + 1, "one compaction after the PGERR");
checkAll(kv, "after PGERR");
checkAll(require("FlashKV").open({ addr: BASE, pages: PAGES }), "reopened after PGERR");

// bad options: clear Errors
function throws(fn, re, what) { try { fn(); check(false, what + ": no error"); } catch (e) { check(re.test(e.message), what + ": " + e.message); } }
throws(function () { require("FlashKV").open({ adr: BASE }); }, /^FlashKV open: unknown option adr$/, "misspelt addr");
throws(function () { require("FlashKV").open({ addr: BASE, page: 2 }); }, /^FlashKV open: unknown option page$/, "misspelt pages");
throws(function () { kv.write("", "x"); }, /bad key/, "empty key");
throws(function () { kv.write("k", [300]); }, /bad data/, "byte 300");
print("FlashKV logic: " + (failures ? "FAIL " + failures + " of " : "PASS ") + checks + " checks");
