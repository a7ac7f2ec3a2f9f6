/**
 * RAM of the virtual board: the JsVars in use (process.memory().usage/free) from the calibrated model
 * (sim/ram-model.js), and Espruino's behaviour when a program needs more JsVars than the board has.
 *
 * usage = baseUsage (interpreter after reset(), built-ins in use)
 *       + every loaded module, as modelled when it was loaded (moduleVars, in its loading form)
 *       + the program's own data: a reachability walk like Espruino's garbage collector from the globals the
 *         program created (each global = a name + its value: objects, arrays, strings and typed arrays by size,
 *         functions by their stored code) and from pending timers (5 JsVars each, +2 for an interval, + args)
 *
 * Out of memory, as Espruino 2v29 reports it (src/jsvar.c jsvNewWithFlags, src/jsinteractive.c jsiCheckErrors):
 *   - a module upload (Modules.addCached) whose peak (the REPL's copy of the line, the wrapper's code, the module)
 *     does not fit: "OUT OF MEMORY    at module", "Execution Interrupted", then once per new error flags
 *     "New interpreter error: LOW_MEMORY,MEMORY"; the module is cached with the exports it had (here: none);
 *   - a command or timer callback after which more JsVars are reachable than the board has: the same lines
 *     ("Execution Interrupted during event processing." for a callback); while memory stays over the limit,
 *     every further command or callback is refused with "Execution Interrupted" (the board cannot even parse it),
 *     except reset() (and E.reboot(), load()), which frees the memory as on the board.
 *   The "OUT OF MEMORY" line and its stack trace are printed only while the MEMORY error flag is clear, as on the
 *   board; reset() clears the flags.
 *
 * Functions created while E.setFlags({pretokenise: 1}) is in force (the flag when the command or module started,
 * then as the code's own E.setFlags statements change it: analyseModule) are counted with their code tokenised.
 *
 * Limits (documented in docs/ARCHITECTURE.md): memory used only inside one command (a local array freed before it
 * returns) is not seen, only what is reachable at its end; a module's own state is counted as it was at load;
 * functions of the program have their code in RAM (a program loaded from flash is not told apart); a closure's
 * enclosing scope is estimated from the enclosing function's parameters and `var` initialisers, one scope per
 * closure; strings are counted as chained strings; the stack-trace lines after "OUT OF MEMORY" carry no code
 * position.
 */
import { DBGMCU_IDCODE, FLASH_START, F_SIZE, SCB_VTOR } from "./chip.js";
import { Walker, analyseModule, functionVars, layoutFor, moduleVars as modelModuleVars, nameVars,
  transientVars as modelTransientVars } from "./ram-model.js";

/**
 * The model's answers for a module load, remembered per process: the same module loaded again under the same
 * conditions (source, name, form, layout, pretokenise flag, board readings) costs the same, and a board that boots
 * thousands of times (the power-cut sweep) would otherwise parse and dry-run each module at every boot.
 */
const memo = new Map();
const MEMO_MAX = 256;
function remember(key, compute) {
  let v = memo.get(key);
  if (v === undefined) {
    if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value);
    v = compute();
    memo.set(key, v);
  }
  return v;
}
const conditions = (o) => JSON.stringify([o.name, o.form, o.layout, !!o.pretokenise, o.readings]);
/** moduleVars of sim/ram-model.js, remembered. */
const moduleVars = (source, o) => remember(`m${conditions(o)}\n${source}`, () => modelModuleVars(source, o));
/** transientVars of sim/ram-model.js, remembered. */
const transientVars = (name, source, form, layout, o = {}) =>
  remember(`t${conditions({ name, form, layout, pretokenise: o.pretokenise })}\n${source}`,
    () => modelTransientVars(name, source, form, layout, o));

/** Commands a board with its memory full still runs (measured on 2v29: reset() does; others are interrupted). */
const RECOVERY = /^\s*(reset|E\.reboot|load)\(\)\s*;?\s*$/;

/** JsVars of one pending timer without its callback (measured on 2v29: setTimeout(fn) = 5 + fn). */
export const TIMER_VARS = 5;
/** extra JsVars of setInterval's "interval" (measured: 2) */
export const INTERVAL_VARS = 2;

export class BoardRam {
  /**
   * @param {object} o
   * @param {number} o.total  variables of the firmware (2756 on the Original)
   * @param {number} o.baseUsage  usage after reset() with the usual built-ins materialised
   * @param {boolean} [o.enforce=true]  false: usage is reported but running out has no effect (harness option)
   */
  constructor({ total, baseUsage, enforce = true }) {
    this.total = total;
    this.baseUsage = baseUsage;
    this.enforce = enforce;
    this.layout = layoutFor(total);
    this.fnCache = new Map(); // function source text -> info (program functions)
    this.programFns = new Map(); // function source text -> info, from the program code run so far
    this.contextCreated(null);
  }

  /** Espruino's `pretokenise` flag now (E.setFlags on the board). */
  pretokenise() { return !!(this.runtime && this.runtime.flags && this.runtime.flags.pretokenise); }

  /**
   * What a module reading the board at load gets here, for the model's dry run (moduleVars readings): F_SIZE,
   * DBGMCU_IDCODE, SCB->CPUID/VTOR, the Reset_Handler entry of the firmware's vector table, process.memory() and
   * process.env, taken from the chip's state without bus accesses (no stall, no counter changes).
   */
  readings() {
    const rt = this.runtime, chip = rt && rt.chip;
    if (!chip || !chip.info || !chip.scb) return undefined;
    const vtor = chip.scb.read(SCB_VTOR & 0xff) >>> 0;
    const table = ((FLASH_START | vtor) >>> 0) - FLASH_START + 4;
    const peek = {
      [F_SIZE]: chip.bytesLE(chip.info, F_SIZE - chip.preset.infoStart, 2),
      [DBGMCU_IDCODE]: chip.idcode(),
      [SCB_VTOR - 8]: chip.scb.read(0),
      [SCB_VTOR]: vtor,
    };
    if (table + 4 <= chip.flash.size) peek[(FLASH_START + table) >>> 0] = chip.bytesLE(chip.flash.bytes, table, 4);
    return { peek, memory: rt.memory(rt.moduleChars, false), env: rt.env };
  }

  /** A new interpreter context (power-up, reset(), E.reboot()): modules gone, error flags cleared. */
  contextCreated(runtime) {
    this.runtime = runtime;
    this.modules = new Map();   // name -> {jsvars, form, exports}
    this.external = new Set();  // objects owned by modules (not program data)
    this.flags = new Set();     // jsErrorFlags: LOW_MEMORY, MEMORY
    this.reported = new Set();  // lastJsErrorFlags
    this.builtinNames = runtime ? new Set(Object.getOwnPropertyNames(runtime.context)) : new Set();
    this.builtinNames.add("echo"); // installed by the REPL
  }

  /** JsVars of all loaded modules. */
  moduleUsage() {
    let n = 0;
    for (const m of this.modules.values()) n += m.jsvars;
    return n;
  }

  /** usage = base + modules + program data + timers. */
  usage() {
    return this.baseUsage + this.moduleUsage() + this.programUsage();
  }

  /** JsVars reachable from the program's globals and timers (module exports excluded: counted with modules). */
  programUsage() {
    const rt = this.runtime;
    if (!rt) return 0;
    const w = new Walker({ external: this.external, layout: this.layout });
    w.fn = (f) => this.programFunction(f, w);
    const g = rt.context;
    let n = 0;
    for (const k of Object.getOwnPropertyNames(g)) {
      if (this.builtinNames.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(g, k);
      n += nameVars(k.length, this.layout) + ("value" in d ? w.inName(d.value) : 1);
    }
    for (const t of rt.timers.timers.values()) {
      n += TIMER_VARS + (t.repeat ? INTERVAL_VARS : 0) + w.inName(t.fn);
      if (t.args && t.args.length) {
        n += 2;
        for (const a of t.args) n += 1 + w.inName(a, "index");
      }
    }
    return n;
  }

  /** Remember the functions a piece of program code defines (where they sit decides their closure scopes). */
  recordSource(code) {
    if (typeof code !== "string" || !/function|=>/.test(code)) return;
    let a;
    try { a = analyseModule(code, { pretokenise: this.pretokenise() }); } catch { return; } // a syntax error: V8
    // rejects it too, nothing was created
    for (const [text, infos] of a.functions) if (!this.programFns.has(text)) this.programFns.set(text, infos[0]);
  }

  /**
   * JsVars of a function of the program (not seen before). A function defined at the top level of a command is a
   * REPL function (no scope); one created inside another function keeps that function's scope: one object with
   * a name per parameter and `var` of it (values estimated from their initialisers), reached through a scope array when nested
   * two deep or more (src/jsparse.c jspeiGetScopesAsVar). Each such closure is given its own scope (one call each).
   */
  programFunction(f, w) {
    const text = Function.prototype.toString.call(f);
    let info = this.programFns.get(text) ?? this.fnCache.get(text);
    if (info === undefined) {
      info = programFunctionInfo(text, this.pretokenise());
      this.fnCache.set(text, info);
    }
    const L = this.layout;
    let n = info ? functionVars(info, { inFlash: false, scoped: info.depth > 0 }, L) : 1; // native: 1
    if (info && info.depth > 0) {
      if (info.depth > 1) n += 1 + info.depth;
      for (const names of info.enclosing) { n += 1; for (const b of names) n += nameVars(b.name.length, L) + b.value; }
    }
    for (const k of Object.getOwnPropertyNames(f)) {
      if (k === "length" || k === "name" || k === "prototype" || k === "arguments" || k === "caller") continue;
      const d = Object.getOwnPropertyDescriptor(f, k);
      n += nameVars(k.length, this.layout) + ("value" in d ? w.inName(d.value) : 1);
    }
    return n + w.prototypeOf(f);
  }

  /**
   * Before Modules.addCached runs a module: does its upload fit? If not, print what the board prints, record the
   * module as filling the memory that was left, and return false (the caller caches an empty exports object).
   * @param {string} name @param {string} source  module text @param {"fn"|"str"|"storage"|"bootcde"} form
   * @param {boolean} [upload=true]  false: a harness load (board.addModule), no REPL line or wrapper peak
   */
  beforeModule(name, source, form, upload = true) {
    this.loading = { pretokenise: this.pretokenise(), readings: this.readings() }; // as the module starts loading
    const cost = moduleVars(source, { name, form, layout: this.layout, ...this.loading }).jsvars;
    const transient = upload ? transientVars(name, source, form, this.layout, this.loading) : 0;
    const before = this.usage();
    if (!this.enforce || before + transient + cost <= this.total) return true;
    this.outOfMemory("module", "command");
    this.modules.set(name, { jsvars: Math.max(0, this.total - before - transient), form, exports: null });
    return false;
  }

  /**
   * After a module ran: remember its modelled cost and the objects it owns.
   * @param {string} name @param {string} source @param {string} form @param {any} exportsValue
   */
  moduleLoaded(name, source, form, exportsValue) {
    const cost = moduleVars(source, { name, form, layout: this.layout, ...(this.loading || {}) }).jsvars;
    this.loading = null;
    this.modules.set(name, { jsvars: cost, form, exports: exportsValue });
    const w = new Walker({ layout: this.layout });
    w.inName(exportsValue);
    for (const o of w.seen) this.external.add(o);
  }

  /**
   * Before a command (kind "command") or timer callback ("event") runs: refuse it while memory is over the limit.
   * @returns {boolean} true = do not run it
   */
  refuse(kind, code) {
    this.recordSource(code);
    if (!this.enforce || (kind === "command" && RECOVERY.test(code))) return false; // reset() runs with memory full
    if (this.usage() <= this.total) return false;
    this.emit(kind === "event" ? "Execution Interrupted during event processing." : "Execution Interrupted");
    return true;
  }

  /** After a command or callback: report when more is reachable than the board has. */
  check(kind) {
    if (this.enforce && this.usage() > this.total) this.outOfMemory(kind === "event" ? "" : "REPL", kind);
  }

  /** What Espruino prints when an allocation fails (flags: src/jsutils.h JSERR_LOW_MEMORY, JSERR_MEMORY). */
  outOfMemory(where, kind) {
    if (!this.flags.has("MEMORY")) this.emit(where ? `OUT OF MEMORY    at ${where}` : "OUT OF MEMORY");
    this.flags.add("LOW_MEMORY");
    this.flags.add("MEMORY");
    this.emit(kind === "event" ? "Execution Interrupted during event processing." : "Execution Interrupted");
    const fresh = [...this.flags].filter((f) => !this.reported.has(f));
    if (fresh.length) {
      this.emit(`New interpreter error: ${["LOW_MEMORY", "MEMORY"].filter((f) => fresh.includes(f)).join(",")}`);
      for (const f of fresh) this.reported.add(f);
    }
  }

  emit(line) { if (this.runtime) this.runtime.output(line + "\n"); }

  /** process.memory() fields usage/free/total. */
  memory() {
    const usage = this.usage();
    return { free: Math.max(0, this.total - usage), usage, total: this.total };
  }
}

/**
 * Parameters, name and stored code length of a function of the program from its source text (null if it cannot
 * be parsed, e.g. a native function or a method shorthand): for functions the program's recorded code did not
 * show (made by eval or new Function...), taken as created now.
 * @param {string} text  Function.prototype.toString of the function
 * @param {boolean} [pretokenise=false]  Espruino's pretokenise flag now: its code is counted tokenised
 */
export function programFunctionInfo(text, pretokenise = false) {
  if (/\{\s*\[native code\]\s*\}$/.test(text)) return null;
  const unknown = { params: [], name: null, codeLength: text.length, tokenLength: text.length, tokenised: false,
    depth: 0, enclosing: [] };
  try {
    const infos = analyseModule(`(${text})`, { pretokenise }).functions.get(text);
    if (!infos) return unknown;
    return { ...infos[0], name: null, depth: 0, enclosing: [] }; // a declaration's name is in its scope
  } catch {
    return unknown;
  }
}
