// npm run install:flash (tools/install-flash.js): a shipped module written as a Storage file named like the module,
// so require() loads it with its code kept in flash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkInstallable, installFlash, MAX_NAME, shippedRequires, STORAGE_BYTES, verifyProgram } from "../tools/install-flash.js";
import { startVirtualBoard } from "../tools/upload.js";
import { createBoard } from "../sim/index.js";
import { moduleVars } from "../sim/ram-model.js";
import { moduleSource } from "./helpers.js";

test("checkInstallable: name length, the 20 KB Storage area, printable ASCII", () => {
  const ok = Buffer.from("exports.a=1;\n");
  assert.deepEqual(checkInstallable("STM32F1Flash", ok), []);
  assert.equal(checkInstallable("x".repeat(MAX_NAME), ok).length, 0);
  assert.match(checkInstallable("x".repeat(MAX_NAME + 1), ok)[0], /1\.\.28 characters/);
  assert.match(checkInstallable("big", Buffer.alloc(STORAGE_BYTES + 1, 0x61))[0], /do not fit/);
  assert.match(checkInstallable("STM32F1Flash", Buffer.from(moduleSource("STM32F1Flash.js")))[0], /\d{5} bytes do not fit/);
  assert.match(checkInstallable("u", Buffer.from("exports.s='\u00e9';", "latin1"))[0], /not printable ASCII/);
});

test("shippedRequires finds string-literal requires of shipped modules only", () => {
  assert.deepEqual(shippedRequires('var f=require("STM32F1Flash"),s=require("Storage");'), ["STM32F1Flash"]);
  assert.deepEqual(shippedRequires(moduleSource("STM32F1Flash.min.js")), []);
});

test("the verify program reads the file and requires it through a variable (the CLI must not send the module)", () => {
  const p = verifyProgram("STM32F1Flash");
  assert.match(p, /require\("Storage"\)\.read\(n\)/);
  assert.doesNotMatch(p, /require\("STM32F1Flash"\)/);
});

// End to end on the virtual board: needs Storage in the virtual board (require("Storage") and require() finding a
// Storage file). Skipped, saying so, while the virtual board does not model Storage.
const storageModelled = (() => {
  try { createBoard().eval('require("Storage")'); return true; } catch { return false; }
})();

test("npm run install:flash on the virtual Original: Storage file CRC32-checked, require() loads it from flash",
  { skip: storageModelled ? false : "the virtual board does not model Storage yet (require(\"Storage\") throws)" }, async () => {
    const board = await startVirtualBoard({});
    try {
      const r = await installFlash({ name: "STM32F1Flash", port: board.url });
      assert.ok(r.ok, r.reasons.join("\n"));
      assert.deepEqual(r.installed, ["STM32F1Flash"]);
      const model = moduleVars(moduleSource("STM32F1Flash.min.js"), { name: "STM32F1Flash", form: "storage" }).jsvars;
      assert.ok(Math.abs(r.jsvars - 1 - model) <= 0.05 * model, `${r.jsvars} JsVars after require, model ${model} + 1`);
    } finally {
      await board.stop();
    }
  });
