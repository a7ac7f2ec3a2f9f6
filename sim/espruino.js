/**
 * The Espruino runtime of the virtual board: the globals listed in docs/ARCHITECTURE.md, with Espruino
 * 2v29 semantics (espruino-platform.md §3, §4, §6), inside a node:vm context. Every native call
 * (peek* / poke* / E.* / process.memory / getTime / Flash.*) is counted and charged `callCostUs` of
 * virtual time BEFORE its bus accesses run (the interpreter cost model).
 */
import vm from "node:vm";
import { TimerQueue } from "./timers.js";
import { formatValue } from "./format.js";

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
   */
  constructor(o) {
    Object.assign(this, o);
    this.timers = new TimerQueue((fn, args) => this.runCallback(fn, args));
    this.pendingSoftReset = false;
    this.createContext();
  }

  /** Fresh interpreter state: new context, no modules, no timers ("RAM cleared"). */
  createContext() {
    this.timers.dispose();
    const ctx = vm.createContext({});
    this.context = ctx;
    /** constructors of the context realm, so values handed to board code are "its own" */
    this.R = vm.runInContext("({Uint8Array, Uint16Array, Uint32Array, ArrayBuffer, Error, TypeError, Object, Array, JSON})", ctx);
    this.modules = new Map();
    this.moduleChars = 0;
    const del = REMOVED_BUILTINS.map(([obj, prop]) => `delete ${obj ?? "globalThis"}.${prop};`).join("");
    vm.runInContext(del, ctx);
    this.installGlobals(ctx);
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
    g.reset = () => { this.pendingSoftReset = true; };
    g.global = vm.runInContext("globalThis", ctx);
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
    if (this.features.crc32) E.CRC32 = this.native("E.CRC32", (data) => crc32(flattenBytes([data])));
    if (this.features.nativeCall) {
      E.getAddressOf = this.native("E.getAddressOf", () => {
        chip.diag("E.getAddressOf: not modelled by the virtual board, returns 0");
        return 0;
      });
      E.nativeCall = this.native("E.nativeCall", () => { throw this.error("E.nativeCall: Thumb code cannot run on the virtual board"); });
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
   * closure). The body runs immediately with module-local `exports` and `module`; module.exports is cached.
   */
  addCached(name, src) {
    if (typeof name !== "string" || !(typeof src === "string" || typeof src === "function"))
      throw this.error("args must be addCached(string, string|function)");
    const code = typeof src === "string"
      ? `(function(exports, module){${src}\n})`
      : `(function(exports, module){return (${Function.prototype.toString.call(src)});})`;
    const wrapper = vm.runInContext(code, this.context, { filename: `module:${name}` });
    const module = vm.runInContext("({exports:{}})", this.context);
    const r = wrapper.call(undefined, module.exports, module);
    if (typeof src === "function") r.call(undefined);
    this.modules.set(name, module.exports);
    this.hooks?.moduleAdded(name, src);
    this.moduleChars += typeof src === "string" ? src.length : Function.prototype.toString.call(src).length;
  }

  /** require(name): cached module, then built-in module, else Error 'Module "X" not found' (2v29 wording). */
  require(name) {
    if (typeof name !== "string") throw this.error(`Expecting a module name as a string, but got ${typeof name}`, "TypeError");
    if (this.modules.has(name)) return this.modules.get(name);
    const make = this.builtinModules?.[name];
    if (make) {
      const m = make(this);
      this.modules.set(name, m);
      return m;
    }
    if (this.unmodelledModules?.includes(name))
      throw this.error(`Module "${name}" not found (built-in module not modelled by the virtual board)`);
    throw this.error(`Module "${name}" not found`);
  }

  /** print / console.log: arguments joined by " ", one line. */
  print(args) {
    const line = args.map((a) => (typeof a === "string" ? a : formatValue(a))).join(" ");
    this.output(line + "\n");
  }

  /** setTimeout("code") evaluates the string in the board */
  callable(fn) {
    if (typeof fn === "function") return fn;
    if (typeof fn === "string") return () => vm.runInContext(fn, this.context);
    throw this.error("Function or String not supplied!");
  }

  /** Run a timer callback; an uncaught error is printed as Espruino does. */
  runCallback(fn, args) {
    try {
      fn.apply(undefined, args);
    } catch (e) {
      if (e instanceof RebootSignal) return;
      this.output(`Uncaught ${formatValue(e)}\n`);
    } finally {
      this.afterRun();
    }
  }

  /**
   * Evaluate code in the board.
   * @param {string} code @param {string} [name] file name for stack traces
   */
  run(code, name = "board") {
    try {
      return vm.runInContext(code, this.context, { filename: name });
    } catch (e) {
      if (e instanceof RebootSignal) return undefined;
      throw e;
    } finally {
      this.afterRun();
    }
  }

  /** reset() asked for a soft reset: done when the current command finishes. */
  afterRun() {
    this.hooks?.afterRun(); // sim/power-cut.js: power comes back once the code cut off has unwound
    if (this.pendingSoftReset) {
      this.pendingSoftReset = false;
      this.createContext();
    }
  }

  /** Clear all timers. */
  dispose() { this.timers.dispose(); }
}
