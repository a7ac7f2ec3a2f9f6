// STM32F1Bootloader's JavaScript on the real Espruino 2v29 interpreter built for Linux (no STM32 there): the
// hardware reads (peek32/peek16, process.memory().flash_start) and E.nativeCall are replaced by JS fakes of an
// Espruino Original, so that the module's own code runs for real: check(), the printed instructions, the drain
// wait, atob of the routine (296 bytes, CRC32 0x6e4ea760) and the errors. Upload it with the real CLI, e.g.
//   node <espruino-linux-build>/run.mjs --build original --upload --modules modules test-on-linux-espruino/STM32F1Bootloader-guards.js
// Expected: the check() JSON, the three instruction lines, "nativeCall 1 int(int,int) 296 crc 6e4ea760",
// "called in handler mode (exception 15)", "waited ~500 ms", then the ROM-table and density errors.
var mem = process.memory;
process.memory = function (gc) { var m = mem(gc); m.flash_start = 0x08000000; return m; };
process.env.BOARD = "ESPRUINOBOARD";
var REGS = {};
REGS[0xE000ED00] = 0x411FC231; REGS[0xE0042000] = 0x20036414; REGS[0x1FFFF000] = 0x200001FC; REGS[0x1FFFF004] = 0x1FFFF021;
global.peek32 = function (a) { return REGS[a] === undefined ? 0 : REGS[a]; };
global.peek16 = function (a) { return a === 0x1FFFF7E0 ? 256 : 0; };
E.nativeCall = function (addr, sig, code) {
  print("nativeCall", addr, sig, code.length, "crc", E.CRC32(code).toString(16));
  return function (rom, bsrr) { print("routine(", rom.toString(16), bsrr.toString(16), ")"); return 15; };
};
var b = require("STM32F1Bootloader");
print(JSON.stringify(b.check()));
var t = getTime();
try { b.enterSystemBootloader({confirm: true}); } catch (e) { print("E", e.message); }
print("waited", Math.round((getTime() - t) * 1000), "ms");
REGS[0x1FFFF004] = 0x1FFFF020;
try { b.enterSystemBootloader({confirm: true}); } catch (e) { print("E", e.message); }
REGS[0xE0042000] = 0x20036410;
try { b.check(); } catch (e) { print("E", e.message); }
