// FlashKV on-device suite: write, drop the store (its RAM index is lost) and open it again, read; compaction, erase,
// `full`, bad keys, the same store through the built-in Flash module. Uses TWO adjacent pages that STM32F1Flash
// reports free (getFree()) AND blank (isPageSafe()), prints them, and erases them again at the end, so flash is
// left as it was found. Runs on a real board (npm run test:device -- --port /dev/ttyACM0) or the virtual one.
// A real power cut is not part of this suite (the board would lose the suite with its RAM): examples/demo.js and
// `npm run test:power` do that on the virtual board.
// Espruino dialect: ES5, functions declared before use. Output: TAP-like lines, "# tests N pass P fail F", "1..N".
var F = require("STM32F1Flash");
var KV = require("FlashKV");
var T = { n: 0, pass: 0, fail: 0 };

function ok(cond, name) {
  T.n++;
  if (cond) { T.pass++; print("ok " + T.n + " - " + name); }
  else { T.fail++; print("not ok " + T.n + " - " + name); }
}

function throws(fn, re, name) {
  var msg = "";
  try { fn(); } catch (e) { msg = String(e); }
  ok(re.test(msg), name + " (" + (msg || "did not throw") + ")");
}

function hex(a) {
  return "0x" + ("0000000" + (a >>> 0).toString(16)).substr(-8);
}

/* The highest two adjacent pages that are free and blank: farthest from the firmware. */
function findPages() {
  var free = F.getFree(), size, i, a;
  for (i = free.length - 1; i >= 0; i--) {
    size = F.getPage(free[i].addr).length;
    for (a = free[i].addr + free[i].length - 2 * size; a >= free[i].addr; a -= size) {
      if (F.isPageSafe(a) && F.isPageSafe(a + size)) return { addr: a, size: size };
    }
  }
}

function run(a, size) {
  var o = { addr: a, pages: 2 }, kv = KV.open(o), st, i, v;
  st = kv.getStats();
  ok(st.pages == 2 && st.pageSize == size && st.used === 0 && kv.list().length === 0, "open() on blank pages: an empty store");
  ok(kv.write("greeting", "Hello") === true, "write(String) returns true");
  kv.write("bytes", new Uint8Array([0, 1, 254, 255]));
  kv.writeJSON("cfg", { rate: 10, name: "dev" });
  ok(kv.read("greeting") == "Hello", "read gives the String back");

  kv = undefined; // drop the store: its RAM index is gone, as after a reset
  kv = KV.open(o);
  ok(kv.read("greeting") == "Hello", "after reopening: greeting = \"" + kv.read("greeting") + "\"");
  v = kv.read("bytes");
  ok(v.length == 4 && v.charCodeAt(0) === 0 && v.charCodeAt(3) == 255, "after reopening: 4 bytes 0, 1, 254, 255");
  ok(kv.readJSON("cfg").rate == 10 && kv.readJSON("cfg").name == "dev", "after reopening: readJSON(cfg)");
  ok(kv.list().sort().join() == "bytes,cfg,greeting", "list(): " + kv.list().sort().join());

  for (i = 1; i <= 150; i++) kv.write("count", "" + i); // more than a page: compactions
  st = kv.getStats();
  ok(st.erases[0] + st.erases[1] >= 2, "150 updates compacted: erase counts " + JSON.stringify(st.erases));
  kv = KV.open(o);
  ok(kv.read("count") == "150" && kv.read("greeting") == "Hello", "after compactions and reopening: count = " + kv.read("count"));

  kv.erase("greeting");
  ok(kv.read("greeting") === undefined, "erase(key): read gives undefined");
  kv = KV.open(o);
  ok(kv.read("greeting") === undefined && kv.list().length == 3, "after reopening the key stays erased");

  throws(function () { kv.write("big", E.toString({ data: 66, count: size })); }, /full/, "a value larger than a page: full");
  ok(kv.read("count") == "150" && kv.read("big") === undefined, "and nothing changed");
  throws(function () { kv.write("", "x"); }, /bad key/, "an empty key");
  throws(function () { kv.write("k", 42); }, /bad data/, "a number as data");
  throws(function () { KV.open({ addr: a + 4, pages: 2 }); }, /bad addr/, "open() at an address inside a page");

  var builtin;
  try { builtin = require("Flash"); } catch (e) { print("# no built-in Flash module: skipping that test"); }
  if (builtin) {
    o.flash = builtin;
    kv = KV.open(o);
    ok(kv.read("count") == "150" && kv.readJSON("cfg").rate == 10, "the same store read through the built-in Flash module");
    kv.write("count", "151");
    ok(KV.open({ addr: a, pages: 2 }).read("count") == "151", "written through Flash, read through STM32F1Flash");
  }
}

function cleanup(a, size) {
  F.erasePage(a);
  F.erasePage(a + size);
  ok(F.isPageSafe(a) && F.isPageSafe(a + size), "both pages erased again");
  print("# erased " + hex(a) + " .. " + hex(a + 2 * size - 1) + " again");
}

function main() {
  var p = findPages();
  if (p === undefined) {
    ok(false, "two adjacent free and blank pages to test on (getFree() + isPageSafe())");
  } else {
    print("# touching only " + hex(p.addr) + " .. " + hex(p.addr + 2 * p.size - 1) + " (2 pages of " + p.size +
      " bytes): free per getFree() and blank per isPageSafe()");
    try { run(p.addr, p.size); } catch (e) { ok(false, "unexpected exception: " + e); }
    try { cleanup(p.addr, p.size); } catch (e) { ok(false, "cleanup: " + e); }
  }
  print("# tests " + T.n + " pass " + T.pass + " fail " + T.fail);
  print("1.." + T.n);
}

main();
