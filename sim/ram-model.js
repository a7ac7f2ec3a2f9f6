/**
 * RAM model of Espruino 2v29 on the Espruino Original: how many JsVars (13-byte variables, 2756 on the board) a
 * module costs in each way of loading it, and what a value graph costs. Pure: no I/O, no global state.
 *
 * Where the numbers come from (Espruino source, 2v29):
 *  - src/jsutils.h: 2756 variables -> 12-bit references, 13-byte JsVars. A name (object key, variable) holds 4
 *    characters, each further block 9 (JSVAR_DATA_STRING_NAME_LEN, JSVAR_DATA_STRING_MAX_LEN); a string value
 *    holds 8 characters in its first block and 9 in each further block (JSVAR_DATA_STRING_LEN); a flat string
 *    (contiguous blocks, used above JSV_FLAT_STRING_BREAK_EVEN = 17 characters for function code and array
 *    buffers) is one header block plus 13 characters per block.
 *  - src/jsvar.h: an integer in -2048..2047 (fits a 12-bit reference) and a boolean array element are stored
 *    inside their name; other numbers, true/false/null under a string key, and strings take their own JsVars.
 *  - src/jsparse.c jspeFunctionDefinitionInternal: a function is one JsVar plus one name per parameter, plus
 *    "\xFFcod" -> its code text (from the first token of the body to the end of the last one; a leading `return`
 *    is not stored), plus "\xFFsco" -> the scope it was created in (none at the REPL's top level), plus
 *    "\xFFnam" -> its name for a named function expression. Code parsed from RAM is copied (flat string above 17
 *    characters); code parsed from flash (a Storage file, .bootcde) is one flash-string JsVar pointing at it.
 *  - src/jsparse.c jspEvaluateModule: a module runs in a new scope object holding "exports" and "module"; its
 *    top-level `var`s and functions are names in that scope; the scope stays alive while a function created in
 *    it is reachable. src/jswrap_modules.c: the exports are kept under the module's name in the module cache.
 * Calibrated against the real interpreter (Linux build with the Original's variable layout): the points in
 * test/fixtures/ram/calibration.json, checked by test/ram-model.test.js (tools/ram-calibrate.js measures them).
 *
 * Limits: strings computed at run time are counted as chained strings (Espruino sometimes makes them flat, which
 * is smaller above ~40 characters); two names holding the same string count it twice; a function created at load
 * inside another function that ran at load (an IIFE) gets its enclosing scopes estimated from that function's
 * parameters and `var`s; arrow functions, classes and getters are counted like plain functions.
 */
import vm from "node:vm";
import * as acorn from "acorn";

/**
 * JsVar layout of a 32-bit Espruino build with a fixed number of variables (src/jsutils.h: JSVARREF_BITS and
 * JSVARREFCOUNT_BITS by JSVAR_CACHE_SIZE; JSVAR_DATA_STRING_NAME_LEN 4 on 32-bit; JSVAR_DATA_STRING_LEN,
 * JSVAR_DATA_STRING_MAX_LEN, JSV_FLAT_STRING_BREAK_EVEN). Calibrated for 2756 variables only.
 * @param {number} variables  the board file's `variables`
 */
export function layoutFor(variables) {
  const rows = [ // [max variables, ref bits, pack bits, refcount bits, bytes per JsVar]
    [254, 8, 8, 6, 12], [1023, 10, 2, 6, 12], [2047, 11, 0, 4, 12], [4095, 12, 0, 8, 13], [8191, 13, 0, 4, 13],
    [16383, 14, 0, 8, 14], [65535, 16, 0, 8, 16]];
  const [, ref, pack, rc, blocksize] = rows.find((r) => variables <= r[0]) || rows[rows.length - 1];
  const strChars = 4 + ((ref * 3 + pack) >> 3);
  const extChars = 4 + ((ref * 3 + pack + rc) >> 3);
  return Object.freeze({
    variables, blocksize,
    nameChars: 4,                    // characters in a name's first block
    extChars,                        // characters in each further block of a name or string
    strChars,                        // characters in a string value's first block
    flatAbove: strChars + extChars,  // longer function code and array buffers are flat strings
    flatChars: blocksize,            // characters per flat-string block (after one header block)
    intMin: -(1 << (ref - 1)), intMax: (1 << (ref - 1)) - 1, // integers stored inside their name
  });
}

/** The Espruino Original: 2756 variables, 12-bit references, 13-byte JsVars. */
export const ORIGINAL = layoutFor(2756);

/** Loading forms: where the module's code lives after it is loaded. */
export const FORMS = Object.freeze({
  fn: { flash: false, label: 'Modules.addCached("X", function(){...}) (CLI / Web IDE default)' },
  str: { flash: false, label: 'Modules.addCached("X", "...")' },
  storage: { flash: true, label: 'Storage file "X" found by require("X")' },
  bootcde: { flash: true, label: "Save on Send to flash (.bootcde + load())" },
});

const ceilDiv = (a, b) => Math.ceil(a / b);

/** JsVars of a string value of `len` characters built as a chain (literals, concatenation). */
export function chainVars(len, L = ORIGINAL) {
  return len <= L.strChars ? 1 : 1 + ceilDiv(len - L.strChars, L.extChars);
}

/** JsVars of a flat string of `len` characters (one header block + data blocks). */
export function flatVars(len, L = ORIGINAL) {
  return 1 + ceilDiv(len, L.flatChars);
}

/** JsVars of a name (object key or variable) with `len` characters. */
export function nameVars(len, L = ORIGINAL) {
  return len <= L.nameChars ? 1 : 1 + ceilDiv(len - L.nameChars, L.extChars);
}

/** JsVars of stored function code of `len` characters: flat above 17 characters in RAM, one flash string in flash. */
export function codeVars(len, inFlash, L = ORIGINAL) {
  if (len <= 0) return 0;
  if (inFlash) return 1;
  return len > L.flatAbove ? flatVars(len, L) : chainVars(len, L);
}

/** JsVars of an ArrayBuffer's backing string of `bytes` bytes. */
export function bufferVars(bytes, L = ORIGINAL) {
  return bytes > L.flatAbove ? flatVars(bytes, L) : chainVars(bytes, L);
}

/**
 * Parse a module and describe every function in it as Espruino stores it.
 * @param {string} source  module text as sent (e.g. modules/X.min.js)
 * @returns {{ast: object, functions: Map<string, object[]>, bindings: string[], lets: string[]}}
 *   functions: source text of each function -> [{params: string[], name: string|null, codeLength, depth,
 *   enclosing: {name, value}[][]}] (depth 0 = created by the module's own code; enclosing = names bound in the
 *   functions around it); bindings: module-level `var` and function names; lets: module-level let/const names
 */
export function analyseModule(source) {
  const tokens = [];
  const ast = acorn.parse(source, { ecmaVersion: 2020, sourceType: "script", allowReturnOutsideFunction: true,
    onToken: tokens });
  const functions = new Map();
  const firstTokenAt = (pos) => { // index of the first token starting at or after pos
    let lo = 0, hi = tokens.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (tokens[mid].start < pos) lo = mid + 1; else hi = mid; }
    return lo;
  };
  // first stored token of a function body when it is a string or template literal: Espruino's lexer reads that
  // one while executing (jspeFunctionDefinitionInternal forces EXEC_YES for it), so it makes a temporary string
  let firstString = 0;
  const storedCode = (fn) => {
    firstString = 0;
    if (fn.expression) { // arrow function with an expression body: the expression is stored
      return fn.body.end - fn.body.start;
    }
    const open = fn.body.start, close = fn.body.end - 1;
    let i = firstTokenAt(open + 1);
    if (i < tokens.length && tokens[i].start < close && tokens[i].type.keyword === "return") i++;
    if (i >= tokens.length || tokens[i].start >= close) return 0;
    if (tokens[i].type.label === "string" || tokens[i].type.label === "template") firstString = String(tokens[i].value).length;
    else if (tokens[i].type.label === "`" && tokens[i + 1] && tokens[i + 1].type.label === "template") firstString = tokens[i + 1].value.length;
    const first = tokens[i];
    let j = firstTokenAt(close) - 1;
    const last = tokens[j];
    let end = last.end;
    if (j === i) while (/\s/.test(source[end]) && end < close) end++; // jspeFunctionDefinitionInternal's
    return end - first.start;                                          // jslSkipWhiteSpace after the 1st token
  };
  // names a function body binds (params, vars, inner function declarations), each with an estimate of the JsVars
  // of its value from its initialiser (functions: 0, they are counted where they are reached)
  const declared = (node) => {
    const names = node.params.filter((p) => p.type === "Identifier").map((p) => ({ name: p.name, value: 0 }));
    if (node.body.type !== "BlockStatement") return names;
    walkScope(node.body, (n) => {
      if (n.type === "VariableDeclaration" && n.kind === "var") {
        for (const d of n.declarations) if (d.id.type === "Identifier") names.push({ name: d.id.name, value: initVars(d.init) });
      }
      if (n.type === "FunctionDeclaration") names.push({ name: n.id.name, value: 0 });
    });
    return names;
  };
  const visit = (node, stack) => {
    if (!node || typeof node.type !== "string") return;
    const isFn = node.type === "FunctionDeclaration" || node.type === "FunctionExpression" ||
      node.type === "ArrowFunctionExpression";
    if (isFn) {
      const info = {
        params: node.params.map((p) => (p.type === "Identifier" ? p.name : source.slice(p.start, p.end))),
        name: node.type === "FunctionExpression" && node.id ? node.id.name : null,
        codeLength: storedCode(node),
        firstString,
        depth: stack.length,
        enclosing: stack.map((f) => declared(f)),
      };
      const text = source.slice(node.start, node.end);
      if (!functions.has(text)) functions.set(text, []);
      functions.get(text).push(info);
    }
    const next = isFn ? [...stack, node] : stack;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => visit(c, next));
      else if (v && typeof v.type === "string") visit(v, next);
    }
  };
  visit(ast, []);
  const bindings = [], lets = [];
  walkScope(ast, (n) => {
    if (n.type === "VariableDeclaration") for (const d of n.declarations) {
      if (d.id.type === "Identifier") (n.kind === "var" ? bindings : lets).push(d.id.name);
    }
    if (n.type === "FunctionDeclaration") bindings.push(n.id.name);
  });
  return { ast, functions, bindings: [...new Set(bindings)], lets: [...new Set(lets)] };
}

/** Estimated JsVars of the value an initialiser gives a name (literals exactly, other expressions 1). */
function initVars(init, L = ORIGINAL) {
  if (!init) return 0;
  switch (init.type) {
    case "Literal":
      if (typeof init.value === "number") return Number.isInteger(init.value) && init.value >= L.intMin && init.value <= L.intMax ? 0 : 1;
      if (typeof init.value === "string") return chainVars(init.value.length, L);
      return 1; // true, false, null, regex
    case "ObjectExpression": return 1 + init.properties.reduce((n, p) => n + nameVars(String(p.key.name ?? p.key.value).length, L) + initVars(p.value, L), 0);
    case "ArrayExpression": return 1 + init.elements.reduce((n, e) => n + (e ? 1 + initVars(e, L) : 0), 0);
    case "FunctionExpression": case "ArrowFunctionExpression": return 0;
    case "UnaryExpression": return init.operator === "void" ? 0 : initVars(init.argument, L);
    default: return 1;
  }
}

/** Call fn on every node of one function scope (not descending into nested functions). */
function walkScope(root, fn) {
  const go = (node, top) => {
    if (!node || typeof node.type !== "string") return;
    fn(node);
    if (!top && /Function/.test(node.type)) return;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => go(c, false));
      else if (v && typeof v.type === "string") go(v, false);
    }
  };
  if (root.type === "Program") root.body.forEach((n) => go(n, false));
  else go(root, true);
}

/**
 * JsVars of one function object (not its name in the scope holding it, nor the scope itself).
 * @param {{params: string[], name: string|null, codeLength: number}} info  from analyseModule
 * @param {{inFlash: boolean, scoped: boolean}} o  scoped: created inside a module or function (has "\xFFsco")
 */
export function functionVars(info, { inFlash, scoped }, L = ORIGINAL) {
  let n = 1;                                                          // the function
  for (const p of info.params) n += nameVars(p.length + 1, L);        // one name per parameter (stored with a
                                                                      // one-character prefix: 4 characters need 2)
  if (info.codeLength > 0) n += 1 + codeVars(info.codeLength, inFlash, L); // "\xFFcod" + code
  if (scoped) n += 1;                                                 // "\xFFsco" (the scope itself counted apart)
  if (info.name) n += 1 + chainVars(info.name.length, L);             // "\xFFnam" + name string
  return n;
}

const INTRINSIC_FN_KEYS = new Set(["length", "name", "prototype", "arguments", "caller"]);
const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);

/**
 * Walks a value graph the way Espruino's garbage collector would mark it and adds up JsVars.
 * Functions are looked up by their source text in `functions` (from analyseModule); others count as natives.
 */
export class Walker {
  /**
   * @param {object} o
   * @param {Map<string, object[]>} [o.functions]
   * @param {boolean} [o.inFlash]  function code lives in flash
   * @param {Set<object>} [o.external]  objects owned elsewhere (other modules' exports, built-ins): cost 0
   */
  constructor({ functions = new Map(), inFlash = false, external = new Set(), layout = ORIGINAL } = {}) {
    Object.assign(this, { functions, inFlash, external, L: layout });
    this.seen = new Set();
    this.instantiated = new Set(); // prototypes with instances: Espruino adds "constructor" at the first `new`
    this.protoNamed = new Set();   // prototypes whose function's "prototype" name is counted
    this.scopedTopLevel = false; // a function created by the module's own code was reached
    this.nestedScopes = [];      // enclosing-scope estimates of functions created inside functions at load
  }

  /** JsVars of a value stored under a name (the name not included). @param {"key"|"index"} where */
  inName(v, where = "key") {
    switch (typeof v) {
      case "undefined": return 0;
      case "boolean": return where === "index" ? 0 : 1;
      case "number": return Number.isInteger(v) && v >= this.L.intMin && v <= this.L.intMax ? 0 : 1;
      case "string": return chainVars(v.length, this.L);
      case "symbol": case "bigint": return 1;
      default: return v === null ? 1 : this.object(v);
    }
  }

  /** JsVars of an object/function/array not seen before (0 if seen or external). */
  object(o) {
    if (this.seen.has(o) || this.external.has(o)) return 0;
    this.seen.add(o);
    const L = this.L;
    if (typeof o === "function") return this.fn(o);
    if (Array.isArray(o)) {
      let n = 1;
      for (const k of Object.keys(o)) n += /^\d+$/.test(k) ? 1 + this.inName(o[k], "index") : nameVars(k.length, L) + this.inName(o[k]);
      return n;
    }
    if (ArrayBuffer.isView(o)) {
      let n = 1;
      if (!this.seen.has(o.buffer)) { this.seen.add(o.buffer); n += 1 + bufferVars(o.buffer.byteLength, L); }
      return n;
    }
    if (tag(o) === "ArrayBuffer") return 1 + bufferVars(o.byteLength, L);
    return this.props(o, 1);
  }

  /**
   * own properties (+ "__proto__" when not a plain object) added to n. A prototype's "constructor" is counted
   * only once it has an instance (Espruino adds it at the first `new`), by the instance.
   */
  props(o, n) {
    const L = this.L;
    const isPrototype = Object.prototype.hasOwnProperty.call(o, "constructor") && typeof o.constructor === "function" &&
      o.constructor.prototype === o;
    for (const k of Object.getOwnPropertyNames(o)) { // Espruino has no non-enumerable properties
      if (isPrototype && k === "constructor") continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      n += nameVars(k.length, L) + ("value" in d ? this.inName(d.value)
        : 1 + (d.get ? 1 + this.inName(d.get) : 0) + (d.set ? 1 + this.inName(d.set) : 0)); // getter/setter pair
    }
    const proto = Object.getPrototypeOf(o);
    if (proto && Object.getPrototypeOf(proto) !== null && !Array.isArray(o)) { // made by `new`
      n += nameVars("__proto__".length, L);
      const ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") ? proto.constructor : undefined;
      if (typeof ctor === "function" && !/\[native code\]\s*\}$/.test(Function.prototype.toString.call(ctor))) {
        // a constructor of the program: `new` gives it a "prototype" object and that a "constructor" name
        n += this.inName(proto);
        if (!this.instantiated.has(proto)) { this.instantiated.add(proto); n += nameVars("constructor".length, L); }
        if (!this.protoNamed.has(proto)) { this.protoNamed.add(proto); n += nameVars("prototype".length, L); }
      }
    }
    return n;
  }

  fn(f) {
    const L = this.L;
    const text = Function.prototype.toString.call(f);
    const infos = this.functions.get(text);
    let n;
    if (!infos) n = 1; // native or unknown: one JsVar
    else {
      const info = infos[0];
      n = functionVars(info, { inFlash: this.inFlash, scoped: true }, L);
      if (info.depth === 0) this.scopedTopLevel = true;
      else this.nestedScopes.push(info);
    }
    for (const k of Object.getOwnPropertyNames(f)) {
      if (INTRINSIC_FN_KEYS.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(f, k);
      if (d.enumerable || "value" in d) n += nameVars(k.length, L) + this.inName(d.value);
    }
    return n + this.prototypeOf(f);
  }

  /**
   * JsVars of a function's "prototype" name and object, once: Espruino creates them when the prototype is first
   * used (a method assigned, or `new`), and its "constructor" only at the first `new` (counted by the instance).
   */
  prototypeOf(f) {
    const p = Object.prototype.hasOwnProperty.call(f, "prototype") ? f.prototype : undefined;
    if (!p || typeof p !== "object" || (Object.keys(p).length === 0 && !this.instantiated.has(p))) return 0;
    let n = this.inName(p);
    if (!this.protoNamed.has(p)) { this.protoNamed.add(p); n += nameVars("prototype".length, this.L); }
    return n;
  }
}

/** A throwaway context with the Espruino globals a module may touch at load (all inert). */
function sandbox() {
  const ctx = vm.createContext({});
  vm.runInContext(`
    var __noop = function () {};
    var peek8 = function (a, n) { return n > 1 ? new Uint8Array(n) : 0; };
    var peek16 = function (a, n) { return n > 1 ? new Uint16Array(n) : 0; };
    var peek32 = function (a, n) { return n > 1 ? new Uint32Array(n) : 0; };
    var poke8 = __noop, poke16 = __noop, poke32 = __noop, print = __noop, setTimeout = __noop,
      setInterval = __noop, clearTimeout = __noop, clearInterval = __noop, getTime = function () { return 0; };
    var console = { log: __noop };
    var E = { toString: function () { return ""; }, memoryArea: function () { return ""; },
      toUint8Array: function () { return new Uint8Array(0); }, sum: function () { return 0; },
      CRC32: function () { return 0; }, toArrayBuffer: function () { return new ArrayBuffer(0); }, reboot: __noop };
    var process = { env: { VERSION: "2v29", BOARD: "ESPRUINOBOARD" }, memory: function () { return { free: 2000,
      usage: 756, total: 2756, blocksize: 13, flash_start: 134217728, flash_binary_end: 190000,
      flash_code_start: 134459392, flash_length: 262144 }; } };
    var __required = {};
    var require = function (n) { return __required[n] || (__required[n] = { __external: n }); };
    var Modules = { addCached: __noop, getCached: function () { return []; } };
  `, ctx);
  return ctx;
}

/**
 * Run a module's code the way jspEvaluateModule does (own scope with exports/module) and return its exports and
 * the final values of its module-level names.
 * @param {string} source
 * @param {string[]} names  module-level names to read back
 * @param {object} [context]  a vm context to run in (default: an inert sandbox)
 * @returns {{exports: any, values: object, required: string[], external: Set<object>, threw: any}}
 */
export function evaluateModule(source, names, context = sandbox()) {
  const read = names.map((n) => `${JSON.stringify(n)}: typeof ${n} === "undefined" ? undefined : ${n}`).join(",");
  // the source runs directly in the wrapper's body (not in a block) so that its let/const are readable after it
  const wrapper = `(function (exports) {
  var module = {}; Object.defineProperty(module, "exports", { get: function () { return exports; },
    set: function (v) { exports = v; } });
${source}
;return { exports: exports, values: { ${read} } };
})`;
  const exportsObj = vm.runInContext("({})", context);
  let r, threw;
  try {
    r = vm.runInContext(wrapper, context, { filename: "module" }).call(exportsObj, exportsObj);
  } catch (e) {
    threw = e;
    r = { exports: exportsObj, values: {} };
  }
  const req = vm.runInContext("typeof __required === 'object' ? __required : {}", context);
  return { exports: r.exports, values: r.values, required: Object.keys(req), external: new Set(Object.values(req)), threw };
}

/**
 * JsVars a module costs once loaded, in a given form (calibrated: see ram-calibration.json).
 * @param {string} source  the module text as sent to the board
 * @param {object} o
 * @param {string} o.name  module name (its cache entry)
 * @param {"fn"|"str"|"storage"|"bootcde"} [o.form="fn"]
 * @param {{exports:any, values:object, external?:Set<object>, required?:string[]}} [o.loaded]  exports and
 *   module-level values when the module already ran elsewhere (the virtual board); default: run in a sandbox
 * @returns {{jsvars: number, parts: {cache: number, exports: number, scope: number, nested: number, builtins: number},
 *   threw: any}}
 */
export function moduleVars(source, { name, form = "fn", loaded, layout = ORIGINAL } = {}) {
  const L = layout;
  const f = FORMS[form];
  if (!f) throw new TypeError(`moduleVars: unknown form "${form}" (fn, str, storage, bootcde)`);
  const a = analyseModule(source);
  const run = loaded || evaluateModule(source, [...a.bindings, ...a.lets]);
  const w = new Walker({ functions: a.functions, inFlash: f.flash, external: run.external || new Set(), layout: L });
  const parts = { cache: nameVars(name.length, L), exports: 0, scope: 0, nested: 0, builtins: 0 };
  parts.exports = w.inName(run.exports);
  const scopeOf = () => {
    let n = 1 + nameVars("exports".length, L) + nameVars("module".length, L);
    for (const b of [...a.bindings, ...a.lets]) n += nameVars(b.length, L) + w.inName(run.values[b]);
    return n;
  };
  // the module scope is kept if a function created by the module's code is reachable (closure "\xFFsco")
  let scope = 0;
  if (w.scopedTopLevel) scope = scopeOf();
  // a function created at load inside a function that ran at load keeps an array of its scopes
  // (src/jsparse.c jspeiGetScopesAsVar: a copy of the scope list per function: one array + one index per scope);
  // the enclosing function scopes themselves are counted once, each name with its value estimated from its
  // initialiser (functions created there are counted through the walk; later values are not visible from outside)
  const counted = new Set();
  for (const info of w.nestedScopes) {
    parts.nested += 1 + 1 + info.enclosing.length;
    const key = JSON.stringify(info.enclosing);
    if (!counted.has(key)) {
      counted.add(key);
      for (const names of info.enclosing) { parts.nested += 1; for (const b of names) parts.nested += nameVars(b.name.length, L) + b.value; }
    }
    if (!scope) scope = scopeOf();
  }
  parts.scope = scope;
  for (const r of run.required || []) if (BUILTIN_MODULES.has(r)) parts.builtins += nameVars(r.length, L) + 1;
  const jsvars = parts.cache + parts.exports + parts.scope + parts.nested + parts.builtins;
  return { jsvars, parts, threw: run.threw };
}

/** Built-in modules of the Original's firmware: require() at load caches a native function under their name. */
const BUILTIN_MODULES = new Set(["Flash", "Storage", "heatshrink", "net", "dgram", "http", "NetworkJS", "Wiznet", "CC3000"]);

/**
 * The line the espruino CLI sends for a module in function form (EspruinoTools core/modules.js).
 * @param {string} name @param {string} source
 */
export function addCachedLine(name, source) {
  return `Modules.addCached(${JSON.stringify(name)},function(){${source.trim()}${source.includes("//") ? "\n" : ""}});`;
}

/**
 * JsVars an upload needs only while the module loads, on top of the module itself. For the RAM forms: the REPL's
 * copy of the input line (a chained string: src/jsinteractive.c jsiHandleNewLine -> jsvStringTrimRight), the
 * wrapper function's code (fn: flat string) or the string argument (str: chained), the lexer's temporary copy of a
 * long string that starts a top-level function's body (src/jslex.c jslLexString reads it while executing), and a
 * few JsVars of interpreter state (PEAK_EXTRA). Nothing for code read from flash.
 * @param {string} name @param {string} source @param {"fn"|"str"|"storage"|"bootcde"} form
 */
export function transientVars(name, source, form, layout = ORIGINAL) {
  if (FORMS[form].flash) return 0;
  let token = 0;
  for (const infos of analyseModule(source).functions.values()) {
    for (const f of infos) {
      if (f.depth === 0 && f.firstString) token = Math.max(token, chainVars(f.firstString, layout) - codeVars(f.codeLength, false, layout));
    }
  }
  if (form === "fn") {
    const line = addCachedLine(name, source).replace(/\r\n/g, "\n");
    return chainVars(line.length, layout) + codeVars(source.trim().length, false, layout) + token + PEAK_EXTRA;
  }
  const line = `Modules.addCached(${JSON.stringify(name)},${JSON.stringify(source)});`;
  return chainVars(line.length, layout) + chainVars(source.length, layout) + token + PEAK_EXTRA;
}

/**
 * Free JsVars the default upload (function form) needs at its peak, counted before the upload starts: the module
 * plus transientVars (calibrated: the "peak" points of test/fixtures/ram/calibration.json).
 * @param {string} source @param {{name: string}} o
 */
export function uploadPeakVars(source, { name, layout = ORIGINAL } = {}) {
  return moduleVars(source, { name, form: "fn", layout }).jsvars + transientVars(name, source, "fn", layout);
}

/**
 * JsVars of interpreter state during an upload beyond the big items: the median of measured minus modelled peaks
 * over the calibration points (6; they range from 3 to 15 JsVars).
 */
export const PEAK_EXTRA = 6;
