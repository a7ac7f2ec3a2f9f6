// FlashKV "while open" (bench/budgets.json FlashKV.open, measured by bench/ram.js openFigures): the JsVars an open
// store holding KEYS keys keeps. bench/ram.js puts `var KEYS = <n>;` in front of this program; to measure it on the
// real interpreter, write that line first yourself (README "## RAM" says how). Keys "k0".."k31" (2-3 characters),
// 2-3 byte values, written through the default flash object (STM32F1Flash), or through the object in the global
// FLASH if there is one (a stand-in with the built-in Flash API, for interpreters without an FPEC).
var kv = require("FlashKV").open(typeof FLASH == "object" ? { flash: FLASH } : undefined);
(function () {
  for (var i = 0; i < KEYS; i++) kv.write("k" + i, "v" + i);
})();
