// Power-cut testing of FlashKV in the littlefs "linear" style, on the BUILT module (modules/FlashKV.min.js) in the
// virtual board (sim/power-cut.js). Used by test/flashkv-power.test.js (a fast subset in `npm test`) and by
// tools/flashkv-sweep.js (`npm run test:power`: every cut).
//
// A case: run a deterministic workload from a blank store and cut power at a planned point (after native call k, or
// inside flash operation k leaving one of the fault variants). Then power up (flash kept, RAM lost), load the
// modules again and check the contract against a model of the operations that returned (acknowledged):
//   1. open() does not throw and does 0 programs and 0 erases;
//   2. every acknowledged write/erase is visible exactly; the operation cut off (if any) shows its key's old value
//      or its new one; no other key changed, no foreign key appeared; getStats().used matches the records;
//   3. a second open() after another power-up sees the same contents and again does 0 programs and 0 erases;
//   4. the workload, resumed at the operation that was cut off, finishes and the final contents equal the model.
// Depth 2: a second cut during the recovery (open() and the redo of the operation cut off), then 1-4 again.
// Every violation names the case as `seed S k K variant V` (sim/power-cut.js describeCut), enough to replay it.
import { readFileSync } from "node:fs";
import { createBoard } from "../sim/index.js";
import { FlashStore } from "../sim/flash-store.js";
import { PowerCut, describeCut, rng, variantsOf } from "../sim/power-cut.js";

/** The built modules the board loads (FlashKV: .min.js, what users upload). */
export const MODULES = ["STM32F1Flash", "FlashKV"].map((name) => [name, readFileSync(new URL(`../modules/${name}.min.js`, import.meta.url), "utf8")]);

/** Keys of the workloads: 1..28 chars, numeric-looking ones, punctuation, names of Object.prototype members. */
export const KEYS = ["a", "n", "boots", "cfg", "wifi_ssid", "lastReading", "sensor/7/calib", "0", "17",
  "key with spaces", "x".repeat(28), "temperature_log_2024", "constructor", "toString"];

/** Latin-1 string of `n` pseudo-random bytes (all 256 values, 0x00 and 0xFF included). */
function bytes(next, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(next() & 0xff);
  return s;
}

/**
 * A deterministic workload: writes of several sizes and types, rewrites, erases (also of missing keys), JSON,
 * and values too big to fit next to the others (`full`); no value longer than `maxBytes`. Op shapes: [type, key, payload] with type one of
 * "s" (String), "u8" (Uint8Array), "ab" (ArrayBuffer), "arr" (Array of bytes), "u16" (Uint16Array), "dv"
 * (DataView), "f32" (Float32Array), "json" (writeJSON of JSON.parse(payload)), "del" (erase).
 * @param {number} seed @param {number} count @returns {Array<[string, string, string?]>}
 */
export function workload(seed, count, maxBytes = 2000) {
  const next = rng(seed), ops = [];
  const types = ["s", "s", "s", "u8", "ab", "arr", "u16", "dv", "f32"];
  for (let i = 0; i < count; i++) {
    const r = next() % 100, hot = next() % 3 === 0;
    const key = hot ? KEYS[next() % 3] : KEYS[next() % KEYS.length];
    if (r < 12) { ops.push(["del", key]); continue; }
    if (r < 22) {
      ops.push(["json", key, JSON.stringify({ i, t: next() % 1000, s: bytes(next, next() % 12), a: [next() % 9, true, null] })]);
      continue;
    }
    const sz = next() % 100;
    let n = sz < 3 ? 0 : sz < 60 ? 1 + next() % 8 : sz < 85 ? 9 + next() % 32 : sz < 96 ? 41 + next() % 160 : sz < 99 ? 201 + next() % 500 : 1500 + next() % 500;
    if (n > maxBytes) n = next() % maxBytes;
    const type = types[next() % types.length];
    if (type === "u16" || type === "f32") n &= ~(type === "u16" ? 1 : 3);
    ops.push([type, key, bytes(next, n)]);
  }
  return ops;
}

/** The bytes (Latin-1 string) an op stores, or null for an erase. */
export function storedBytes(op) {
  if (op[0] === "del") return null;
  if (op[0] === "json") return JSON.stringify(JSON.parse(op[2]));
  return op[2];
}

/** Bytes of a FlashKV record (src/FlashKV/format.ts): 8 + key + data rounded up to 4. */
export const recordBytes = (key, data) => 8 + ((key.length + data.length + 3) & ~3);

/** Board-side code: the workload runner (Espruino dialect, no native calls of its own). */
const RUNNER = `
function BYTES(s) { var u = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i); return u; }
function DO(op) {
  var t = op[0], k = op[1], s = op[2], u;
  if (t == "del") return KV.erase(k);
  if (t == "json") return KV.writeJSON(k, JSON.parse(s));
  if (t == "s") return KV.write(k, s);
  u = BYTES(s);
  if (t == "u8") return KV.write(k, u);
  if (t == "ab") return KV.write(k, u.buffer);
  if (t == "arr") { var a = []; for (var i = 0; i < u.length; i++) a.push(u[i]); return KV.write(k, a); }
  if (t == "u16") return KV.write(k, new Uint16Array(u.buffer));
  if (t == "f32") return KV.write(k, new Float32Array(u.buffer));
  if (t == "dv") return KV.write(k, new DataView(u.buffer));
}
function RUN(i, end) {
  for (; i < end; i++) {
    try { DO(OPS[i]); } catch (e) { if (!/: full$/.test(e.message)) throw e; ACK(i, "full"); continue; }
    ACK(i, "ok");
  }
}
function OPEN() { KV = require("FlashKV").open(OPTS); }
function STATE() {
  var keys = KV.list().sort(), vals = {};
  keys.forEach(function (k) { vals[k] = KV.read(k); });
  return JSON.stringify({ keys: keys, vals: vals, stats: KV.getStats() });
}
`;

/**
 * Another flash geometry for the store: pages of any size in their own NOR store (e.g. 4 KB at 0x10000000), behind
 * an object with the built-in Flash API whose calls are counted native calls (like require("Flash") on nRF52 or
 * ESP32 boards). write() takes whole aligned words and programs each half-word only if it reads 0xFFFF or the value
 * is 0 (else that half-word silently stays, as a NOR controller without error reporting); erasePage() erases the
 * page holding addr. Rule violations of the store ("only whole aligned words, each programmed once per erase or with
 * 0") are collected in store.violations.
 * @param {import("../sim/board.js").Board} board @param {FlashStore} store
 * @param {{descending?: boolean, drop?: number, failErase?: number}} [o] `descending`: program the words of a write
 *   from the last to the first (the Flash API promises no order); `drop`: silently skip the drop-th half-word program
 *   (counted from 1, as the built-in Flash.write on F1 skips the rest of a write after a PGERR); `failErase`: the
 *   failErase-th erasePage() throws without erasing
 */
export function flashObject(board, store, o = {}) {
  const rt = board.runtime, base = store.base, P = store.pageSize;
  const f = new rt.R.Object();
  const inside = (a) => a >= base && a < base + store.size;
  let programs = 0, erases = 0;
  f.getPage = rt.native("Flash4K.getPage", (a) => inside(a) ? rt.toCtx({ addr: a - ((a - base) % P), length: P }) : undefined);
  f.erasePage = rt.native("Flash4K.erasePage", (a) => {
    if (++erases === o.failErase) throw rt.error("Flash4K.erasePage: erase failed");
    if (inside(a)) store.erasePage(Math.floor((a - base) / P));
  });
  f.read = rt.native("Flash4K.read", (n, a) => {
    const u = new rt.R.Uint8Array(n);
    for (let i = 0; i < n; i++) u[i] = inside(a + i) ? store.read8(a + i - base) : 0xff;
    return u;
  });
  store.violations = store.violations ?? [];
  f.write = rt.native("Flash4K.write", (data, a) => {
    const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if ((a & 3) || (b.length & 3) || !inside(a) || !inside(a + b.length - 1)) {
      store.violations.push(`write of ${b.length} bytes at 0x${a.toString(16)}: not whole aligned words`);
      throw rt.error("Flash4K.write: unaligned or outside");
    }
    for (let k = 0; k < b.length; k += 4) {
      const i = o.descending ? b.length - 4 - k : k;
      const x = a + i - base, lo = b[i] | (b[i + 1] << 8), hi = b[i + 2] | (b[i + 3] << 8);
      const old = store.read16(x) | (store.read16(x + 2) << 16);
      if (old !== -1 && (lo | hi)) store.violations.push(`word at 0x${(a + i).toString(16)} programmed again (was 0x${(old >>> 0).toString(16)})`);
      for (const [y, v] of [[x, lo], [x + 2, hi]]) {
        if (++programs === o.drop) continue;
        if (store.read16(y) === 0xffff || v === 0) store.program16(y, v);
      }
    }
  });
  return f;
}

/** Store geometries the tests run on. */
export const GEOMETRIES = {
  /** STM32F1Flash (the default flash object) on the virtual Espruino Original: 2 pages of 2 KB */
  original: { addr: 0x0803a000, pages: 2, flash: "default" },
  /** the board's built-in require("Flash") model (sim/builtin-flash.js, with the F1 faults of the firmware) */
  builtin: { addr: 0x0803a000, pages: 2, flash: "builtin" },
  /** 3 pages of 4 KB behind a Flash-API object of our own (flashObject) that programs the words of a write from
   * the last to the first */
  "4k": { addr: 0x10000000, pages: 3, flash: "object", pageSize: 4096, descending: true },
  /** 2 pages of 256 bytes behind flashObject: many compactions in few operations (depth-2 cuts) */
  tiny: { addr: 0x10000000, pages: 2, flash: "object", pageSize: 256 },
};

/** One board, reused for many cases: the store pages are blanked between cases. */
export class Harness {
  /**
   * @param {object} o
   * @param {Array} o.ops  the workload
   * @param {keyof GEOMETRIES} [o.geometry="original"]
   * @param {string} [o.source] FlashKV source to load instead of modules/FlashKV.min.js (mutation tests)
   */
  constructor({ ops, geometry = "original", source }) {
    this.ops = ops;
    this.modules = source ? [MODULES[0], ["FlashKV", source]] : MODULES;
    this.geo = GEOMETRIES[geometry];
    this.geometry = geometry;
    // OPS (the workload, with payloads of up to 500 bytes) is harness data placed in the board's context: it would
    // count against the Original's 2756 JsVars, so the harness board runs without the RAM limit
    this.board = createBoard({ ramLimit: false });
    const g = this.geo;
    this.extra = g.flash === "object" ? new FlashStore({ size: g.pageSize * (g.pages + 1), pageSize: g.pageSize, base: g.addr }) : null;
    this.pc = new PowerCut(this.board, { stores: this.extra ? [this.extra] : [] });
    this.acks = [];
    this.pristine = this.board.flash();
    this.pc.powerUp();
  }

  /** Blank the store pages (and their wear), power up. */
  restart() {
    const f = this.board.chip.flash;
    f.bytes.set(this.pristine);
    f.eraseCounts.fill(0);
    if (this.extra) { this.extra.bytes.fill(0xff); this.extra.eraseCounts.fill(0); this.extra.violations = []; }
    for (const w of this.pc.weak.values()) w.clear(); // no weakly erased page left from the previous case
    this.pc.powerUp();
    this.pc.arm(null);
    this.acks = [];
  }

  /** Load the built modules and the runner into the (new) context. */
  boot() {
    const b = this.board, ctx = b.context;
    for (const [name, src] of this.modules) b.addModule(name, src);
    ctx.ACK = (i, outcome) => { this.acks.push([i, outcome]); };
    ctx.OPS = this.ops; // read-only plain data: the board code may use the host's arrays as they are
    b.eval(RUNNER, "runner");
    const g = this.geo;
    b.eval(`var OPTS = {addr: ${g.addr}, pages: ${g.pages}};` +
      (g.flash === "builtin" ? `OPTS.flash = require("Flash");` : ""));
    if (g.flash === "object") ctx.OPTS.flash = flashObject(b, this.extra, { descending: g.descending });
  }

  /** Run `code` in the board; returns the cut that happened (or null). */
  run(code) {
    try {
      this.board.eval(code, "case");
    } catch (e) {
      // board code that caught the PowerCutSignal may throw something else (STM32F1Flash.getPage turns any error
      // into undefined, then open() says "bad addr"): after a cut nothing it does counts
      if (!this.pc.cut) throw e;
    }
    return this.pc.cut;
  }

  /** The model after the acknowledged ops: Map key -> bytes. */
  model(acks = this.acks) {
    const m = new Map();
    for (const [i, outcome] of acks) {
      if (outcome !== "ok") continue;
      const op = this.ops[i], v = storedBytes(op);
      if (v === null) m.delete(op[1]); else m.set(op[1], v);
    }
    return m;
  }

  /** Reference run without cuts: the native calls and flash operations of each op, the ops log. */
  reference() {
    this.restart();
    this.pc.log = [];
    this.boot();
    const perOp = [];
    this.run("OPEN()");
    const openCalls = this.pc.calls;
    let calls = this.pc.calls, ops = this.pc.ops;
    const erases = () => this.pc.log.filter((o) => o.kind === "erase").length;
    for (let i = 0; i < this.ops.length; i++) {
      const e0 = erases();
      this.run(`RUN(${i}, ${i + 1})`);
      perOp.push({ calls: this.pc.calls - calls, flashOps: this.pc.ops - ops, erases: erases() - e0 });
      calls = this.pc.calls; ops = this.pc.ops;
    }
    const log = this.pc.log, totalCalls = this.pc.calls;
    this.pc.log = null;
    const state = JSON.parse(this.board.eval("STATE()"));
    return { openCalls, totalCalls, perOp, log, acks: this.acks.slice(), state,
      erases: log.filter((o) => o.kind === "erase").length, programs: log.filter((o) => o.kind === "program").length };
  }

  /** Contents as {keys, vals, stats} via the store's own API, and `flashOps`: programs + erases of its open(). */
  openAndState() {
    const ops = this.pc.ops;
    this.run("OPEN()");
    const flashOps = this.pc.ops - ops;
    return { ...JSON.parse(this.board.eval("STATE()")), flashOps };
  }

  /** Bytes of the store's pages (for "open() changed nothing"). */
  image() {
    if (this.extra) return this.extra.bytes.slice();
    const g = this.geo, off = g.addr - 0x08000000;
    return this.board.flash().slice(off, off + g.pages * this.board.layout.pageSize);
  }

  /**
   * Check contents against the model. `pending`: index of the op cut off (its key may be old or new), or -1.
   * @returns {string[]} violations
   */
  check(state, acks, pending) {
    const out = [], m = this.model(acks);
    const alt = new Map(m);
    let pk = null;
    if (pending >= 0 && pending < this.ops.length) {
      const op = this.ops[pending], v = storedBytes(op);
      pk = op[1];
      if (v === null) alt.delete(pk); else alt.set(pk, v);
    }
    const keys = new Set([...m.keys(), ...alt.keys()]);
    for (const k of state.keys) if (!keys.has(k)) out.push(`foreign key ${JSON.stringify(k)}`);
    for (const k of keys) {
      const got = Object.hasOwn(state.vals, k) ? state.vals[k] : null, want = m.get(k) ?? null, other = alt.get(k) ?? null;
      if (got === want || (k === pk && got === other)) continue;
      out.push(k === pk ? `key ${JSON.stringify(k)} (cut off) is neither its old nor its new value: ${JSON.stringify(got)?.slice(0, 60)}`
        : `key ${JSON.stringify(k)} changed: want ${JSON.stringify(want)?.slice(0, 60)}, got ${JSON.stringify(got)?.slice(0, 60)}`);
    }
    if (this.extra?.violations.length) out.push(...this.extra.violations.splice(0));
    if (!out.length) {
      let used = 0;
      for (const k of state.keys) used += recordBytes(k, state.vals[k]);
      if (state.stats.used !== used) out.push(`getStats().used ${state.stats.used}, records take ${used}`);
    }
    return out;
  }

  /**
   * After a cut (power already up): check 1-4 of the file comment. `pending` = index of the op cut off.
   * @returns {string[]} violations
   */
  recover(pending, second) {
    const out = [];
    this.boot();
    this.pc.arm(second || null);
    const before = this.image();
    let s1;
    try {
      if (second) {
        // depth 2: the recovery itself (open + redo of the op cut off) is cut
        this.run(`OPEN(); ${pending < 0 ? "" : `RUN(${pending}, ${pending + 1})`}`);
        if (!this.pc.cut) return null; // the plan lies beyond the recovery
        this.boot();
        this.pc.arm(null);
      }
      s1 = this.openAndState();
    } catch (e) {
      return [`open()/read after the cut threw: ${e.message}`];
    }
    if (!second && s1.flashOps) out.push(`open() after the cut did ${s1.flashOps} programs/erases`);
    if (!second && Buffer.compare(before, this.image())) out.push("open() after the cut changed flash");
    out.push(...this.check(s1, this.acks, pending));
    // a second open() after another power-up: same contents, no programs, no erases
    this.pc.powerUp();
    this.boot();
    const img = this.image();
    let s2;
    try { s2 = this.openAndState(); } catch (e) { return [...out, `second open() threw: ${e.message}`]; }
    if (s2.flashOps) out.push(`second open() did ${s2.flashOps} programs/erases`);
    if (Buffer.compare(img, this.image())) out.push("second open() changed flash");
    if (JSON.stringify([s1.keys, s1.vals]) !== JSON.stringify([s2.keys, s2.vals])) out.push("second open() sees other contents");
    // finish the workload from the op cut off, then compare with the full model
    try {
      this.run(`RUN(${pending < 0 ? 0 : pending}, OPS.length)`);
      if (this.pc.cut) return [...out, "unexpected second cut"];
      const fin = JSON.parse(this.board.eval("STATE()"));
      out.push(...this.check(fin, this.acks, -1).map((v) => "after finishing the workload: " + v));
    } catch (e) {
      out.push(`finishing the workload threw: ${e.message}`);
    }
    return out;
  }

  /**
   * The second-cut plans of a first cut: run it, then the recovery (open() and the redo of the operation cut off)
   * without a cut, counting its native calls and flash operations. [] if `plan` lies beyond the workload.
   */
  recoveryPlans(plan, seed) {
    const first = this.cutOnly(plan);
    if (!first) return [];
    this.boot();
    this.pc.arm(null);
    this.pc.log = [];
    this.run(`OPEN(); ${first.pending < 0 ? "" : `RUN(${first.pending}, ${first.pending + 1})`}`);
    const ref = { totalCalls: this.pc.calls, log: this.pc.log };
    this.pc.log = null;
    return plans(ref, seed);
  }

  /** Restart, run the workload with `plan` armed; {cut, pending} or null if the cut never came. */
  cutOnly(plan) {
    this.restart();
    this.boot();
    this.pc.arm(plan);
    this.run(`OPEN(); ACK(-1, "opened"); RUN(0, OPS.length)`);
    const cut = this.pc.cut;
    if (!cut) return null;
    const acked = new Set(this.acks.map(([i]) => i));
    let pending = acked.has(-1) ? 0 : -1; // -1: cut inside open(), no operation in flight
    while (pending >= 0 && acked.has(pending)) pending++;
    return { cut, pending };
  }

  /**
   * One case: cut by `plan` (sim/power-cut.js arm()), recover, check; with `second`, a second cut during recovery.
   * @returns {null | {cut: object, second?: object, pending: number, violations: string[]}} null if the workload
   *   ended before the planned cut
   */
  runCase(plan, second) {
    let first;
    try {
      first = this.cutOnly(plan);
    } catch (e) {
      return { cut: null, pending: -1, acked: this.acks.length, violations: [`the workload threw before the cut: ${e.message}`] };
    }
    if (!first) return null;
    const { cut, pending } = first;
    const ackCopy = this.acks.slice();
    const v = this.recover(pending, second);
    if (v === null) return null;
    const res = { cut, pending, acked: ackCopy.length, violations: v };
    if (second) res.second = this.pc.cut;
    return res;
  }
}

/** All first-cut plans of a reference run: after every native call, inside every flash op in every variant. */
export function plans(ref, seed, { callStep = 1, opStep = 1, variants } = {}) {
  const out = [];
  for (let k = 1; k <= ref.totalCalls; k += callStep) out.push({ afterCall: k, seed });
  for (let k = 1; k <= ref.log.length; k += opStep) {
    const kind = ref.log[k - 1].kind;
    for (const v of variantsOf(ref.log[k - 1])) if (!variants || variants.includes(v)) out.push({ op: k, variant: v, seed, kind });
  }
  return out;
}

/** `seed S k K variant V` of a plan (before it ran). */
export function planName(p) {
  return p.afterCall !== undefined ? `seed ${p.seed ?? 0} k ${p.afterCall} variant after` : `seed ${p.seed ?? 0} k ${p.op} variant ${p.variant}`;
}

export { describeCut };

/** The workloads of the sweeps: [seed, operations, largest value in bytes] per geometry. */
export const WORKLOADS = {
  original: [1, 300, 2000],
  builtin: [2, 300, 2000],
  "4k": [3, 300, 2000],
  tiny: [4, 20, 60],
};

/** Cut kind of a plan, for the statistics: "after call", or the variant of a cut inside a program/erase. */
export function planKind(p, ref) {
  if (p.afterCall !== undefined) return "after native call";
  return `${ref.log[p.op - 1].kind} ${p.variant}`;
}

/**
 * Run the first-cut plans `select(plans)` of a geometry's workload. Returns statistics: cases per cut kind,
 * plans not reached, violations ([{name, cut, pending, violations}]), compactions of the workload.
 * @param {keyof GEOMETRIES} geometry
 * @param {(plans: object[]) => object[]} [select] which plans (default all)
 * @param {{depth2?: {calls?: number, ops?: number, seed?: number}, source?: string}} [o] `depth2`: second cuts
 *   during each recovery: every native call of the recovery (or every `calls`-th) and `ops` seeded-random flash
 *   operations of it, each in every variant; `source`: FlashKV source to test instead of the build; `ops`: another
 *   workload
 */
export function sweep(geometry, select = (p) => p, o = {}) {
  const [seed, count, max] = WORKLOADS[geometry];
  const h = new Harness({ ops: o.ops ?? workload(seed, count, max), geometry, source: o.source });
  let ref;
  try {
    ref = h.reference();
  } catch (e) {
    return { geometry, plans: 0, cases: 1, kinds: {}, notReached: 0, second: 0,
      violations: [{ name: "reference run", cut: "none", violations: [`the workload threw without a cut: ${e.message}`] }] };
  }
  const all = plans(ref, seed);
  const stats = { geometry, workload: { ops: h.ops.length, seed, nativeCalls: ref.totalCalls, flashOps: ref.log.length,
    compactions: ref.erases, full: ref.acks.filter((a) => a[1] === "full").length }, plans: all.length, cases: 0,
    kinds: {}, notReached: 0, second: 0, violations: [] };
  for (const p of select(all)) {
    const seconds = o.depth2 ? depth2Plans(h, p, o.depth2) : [undefined];
    for (const s of seconds) {
      const r = h.runCase(p, s);
      if (!r) { stats.notReached++; continue; }
      stats.cases++;
      if (s) stats.second++;
      const k = planKind(p, ref) + (s ? " + second cut" : "");
      stats.kinds[k] = (stats.kinds[k] || 0) + 1;
      if (r.violations.length && stats.violations.length < 50) {
        stats.violations.push({ name: planName(p) + (s ? ` then ${planName(s)} in the recovery` : ""), cut: describeCut(r.cut),
          second: r.second ? describeCut(r.second) : undefined, pending: r.pending, violations: r.violations.slice(0, 5) });
      } else if (r.violations.length) stats.violations.length++;
    }
  }
  return stats;
}

/** Second-cut plans for a first cut: native calls of the recovery (every `calls`-th) and `ops` random flash ops. */
function depth2Plans(h, p, { calls = 1, ops = 8, seed = 7 } = {}) {
  const all = h.recoveryPlans(p, seed);
  const callPlans = all.filter((x) => x.afterCall !== undefined && x.afterCall % calls === 0);
  const opIds = [...new Set(all.filter((x) => x.op !== undefined).map((x) => x.op))];
  const next = rng(seed ^ (p.afterCall ?? p.op * 7 + p.variant.length));
  const chosen = new Set();
  while (chosen.size < Math.min(ops, opIds.length)) chosen.add(opIds[next() % opIds.length]);
  return [...callPlans, ...all.filter((x) => chosen.has(x.op))];
}

/**
 * Wear soak: `updates` writes of one 4-byte counter on the original geometry (2 x 2 KB, default flash), then
 * reopen. Returns {updates, compactions, erases (header counts), real (the simulator's erase counts), value ok,
 * updatesPerErase}.
 */
export function soak(updates) {
  const b = createBoard();
  for (const [name, src] of MODULES) b.addModule(name, src);
  b.eval(`var kv = require("FlashKV").open({addr: 0x0803a000, pages: 2});
    for (var i = 1; i <= ${updates}; i++) kv.write("n", new Uint32Array([i]));`, "soak");
  const real = [...b.chip.flash.eraseCounts.slice((0x0803a000 - 0x08000000) / 2048, (0x0803a000 - 0x08000000) / 2048 + 2)];
  b.reset();
  for (const [name, src] of MODULES) b.addModule(name, src);
  const r = JSON.parse(b.eval(`var kv = require("FlashKV").open({addr: 0x0803a000, pages: 2});
    JSON.stringify({ v: new Uint32Array(E.toArrayBuffer(kv.read("n")))[0], s: kv.getStats() })`));
  const compactions = real[0] + real[1];
  return { updates, value: r.v, erases: r.s.erases, real, compactions, updatesPerErase: updates / compactions };
}
