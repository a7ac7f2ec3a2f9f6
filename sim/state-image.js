/**
 * save() / load() of the virtual board: the interpreter state as an image kept in the Storage file `.varimg`.
 *
 * A real Espruino saves its whole JsVar RAM (heatshrink-compressed, src/jsflash.c jsfSaveToFlash), so everything
 * survives, closures included. A node:vm context cannot be snapshotted, so the virtual board saves what
 * Espruino's own dump() lists (src/jsinteractive.c jsiDumpState): the global variables and functions, the values
 * they reach (objects, arrays, typed arrays, prototypes, shared and circular references), the timers, the `E.on`
 * event handlers and the cached modules, as JSON compressed with deflate. Restoring rebuilds them in a fresh
 * context. Limits (the differences a program can see after load()/a reboot):
 *   - a function is restored from its source text in the global scope: variables it captured from an enclosing
 *     function (a closure) are not restored;
 *   - a cached module is restored by running its source again: its module-level state starts over;
 *   - native or bound functions that are not built-ins, and timers given as code strings, are left out (save()
 *     prints which);
 *   - the image size is not the size of Espruino's RAM image.
 */
import vm from "node:vm";
import { deflateRawSync, inflateRawSync } from "node:zlib";

export const IMAGE_FORMAT = "virtual Espruino state image 1";

const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const TYPED = /^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64)Array$/;
const FN_SKIP = new Set(["length", "name", "prototype", "arguments", "caller"]);
const isNative = (f) => /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(f));

/**
 * Capture the state of runtime `rt` (sim/espruino.js EspruinoRuntime).
 * @param {object} rt
 * @returns {{bytes: Uint8Array, skipped: string[], rawLength: number}} the compressed image, what was left out,
 *   the JSON length
 */
export function captureImage(rt) {
  const g = rt.global;
  const R = rt.R;
  const ids = new Map();          // object -> id
  const table = [];               // id -> descriptor
  const skipped = [];
  const builtins = builtinPaths(rt);
  const moduleOf = new Map();     // exports object -> module name
  for (const [name, exp] of rt.modules) if (exp && (typeof exp === "object" || typeof exp === "function")) moduleOf.set(exp, name);

  /** A value as a reference: primitives inline, objects by id. */
  function ref(v, where) {
    if (v === undefined) return { u: 1 };
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : { n: String(v) === "0" ? "-0" : String(v) };
    if (typeof v !== "object" && typeof v !== "function") return { u: 1 };
    if (ids.has(v)) return { r: ids.get(v) };
    const id = table.length;
    ids.set(v, id);
    table.push(null);
    table[id] = describe(v, where);
    return { r: id };
  }

  function props(o, skip) {
    const out = [];
    for (const k of Object.getOwnPropertyNames(o)) {
      if (skip && skip.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (!d || !("value" in d)) continue;   // accessors are left out
      out.push([k, ref(d.value, `${k}`)]);
    }
    return out;
  }

  function describe(v, where) {
    if (builtins.has(v)) return { t: "builtin", path: builtins.get(v) };
    if (moduleOf.has(v)) return { t: "module", name: moduleOf.get(v) };
    for (const [exp, name] of moduleOf) {
      if (exp && typeof exp === "object") {
        for (const k of Object.keys(exp)) if (exp[k] === v) return { t: "moduleProp", name, key: k };
      }
    }
    const t = tag(v);
    if (typeof v === "function") {
      if (isNative(v)) { skipped.push(`${where}: a native or bound function`); return { t: "skip" }; }
      const d = { t: "function", src: Function.prototype.toString.call(v), props: props(v, FN_SKIP) };
      const proto = Object.getOwnPropertyDescriptor(v, "prototype");
      if (proto && proto.value && typeof proto.value === "object") d.prototype = ref(proto.value, `${where}.prototype`);
      return d;
    }
    const ctor = Object.getOwnPropertyDescriptor(v, "constructor");
    if (ctor && typeof ctor.value === "function" && ctor.value.prototype === v) {
      return { t: "fnproto", fn: ref(ctor.value, `${where}.constructor`), props: props(v, new Set(["constructor"])) };
    }
    if (TYPED.test(t)) return { t: "typed", ctor: t, buffer: ref(v.buffer), byteOffset: v.byteOffset, length: v.length };
    if (t === "ArrayBuffer") return { t: "buffer", b64: Buffer.from(new Uint8Array(v)).toString("base64") };
    if (t === "DataView") return { t: "dataview", buffer: ref(v.buffer), byteOffset: v.byteOffset, byteLength: v.byteLength };
    if (t === "Date") return { t: "date", ms: v.getTime() };
    if (t === "RegExp") return { t: "regexp", source: v.source, flags: v.flags };
    if (Array.isArray(v)) return { t: "array", props: props(v, new Set(["length"])), length: v.length };
    const proto = Object.getPrototypeOf(v);
    const d = { t: "object", props: props(v) };
    if (proto === null) d.proto = null;
    else if (proto !== R.Object.prototype) d.proto = ref(proto, `${where}.__proto__`);
    return d;
  }

  const globals = [];
  for (const name of Object.getOwnPropertyNames(g)) {
    if (rt.builtinGlobals.has(name)) continue;
    const d = Object.getOwnPropertyDescriptor(g, name);
    if (!d || !("value" in d)) continue;
    globals.push([name, ref(d.value, name)]);
  }
  const timers = [];
  for (const t of rt.timers.timers.values()) {
    if (t.fn.fromString) { skipped.push(`a timer given as a code string (${t.fn.fromString.slice(0, 40)})`); continue; }
    timers.push({ fn: ref(t.fn, "timer"), args: t.args.map((a) => ref(a, "timer argument")), ms: t.ms, repeat: t.repeat,
      delay: Math.max(0, Math.round(t.due - performance.now())) });
  }
  const events = {};
  for (const [name, list] of Object.entries(rt.listeners)) events[name] = list.map((f) => ref(f, `E.on("${name}")`));
  const image = { format: IMAGE_FORMAT, modules: [...rt.moduleSources.entries()].map(([name, m]) => ({ name, ...m })),
    table, globals, timers, events };
  const json = JSON.stringify(image).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  return { bytes: new Uint8Array(deflateRawSync(Buffer.from(json, "latin1"))), skipped, rawLength: json.length };
}

/**
 * Restore an image made by captureImage into runtime `rt`, whose context is fresh (globals installed).
 * @param {object} rt
 * @param {Uint8Array} bytes
 * @returns {number} the JSON length
 */
export function restoreImage(rt, bytes) {
  const json = inflateRawSync(Buffer.from(bytes)).toString("latin1");
  const image = JSON.parse(json);
  if (image.format !== IMAGE_FORMAT) throw new Error(`not a ${IMAGE_FORMAT}`);
  const ctx = rt.context;
  const G = rt.global;
  const R = rt.R;
  for (const m of image.modules) rt.addCached(m.name, m.kind === "function" ? rt.functionFromSource(m.src) : m.src, true);
  const objs = new Array(image.table.length);
  const val = (r) => {
    if (r === null || typeof r !== "object") return r;
    if (r.u) return undefined;
    if (r.n !== undefined) return r.n === "-0" ? -0 : Number(r.n);
    return objs[r.r];
  };
  const evalFn = (src) => {
    try { return vm.runInContext(`(${src})`, ctx); } catch (e) { /* method shorthand: m() {} */ }
    const holder = vm.runInContext(`({${src}})`, ctx);
    return holder[Object.keys(holder)[0]];
  };
  // 1: things that exist by themselves
  image.table.forEach((d, i) => {
    if (d.t === "builtin") objs[i] = d.path.reduce((o, k) => o[k], G);
    else if (d.t === "module") objs[i] = rt.require(d.name);
    else if (d.t === "moduleProp") objs[i] = rt.require(d.name)[d.key];
    else if (d.t === "function") objs[i] = evalFn(d.src);
    else if (d.t === "buffer") {
      const b = Buffer.from(d.b64, "base64");
      objs[i] = new R.ArrayBuffer(b.length);
      new R.Uint8Array(objs[i]).set(b);
    } else if (d.t === "date") objs[i] = vm.runInContext(`new Date(${d.ms})`, ctx);
    else if (d.t === "regexp") objs[i] = vm.runInContext(`new RegExp(${JSON.stringify(d.source)}, ${JSON.stringify(d.flags)})`, ctx);
    else if (d.t === "array") objs[i] = new R.Array(d.length);
    else if (d.t === "object") objs[i] = new R.Object();
  });
  // 2: the prototype objects of restored functions, views on buffers
  image.table.forEach((d, i) => {
    if (d.t === "fnproto") objs[i] = val(d.fn).prototype;
    else if (d.t === "typed") objs[i] = new G[d.ctor](val(d.buffer), d.byteOffset, d.length);
    else if (d.t === "dataview") objs[i] = new G.DataView(val(d.buffer), d.byteOffset, d.byteLength);
  });
  // 3: prototypes and properties
  image.table.forEach((d, i) => {
    if (d.t === "object" && d.proto !== undefined) Object.setPrototypeOf(objs[i], d.proto === null ? null : val(d.proto));
    if (d.props) for (const [k, r] of d.props) objs[i][k] = val(r);
    if (d.t === "function" && d.prototype !== undefined && objs[i].prototype !== val(d.prototype)) objs[i].prototype = val(d.prototype);
  });
  for (const [name, r] of image.globals) G[name] = val(r);
  for (const t of image.timers) {
    const fn = val(t.fn);
    if (typeof fn !== "function") continue;
    const id = rt.timers.add(fn, t.repeat ? t.ms : t.delay, t.args.map(val), t.repeat);
    const timer = rt.timers.timers.get(id);
    timer.due = performance.now() + t.delay;
    rt.timers.arm(timer);
  }
  for (const [name, list] of Object.entries(image.events)) rt.listeners[name] = list.map(val).filter((f) => typeof f === "function");
  return json.length;
}

/** Built-in objects and functions of the context (one level into each built-in global) -> their path. */
function builtinPaths(rt) {
  const m = new Map([[rt.global, ["globalThis"]]]);
  for (const name of rt.builtinGlobals) {
    let v;
    try { v = rt.global[name]; } catch { continue; }
    if (!v || (typeof v !== "object" && typeof v !== "function") || m.has(v)) continue;
    m.set(v, [name]);
    for (const k of Object.getOwnPropertyNames(v)) {
      let x;
      try { x = v[k]; } catch { continue; }
      if (x && (typeof x === "object" || typeof x === "function") && !m.has(x)) m.set(x, [name, k]);
    }
  }
  return m;
}
