// A boot counter kept in flash with Espruino's Storage library: each run counts one more.
//   npm run upload -- --flash build/board.flash examples/boot-counter.js   virtual board, flash kept in a file:
//                                                                          prints "boot 1", "boot 2", "boot 3" ...
//   npm run upload -- --port /dev/ttyACM0 examples/boot-counter.js        a real board: its flash is kept anyway
// Plain ES5 (Espruino does not hoist functions).
var storage = require("Storage");
var boots = (storage.readJSON("boots.json", true) || 0) + 1;
storage.writeJSON("boots.json", boots);
print("boot " + boots);
