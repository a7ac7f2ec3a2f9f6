// Run examples/demo.js on the virtual Espruino Original, in process: load the built module the way the CLI
// does (Modules.addCached), run the demo, print the board's output and counters. Exit 1 if the demo throws.
import { readFileSync } from "node:fs";
import { createBoard } from "../sim/index.js";

const board = createBoard({ model: "original" });
board.setOutput((text) => process.stdout.write(text));
board.addModule("STM32F1Flash", readFileSync(new URL("../modules/STM32F1Flash.min.js", import.meta.url), "utf8"));
board.resetCounters();
let failed = false;
try {
  board.eval(readFileSync(new URL("./demo.js", import.meta.url), "utf8"), "demo.js");
} catch (e) {
  console.log("Uncaught " + (e && e.stack ? e.stack : e));
  failed = true;
}
const c = board.counters;
console.log(`Board counters: ${c.nativeCalls} native calls, ${c.bsyPolls} BSY polls, ` +
  `${(c.simulatedUs / 1000).toFixed(2)} ms simulated, ${c.busFaults} bus faults`);
board.dispose();
process.exit(failed ? 1 : 0);
