// STM32F1Flash on-device suite: erase, write, read back, lock state and bad input, on ONE page that the
// module reports free (getFree()) AND blank (isPageSafe()). The page is erased again at the end and everything
// touched is printed. Runs on a real board (npm run test:device -- --port /dev/ttyACM0) or the virtual one.
// Espruino dialect: ES5, functions declared before use (no hoisting). Output: TAP-like lines
// "ok N - ...", "not ok N - ...", then "# tests N pass P fail F" and the plan "1..N".
// Not tested here on purpose: refusals that would erase or program protected flash if the module were wrong
// (bootloader, firmware, saved code) - those run on the virtual board only (test/*.test.js).
var F = require("STM32F1Flash");
var T = { n: 0, pass: 0, fail: 0 };
var FLASH_CR = 0x40022010, CR_LOCK = 0x80;

function ok(cond, name) {
  T.n++;
  if (cond) { T.pass++; print("ok " + T.n + " - " + name); }
  else { T.fail++; print("not ok " + T.n + " - " + name); }
}

function throws(fn, name) {
  var msg = "";
  try { fn(); } catch (e) { msg = String(e); }
  ok(msg !== "", name + (msg ? " (" + msg + ")" : " (did not throw)"));
}

function hex(a) {
  return "0x" + ("0000000" + (a >>> 0).toString(16)).substr(-8);
}

function same(got, want) {
  if (!got || got.length != want.length) return false;
  for (var i = 0; i < want.length; i++) if (got[i] != want[i]) return false;
  return true;
}

function isBlank(addr, len) {
  var d = F.read(len, addr);
  for (var i = 0; i < len; i++) if (d[i] != 255) return false;
  return true;
}

/* CR of the bank holding addr (XL density: bank 2, from 0x08080000, has its own register block at +0x40). */
function crOf(addr) {
  return peek32(FLASH_CR + (addr >= 0x08080000 ? 0x40 : 0));
}

function locked(addr) {
  return (crOf(addr) & CR_LOCK) != 0;
}

/* The highest free page that is blank: farthest from the firmware. */
function findPage() {
  var free = F.getFree(), size, best, i, a;
  for (i = 0; i < free.length; i++) {
    size = F.getPage(free[i].addr).length;
    for (a = free[i].addr; a + size <= free[i].addr + free[i].length; a += size) {
      if (F.isPageSafe(a) && (best === undefined || a > best)) best = a;
    }
  }
  return best === undefined ? undefined : { addr: best, length: size };
}

function run(a, len) {
  var p = F.getPage(a + len - 1), s = "", d, i;
  ok(p !== undefined && p.addr == a && p.length == len, "getPage(last byte) gives the page start and length");
  ok(F.getPage(0x20000000) === undefined, "getPage(RAM address) is undefined");

  F.erasePage(a);
  ok(isBlank(a, len), "erasePage(" + hex(a) + "): all " + len + " bytes read 0xFF");
  ok(locked(a), "FLASH_CR.LOCK is set after erasePage");

  F.write(a, 0x12345678);
  ok(F.read(a) == 0x12345678, "write(addr, word) / read(addr): 0x12345678 at " + hex(a));
  F.write(a + 4, 0xCAFEBABE);
  ok(F.read(a + 4) == 0xCAFEBABE, "read(addr) of 0xCAFEBABE is unsigned (" + F.read(a + 4) + ")");

  F.write(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), a + 8);
  ok(same(F.read(8, a + 8), [1, 2, 3, 4, 5, 6, 7, 8]), "write(Uint8Array, addr) / read(8, addr)");

  F.write("Hello!", a + 16);
  d = F.read(6, a + 16);
  for (i = 0; i < d.length; i++) s += String.fromCharCode(d[i]);
  ok(s == "Hello!", "write(String, addr) reads back \"" + s + "\"");

  F.write([0xAA, 0xBB], a + 23);
  ok(same(F.read(3, a + 22), [0xFF, 0xAA, 0xBB]), "write(Array, odd addr) merges the odd edge");
  ok(same(F.read(4, a), [0x78, 0x56, 0x34, 0x12]), "the word is stored little-endian");
  ok(locked(a), "FLASH_CR.LOCK is set after write");
  ok(!F.isPageSafe(a), "isPageSafe() is false once the page holds data");

  throws(function () { F.write(new Uint8Array([0x55, 0x55]), a + 8); }, "write over programmed bytes throws");
  throws(function () { F.write(a, 0x12345678); }, "write of the same word again throws (no re-programming)");
  ok(same(F.read(2, a + 8), [1, 2]), "and leaves them unchanged");
  ok(locked(a), "FLASH_CR.LOCK is set after a failed write");

  F.unlock();
  ok(!locked(a), "unlock() clears FLASH_CR.LOCK");
  F.write(a + 32, 0x0BADF00D);
  ok(!locked(a) && F.read(a + 32) == 0x0BADF00D, "a write while held open keeps the FPEC unlocked");
  F.lock();
  ok(locked(a), "lock() sets FLASH_CR.LOCK");

  throws(function () { F.erasePage("0x08000000"); }, "erasePage(String) throws");
  throws(function () { F.read(a + 2); }, "read(addr) of a non-4-aligned address throws");
  throws(function () { F.write(a + 40, 1.5); }, "write(addr, 1.5) throws");
  throws(function () { F.read(0, a); }, "read(0, addr) throws");
  ok(isBlank(a + 40, 8), "bad input wrote nothing");
}

function cleanup(a, len) {
  try { F.lock(); } catch (e) { print("# lock() failed: " + e); }
  F.erasePage(a + 5);
  ok(isBlank(a, len) && F.isPageSafe(a), "erasePage(addr inside the page) leaves " + hex(a) + " blank again");
  print("# erased " + hex(a) + " .. " + hex(a + len - 1) + " again");
}

function main() {
  var page = findPage();
  if (page === undefined) {
    ok(false, "a free and blank page to test on (getFree() + isPageSafe())");
  } else {
    print("# touching only " + hex(page.addr) + " .. " + hex(page.addr + page.length - 1) +
      " (" + page.length + " bytes): free per getFree() and blank per isPageSafe()");
    try { run(page.addr, page.length); } catch (e) { ok(false, "unexpected exception: " + e); }
    try { cleanup(page.addr, page.length); } catch (e) { ok(false, "cleanup: " + e); }
  }
  print("# tests " + T.n + " pass " + T.pass + " fail " + T.fail);
  print("1.." + T.n);
}

main();
