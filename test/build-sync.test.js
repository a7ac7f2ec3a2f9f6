// The committed modules/ files are what users upload: they must equal a fresh build of src/, and a TypeScript
// app must get types from require("STM32F1Flash").
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtFiles, moduleNames } from "../tools/modules.js";

const root = new URL("..", import.meta.url).pathname;
const FILES = moduleNames().flatMap(builtFiles);

test("modules/ equals a fresh build of src/ (run `npm run build` and commit if this fails)", () => {
  const out = mkdtempSync(join(tmpdir(), "stm32f1flash-build-"));
  try {
    const env = { ...process.env, STM32F1FLASH_OUT: out };
    execFileSync(process.execPath, [join(root, "node_modules/rollup/dist/bin/rollup"), "-c", "rollup.config.mjs", "--silent"],
      { cwd: root, env, stdio: "pipe" });
    execFileSync(process.execPath, ["tools/build-dts.js"], { cwd: root, env, stdio: "pipe" });
    for (const f of FILES) {
      assert.equal(readFileSync(join(root, "modules", f), "utf8"), readFileSync(join(out, f), "utf8"), `modules/${f} is stale`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("a TypeScript app gets types from require(\"STM32F1Flash\") and wrong use fails to compile", () => {
  const dir = mkdtempSync(join(tmpdir(), "stm32f1flash-ts-"));
  try {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const run = (code) => {
      writeFileSync(join(dir, "app.ts"), code);
      try {
        execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--types", "espruino", "--typeRoots",
          join(root, "node_modules/@types"), join(root, "modules/STM32F1Flash.d.ts"), join(dir, "app.ts")], { stdio: "pipe" });
        return "";
      } catch (e) {
        return String(e.stdout);
      }
    };
    const good = `import f = require("STM32F1Flash");
const page: { addr: number; length: number } | undefined = f.getPage(0x0802F000);
const free = f.getFree();
f.erasePage(free[0].addr);
f.write(new Uint8Array([1, 2, 3]), free[0].addr);
f.write(free[0].addr + 4, 0xCAFEBABE);
const w: number = f.read(free[0].addr + 4);
const b: Uint8Array = f.read(3, free[0].addr);
const ok: boolean = f.isPageSafe(free[0].addr);
f.unlock(); f.lock();
f.erase(free[0].addr, { allowSavedCode: true });
`;
    assert.equal(run(good), "");
    assert.match(run(`import f = require("STM32F1Flash");\nconst x: string = f.read(4, 0x08000000);\n`), /error TS2322/);
    assert.match(run(`import f = require("STM32F1Flash");\nf.erasePage("0x08000000");\n`), /error TS2345/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
