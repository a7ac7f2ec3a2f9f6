// Tests for tools/check-espruino.js: each rule rejects a bad snippet and accepts a good one, and the built
// module (modules/STM32F1Flash.js with --docs, and .min.js) passes. `npm test` builds first, so a missing
// module is a failure, not a skip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkSource } from "../tools/check-espruino.js";
import { moduleNames } from "../tools/modules.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tool = join(root, "tools", "check-espruino.js");

/** Rules reported for `code`, as "rule@line" strings. */
const problems = (code, options) => checkSource(code, "snippet.js", options).errors.map((e) => `${e.rule}@${e.line}`);
const rules = (code, options) => [...new Set(checkSource(code, "snippet.js", options).errors.map((e) => e.rule))];

test("es5-parse rejects post-ES5 syntax and accepts ES5", () => {
  for (const bad of ["var f = () => 1;", "let a = 1;", "const a = 1;", "class A {}", "var s = `t`;",
    "f(...a);", "var {a} = o;", "function f(a = 1) {}", "for (var x of a) {}", "function* g() {}",
    "async function f() {}", "var o = {a};", "var x = a?.b;", "var y = 2 ** 3;"]) {
    assert.ok(rules(bad).includes("es5-parse"), bad);
  }
  assert.deepEqual(problems("var o = { get a() { return 1; } }; o.default = [].slice.call(arguments);"), []);
  const [e] = checkSource("var a = 1;\nlet b = 2;").errors;
  assert.deepEqual([e.line, e.rule], [2, "es5-parse"]);
});

test("use-before-declare flags load-time references to later declarations", () => {
  assert.deepEqual(problems("exports.f = f; function f(){}"), ["use-before-declare@1"]);
  assert.deepEqual(problems("var x = g();\nfunction g(){return 1}"), ["use-before-declare@1"]);
  assert.deepEqual(problems("var a = b + 1;\nvar b = 2;"), ["use-before-declare@1"]);
  // followed into an IIFE, and transitively through earlier-declared functions it calls
  assert.deepEqual(problems("(function(){ exports.f = f; })();\nfunction f(){}"), ["use-before-declare@1"]);
  assert.deepEqual(problems("function g(){ return h(); }\nfunction h(){ return k; }\nvar x = g();\nvar k = 1;"),
    ["use-before-declare@2"]);
  assert.deepEqual(problems("var g = function(){ return k; };\nnew g();\nvar k = 1;"), ["use-before-declare@1"]);
  // inside a nested function that the called function defines and calls
  assert.deepEqual(problems("function g(){ function i(){ return k; } return i(); }\ng();\nvar k = 1;"),
    ["use-before-declare@1"]);
});

test("use-before-declare accepts declaration-first code and deferred references", () => {
  assert.deepEqual(problems("function g(){return h()} function h(){} var x = g();"), []);
  assert.deepEqual(problems("function f(){ return later(); }\nsetTimeout(f, 10);\nfunction later(){}"), []);
  assert.deepEqual(problems("var o = { m: function(){ return later; } };\nvar later = 1;"), []);
  // local names shadow later top-level ones; typeof and plain assignment do not throw
  assert.deepEqual(problems("function g(k){ return k; }\ng(1);\nvar k = 2;"), []);
  assert.deepEqual(problems("var t = typeof k;\nk = 1;\nvar k;"), []);
  assert.deepEqual(problems("function r(n){ return n ? r(n - 1) : 0; }\nr(3);"), []);
});

test("tslib-helper flags TypeScript helpers and require(\"tslib\")", () => {
  assert.deepEqual(rules("var __extends = (this && this.__extends) || function(d, b){};"), ["tslib-helper"]);
  assert.deepEqual(rules("function __awaiter(){}"), ["tslib-helper"]);
  assert.deepEqual(rules("var a = __assign({}, b);"), ["tslib-helper"]);
  assert.deepEqual(rules('var tslib = require("tslib");'), ["tslib-helper"]);
  assert.deepEqual(rules('var f = require("Flash"); var extend = function(){};'), []);
});

test("unsupported flags missing built-ins, prototype reads and labels", () => {
  for (const bad of ["var m = new Map();", "var s = new Set([1]);", "var w = new WeakMap();", "var y = Symbol();",
    "Reflect.ownKeys(o);", "throw new RangeError('x');", "var a = Array.from(b);", "Object.freeze(o);",
    "var ok = Number.isInteger(n);", "var n = Number.MAX_SAFE_INTEGER;", "var p = Math.imul(a, b);",
    "var t = Math.trunc(x);", "var c = Math.clz32(x);", "var s = Array.prototype.slice.call(arguments);",
    "var h = Object.prototype.hasOwnProperty.call(o, k);", "var x = Math['sign'](y);",
    "outer: for (;;) { break outer; }"]) {
    assert.deepEqual(rules(bad), ["unsupported"], bad);
  }
  assert.deepEqual(problems('"use strict";\nvar o = { Map: 1, Set: 2 }; o.Map = o.Set;\n' +
    "function f(Map){ return new Map(); }\nvar s = [].slice.call(arguments);\nvar t = Math.floor(x);\n" +
    "Array.prototype.includes = function(){};"), []);
});

test("esmodule-marker flags the __esModule property", () => {
  assert.deepEqual(rules('Object.defineProperty(exports, "__esModule", { value: true });'), ["esmodule-marker"]);
  assert.deepEqual(rules("exports.__esModule = true;"), ["esmodule-marker"]);
  assert.deepEqual(rules('Object.defineProperty(o, "x", { value: 1 });'), []);
});

test("non-ascii flags non-ASCII characters anywhere, with their position", () => {
  assert.deepEqual(checkSource("var a = 1;\n// 25 \u00b0C\n").errors.map((e) => [e.line, e.col, e.rule]),
    [[2, 7, "non-ascii"]]);
  assert.deepEqual(rules('var s = "\u2013";'), ["non-ascii"]);
  assert.deepEqual(rules('var s = "\\u2013"; // dash'), []);
});

test("docstring (requireDocs) wants a /** */ block above each export or what it names", () => {
  const bad = "function erasePage(){}\n/* not jsdoc */\nexports.erasePage = erasePage;\nexports.x = 1;";
  assert.deepEqual(problems(bad, { requireDocs: true }), ["docstring@3", "docstring@4"]);
  assert.match(checkSource(bad, "m.js", { requireDocs: true }).errors[0].message, /exports\.erasePage has no \/\*\* \*\/ doc/);
  assert.deepEqual(problems(bad), [], "docstring is off by default");
  assert.deepEqual(problems("/** doc */\n\nexports.a = function(){};", { requireDocs: true }), ["docstring@3"],
    "a blank line detaches the comment");
  const good = "/** Erase a page. */ function erasePage(){}\n/**\n * Page size.\n */\nvar PAGE = 2048;\n" +
    "/** Read. */\nexports.read = function(){};\nexports.erasePage = erasePage;\nexports.PAGE = PAGE;";
  assert.deepEqual(problems(good, { requireDocs: true }), []);
});

test("CLI prints file:line:col rule: message and exits 1; prints ok and exits 0 on clean files", () => {
  const dir = mkdtempSync(join(tmpdir(), "check-espruino-"));
  const bad = join(dir, "bad.js");
  const good = join(dir, "good.min.js");
  writeFileSync(bad, "var x = 1;\nexports.f = f;\nfunction f(){}\n");
  writeFileSync(good, "function f(){}exports.f=f;");
  const r = spawnSync(process.execPath, [tool, "--docs", good, bad], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`^ok ${good.replace(/[.\\]/g, "\\$&")} \\(26 bytes\\)$`, "m"),
    "--docs skips *.min.js");
  assert.match(r.stdout, /bad\.js:2:13 use-before-declare: f is used at load time/);
  assert.match(r.stdout, /bad\.js:2:1 docstring: exports\.f has no \/\*\* \*\/ doc/);
  assert.equal(execFileSync(process.execPath, [tool, good], { encoding: "utf8" }), `ok ${good} (26 bytes)\n`);
});

for (const [name, options] of moduleNames().flatMap((m) => [[`${m}.js`, { requireDocs: true }], [`${m}.min.js`, {}]])) {
  test(`built modules/${name} passes the Espruino checks${options.requireDocs ? " (with --docs)" : ""}`, () => {
    const file = join(root, "modules", name);
    assert.ok(existsSync(file), `${file} is missing: run npm run build`);
    const { errors } = checkSource(readFileSync(file, "utf8"), file, options);
    assert.deepEqual(errors.map((e) => `${name}:${e.line}:${e.col} ${e.rule}: ${e.message}`), []);
  });
}

test("arguments-length and try-object-literal flag the Espruino 2v29 interpreter quirks", () => {
  assert.deepEqual(rules("function f(a, b) { return arguments.length < 2 ? a : b; }"), ["arguments-length"]);
  assert.deepEqual(rules("function f(a, b) { return b === undefined ? a : b; }"), []);
  assert.deepEqual(rules("function f(g) { try { return { a: g(), b: 1 }; } catch (e) { return 0; } }"),
    ["try-object-literal"]);
  assert.deepEqual(rules("function f(g) { var v; try { v = g(); } catch (e) { return 0; } return { a: v, b: 1 }; }"), []);
  assert.deepEqual(rules("function f(g) { try { return { b: 1, a: g() }; } catch (e) { return 0; } }"), [],
    "a throw in the last property is caught");
  assert.deepEqual(rules("function f(g) { return { a: g(), b: 1 }; }"), [], "no try: nothing to skip");
});
