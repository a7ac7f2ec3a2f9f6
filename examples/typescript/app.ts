// A TypeScript app for the Espruino Original: keeps a run counter in Storage and a log record in a free flash page
// with STM32F1Flash. Build: `npx tsc -p examples/typescript` -> examples/typescript/build/app.js, then
// `npm run upload -- examples/typescript/build/app.js` (virtual board) or add `--port /dev/ttyACM0`.
// The global require() is typed by types/espruino-globals.d.ts: no `import` (it would compile to CommonJS).
const flash = require("STM32F1Flash");
const storage = require("Storage");

/** One log record: run number and a text, as bytes. */
interface LogRecord {
  run: number;
  text: string;
}

function encode(record: LogRecord): Uint8Array {
  return E.toUint8Array(record.run & 255, record.text);
}

const runs: number = (storage.readJSON("ts-runs.json", true) || 0) + 1;
storage.writeJSON("ts-runs.json", runs);

const free = flash.getFree();
if (!free.length) throw new Error("no free flash page");
const page = free[0].addr;
const record: LogRecord = { run: runs, text: "hello from TypeScript" };
const bytes = encode(record);
flash.erasePage(page);
flash.write(bytes, page);
const back = flash.read(bytes.length, page);
const same = E.toString(back) === E.toString(bytes);
console.log("run " + runs + ": wrote " + bytes.length + " bytes at 0x" + page.toString(16) + ", read back " +
  (same ? "OK" : "DIFFERENT"));
flash.erasePage(page);
setTimeout(() => print("done"), 10);
