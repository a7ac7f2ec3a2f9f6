// A TypeScript app using the module: examples/typescript (its tsconfig: ES5, no module system) compiled with the
// project's TypeScript, checked for the Espruino dialect and uploaded with the real CLI to the virtual board; the
// shipped types/espruino-globals.d.ts types require() and the Espruino globals @types/espruino lacks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSource } from "../tools/check-espruino.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "stm32f1flash-tsapp-"));

/** Compile a copy of examples/typescript with `app.ts` replaced by `code` (default: the example's own). */
function compile(code, extraArgs = []) {
  const app = join(dir, `app-${Math.random().toString(36).slice(2)}`);
  cpSync(join(ROOT, "examples/typescript"), app, { recursive: true, filter: (f) => !f.includes("/build") });
  const tsconfig = JSON.parse(readFileSync(join(app, "tsconfig.json"), "utf8"));
  tsconfig.compilerOptions.typeRoots = [join(ROOT, "node_modules/@types")];
  tsconfig.files = ["app.ts", join(ROOT, "types/espruino-globals.d.ts")];
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig));
  if (code !== undefined) writeFileSync(join(app, "app.ts"), code);
  const r = spawnSync(process.execPath, [TSC, "-p", app, ...extraArgs], { encoding: "utf8" });
  let js = null;
  try { js = readFileSync(join(app, "build/app.js"), "utf8"); } catch { /* not emitted */ }
  return { status: r.status, out: r.stdout + r.stderr, js, file: join(app, "build/app.js") };
}

const upload = (file) => spawnSync(process.execPath, ["tools/upload.js", file], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

test("the example TS app compiles to plain ES5 (no exports, no helpers) and runs on the board after an upload", () => {
  const c = compile();
  assert.equal(c.status, 0, c.out);
  assert.deepEqual(checkSource(c.js, "app.js").errors, [], "Espruino dialect");
  assert.doesNotMatch(c.js, /\bexports\b|__extends|__assign|__spreadArray/);
  assert.match(c.js, /var flash = require\("STM32F1Flash"\);/);
  const r = upload(c.file);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^run 1: wrote 22 bytes at 0x802f000, read back OK$/m);
  assert.match(r.stdout, /^done$/m);
});

test("an `import` cannot slip in (TS1148 with module none); compiled as CommonJS it fails on the board", () => {
  const code = 'import flash = require("STM32F1Flash");\nprint(flash.getFree().length);\n';
  const c = compile(code);
  assert.notEqual(c.status, 0);
  assert.match(c.out, /TS1148: Cannot use imports, exports, or module augmentations when '--module' is 'none'/);
  const cjs = compile(code, ["--module", "commonjs"]);
  assert.equal(cjs.status, 0, cjs.out);
  const r = upload(cjs.file);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the board reported: Uncaught ReferenceError: exports is not defined/);
});

test("types: require() of the project's modules and Storage is typed, wrong calls do not compile", () => {
  const bad = compile([
    'const f = require("STM32F1Flash");',
    'f.erasePage("0x0802F000");',                     // address must be a number
    'const s = require("Storage");',
    's.writeJSON("only-a-name");',                     // data missing
    'const n: string = process.memory().free;',        // a number
    'E.on("init", 5);',                                 // not a function
    'const other: number = require("SomethingElse").anything;', // unknown modules are any: fine
  ].join("\n"));
  assert.notEqual(bad.status, 0);
  const lines = bad.out.split("\n").filter((l) => /error TS/.test(l));
  assert.equal(lines.length, 4, bad.out);
  for (const n of [2, 4, 5, 6]) assert.ok(lines.some((l) => l.includes(`app.ts(${n},`)), `line ${n}: ${bad.out}`);
});

test("every module in modules/*.d.ts has a typed require() in types/espruino-globals.d.ts", () => {
  const globals = readFileSync(join(ROOT, "types/espruino-globals.d.ts"), "utf8");
  for (const f of readdirSync(join(ROOT, "modules")).filter((x) => /^[^.]+\.d\.ts$/.test(x))) {
    const name = f.slice(0, -5);
    assert.match(globals, new RegExp(`/// <reference path="\\.\\./modules/${name}\\.d\\.ts" />`), name);
    assert.match(globals, new RegExp(`\\n  ${name}: typeof import\\("${name}"\\);`), name);
  }
  execFileSync(process.execPath, [TSC, "--noEmit", "--strict", "--lib", "ES5", "--types", "espruino", "--typeRoots",
    join(ROOT, "node_modules/@types"), join(ROOT, "types/espruino-globals.d.ts")], { stdio: "pipe" });
});
