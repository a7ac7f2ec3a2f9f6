#!/usr/bin/env node
// Static checks for code that is uploaded to Espruino (see ../shared/reference/espruino-platform.md §6-7).
// Usage: node tools/check-espruino.js [--docs] [file...]   (no file: every built module, modules/<Name>.js with
//        --docs and modules/<Name>.min.js, as `npm run check` does)
//   --docs also requires a /** */ block above every exported name (EspruinoDocs APPEND_JSDOC); it is
//   applied to every file except *.min.js, since minifiers strip comments.
import { parse } from "acorn";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { moduleNames } from "./modules.js";

const TSLIB = new Set(("__extends __assign __rest __decorate __param __metadata __awaiter __generator __exportStar " +
  "__values __read __spread __spreadArray __spreadArrays __await __asyncGenerator __asyncDelegator __asyncValues " +
  "__makeTemplateObject __importStar __importDefault __createBinding __classPrivateFieldGet __classPrivateFieldSet " +
  "__setModuleDefault").split(" "));
const BAD_GLOBALS = new Set("Map Set WeakMap WeakSet Symbol Proxy Reflect RangeError".split(" "));
const BAD_MEMBERS = new Set(("Array.from Array.of Object.freeze Object.seal Object.getOwnPropertySymbols " +
  "Number.isInteger Number.isSafeInteger Number.MAX_SAFE_INTEGER Number.MIN_SAFE_INTEGER Number.EPSILON " +
  "Math.imul Math.trunc Math.clz32 Math.sign Math.fround").split(" "));
const PROTO_OWNERS = new Set(["Array", "Object", "String", "Function"]);
const SKIP_KEYS = new Set(["type", "start", "end", "loc", "range"]);

const isNode = (x) => x !== null && typeof x === "object" && typeof x.type === "string";
const isFunction = (n) => /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(n.type);
const propName = (m) => !m.computed ? m.property.name
  : m.property.type === "Literal" && typeof m.property.value === "string" ? m.property.value : null;

/** Child nodes of `node` paired with a flag telling whether the child is a declaration name (not a reference). */
function children(node) {
  const out = [];
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const declares = (isFunction(node) && (key === "id" || key === "params")) ||
      (node.type === "VariableDeclarator" && key === "id") || (node.type === "CatchClause" && key === "param") ||
      (node.type === "ClassDeclaration" && key === "id");
    for (const v of [].concat(node[key])) if (isNode(v)) out.push({ child: v, declares });
  }
  return out;
}

/** True when Identifier `id` under `parent` is read as a variable (not a property name, label or declaration). */
function isReference(id, parent) {
  if (!parent) return true;
  if ((parent.type === "MemberExpression" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition")
    && (parent.property === id || parent.key === id) && !parent.computed) return false;
  if (parent.type === "Property" && parent.key === id && !parent.computed && !parent.shorthand) return false;
  if (/^(LabeledStatement|BreakStatement|ContinueStatement)$/.test(parent.type)) return false;
  return true;
}

/**
 * Names declared directly in a function (or program) body, not inside nested functions.
 * @returns {Map<string, {fn: object|null, index: number}>} fn is the function a name is bound to, if any;
 *   index is the number of the top-level statement holding the declaration.
 */
function declaredIn(fnOrProgram) {
  const names = new Map();
  const add = (name, fn, index) => {
    const old = names.get(name);
    if (!old) names.set(name, { fn, index });
    else if (!old.fn && fn && old.index === index) old.fn = fn;
  };
  const addPattern = (p, index) => {
    if (!p) return;
    if (p.type === "Identifier") add(p.name, null, index);
    else for (const { child } of children(p)) if (child.type !== "MemberExpression") addPattern(child, index);
  };
  const body = fnOrProgram.type === "Program" ? fnOrProgram.body : [fnOrProgram.body];
  if (fnOrProgram.type !== "Program") {
    if (fnOrProgram.type === "FunctionExpression" && fnOrProgram.id) add(fnOrProgram.id.name, fnOrProgram, 0);
    fnOrProgram.params.forEach((p) => addPattern(p, 0));
    add("arguments", null, 0);
  }
  const scan = (node, index) => {
    if (node.type === "FunctionDeclaration") return add(node.id.name, node, index);
    if (node.type === "ClassDeclaration") return add(node.id.name, null, index);
    if (isFunction(node) || /^Class/.test(node.type)) return;
    if (node.type === "VariableDeclarator") {
      addPattern(node.id, index);
      if (node.id.type === "Identifier" && node.init && node.init.type === "FunctionExpression") {
        add(node.id.name, node.init, index);
      }
    }
    if (node.type === "CatchClause") addPattern(node.param, index);
    for (const { child } of children(node)) scan(child, index);
  };
  body.forEach((stmt, i) => scan(stmt, i));
  return names;
}

/**
 * Depth-first walk that tracks function scopes. `visit(node, parent, scopes)` may return false to skip the
 * node's children; a function's body is walked with its own scope appended to `scopes`.
 */
function walk(node, parent, scopes, visit) {
  if (visit(node, parent, scopes) === false) return;
  const inner = isFunction(node) ? scopes.concat([declaredIn(node)]) : scopes;
  for (const { child, declares } of children(node)) {
    if (!declares) walk(child, node, inner, visit);
  }
}

/** Innermost local scope binding `name`, as {binding, depth}, or null when the name is top-level/global. */
function resolve(name, scopes) {
  for (let d = scopes.length - 1; d >= 0; d--) {
    if (scopes[d].has(name)) return { binding: scopes[d].get(name), depth: d };
  }
  return null;
}

/** Rule use-before-declare: follow what each top-level statement evaluates at load time. */
function checkLoadOrder(program, top, report) {
  program.body.forEach((stmt, index) => {
    const entered = new Set();
    const enter = (fn, scopes, via) => {
      if (entered.has(fn)) return;
      entered.add(fn);
      walk(fn.body, fn, scopes.concat([declaredIn(fn)]), visitor(via));
    };
    const visitor = (via) => function visit(node, parent, scopes) {
      if (isFunction(node)) return false; // defined now, run later (unless called: see below)
      if (node.type === "Identifier" && isReference(node, parent)) {
        if (parent && parent.type === "UnaryExpression" && parent.operator === "typeof") return;
        if (parent && parent.type === "AssignmentExpression" && parent.left === node && parent.operator === "=") return;
        const decl = !resolve(node.name, scopes) && top.get(node.name);
        if (decl && decl.index > index) {
          report(node, "use-before-declare", `${node.name} is used at load time${via} before its declaration ` +
            `at line ${program.body[decl.index].loc.start.line} (Espruino does not hoist)`);
        }
      }
      if (node.type === "CallExpression" || node.type === "NewExpression") {
        let callee = node.callee;
        if (callee.type === "MemberExpression" && /^(call|apply)$/.test(propName(callee) || "")) callee = callee.object;
        const here = ` (via call at line ${node.loc.start.line})`;
        if (callee.type === "FunctionExpression") enter(callee, scopes, via || here);
        if (callee.type === "Identifier") {
          const local = resolve(callee.name, scopes);
          if (local && local.binding.fn) enter(local.binding.fn, scopes.slice(0, local.depth + 1), via || here);
          const decl = !local && top.get(callee.name);
          if (decl && decl.fn && decl.index <= index) enter(decl.fn, [], via || here);
        }
      }
    };
    walk(stmt, program, [], visitor(""));
  });
}

/** Rules tslib-helper, unsupported and esmodule-marker over the whole tree. */
function checkNodes(program, top, report) {
  const isGlobal = (id, scopes) => id.type === "Identifier" && !resolve(id.name, scopes) && !top.has(id.name);
  walk(program, null, [], (node, parent, scopes) => {
    if (node.type === "Identifier" && TSLIB.has(node.name)) {
      report(node, "tslib-helper", `TypeScript helper ${node.name}: target ES5 without tslib helpers`);
    }
    if (node.type === "FunctionDeclaration" && TSLIB.has(node.id.name)) {
      report(node.id, "tslib-helper", `TypeScript helper ${node.id.name}: target ES5 without tslib helpers`);
    }
    if (node.type === "VariableDeclarator" && node.id.type === "Identifier" && TSLIB.has(node.id.name)) {
      report(node.id, "tslib-helper", `TypeScript helper ${node.id.name}: target ES5 without tslib helpers`);
    }
    if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "require" &&
      node.arguments.length && node.arguments[0].value === "tslib") {
      report(node, "tslib-helper", 'require("tslib") is not available on Espruino');
    }
    if (node.type === "Identifier" && BAD_GLOBALS.has(node.name) && isReference(node, parent) &&
      isGlobal(node, scopes)) {
      report(node, "unsupported", `${node.name} does not exist in Espruino`);
    }
    if (node.type === "MemberExpression" && isGlobal(node.object, scopes) &&
      BAD_MEMBERS.has(node.object.name + "." + propName(node))) {
      report(node, "unsupported", `${node.object.name}.${propName(node)} does not exist in Espruino`);
    }
    if (node.type === "MemberExpression" && node.object.type === "MemberExpression" &&
      isGlobal(node.object.object, scopes) && PROTO_OWNERS.has(node.object.object.name) &&
      propName(node.object) === "prototype" && !(parent && parent.type === "AssignmentExpression" && parent.left === node)) {
      report(node, "unsupported", `${node.object.object.name}.prototype.${propName(node) || "[...]"} reads as ` +
        `undefined in Espruino (use e.g. [].slice.call)`);
    }
    if (node.type === "LabeledStatement") {
      report(node, "unsupported", `labelled statement "${node.label.name}:" is not supported by Espruino`);
    }
    if (node.type === "CallExpression" && node.callee.type === "MemberExpression" &&
      isGlobal(node.callee.object, scopes) && node.callee.object.name === "Object" &&
      propName(node.callee) === "defineProperty" && node.arguments.length > 1 &&
      node.arguments[0].type === "Identifier" && node.arguments[0].name === "exports" &&
      node.arguments[1].value === "__esModule") {
      report(node, "esmodule-marker", "__esModule marker costs RAM on Espruino (rollup output.esModule: false)");
    }
    if (node.type === "AssignmentExpression" && node.left.type === "MemberExpression" &&
      node.left.object.type === "Identifier" && node.left.object.name === "exports" &&
      propName(node.left) === "__esModule") {
      report(node, "esmodule-marker", "__esModule marker costs RAM on Espruino");
    }
  });
}

/** True when `node` (not entering nested functions) contains a call or `new`, i.e. something that may throw. */
function mayThrow(node) {
  if (node.type === "CallExpression" || node.type === "NewExpression") return true;
  return !isFunction(node) && children(node).some(({ child }) => mayThrow(child));
}

/**
 * Interpreter quirks of Espruino 2v29, found by running the built module on the real interpreter:
 * - `arguments-length`: `arguments.length` is never less than the number of declared parameters
 *   (`(function(a,b){return arguments.length})(1)` is 2), so it cannot tell which arguments were passed;
 * - `try-object-literal`: an exception thrown while evaluating a property of an object literal that has another
 *   property after it escapes the enclosing try/catch (`try { return {a: f(), b: 1} } catch (e) {}`).
 */
function checkQuirks(program, report) {
  walk(program, null, [], (node) => {
    if (node.type === "MemberExpression" && node.object.type === "Identifier" && node.object.name === "arguments" &&
      propName(node) === "length") {
      report(node, "arguments-length", "arguments.length in Espruino is never less than the declared parameter " +
        "count: test a parameter against undefined instead");
    }
    if (node.type === "TryStatement" && node.handler) {
      const inBlock = (n) => {
        if (isFunction(n)) return;
        if (n.type === "ObjectExpression") {
          n.properties.slice(0, -1).forEach((p) => {
            if (mayThrow(p.value)) {
              report(p, "try-object-literal", "a throw inside an object literal property followed by another " +
                "property skips the catch in Espruino: compute the value before the literal");
            }
          });
        }
        children(n).forEach(({ child }) => inBlock(child));
      };
      inBlock(node.block);
    }
  });
}

/** Rule docstring: each top-level `exports.NAME = ...` needs a /** *\/ block above it or above what it names. */
function checkDocs(code, program, comments, report) {
  const documented = (node) => comments.some((c) => c.type === "Block" && c.value.startsWith("*") &&
    c.end <= node.start && /^[ \t]*\r?\n?[ \t]*$/.test(code.slice(c.end, node.start)));
  for (const stmt of program.body) {
    const a = stmt.type === "ExpressionStatement" && stmt.expression;
    if (!a || a.type !== "AssignmentExpression" || a.left.type !== "MemberExpression" ||
      a.left.object.type !== "Identifier" || a.left.object.name !== "exports") continue;
    const name = propName(a.left);
    if (documented(stmt)) continue;
    const target = a.right.type === "Identifier" && program.body.find((s) =>
      (s.type === "FunctionDeclaration" && s.id.name === a.right.name) ||
      (s.type === "VariableDeclaration" && s.declarations.some((d) => d.id.name === a.right.name)));
    if (target && documented(target)) continue;
    report(stmt, "docstring", `exports.${name} has no /** */ doc`);
  }
}

/**
 * Check one source file for problems that break (or bloat) it on Espruino.
 * @param {string} code source text
 * @param {string} [fileName] used only in messages
 * @param {{requireDocs?: boolean}} [options] requireDocs enables the `docstring` rule
 * @returns {{errors: Array<{line: number, col: number, rule: string, message: string}>}} col is 1-based
 */
export function checkSource(code, fileName = "<input>", options = {}) {
  const errors = [];
  const seen = new Set();
  const add = (line, col, rule, message) => {
    const key = `${line}:${col}:${rule}:${message}`;
    if (!seen.has(key)) { seen.add(key); errors.push({ line, col, rule, message }); }
  };
  const report = (node, rule, message) => add(node.loc.start.line, node.loc.start.column + 1, rule, message);

  code.split("\n").forEach((text, i) => {
    const at = text.search(/[^\x00-\x7f]/);
    if (at >= 0) {
      add(i + 1, at + 1, "non-ascii", `non-ASCII character U+${text.codePointAt(at).toString(16).toUpperCase()
        .padStart(4, "0")}: keep uploaded code ASCII (use \\u escapes)`);
    }
  });

  let program;
  const comments = [];
  try {
    program = parse(code, { ecmaVersion: 5, sourceType: "script", locations: true, onComment: comments });
  } catch (e) {
    if (!(e instanceof SyntaxError) || !e.loc) throw e;
    add(e.loc.line, e.loc.column + 1, "es5-parse", `${e.message.replace(/ \(\d+:\d+\)$/, "")} (not ES5)`);
    try { // keep checking the other rules on a newer-syntax parse, if there is one
      comments.length = 0;
      program = parse(code, { ecmaVersion: "latest", sourceType: "script", locations: true, onComment: comments });
    } catch {
      program = null;
    }
  }
  if (program) {
    const top = declaredIn(program);
    checkLoadOrder(program, top, report);
    checkNodes(program, top, report);
    checkQuirks(program, report);
    if (options.requireDocs) checkDocs(code, program, comments, report);
  }
  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  return { errors, fileName };
}

/** CLI entry: check each file, print problems as `file:line:col rule: message`; returns the exit code. */
export function main(args) {
  const docs = args.includes("--docs");
  let files = args.filter((a) => a !== "--docs");
  if (!files.length) files = moduleNames().flatMap((m) => [`modules/${m}.js`, `modules/${m}.min.js`]);
  let failed = false;
  for (const file of files) {
    const code = readFileSync(file, "utf8");
    const { errors } = checkSource(code, file, { requireDocs: docs && !file.endsWith(".min.js") });
    for (const e of errors) console.log(`${file}:${e.line}:${e.col} ${e.rule}: ${e.message}`);
    if (errors.length) failed = true;
    else console.log(`ok ${file} (${Buffer.byteLength(code)} bytes)`);
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
