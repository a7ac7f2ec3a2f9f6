// STM32F1Flash demo: runs unchanged on an Espruino Original (upload with `npm run upload -- --port /dev/ttyACM0
// examples/demo.js`) and on the virtual board (`npm start`). Plain ES5: Espruino does not hoist functions.
var f = require("STM32F1Flash");

function hex(n) {
  var s = (n >>> 0).toString(16).toUpperCase();
  while (s.length < 8) s = "0" + s;
  return "0x" + s;
}

var map = f.getMemoryMap(), last = map[map.length - 1];
console.log("Flash: " + hex(map[0].addr) + "-" + hex(last.addr + last.length - 1) + ", " + f.getPage(map[0].addr).length +
  " byte pages (from F_SIZE and DEV_ID)");
console.log("Memory map:");
map.forEach(function (r) {
  console.log("  " + hex(r.addr) + "-" + hex(r.addr + r.length - 1) + "  " + r.name +
    (r.allow ? "  (protected: needs " + r.allow + ")" : "  (free)"));
});
var free = f.getFree();
console.log("Free: " + JSON.stringify(free.map(function (a) { return { addr: hex(a.addr), length: a.length }; })));
if (!free.length) throw new Error("no free flash on this board");

var page = free[0].addr;
console.log("Erasing page " + hex(page) + " (was " + (f.isPageSafe(page) ? "blank" : "in use") + ")");
f.erasePage(page);
console.log("isPageSafe: " + f.isPageSafe(page));

var words = [0xCAFEBABE, 0x12345678, 0xDEADBEEF];
words.forEach(function (w, i) { f.write(page + 4 * i, w); });
var text = "Hello from STM32F1Flash";
f.write(text, page + 16);

var ok = true;
words.forEach(function (w, i) {
  var got = f.read(page + 4 * i);
  console.log("  word " + hex(page + 4 * i) + " = " + hex(got));
  if (got !== w) ok = false;
});
var back = E.toString(f.read(text.length, page + 16));
console.log("  text " + hex(page + 16) + " = " + JSON.stringify(back));
if (back !== text) ok = false;
console.log("Verify: " + (ok ? "OK" : "FAILED"));
if (!ok) throw new Error("verify failed");

// FlashKV: a value kept in flash survives a power cut in the middle of an update. The store is the last 2 pages of
// the free area (open()'s default), away from the page erased above.
var kv = require("FlashKV").open();
console.log("FlashKV store: " + JSON.stringify(kv.getStats()));
kv.write("greeting", "Hello from FlashKV");
console.log("FlashKV kept greeting = " + JSON.stringify(kv.read("greeting")));

// What the board runs once power is back: RAM is gone, flash is not.
function afterPowerUp() {
  var v = require("FlashKV").open().read("greeting");
  console.log("Power is back: greeting = " + JSON.stringify(v));
  console.log("FlashKV survived the power cut: " + (v === "Hello from FlashKV" ? "OK" : "FAILED"));
}

if (typeof VirtualBoard == "object") {
  // the virtual board (sim/power-cut.js) cuts power inside the 12th half-word program of the next update, leaving
  // it torn, then powers up and runs afterPowerUp() as a real board runs its saved code
  console.log("Updating greeting... and cutting power in the middle of it");
  VirtualBoard.cutPower({ op: 12, variant: "torn", boot: afterPowerUp });
  kv.write("greeting", "This update is cut off by a power cut");
  console.log("not reached: the power was cut");
} else {
  // a real board: press RESET or pull the plug during an update, and run afterPowerUp() after the next upload
  afterPowerUp();
}
