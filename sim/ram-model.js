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
 *    top-level `var`s and functions are names in that scope, also those inside blocks (try/finally, if, loops:
 *    no block scope for them), created when their declaration runs; let/const inside a block live in a block
 *    scope; the scope stays alive while a function created in it is reachable. src/jswrap_modules.c: the exports
 *    are kept under the module's name in the module cache.
 *  - src/jslex.c jslNewTokenisedStringFromLexer: with the `pretokenise` flag set (E.setFlags; this project's
 *    build sets it while each module loads), or in a function whose body starts with "ram", function code is
 *    stored tokenised (tokenisedLength), also when the function is created from an already tokenised one.
 *  - Assignment shares values: a name given another name's value holds the same JsVar (moduleAliases).
 * Calibrated against the real interpreter (Linux build with the Original's variable layout): the points in
 * test/fixtures/ram/calibration.json, checked by test/ram-model.test.js (tools/ram-calibrate.js measures them).
 *
 * Limits: strings computed at run time are counted as chained strings (Espruino sometimes makes them flat, which
 * is smaller above ~40 characters); two names holding the same number or string count it twice unless one was
 * given the other's value; a function created in a module-level catch block keeps the catch scope (not counted);
 * the pretokenise flag is followed through module-level E.setFlags statements only; a function created at load
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
 * Reserved words of Espruino's lexer (src/jslex.h LEX_R_IF .. LEX_R_OF, src/jslex.c jslGetNextToken): each is one
 * token, also where JavaScript reads it as a name (`x.default`, `undefined`, `of`, `static`).
 */
const RESERVED = new Set(("if else do while for break continue function return var let const this throw try catch " +
  "finally true false null undefined new in instanceof switch case default delete typeof void debugger class " +
  "extends super static of").split(" "));
/** Operators Espruino's lexer reads as one token (src/jslex.h LEX_EQUAL .. LEX_XOREQUAL, LEX_ARROW_FUNCTION,
 * LEX_NULLISH), longest first; any other punctuation character is a token of its own (`**` is two, `...` three). */
const OPERATORS = [">>>=", "===", "!==", ">>>", "<<=", ">>=", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "++",
  "--", "*=", "/=", "%=", "&=", "&&", "|=", "||", "^=", "=>", "??"];

/** Espruino tokens of a run of punctuation as acorn gives it (e.g. "...", "**=", "?."): their texts. */
function espruinoOperators(text) {
  const out = [];
  for (let i = 0; i < text.length;) {
    const op = OPERATORS.find((o) => text.startsWith(o, i)) || text[i];
    out.push(op);
    i += op.length;
  }
  return out;
}

/**
 * Length in bytes of function code stored pretokenised, as src/jslex.c _jslNewTokenisedStringFromLexer writes it
 * (the `pretokenise` flag of E.setFlags, or a function whose body starts with "ram"): whitespace and comments
 * dropped; every reserved word and operator one byte (its token number); an integer literal 0 one byte,
 * 1..127 two (LEX_RAW_INT8 + value), 128..32767 three (LEX_RAW_INT16), larger ones as written; a non-empty string
 * literal 2 + its length in characters after unescaping (LEX_RAW_STRING8 + length), 3 + length from 256
 * characters (LEX_RAW_STRING16); `atob("...")` with a literal is stored as the decoded bytes, without `atob(` and
 * `)`; names, non-integer numbers, regular expressions, template literals with `${}` and the empty string as
 * written; one space kept between two names/numbers, `- -`, `+ +`, `/ /re/` and `/re/ /` or `/re/ name`
 * (jslPreserveSpaceBetweenTokens). No Unicode support (the Original has none): a character is a byte.
 * @param {string} source @param {object[]} tokens  acorn tokens of source @param {number} from @param {number} to
 *   first and last token index (inclusive) @param {Map<number, object>} templates  TemplateLiteral nodes by start
 */
export function tokenisedLength(source, tokens, from, to, templates = new Map()) {
  return tokenise(source, tokens, from, to, templates).length;
}

/**
 * tokenisedLength, and the largest temporary the tokeniser makes on the way: the lexer materialises the value of
 * each string token (a chained string), and for `atob("...")` also the decoded bytes (src/jslex.c
 * _jslNewTokenisedStringFromLexer: jslGetTokenValueAsVar, jswrap_atob).
 * @returns {{length: number, temp: {chars: number, decoded: number}}}  temp: the string token with the most
 *   JsVars (chars of its value, bytes decoded by atob or 0)
 */
export function tokenise(source, tokens, from, to, templates = new Map(), L = ORIGINAL) {
  let length = 0, last = null, atob = 0; // atob: 1 after the name atob, 2 after `atob(` (the C code's atobChecker)
  let temp = { chars: 0, decoded: 0 };
  const tempVars = (t) => (t.chars ? chainVars(t.chars, L) : 0) + (t.decoded ? bufferVars(t.decoded, L) : 0);
  const consider = (t) => { if (tempVars(t) > tempVars(temp)) temp = t; };
  const SPACED = new Set(["id", "int", "float"]);
  const emit = (kind, n) => {
    if ((SPACED.has(last) && SPACED.has(kind)) || (last === "-" && kind === "-") || (last === "+" && kind === "+") ||
      (last === "/" && kind === "regex") || (last === "regex" && (kind === "/" || kind === "id"))) length++;
    length += n;
    last = kind;
  };
  for (let i = from; i <= to; i++) {
    const t = tokens[i], text = source.slice(t.start, t.end), label = t.type.label;
    const tpl = templates.get(t.start);
    if (tpl) { // the whole template literal is one token of Espruino's lexer
      while (i < to && tokens[i + 1].start < tpl.end) i++;
      atob = 0;
      if (tpl.expressions.length === 0 && tpl.quasis[0].value.cooked.length > 0) emit("str", 2 + tpl.quasis[0].value.cooked.length);
      else emit("template", tpl.end - tpl.start);
    } else if (label === "name" || t.type.keyword !== undefined) {
      if (RESERVED.has(text)) { atob = 0; emit("reserved", 1); } // reserved words take the single-byte branch
      else { atob = text === "atob" ? 1 : 0; emit("id", text.length); }
    } else if (label === "num") {
      if (/^(0[xXbBoO][0-9a-fA-F_]+|[0-9][0-9_]*)$/.test(text)) {
        const v = Number(text.replace(/_/g, ""));
        emit("int", v === 0 ? 1 : v < 128 ? 2 : v < 32768 ? 3 : text.length);
      } else { atob = 0; emit("float", text.length); }
    } else if (label === "string") {
      const l = String(t.value).length;
      if (l === 0) { atob = 0; emit("str", text.length); continue; }
      if (atob === 2 && tokens[i + 1] && tokens[i + 1].type.label === ")" && i + 1 <= to) {
        const bytes = Buffer.from(String(t.value), "base64").length; // atob() at tokenising time
        consider({ chars: l, decoded: bytes });
        length -= 5;                                                  // `atob(` taken back, `)` skipped
        i++;
        atob = 0;
        length += (bytes < 256 ? 2 : 3) + bytes;
        last = ")";
        continue;
      }
      atob = 0;
      consider({ chars: l, decoded: 0 });
      emit("str", (l < 256 ? 2 : 3) + l);
    } else if (label === "regexp") {
      atob = 0;
      emit("regex", text.length);
    } else {
      for (const op of espruinoOperators(text)) {
        atob = atob === 1 && op === "(" ? 2 : 0;
        emit(op === "-" || op === "+" || op === "/" ? op : "op", 1);
      }
    }
  }
  return { length, temp };
}

/**
 * Module-level statements in the order they run, with the blocks they sit in opened: Espruino has no block scope
 * for `var` and function declarations (src/jsparse.c jspeStatementVar and jspeStatementFunctionDecl put them in
 * execInfo.baseScope, the module's scope, whatever block they are in: a top-level try/finally, if, loop body...);
 * only let/const inside a block are block-scoped. Function bodies are not opened.
 * @param {object} program  acorn Program node
 * @returns {{node: object, block: object|null, statement: object}[]}  block: the innermost block around the
 *   statement (null at the top); statement: the statement that runs it (node, or the loop whose head it is)
 */
export function moduleStatements(program) {
  const out = [];
  const open = (node, block) => {
    if (!node) return;
    switch (node.type) {
      case "BlockStatement": node.body.forEach((n) => open(n, node)); return;
      case "TryStatement": open(node.block, block); if (node.handler) open(node.handler.body, block); open(node.finalizer, block); return;
      case "IfStatement": open(node.consequent, block); open(node.alternate, block); return;
      case "LabeledStatement": open(node.body, block); return;
      case "WhileStatement": case "DoWhileStatement": open(node.body, block); return;
      case "ForInStatement": case "ForOfStatement":
        if (node.left.type === "VariableDeclaration") out.push({ node: node.left, block, statement: node });
        open(node.body, block); return;
      case "ForStatement":
        if (node.init && node.init.type === "VariableDeclaration") out.push({ node: node.init, block, statement: node });
        open(node.body, block); return;
      case "SwitchStatement": for (const c of node.cases) c.consequent.forEach((n) => open(n, block)); return;
      default: out.push({ node, block, statement: node });
    }
  };
  program.body.forEach((n) => open(n, null));
  return out;
}

/**
 * The value of Espruino's `pretokenise` flag while each module-level statement runs: `initial` (the flag when
 * the module is loaded) changed by `E.setFlags({pretokenise: x})` statements: a literal x sets it, anything else
 * (the usual `E.setFlags({pretokenise: saved})` after `var saved = E.getFlags().pretokenise`) puts back `initial`.
 * @param {{node: object}[]} statements  from moduleStatements @param {boolean} initial
 * @returns {function(number): boolean}  flag at a source position (that of the statement holding it)
 */
export function pretokeniseTimeline(statements, initial) {
  const spans = [];
  let flag = !!initial;
  for (const { node } of statements) {
    spans.push({ start: node.start, end: node.end, flag });
    walkExpression(node, (n) => {
      if (n.type !== "CallExpression" || n.callee.type !== "MemberExpression" || n.callee.object.name !== "E" ||
        (n.callee.property.name || n.callee.property.value) !== "setFlags" || !n.arguments[0] ||
        n.arguments[0].type !== "ObjectExpression") return;
      for (const p of n.arguments[0].properties) {
        if ((p.key && (p.key.name || p.key.value)) !== "pretokenise") continue;
        flag = p.value.type === "Literal" ? !!p.value.value : !!initial;
      }
    });
  }
  return (pos) => {
    const s = spans.find((x) => pos >= x.start && pos < x.end);
    return s ? s.flag : flag;
  };
}

/** Call fn on every node of an expression or statement, not descending into functions. */
function walkExpression(root, fn) {
  const go = (node) => {
    if (!node || typeof node.type !== "string") return;
    fn(node);
    if (/Function/.test(node.type)) return;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach(go);
      else if (v && typeof v.type === "string") go(v);
    }
  };
  go(root);
}

/**
 * Parse a module and describe every function in it as Espruino stores it.
 * @param {string} source  module text as sent (e.g. modules/X.min.js)
 * @param {{pretokenise?: boolean}} [o]  pretokenise: Espruino's flag when the code starts running (E.setFlags)
 * @returns {{ast: object, functions: Map<string, object[]>, bindings: string[], lets: string[], blockLets: object[]}}
 *   functions: source text of each function -> [{params: string[], name: string|null, codeLength, tokenLength,
 *   tokenised, ram, depth, enclosing: {name, value}[][]}] (codeLength: characters of its code as written;
 *   tokenLength: bytes of it pretokenised; tokenised: created while the flag was set, or in a "ram" function;
 *   ram: its code is copied to RAM even when the module is read from flash (a "ram" function or inside one);
 *   depth 0 = created by the module's own code; enclosing = names bound in the functions around it);
 *   bindings: module-level `var` and function names (in blocks too); lets: let/const outside any block;
 *   blockLets: [{block, names: {name, value}[], from}] let/const of module-level blocks; declarations:
 *   [{statement, names}] var/function declarations inside blocks (Espruino creates the name only when the
 *   declaration runs: src/jsparse.c jspeStatementVar/jspeStatementFunctionDecl do nothing while not executing)
 */
export function analyseModule(source, { pretokenise = false } = {}) {
  const tokens = [];
  const ast = acorn.parse(source, { ecmaVersion: 2020, sourceType: "script", allowReturnOutsideFunction: true,
    onToken: tokens });
  const functions = new Map();
  const templates = new Map();
  const firstTokenAt = (pos) => { // index of the first token starting at or after pos
    let lo = 0, hi = tokens.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (tokens[mid].start < pos) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const statements = moduleStatements(ast);
  const flagAt = pretokeniseTimeline(statements, pretokenise);
  // what src/jsparse.c jspeFunctionDefinitionInternal stores: from the first token of the body (after a leading
  // "ram" directive and its `;`, and after a leading `return`) to the end of the last one. The first stored token,
  // when a string or template literal, is read by the lexer while executing (it forces EXEC_YES for it), so it
  // makes a temporary string (firstString: its length)
  const storedCode = (fn) => {
    if (fn.expression) { // arrow function with an expression body: the expression is stored, from the token after
      // `=>` (brackets around the expression included) up to where the next token starts (jspeAssignmentExpression)
      let i = firstTokenAt(fn.body.start);
      while (i > 0 && tokens[i - 1].type.label !== "=>") i--;
      const j = firstTokenAt(fn.end) - 1;
      const next = j + 1 < tokens.length && tokens[j + 1].type.label !== "eof" ? tokens[j + 1].start : source.length;
      const t = tokenise(source, tokens, i, j, templates);
      return { codeLength: next - tokens[i].start, tokenLength: t.length, tokenTemp: t.temp, firstString: 0, ram: false };
    }
    const open = fn.body.start, close = fn.body.end - 1;
    let i = firstTokenAt(open + 1), ram = false, firstString = 0;
    const inBody = (k) => k < tokens.length && tokens[k].start < close;
    if (inBody(i) && tokens[i].type.label === "string" && tokens[i].value === "ram") {
      ram = true;
      i++;
      if (inBody(i) && tokens[i].type.label === ";") i++;
    }
    if (inBody(i) && tokens[i].type.keyword === "return") i++;
    if (!inBody(i)) return { codeLength: 0, tokenLength: 0, tokenTemp: { chars: 0, decoded: 0 }, firstString: 0, ram };
    if (tokens[i].type.label === "string" || tokens[i].type.label === "template") firstString = String(tokens[i].value).length;
    else if (tokens[i].type.label === "`" && tokens[i + 1] && tokens[i + 1].type.label === "template") firstString = tokens[i + 1].value.length;
    const first = tokens[i];
    const j = firstTokenAt(close) - 1;
    let end = tokens[j].end;
    if (j === i) while (/\s/.test(source[end]) && end < close) end++; // jspeFunctionDefinitionInternal's
    const t = tokenise(source, tokens, i, j, templates);
    return { codeLength: end - first.start, firstString, ram,         // jslSkipWhiteSpace after the 1st token
      tokenLength: t.length, tokenTemp: t.temp };
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
  const collectTemplates = (node, inTemplate) => {
    if (!node || typeof node.type !== "string") return;
    if (node.type === "TemplateLiteral" && !inTemplate) templates.set(node.start, node);
    const inner = inTemplate || node.type === "TemplateLiteral";
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => collectTemplates(c, inner));
      else if (v && typeof v.type === "string") collectTemplates(v, inner);
    }
  };
  collectTemplates(ast, false);
  const visit = (node, stack, inRam) => {
    if (!node || typeof node.type !== "string") return;
    const isFn = node.type === "FunctionDeclaration" || node.type === "FunctionExpression" ||
      node.type === "ArrowFunctionExpression";
    let ram = inRam;
    if (isFn) {
      const code = storedCode(node);
      ram = inRam || code.ram;
      const info = {
        params: node.params.map((p) => (p.type === "Identifier" ? p.name : source.slice(p.start, p.end))),
        name: node.type === "FunctionExpression" && node.id ? node.id.name : null,
        codeLength: code.codeLength,
        tokenLength: code.tokenLength,
        tokenTemp: code.tokenTemp, // largest string the tokeniser materialises (transientVars)
        tokenised: ram || flagAt(node.start),
        ram,
        ramDirective: code.ram, // its own body starts with "ram" (ram: that, or inside such a function)
        letBlocks: 0, // module-level blocks with let/const declared before it (scopes it keeps besides the module's)
        firstString: code.firstString,
        depth: stack.length,
        enclosing: stack.map((f) => declared(f)),
        start: node.start,
      };
      const text = source.slice(node.start, node.end);
      if (!functions.has(text)) functions.set(text, []);
      functions.get(text).push(info);
    }
    const next = isFn ? [...stack, node] : stack;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => visit(c, next, ram));
      else if (v && typeof v.type === "string") visit(v, next, ram);
    }
  };
  visit(ast, [], false);
  const bindings = [], lets = [], blockLets = [];
  const declarations = []; // {statement, names}: module-level var/function declarations inside a block
  for (const { node, block, statement } of statements) {
    const declaresHere = [];
    if (node.type === "VariableDeclaration" && node.kind === "var") {
      for (const d of node.declarations) if (d.id.type === "Identifier") declaresHere.push(d.id.name);
    }
    if (node.type === "FunctionDeclaration") declaresHere.push(node.id.name);
    if (block !== null && declaresHere.length) declarations.push({ statement, names: declaresHere });
    if (node.type === "VariableDeclaration") {
      const blockScoped = node.kind !== "var" && block !== null;
      for (const d of node.declarations) {
        if (d.id.type !== "Identifier") continue;
        if (node.kind === "var") bindings.push(d.id.name);
        else if (!blockScoped) lets.push(d.id.name);
        else {
          let b = blockLets.find((x) => x.block === block);
          if (!b) blockLets.push(b = { block, names: [], from: node.start });
          b.names.push({ name: d.id.name, value: initVars(d.init) });
        }
      }
    }
    if (node.type === "FunctionDeclaration") bindings.push(node.id.name);
  }
  for (const infos of functions.values()) for (const info of infos) {
    info.letBlocks = blockLets.filter((b) => info.start > b.from && info.start < b.block.end).length;
  }
  const names = [...new Set([...bindings, ...lets])];
  return { ast, functions, bindings: [...new Set(bindings)], lets: [...new Set(lets)], blockLets, declarations,
    aliases: moduleAliases(ast, new Set(names), declared) };
}

/**
 * Module-level names given the value of another module-level name (`t = n`, `t = c ? n + 64 : n`, `var b = a`),
 * anywhere in the module's code (also inside functions run at load): Espruino assigns by reference, so such names
 * share one JsVar for a number or string (src/jsparse.c: jsvReplaceWith puts the same value JsVar in both names;
 * a computed value is a new JsVar).
 * @param {object} ast @param {Set<string>} moduleNames
 * @param {function(object): {name: string}[]} declared  names a function binds (they hide module-level ones)
 * @returns {Map<string, Set<string>>}  name -> names whose value it may have been given
 */
function moduleAliases(ast, moduleNames, declared) {
  const aliases = new Map();
  // identifiers an expression may evaluate to (without computing a new value)
  const results = (e) => {
    if (!e) return [];
    switch (e.type) {
      case "Identifier": return [e.name];
      case "ConditionalExpression": return [...results(e.consequent), ...results(e.alternate)];
      case "LogicalExpression": return [...results(e.left), ...results(e.right)];
      case "SequenceExpression": return results(e.expressions[e.expressions.length - 1]);
      case "AssignmentExpression": return e.operator === "=" ? results(e.right) : [];
      default: return [];
    }
  };
  const go = (node, hidden) => {
    if (!node || typeof node.type !== "string") return;
    if (/Function/.test(node.type)) hidden = new Set([...hidden, ...declared(node).map((b) => b.name)]);
    const global = (n) => moduleNames.has(n) && !hidden.has(n);
    let target = null, value = null;
    if (node.type === "AssignmentExpression" && node.operator === "=" && node.left.type === "Identifier") {
      target = node.left.name; value = node.right;
    } else if (node.type === "VariableDeclarator" && node.id.type === "Identifier") {
      target = node.id.name; value = node.init;
    }
    if (target && global(target)) {
      for (const r of results(value)) {
        if (r === target || !global(r)) continue;
        if (!aliases.has(target)) aliases.set(target, new Set());
        aliases.get(target).add(r);
      }
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => go(c, hidden));
      else if (v && typeof v.type === "string") go(v, hidden);
    }
  };
  go(ast, new Set());
  return aliases;
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
 * JsVars of a function's stored code ("\xFFcod" not included): read from flash, one flash string, unless it is a
 * "ram" function (or inside one: copied to RAM, tokenised); in RAM, its text as written, or tokenised when it was
 * created while the `pretokenise` flag was set (src/jsparse.c jspeFunctionDefinitionInternal).
 * @param {{codeLength: number, tokenLength?: number, tokenised?: boolean, ram?: boolean}} info  from analyseModule
 */
export function storedCodeVars(info, inFlash, L = ORIGINAL) {
  if (info.ram) return codeVars(info.tokenLength, false, L);
  if (inFlash) return codeVars(info.codeLength, true, L);
  return codeVars(info.tokenised ? info.tokenLength : info.codeLength, false, L);
}

/**
 * JsVars of one function object (not its name in the scope holding it, nor the scope itself).
 * @param {{params: string[], name: string|null, codeLength: number, tokenLength?: number, tokenised?: boolean,
 *   ram?: boolean}} info  from analyseModule
 * @param {{inFlash: boolean, scoped: boolean}} o  scoped: created inside a module or function (has "\xFFsco")
 */
export function functionVars(info, { inFlash, scoped }, L = ORIGINAL) {
  let n = 1;                                                          // the function
  for (const p of info.params) n += nameVars(p.length + 1, L);        // one name per parameter (stored with a
                                                                      // one-character prefix: 4 characters need 2)
  if (info.codeLength > 0) n += 1 + storedCodeVars(info, inFlash, L); // "\xFFcod" + code
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
    this.inLetBlocks = [];       // functions reached that were created after a let/const of a module-level block
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
      if (info.letBlocks) this.inLetBlocks.push(info);
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

/**
 * What a module may read from the board while it loads, for the dry run of moduleVars: peek8/16/32 of a single
 * address (the value at that address, masked to the width; any other address, and every peek with a count, reads
 * 0), process.memory() and process.env. Default: the Espruino Original running 2v29, as the virtual Original
 * (sim/board.js) reads them: F_SIZE 256 KB, DBGMCU_IDCODE DEV_ID 0x414 (high density), SCB->VTOR 0x2800 (behind the
 * 10 KB bootloader), CPUID Cortex-M3 r1p1, the firmware's Reset_Handler in its vector table, the flash fields of
 * process.memory() (RM0008 §3.1, §31.2, PM0056 §4.4). What a module keeps depends on the shape of what it read
 * (numbers above 2047 take a JsVar of their own, arrays by length), rarely on the exact values.
 */
export const ORIGINAL_READINGS = Object.freeze({
  peek: { 0x1ffff7e0: 256, 0xe0042000: 0x10010414, 0xe000ed08: 0x2800, 0xe000ed00: 0x411fc231, 0x08002804: 0x6211 },
  memory: { free: 2630, usage: 126, total: 2756, blocksize: 13, flash_start: 0x08000000, flash_binary_end: 0x2e7a0,
    flash_code_start: 0x0803b000, flash_length: 0x40000 },
  env: { VERSION: "2v29", BOARD: "ESPRUINOBOARD", RAM: 49152, FLASH: 262144, STORAGE: 20480 },
});

/**
 * A throwaway context with the Espruino globals a module may touch at load: reads from `readings`, writes and
 * output inert; E.getFlags() reports `pretokenise` (E.setFlags does nothing here: analyseModule follows the flag).
 */
function sandbox(readings = ORIGINAL_READINGS, pretokenise = false) {
  const ctx = vm.createContext({});
  vm.runInContext(`
    var __noop = function () {};
    var __readings = ${JSON.stringify(readings)};
    var __peek = function (mask, Array) {
      return function (a, n) { return n > 1 ? new Array(n) : ((__readings.peek[a >>> 0] || 0) & mask) >>> 0; };
    };
    var peek8 = __peek(0xff, Uint8Array), peek16 = __peek(0xffff, Uint16Array), peek32 = __peek(-1, Uint32Array);
    var poke8 = __noop, poke16 = __noop, poke32 = __noop, print = __noop, setTimeout = __noop,
      setInterval = __noop, clearTimeout = __noop, clearInterval = __noop, getTime = function () { return 0; };
    var console = { log: __noop };
    var E = { toString: function () { return ""; }, memoryArea: function () { return ""; },
      toUint8Array: function () { return new Uint8Array(0); }, sum: function () { return 0; },
      CRC32: function () { return 0; }, toArrayBuffer: function () { return new ArrayBuffer(0); }, reboot: __noop,
      getFlags: function () { return { deepSleep: 0, unsafeFlash: 0, unsyncFiles: 0, pretokenise: ${pretokenise ? 1 : 0},
        jitDebug: 0, onErrorSave: 0, onErrorFlash: 0 }; }, setFlags: __noop };
    var process = { env: __readings.env, memory: function () { return JSON.parse(JSON.stringify(__readings.memory)); } };
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
export function evaluateModule(source, names, context = sandbox(), declarations = []) {
  const read = names.map((n) => `${JSON.stringify(n)}: typeof ${n} === "undefined" ? undefined : ${n}`).join(",");
  source = markDeclarations(source, declarations);
  // the source runs directly in the wrapper's body (not in a block) so that its let/const are readable after it
  const wrapper = `(function (exports) {
  var module = {}; Object.defineProperty(module, "exports", { get: function () { return exports; },
    set: function (v) { exports = v; } });
${source}
;return { exports: exports, values: { ${read} } };
})`;
  const exportsObj = vm.runInContext("({})", context);
  vm.runInContext("var __ran = {};", context);
  let r, threw;
  try {
    r = vm.runInContext(wrapper, context, { filename: "module" }).call(exportsObj, exportsObj);
  } catch (e) {
    threw = e;
    r = { exports: exportsObj, values: {} };
  }
  const req = vm.runInContext("typeof __required === 'object' ? __required : {}", context);
  const ranMarks = vm.runInContext("__ran", context);
  const ran = new Set();
  declarations.forEach((d, i) => { if (ranMarks[i]) for (const n of d.names) ran.add(n); });
  return { exports: r.exports, values: r.values, required: Object.keys(req), external: new Set(Object.values(req)), threw,
    notRun: new Set(declarations.flatMap((d) => d.names).filter((n) => !ran.has(n))) };
}

/**
 * The module's source with `{__ran[i]=1;` ... `}` around each declaration statement of `declarations`, so the dry
 * run tells which ran (V8 hoists a `var` and creates it unexecuted; Espruino does not). Function texts unchanged.
 * @param {string} source @param {{statement: object}[]} declarations
 */
function markDeclarations(source, declarations) {
  const edits = [];
  declarations.forEach((d, i) => {
    edits.push({ at: d.statement.start, text: `{__ran[${i}]=1;`, order: 0 });
    edits.push({ at: d.statement.end, text: "}", order: 1 });
  });
  // from the end backwards; where one statement ends and the next starts, the "{" goes in first so that the "}"
  // inserted after it at the same place comes before it
  edits.sort((a, b) => b.at - a.at || a.order - b.order);
  for (const e of edits) source = source.slice(0, e.at) + e.text + source.slice(e.at);
  return source;
}

/**
 * JsVars a module costs once loaded, in a given form (calibrated: see ram-calibration.json).
 * @param {string} source  the module text as sent to the board
 * @param {object} o
 * @param {string} o.name  module name (its cache entry)
 * @param {"fn"|"str"|"storage"|"bootcde"} [o.form="fn"]
 * @param {boolean} [o.pretokenise=false]  Espruino's `pretokenise` flag when the module is loaded (E.setFlags):
 *   functions created while it is set keep their code tokenised (the module may set it itself: analyseModule)
 * @param {object} [o.readings=ORIGINAL_READINGS]  what the board returns to the module's reads at load (sandbox)
 * @param {{exports:any, values:object, external?:Set<object>, required?:string[]}} [o.loaded]  exports and
 *   module-level values when the module already ran elsewhere; default: a dry run in a sandbox
 * @returns {{jsvars: number, parts: {cache: number, exports: number, scope: number, nested: number, builtins: number},
 *   threw: any}}
 */
export function moduleVars(source, { name, form = "fn", loaded, layout = ORIGINAL, pretokenise = false,
  readings = ORIGINAL_READINGS } = {}) {
  const L = layout;
  const f = FORMS[form];
  if (!f) throw new TypeError(`moduleVars: unknown form "${form}" (fn, str, storage, bootcde)`);
  const a = analyseModule(source, { pretokenise });
  const run = loaded || evaluateModule(source, [...a.bindings, ...a.lets], sandbox(readings, pretokenise), a.declarations);
  const w = new Walker({ functions: a.functions, inFlash: f.flash, external: run.external || new Set(), layout: L });
  const parts = { cache: nameVars(name.length, L), exports: 0, scope: 0, nested: 0, builtins: 0 };
  parts.exports = w.inName(run.exports);
  const scopeOf = () => {
    let n = 1 + nameVars("exports".length, L) + nameVars("module".length, L);
    const counted = [];
    for (const b of [...a.bindings, ...a.lets]) {
      if (run.notRun && run.notRun.has(b)) continue; // declared in code that did not run: no name
      const v = run.values[b];
      // a number or string given from another name holding it (moduleAliases) shares that name's JsVar
      const shared = (typeof v === "number" || typeof v === "string") && counted.some((c) => run.values[c] === v &&
        ((a.aliases.get(b) && a.aliases.get(b).has(c)) || (a.aliases.get(c) && a.aliases.get(c).has(b))));
      n += nameVars(b.length, L) + (shared ? 0 : w.inName(v));
      counted.push(b);
    }
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
    parts.nested += 1 + 1 + info.letBlocks + info.enclosing.length;
    const key = JSON.stringify(info.enclosing);
    if (!counted.has(key)) {
      counted.add(key);
      for (const names of info.enclosing) { parts.nested += 1; for (const b of names) parts.nested += nameVars(b.name.length, L) + b.value; }
    }
    if (!scope) scope = scopeOf();
  }
  // let/const in a module-level block live in a block scope (src/jsparse.c jspeStatementVar: execInfo.blockScope,
  // added to the scope list); a function created after them keeps a copy of the scope list (an array with one index
  // per scope) instead of the module scope alone, and the block scope stays alive: one object, its names, their
  // values estimated from their initialisers
  const blocks = new Set();
  for (const info of w.inLetBlocks) {
    if (info.depth === 0) parts.nested += 1 + 1 + info.letBlocks;
    for (const b of a.blockLets) {
      if (info.start > b.from && info.start < b.block.end && !blocks.has(b)) {
        blocks.add(b);
        parts.nested += 1;
        for (const x of b.names) parts.nested += nameVars(x.name.length, L) + x.value;
      }
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
export function transientVars(name, source, form, layout = ORIGINAL, { pretokenise = false } = {}) {
  if (FORMS[form].flash) return 0;
  let token = 0;
  const created = []; // functions the module's own code creates at load, in source order
  for (const infos of analyseModule(source, { pretokenise }).functions.values()) {
    for (const f of infos) {
      if (f.depth === 0 && f.firstString) token = Math.max(token, chainVars(f.firstString, layout) - storedCodeVars(f, false, layout));
      if (f.depth === 0) created.push(f);
    }
  }
  // tokenising a function materialises its string tokens one at a time (and atob's decoded bytes), while the
  // functions after it are not made yet: what is left of the module at that moment is the functions after it
  created.sort((a, b) => a.start - b.start);
  let after = 0;
  for (let k = created.length - 1; k >= 0; k--) {
    const f = created[k];
    if (f.tokenised && f.tokenTemp && f.tokenTemp.chars) {
      const temp = chainVars(f.tokenTemp.chars, layout) + (f.tokenTemp.decoded ? bufferVars(f.tokenTemp.decoded, layout) : 0);
      token = Math.max(token, temp - after);
    }
    after += functionVars(f, { inFlash: false, scoped: true }, layout);
  }
  if (form === "fn") {
    const line = addCachedLine(name, source).replace(/\r\n/g, "\n");
    // the wrapper function is made at the REPL: its code is tokenised when the flag is set before the upload
    const wrapper = analyseModule(line, { pretokenise }).functions.get(line.slice(line.indexOf("function(){"), -2))[0];
    return chainVars(line.length, layout) + storedCodeVars(wrapper, false, layout) + token + PEAK_EXTRA;
  }
  const line = `Modules.addCached(${JSON.stringify(name)},${JSON.stringify(source)});`;
  return chainVars(line.length, layout) + chainVars(source.length, layout) + token + PEAK_EXTRA;
}

/**
 * Free JsVars the default upload (function form) needs at its peak, counted before the upload starts: the module
 * plus transientVars (calibrated: the "peak" points of test/fixtures/ram/calibration.json).
 * @param {string} source @param {{name: string}} o
 */
export function uploadPeakVars(source, { name, layout = ORIGINAL, pretokenise = false, readings } = {}) {
  return moduleVars(source, { name, form: "fn", layout, pretokenise, readings }).jsvars +
    transientVars(name, source, "fn", layout, { pretokenise });
}

/**
 * JsVars of interpreter state during an upload beyond the big items: the median of measured minus modelled peaks
 * over the calibration points (6; they range from 3 to 15 JsVars).
 */
export const PEAK_EXTRA = 6;
