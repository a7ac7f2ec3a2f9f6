// FlashKV "while open" (bench/budgets.json FlashKV.open, measured by bench/ram.js openFigures): the JsVars an open
// store holding KEYS keys keeps. bench/ram.js puts `var KEYS = <n>;` in front of this program; to measure it on the
// real interpreter, write that line first yourself (README "## RAM" says how). Keys "k0".."k31" (2-3 characters),
// 2-3 byte values, written through the default flash object (STM32F1Flash).
var kv = require("FlashKV").open();
(function () {
  for (var i = 0; i < KEYS; i++) kv.write("k" + i, "v" + i);
})();
