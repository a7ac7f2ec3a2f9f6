/**
 * The Espruino runtime of the virtual board: the globals listed in docs/ARCHITECTURE.md, with Espruino
 * 2v29 semantics (espruino-platform.md §3, §4, §6), inside a node:vm context. Every native call
 * (peek* / poke* / E.* / process.memory / getTime / Flash.* / Storage.*) is counted and charged `callCostUs` of
 * virtual time BEFORE its bus accesses run (the interpreter cost model).
 *
 * RAM is the node:vm context: a new context is "RAM cleared". Start-up, reset(), save() and load() follow
 * Espruino's src/jsinteractive.c (jsiInit, jsiSemiInit, jsiSoftInit, jsiSoftKill, the TODO flags handled in
 * jsiIdle) and src/jsflash.c (jsfLoadBootCodeFromFlash, jsfSaveToFlash): saved state and boot code live in the
 * Storage files `.varimg`, `.bootcde`, `.bootrst`, `.boot0`-`.boot3`, `.bootPowerOn` of the virtual flash
 * (sim/storage.js); the state image is described in sim/state-image.js.
 */
import { STRING_SEARCH_2V29, STRING_SEARCH_SAVE_ON_FLASH } from "./string-search.js";
import vm from "node:vm";
import { TimerQueue } from "./timers.js";
import { formatValue } from "./format.js";
import { FLAGS } from "./storage.js";
import { captureImage, restoreImage } from "./state-image.js";

/** Bytes of a string, one per character (low byte), as Espruino stores strings. @param {string} s */
export function bytesOf(s) {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
/** A string of bytes, one character per byte. @param {Uint8Array} b */
export const latin1 = (b) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");

/** The code inside `function(){...}` as Modules.addCached receives it (what the CLI wrapped). */
export function moduleBody(fn) {
  const t = Function.prototype.toString.call(fn);
  return t.slice(t.indexOf("{") + 1, t.lastIndexOf("}"));
}

/** Thrown through the board's JS by E.reboot(); board.eval swallows it. */
export class RebootSignal extends Error {
  constructor() { super("E.reboot()"); this.name = "RebootSignal"; }
}

/**
 * Built-ins Espruino 2v29 lacks (espruino-platform.md §6) and the sim removes from the context, so code that
 * uses them fails as on the board. ([object, property] pairs; null object = global.)
 * Number.MAX_SAFE_INTEGER is not configurable in V8 and cannot be removed.
 */
export const REMOVED_BUILTINS = [
  [null, "Map"], [null, "Set"], [null, "WeakMap"], [null, "WeakSet"], [null, "WeakRef"], [null, "FinalizationRegistry"],
  [null, "Symbol"], [null, "Reflect"], [null, "Proxy"], [null, "RangeError"], [null, "AggregateError"],
  [null, "BigInt"], [null, "BigInt64Array"], [null, "BigUint64Array"], [null, "SharedArrayBuffer"], [null, "Atomics"],
  [null, "WebAssembly"], [null, "Intl"],
  ["Array", "from"], ["Array", "of"], ["Object", "freeze"], ["Number", "isInteger"],
  ["Math", "imul"], ["Math", "trunc"], ["Math", "clz32"],
];

/** Standard CRC-32 (reflected, poly 0xEDB88320), unsigned. E.CRC32("hello") = 907060870 (§4). */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Espruino integer conversion (jsvGetInteger): int32, NaN -> 0. */
export function toInt32(v) {
  if (typeof v === "string") v = Number(v);
  return Number(v) | 0;
}

const typeName = (v) => Object.prototype.toString.call(v).slice(8, -1);

/**
 * Flatten E.toString / E.toUint8Array / E.CRC32 arguments to bytes: numbers, strings, arrays (nested),
 * typed arrays (elements & 0xFF), ArrayBuffers, {data, count} objects (espruino-platform.md §4).
 * @returns {number[]} bytes
 */
export function flattenBytes(args, out = []) {
  for (const a of args) {
    if (a === undefined || a === null) continue;
    if (typeof a === "number" || typeof a === "boolean") out.push(toInt32(a) & 0xff);
    else if (typeof a === "string") for (let i = 0; i < a.length; i++) out.push(a.charCodeAt(i) & 0xff);
    else if (Array.isArray(a)) flattenBytes(a, out);
    else if (ArrayBuffer.isView(a)) for (let i = 0; i < a.length; i++) out.push(toInt32(a[i]) & 0xff);
    else if (typeName(a) === "ArrayBuffer") for (const b of new Uint8Array(a)) out.push(b);
    else if (typeof a === "object" && "data" in a) {
      const n = a.count === undefined ? 1 : toInt32(a.count);
      for (let i = 0; i < n; i++) flattenBytes([a.data], out);
    }
  }
  return out;
}

export class EspruinoRuntime {
  /**
   * @param {object} o
   * @param {import("./chip.js").Chip} o.chip
   * @param {object} o.counters
   * @param {number} o.callCostUs   µs charged per native call
   * @param {object} o.env          process.env fields
   * @param {function(number):object} o.memory  process.memory() fields given the cached-module size in chars
   * @param {{crc32:boolean, nativeCall:boolean}} o.features  false on SAVE_ON_FLASH builds
   * @param {object<string, function(EspruinoRuntime):object>} [o.builtinModules]  require()-able built-ins
   * @param {string[]} [o.unmodelledModules] listed in process.env.MODULES but not provided by the sim
   * @param {function(string):void} o.output  receives printed lines incl. "\n"
   * @param {function():void} o.onReboot  hardware reset (E.reboot)
   * @param {import("./storage.js").Storage|null} [o.storage]  the Storage area (saved code) of the virtual flash
   * @param {import("./jshardware.js").FlashHAL} [o.hal]  the firmware's flash functions
   *
   * The constructor leaves RAM empty; the board calls powerOn() to start Espruino (load saved code).
   * (`nativeCode`, set by the board after construction: runs E.nativeCall code, sim/native-call.js)
   * @param {import("./ram.js").BoardRam} [o.ram]  RAM model: usage, out-of-memory behaviour (sim/ram.js)
   */
  constructor(o) {
    Object.assign(this, o);
    this.timers = new TimerQueue((fn, args) => this.runCallback(fn, args));
    /** jsiStatus TODO flags, handled when the current command has finished (afterRun) */
    this.todo = { reset: false, save: false, load: false, loadFile: undefined };
    this.consoleLine = "";
    this.firstBoot = false;
    /** false after a start that loaded saved code (Espruino prints its logo only otherwise); see takeBanner() */
    this.bannerWanted = true;
    if (this.storage) this.storage.print = (t) => this.consolePrint(t);
    this.createContext();
  }

  /** Fresh interpreter state: new context, no modules, no timers, no event handlers ("RAM cleared"). */
  createContext() {
    this.timers.dispose();
    const ctx = vm.createContext({});
    this.context = ctx;
    /** constructors of the context realm, so values handed to board code are "its own" */
    this.R = vm.runInContext("({Uint8Array, Uint16Array, Uint32Array, ArrayBuffer, Error, TypeError, SyntaxError, Object, Array, JSON})", ctx);
    this.modules = new Map();
    /** module name -> {kind: "string"|"function", src}: what save() needs to load the module again */
    this.moduleSources = new Map();
    this.moduleChars = 0;
    /** E.on() handlers: event name -> functions */
    this.listeners = {};
    const del = REMOVED_BUILTINS.map(([obj, prop]) => `delete ${obj ?? "globalThis"}.${prop};`).join("");
    vm.runInContext(del, ctx);
    vm.runInContext(this.features?.saveOnFlash ? STRING_SEARCH_SAVE_ON_FLASH : STRING_SEARCH_2V29, ctx);
    this.installGlobals(ctx);
    /** the global object as the board's code sees it, and the names on it that are not the program's */
    this.global = vm.runInContext("globalThis", ctx);
    this.builtinGlobals = new Set(Object.getOwnPropertyNames(this.global));
    this.ram?.contextCreated(this);
    this.hooks?.newContext(ctx);
  }

  /** An Error of the board's realm. */
  error(msg, T = "Error") { return new this.R[T](msg); }

  /** Wrap a host function as a counted native call (ARCHITECTURE.md "Native calls counted"). */
  native(name, fn) {
    const rt = this;
    return function (...args) {
      const c = rt.counters;
      rt.hooks?.beforeNative(name); // sim/power-cut.js: no native call runs while the power is off
      c.nativeCalls++;
      c.calls[name] = (c.calls[name] || 0) + 1;
      rt.chip.clock.advance(rt.callCostUs);
      const r = fn.apply(this, args);
      rt.hooks?.afterNative(name); // sim/power-cut.js: "cut after native call k"
      return r;
    };
  }

  /** Convert a host value (plain data) to the context realm. */
  toCtx(v) { return this.R.JSON.parse(JSON.stringify(v)); }

  installGlobals(ctx) {
    const chip = this.chip;
    const R = this.R;
    const g = ctx;
    const peek = (width, Ctor) => (addr, count) => {
      const a = toInt32(addr) >>> 0;
      const n = count === undefined ? 1 : toInt32(count);
      const w = width >>> 3;
      // peek16 is two byte reads (1v96+), peek8/peek32 one access each (§3)
      const read = width === 16 ? (x) => chip.read8(x) | (chip.read8((x + 1) >>> 0) << 8) : (x) => chip.read(x, width);
      if (n > 1) {
        const arr = new R[Ctor](n);
        for (let i = 0; i < n; i++) arr[i] = read((a + i * w) >>> 0);
        return arr;
      }
      return read(a);
    };
    const poke = (width) => (addr, value) => {
      if (value === undefined || value === null) return;
      const a = toInt32(addr) >>> 0;
      const w = width >>> 3;
      if (typeof value === "string") {
        for (let i = 0; i < value.length; i++) chip.write((a + i * w) >>> 0, width, value.charCodeAt(i));
      } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        for (let i = 0; i < value.length; i++) chip.write((a + i * w) >>> 0, width, toInt32(value[i]));
      } else if (typeName(value) === "ArrayBuffer") {
        const b = new Uint8Array(value);
        for (let i = 0; i < b.length; i++) chip.write((a + i * w) >>> 0, width, b[i]);
      } else {
        chip.write(a, width, toInt32(value));
      }
    };
    g.peek8 = this.native("peek8", peek(8, "Uint8Array"));
    g.peek16 = this.native("peek16", peek(16, "Uint16Array"));
    g.peek32 = this.native("peek32", peek(32, "Uint32Array"));
    g.poke8 = this.native("poke8", poke(8));
    g.poke16 = this.native("poke16", poke(16));
    g.poke32 = this.native("poke32", poke(32));

    g.E = this.makeE();
    g.process = this.makeProcess();
    g.Modules = this.makeModules();
    g.require = (name) => this.require(name);
    g.print = (...a) => this.print(a);
    g.console = new R.Object();
    g.console.log = (...a) => this.print(a);
    g.setTimeout = (fn, ms, ...args) => this.timers.add(this.callable(fn), ms, args, false);
    g.setInterval = (fn, ms, ...args) => this.timers.add(this.callable(fn), ms, args, true);
    g.clearTimeout = (id) => (id === undefined ? this.timers.clearAll() : this.timers.clear(id));
    g.clearInterval = g.clearTimeout;
    g.getTime = this.native("getTime", () => chip.clock.nowUs / 1e6);
    g.global = vm.runInContext("globalThis", ctx);
    g.atob = (s) => Buffer.from(String(s), "base64").toString("latin1");
    g.btoa = (s) => Buffer.from(String(s), "latin1").toString("base64");
    // src/jswrap_interactive.c: these act when the current command has finished (jsiIdle)
    g.reset = (clearFlash) => {
      if (clearFlash) this.removeCodeFromFlash();
      this.todo.reset = true;
    };
    if (this.storage) {
      g.save = () => {
        if (this.storage.find(".bootcde")) throw this.error("Cannot save: .bootcde file already exists. Please remove it first.");
        this.todo.save = true;
      };
      g.load = (filename) => { this.todo.load = true; this.todo.loadFile = filename === undefined ? undefined : String(filename); };
    }
  }

  makeE() {
    const chip = this.chip, R = this.R;
    const E = new R.Object();
    E.memoryArea = this.native("E.memoryArea", (addr, len) => {
      const a = toInt32(addr) >>> 0;
      const n = toInt32(len);
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(chip.read8((a + i) >>> 0));
      return s;
    });
    E.sum = this.native("E.sum", (arr) => {
      if (arr === undefined || arr === null || typeof arr !== "object") throw this.error("Expecting an array", "TypeError");
      const t = typeName(arr);
      let s = 0;
      if (ArrayBuffer.isView(arr) && !/Float/.test(t)) for (let i = 0; i < arr.length; i++) s += arr[i] | 0; // int32: Uint32 0xFFFFFFFF -> -1 (§4)
      else for (let i = 0; i < arr.length; i++) s += Number(arr[i]);
      return s;
    });
    E.toString = this.native("E.toString", (...args) => String.fromCharCode(...flattenBytes(args)));
    E.toUint8Array = this.native("E.toUint8Array", (...args) => {
      const b = flattenBytes(args);
      const u = new R.Uint8Array(b.length);
      u.set(b);
      return u;
    });
    E.toArrayBuffer = this.native("E.toArrayBuffer", (str) => {
      const b = flattenBytes([String(str)]);
      const ab = new R.ArrayBuffer(b.length);
      new R.Uint8Array(ab).set(b);
      return ab;
    });
    E.reboot = this.native("E.reboot", () => { this.onReboot(); throw new RebootSignal(); });
    // events on E (src/jswrap_object.c on/emit/removeListener/removeAllListeners): "init" and "kill" are emitted by
    // the start-up and save/load/reset code below
    E.on = (event, fn) => {
      if (typeof fn !== "function") throw this.error("Expecting a function for the listener", "TypeError");
      (this.listeners[String(event)] ||= []).push(fn);
    };
    E.addListener = E.on;
    E.emit = (event, ...args) => this.emitEvent(String(event), args);
    E.removeListener = (event, fn) => {
      const list = this.listeners[String(event)];
      if (list && list.includes(fn)) list.splice(list.indexOf(fn), 1);
    };
    E.removeAllListeners = (event) => {
      if (event === undefined) this.listeners = {};
      else delete this.listeners[String(event)];
    };
    if (this.storage) {
      E.setBootCode = this.native("E.setBootCode", (code, alwaysExec) => {
        this.saveBootCode(typeof code === "string" ? code : "", !!alwaysExec);
      });
    }
    // E.getFlags()/E.setFlags(obj) (Espruino's src/jsflags.c): the interpreter flags as 0/1, set from truthy values;
    // unknown keys ignored. The virtual board keeps them (this.flags); `pretokenise` changes how Espruino stores
    // function code in RAM, not what it does: the RAM model (sim/ram.js) reads it.
    const flags = this.flags = { deepSleep: 0, unsafeFlash: 0, unsyncFiles: 0, pretokenise: 0, jitDebug: 0,
      onErrorSave: 0, onErrorFlash: 0 };
    E.getFlags = this.native("E.getFlags", () => Object.assign(new R.Object(), flags));
    E.setFlags = this.native("E.setFlags", (o) => {
      if (o !== null && typeof o === "object") for (const k of Object.keys(flags)) if (k in o) flags[k] = o[k] ? 1 : 0;
    });
    if (this.features.crc32) E.CRC32 = this.native("E.CRC32", (data) => crc32(flattenBytes([data])));
    if (this.features.nativeCall) {
      // Thumb code runs on an instruction-set emulator when the board provides one (sim/native-call.js)
      const bytesOf = (v) => flattenBytes([v]);
      E.getAddressOf = this.native("E.getAddressOf", (v, flat) => {
        if (this.nativeCode) return this.nativeCode.getAddressOf(v, flat, bytesOf);
        chip.diag("E.getAddressOf: not modelled by the virtual board, returns 0");
        return 0;
      });
      E.nativeCall = this.native("E.nativeCall", (addr, sig, data) => {
        if (this.nativeCode) return this.native("nativeCall()", this.nativeCode.nativeCall(addr, sig, data, bytesOf));
        throw this.error("E.nativeCall: Thumb code cannot run on the virtual board");
      });
    }
    return E;
  }

  makeProcess() {
    const p = new this.R.Object();
    p.env = this.toCtx(this.env);
    p.version = this.env.VERSION;
    p.memory = this.native("process.memory", (gc) => this.toCtx(this.memory(this.moduleChars, gc !== false)));
    return p;
  }

  makeModules() {
    const M = new this.R.Object();
    M.addCached = (name, src) => this.addCached(name, src);
    M.getCached = () => this.toCtx([...this.modules.keys()]);
    M.removeCached = (name) => {
      if (typeof name !== "string") throw this.error("The argument to removeCached must be a string");
      if (!this.modules.delete(name)) throw this.error(`Module "${name}" not found`);
    };
    M.removeAllCached = () => { this.modules.clear(); };
    return M;
  }

  /**
   * Modules.addCached(name, src): src is a String (module source) or a Function (its code text is used, not its
   * closure). The module runs immediately (evaluateModule) and what it exports is cached under `name`, also when
   * its body throws (as Espruino's jswrap_modules_addCached: the error still reaches the caller).
   * The one place where uploaded modules enter RAM (src/jswrap_modules.c jswrap_modules_addCached).
   * upload false (board.addModule): the RAM check leaves out the REPL line and wrapper an upload needs on top.
   * Called by code running from flash (boot code, `.bootcde` of Save on Send) the function's code stays in flash.
   * @param {string} name @param {string|function} src @param {{upload?: boolean}} [o]
   */
  addCached(name, src, { upload = true } = {}) {
    if (typeof name !== "string" || !(typeof src === "string" || typeof src === "function"))
      throw this.error("args must be addCached(string, string|function)");
    const text = typeof src === "string" ? src : Function.prototype.toString.call(src);
    const body = typeof src === "string" ? src : moduleBody(src);
    const form = this.codeInFlash && typeof src === "function" ? "bootcde" : typeof src === "string" ? "str" : "fn";
    if (this.ram && !this.ram.beforeModule(name, body, form, upload && !this.codeInFlash)) {
      this.modules.set(name, new this.R.Object());
      return;
    }
    let exports = new this.R.Object();
    try {
      this.evaluateModule(src, name, (e) => { exports = e; });
    } finally {
      this.modules.set(name, exports);
      this.hooks?.moduleAdded(name, src);
      this.moduleSources.set(name, { kind: typeof src, src: text });
      this.moduleChars += text.length;
      this.ram?.moduleLoaded(name, body, form, exports);
    }
  }

  /**
   * jspEvaluateModule (src/jsparse.c): run module code with `exports` (an empty object, also `this`) and
   * `module`; return the module's `exports` VARIABLE at the end. Espruino's `module` is the module scope itself,
   * so `module.exports = X` and `exports = X` both replace what require() returns (unlike Node, where only the first
   * does). A Function's code text runs in that scope too.
   * @param {string|function} src @param {string} name  for stack traces
   * @param {function(*): void} [done]  receives the module's exports at the end, also when its code throws
   * @returns {*} the module's exports
   */
  evaluateModule(src, name, done = () => {}) {
    const body = typeof src === "string" ? src : `(${Function.prototype.toString.call(src)}).call(this);`;
    const code = `(function (exports, module, $linkExports) {$linkExports(function () { return exports; }, ` +
      `function (v) { exports = v; });${body}\n})`;
    const wrapper = vm.runInContext(code, this.context, { filename: `module:${name}` });
    const R = this.R;
    const module = new R.Object();
    const exports = new R.Object();
    const link = (get, set) => R.Object.defineProperty(module, "exports", { get, set, enumerable: true, configurable: true });
    try {
      wrapper.call(exports, exports, module, link);
    } finally {
      done(module.exports);
    }
    return module.exports;
  }

  /**
   * A Function of the board's realm from its source text (save/load of modules added as functions).
   * @param {string} src @returns {function}
   */
  functionFromSource(src) { return vm.runInContext(`(${src})`, this.context); }

  /**
   * require(name) as Espruino 2v29 (src/jswrap_modules.c jswrap_require): a cached module, else a built-in module,
   * else a Storage file called `name` (up to 28 characters; not on SAVE_ON_FLASH builds) evaluated as a module,
   * else Error 'Module "X" not found'. The one place where modules are looked up.
   */
  require(name) {
    if (typeof name !== "string") throw this.error(`Expecting a module name as a string, but got ${typeof name}`, "TypeError");
    if (this.modules.has(name)) return this.modules.get(name);
    const make = this.builtinModules?.[name];
    if (make) {
      const m = make(this);
      this.modules.set(name, m);
      return m;
    }
    if (this.storage && !this.features.saveOnFlash && name.length <= 28) {
      const code = this.storage.read(name);
      if (code !== undefined) {
        // function code stays in flash on the board
        const text = latin1(code);
        if (this.ram && !this.ram.beforeModule(name, text, "storage", false)) {
          const empty = new this.R.Object();
          this.modules.set(name, empty);
          return empty;
        }
        const m = this.evaluateModule(text, name);
        this.modules.set(name, m);
        this.ram?.moduleLoaded(name, text, "storage", m);
        return m;
      }
    }
    if (this.unmodelledModules?.includes(name))
      throw this.error(`Module "${name}" not found (built-in module not modelled by the virtual board)`);
    throw this.error(`Module "${name}" not found`);
  }

  /** print / console.log: arguments joined by " ", one line. */
  print(args) {
    const line = args.map((a) => (typeof a === "string" ? a : formatValue(a))).join(" ");
    this.consolePrint(line + "\n");
  }

  /** jsiConsolePrint: text to the console; complete lines go to `output` (a partial line waits for its end). */
  consolePrint(text) {
    this.consoleLine += text;
    let i;
    while ((i = this.consoleLine.indexOf("\n")) >= 0) {
      this.output(this.consoleLine.slice(0, i + 1));
      this.consoleLine = this.consoleLine.slice(i + 1);
    }
  }

  /** setTimeout("code") evaluates the string in the board */
  callable(fn) {
    if (typeof fn === "function") return fn;
    if (typeof fn === "string") {
      const f = () => vm.runInContext(fn, this.context);
      f.fromString = fn;
      return f;
    }
    throw this.error("Function or String not supplied!");
  }

  /** Run a timer callback; an uncaught error is printed as Espruino does. */
  runCallback(fn, args) {
    if (this.ram?.refuse("event")) return;
    try {
      fn.apply(undefined, args);
    } catch (e) {
      if (e instanceof RebootSignal) return;
      this.consolePrint(`Uncaught ${formatValue(e)}\n`);
    } finally {
      this.afterRun("event");
    }
  }

  /**
   * Evaluate code in the board.
   * @param {string} code @param {string} [name] file name for stack traces
   */
  run(code, name = "board") {
    if (this.ram?.refuse("command", code)) return undefined;
    try {
      return vm.runInContext(code, this.context, { filename: name });
    } catch (e) {
      if (e instanceof RebootSignal) return undefined;
      throw e;
    } finally {
      this.afterRun();
    }
  }

  /**
   * jsiIdle's TODO handling (src/jsinteractive.c): reset(), save(), load() act once the current command has
   * finished, in that order. Before them, the out-of-memory check of the command or callback (sim/ram.js).
   * @param {"command"|"event"} [kind]
   */
  afterRun(kind = "command") {
    this.hooks?.afterRun(); // sim/power-cut.js: power comes back once the code cut off has unwound
    if (!this.todo.reset && !this.todo.save && !this.todo.load) this.ram?.check(kind);
    while (this.todo.reset || this.todo.save || this.todo.load) {
      const t = this.todo;
      if (t.reset) {
        t.reset = false;
        this.softKill();
        this.semiInit(false, false);
      } else if (t.save) {
        t.save = false;
        this.saveToFlash();
      } else {
        t.load = false;
        const file = t.loadFile;
        t.loadFile = undefined;
        this.softKill();
        if (file !== undefined) {
          this.semiInit(false, false);
          const code = this.storage.read(file);
          if (code !== undefined) this.evalFromFlash(latin1(code), file);
        } else {
          this.createContext();
          this.loadState();
          this.softInit(false);
          this.bannerWanted = false;
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------ start-up and saved code

  /** Power-on or hardware reset (jsiInit(true)): a first boot that loads saved code. */
  powerOn() {
    this.todo = { reset: false, save: false, load: false, loadFile: undefined };
    this.consoleLine = "";
    this.semiInit(true, true);
  }

  /**
   * jsiSemiInit: new RAM; at the first boot an invalid Storage area is erased ("Storage is corrupt."); with
   * `autoLoad` the saved state (.varimg) is loaded; then jsiSoftInit.
   * @param {boolean} autoLoad @param {boolean} firstBoot
   */
  semiInit(autoLoad, firstBoot) {
    this.createContext();
    this.firstBoot = firstBoot;
    if (firstBoot && this.storage && !this.features.saveOnFlash && !this.storage.isValid()) {
      this.consolePrint("Storage is corrupt.\n");
      this.consolePrint("Erasing Storage Area...\n");
      this.storage.eraseAll();
      this.consolePrint("Erase complete.\n");
    }
    const loadFlash = autoLoad && this.flashContainsCode();
    if (loadFlash) this.loadState();
    this.softInit(!autoLoad);
    this.bannerWanted = !loadFlash;
  }

  /**
   * jsiSoftInit: boot code from flash (jsfLoadBootCodeFromFlash), then E.on('init') handlers, then onInit().
   * @param {boolean} hasBeenReset  after reset(): only `.bootrst` (not `.bootcde`) runs
   */
  softInit(hasBeenReset) {
    if (this.storage) {
      const run = (file, label = file) => {
        const code = this.storage.read(file);
        if (code !== undefined) this.evalFromFlash(latin1(code), label);
        return code !== undefined;
      };
      if (!this.features.saveOnFlash && this.firstBoot) run(".bootPowerOn");
      for (let i = 0; i < 4; i++) run(`.boot${i}`);
      if (!run(".bootrst", "boot code") && !hasBeenReset) run(".bootcde", "boot code");
    }
    this.emitEvent("init");
    const onInit = Object.getOwnPropertyDescriptor(this.global, "onInit");
    if (onInit && typeof onInit.value === "function") {
      this.consolePrint("Running onInit()...\n");
      this.callGuarded(onInit.value, []);
    }
  }

  /** jsiSoftKill: E.on('kill') handlers; no longer the first boot. */
  softKill() {
    this.emitEvent("kill");
    this.firstBoot = false;
  }

  /** jsfFlashContainsCode */
  flashContainsCode() {
    return !!this.storage && [".varimg", ".bootcde", ".bootrst"].some((f) => this.storage.find(f));
  }

  /** jsfLoadStateFromFlash: restore the `.varimg` image, if any, into the current (fresh) context. */
  loadState() {
    const f = this.storage && this.storage.find(".varimg");
    if (!f) return;
    this.consolePrint(`Loading ${f.size} bytes from flash...\n`);
    try {
      restoreImage(this, this.storage.read(".varimg"));
    } catch (e) {
      this.consolePrint(`Not loading saved code: the image is damaged (${e.message})\n`);
    }
  }

  /**
   * jsfSaveToFlash at idle after save(): kill handlers, replace `.varimg` (compacting Storage first) with the
   * state image, then jsiSoftInit as after a start (boot code, init handlers, onInit run again).
   */
  saveToFlash() {
    this.softKill();
    const storage = this.storage;
    this.consolePrint("Compacting Flash...\n");
    storage.erase(".varimg");
    storage.compact();
    this.consolePrint("Calculating Size...\n");
    const image = captureImage(this);
    const size = image.bytes.length;
    const f = storage.create(".varimg", size, FLAGS.COMPRESSED);
    const mem = this.memory(this.moduleChars, false);
    if (!f) {
      this.consolePrint(`ERROR: Too big to save to flash (${size} vs ${storage.stats().free} bytes)\n`);
      this.consolePrint(storage.stats().fileBytes ? "Not enough free space to save. Try require('Storage').eraseAll()\n"
        : "Code is too big to save to Flash.\n");
    } else {
      this.consolePrint("Writing..");
      const padded = new Uint8Array((size + 3) & ~3).fill(0xff);
      padded.set(image.bytes);
      this.hal.write(padded, f.data);
      this.consolePrint(`\nCompressed ${mem.total * mem.blocksize} bytes to ${size}\n`);
      for (const why of image.skipped) this.consolePrint(`save(): not saved (virtual board): ${why}\n`);
    }
    this.softInit(false);
  }

  /**
   * jsfSaveBootCodeToFlash (E.setBootCode): delete `.bootcde` and `.bootrst`, then write the code to one of them.
   * @param {string} code @param {boolean} runAfterReset  `.bootrst` (runs after reset() too)
   */
  saveBootCode(code, runAfterReset) {
    this.storage.erase(".bootcde");
    this.storage.erase(".bootrst");
    if (!code.length) return;
    this.storage.write(runAfterReset ? ".bootrst" : ".bootcde", bytesOf(code), 0, 0, 0);
  }

  /** jsfRemoveCodeFromFlash (reset(true)) */
  removeCodeFromFlash() {
    this.consolePrint("Erasing saved code.");
    if (this.storage) for (const f of [".varimg", ".bootcde", ".bootrst"]) this.storage.erase(f);
    this.consolePrint("\nDone!\n");
  }

  /** Run E.on(event) handlers; an error is printed, the others still run. */
  emitEvent(event, args = []) {
    for (const fn of [...(this.listeners[event] || [])]) this.callGuarded(fn, args);
  }

  /** Evaluate code in the global scope; an uncaught error is printed as Espruino does (jsiCheckErrors). */
  evalGuarded(code, name) {
    try {
      vm.runInContext(code, this.context, { filename: name });
    } catch (e) {
      if (!(e instanceof RebootSignal)) this.consolePrint(`Uncaught ${formatValue(e)}\n`);
    }
  }

  /**
   * evalGuarded for code stored in flash (boot code, load(file)): functions it defines, and modules it adds with
   * Modules.addCached, keep their code in flash (the RAM model's "bootcde" form).
   */
  evalFromFlash(code, name) {
    this.codeInFlash = true;
    try {
      this.evalGuarded(code, name);
    } finally {
      this.codeInFlash = false;
    }
  }

  /** Call a board function; an uncaught error is printed. */
  callGuarded(fn, args) {
    try {
      fn.apply(undefined, args);
    } catch (e) {
      if (!(e instanceof RebootSignal)) this.consolePrint(`Uncaught ${formatValue(e)}\n`);
    }
  }

  /** Whether a console should print Espruino's logo for the restart that just happened (once). */
  takeBanner() {
    const b = this.bannerWanted;
    this.bannerWanted = true;
    return b;
  }

  /** Clear all timers. */
  dispose() { this.timers.dispose(); }
}
