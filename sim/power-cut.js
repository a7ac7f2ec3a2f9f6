/**
 * Power cuts of the virtual board: lose power after native call k, or inside the k-th flash operation (a half-word
 * program or a page erase) with what that operation left in the cells, then power up again with flash kept and RAM
 * lost. The fault model (what a cut leaves, per /work/shared/reference/eeprom-emulation.md §5; RM0090 §3.6 says
 * only that flash contents "are not guaranteed" after a reset during an operation):
 *
 *   half-word program of t over 0xFFFF   not-started (cells unchanged) · done (t) · torn (t with some of its 0-bits
 *                                        still 1); 0x0000 over v: v · 0 · v with some 1-bits still 1
 *   page erase                           untouched · done · partial (each byte old, 0xFF, or old with some bits
 *                                        set) · zero-prefix (the erase's pre-programming to 0 got through a prefix
 *                                        of the page, the rest is old) · weak (reads 0xFF, but every program into
 *                                        the page comes out torn until the page is erased again)
 *
 * "After native call k" keeps the operation still running at that instant: it completes (the cut is at its end).
 * While the power is off every native call throws a PowerCutSignal, so code unwinding through catch/finally cannot
 * touch the chip; once the code that was cut off has returned to the REPL or to board.eval, the board powers up:
 * board.reset() (FPEC registers to reset values, a new interpreter context: RAM, modules and timers gone; flash,
 * wear counters and the board counters kept). Cuts are deterministic: a seed picks the torn bits, prefix length and
 * partial pattern, so `seed k variant` replays one.
 *
 * Hooks used (a few lines in shared files): EspruinoRuntime.hooks (before/after each native call, a new context,
 * a module added, the end of a command: sim/espruino.js) and FlashStore.onApply (where a program or an erase is
 * applied to the cells: sim/flash-store.js).
 *
 *   const pc = new PowerCut(board);             // also for extra FlashStores: new PowerCut(board, {stores})
 *   pc.arm({ afterCall: 120 });                 // or { op: 37, variant: "torn", seed: 5 }
 *   board.eval("...");                          // returns early (undefined) when the cut happens
 *   pc.cut                                      // { at, k, variant, seed, ... } or null; the board is powered up
 *
 * Code that catches the PowerCutSignal and throws another error instead (e.g. a catch-all returning undefined, then
 * a check failing on it) makes board.eval throw that error after the power-up: once `cut` is set, ignore it.
 *
 * Board code sees `VirtualBoard.cutPower(plan)` (plan as arm(), counted from the call, plus `boot`: a function
 * run after power-up with the modules loaded before the cut, as Espruino runs saved code). It exists only on the
 * virtual board: code that uses it must check `typeof VirtualBoard`.
 */
import { RebootSignal } from "./espruino.js";

/** What a cut inside a half-word program can leave. */
export const PROGRAM_VARIANTS = ["not-started", "done", "torn"];
/** What a cut inside a page erase can leave. */
export const ERASE_VARIANTS = ["untouched", "done", "partial", "zero-prefix", "weak"];

/** Thrown through the board's code at a power cut and by every native call while the power is off. */
export class PowerCutSignal extends RebootSignal {
  /** @param {object} cut the cut, as PowerCut#cut */
  constructor(cut) {
    super();
    this.name = "PowerCutSignal";
    this.message = `power cut: ${describeCut(cut)}`;
    this.cut = cut;
  }
}

/** One line naming a cut so that it can be replayed: `seed S k K variant V (...)`. @param {object} cut */
export function describeCut(cut) {
  if (!cut) return "none";
  return `seed ${cut.seed ?? 0} k ${cut.k} variant ${cut.variant}` +
    (cut.at === "native call" ? ` (after native call ${cut.k}: ${cut.name})`
      : ` (inside flash operation ${cut.k}: ${cut.kind} ${cut.kind === "erase" ? "page " + cut.page : "at offset 0x" + cut.offset.toString(16)})`);
}

/** Deterministic PRNG (xorshift32) for a cut. @param {number} seed @returns {function(): number} 0..0xFFFFFFFF */
export function rng(seed) {
  let s = (seed >>> 0) ^ 0x9e3779b9 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
}

/**
 * The cell value a torn program leaves: a program can only clear bits (0x0000 over v clears all of them), so some
 * of the bits it would clear stay 1. `null` when no value strictly between the old and the target exists (fewer
 * than two bits to clear), so that "torn" would equal "not-started" or "done".
 * @param {number} old half-word before @param {number} target half-word programmed @param {function(): number} next
 */
export function tornValue(old, target, next) {
  const clear = old & ~(target === 0 ? 0 : target) & 0xffff; // bits the program clears
  if (!(clear & (clear - 1))) return null; // fewer than two bits
  let keep;
  do keep = next() & clear; while (keep === 0 || keep === clear); // a non-empty proper subset stays 1
  return (old & ~clear) | keep;
}

/** Variants that differ from each other for a logged operation ({kind, old, value}). */
export function variantsOf(op) {
  if (op.kind === "erase") return ERASE_VARIANTS;
  return tornValue(op.old, op.value, rng(1)) === null ? PROGRAM_VARIANTS.slice(0, 2) : PROGRAM_VARIANTS;
}

export class PowerCut {
  /**
   * Attach power-cut control to a board (sets board.runtime.hooks and FlashStore.onApply).
   * @param {import("./board.js").Board} board
   * @param {{stores?: import("./flash-store.js").FlashStore[]}} [o] more flash stores to cut in (e.g. a second
   *   flash geometry), besides the chip's main flash
   */
  constructor(board, o = {}) {
    this.board = board;
    /** @type {null | {afterCall?: number, op?: number, variant?: string, seed?: number}} */
    this.plan = null;
    /** native calls / flash operations since arm() (or since attaching) */
    this.calls = 0;
    this.ops = 0;
    /** the power is off: the code cut off is unwinding */
    this.off = false;
    /** the last cut, or null: {at: "native call"|"flash operation", k, variant, seed, name | kind, offset | page} */
    this.cut = null;
    /** power-ups so far */
    this.powerUps = 0;
    /** when an array, every flash operation is pushed: {kind, store, offset, old, value} or {kind, store, page} */
    this.log = null;
    /** module sources added so far (name -> src), reloaded before a `boot` function runs */
    this.modules = new Map();
    /** source of the function to run after the next power-up (VirtualBoard.cutPower({boot})) */
    this.boot = null;
    this.stores = [];
    /** per store: pages erased "weak" */
    this.weak = new Map();
    board.runtime.hooks = this;
    for (const s of [board.chip.flash, ...(o.stores ?? [])]) this.watch(s);
    this.newContext(board.context);
  }

  /** Cut power in this flash store too. @param {import("./flash-store.js").FlashStore} store */
  watch(store) {
    this.stores.push(store);
    this.weak.set(store, new Set());
    store.onApply = (kind, x, value) => this.apply(store, kind, x, value);
  }

  /**
   * Arm the next cut, counted from now: {afterCall: k} (power is lost right after the k-th native call returns)
   * or {op: k, variant, seed} (inside the k-th program/erase, leaving `variant`).
   */
  arm(plan) {
    if (plan && plan.op !== undefined) {
      const ok = [...PROGRAM_VARIANTS, ...ERASE_VARIANTS];
      if (!ok.includes(plan.variant)) throw new TypeError(`PowerCut.arm: variant must be one of ${ok.join(", ")}`);
    }
    this.plan = plan || null;
    this.calls = 0;
    this.ops = 0;
    this.cut = null;
  }

  /** No cut pending. */
  disarm() { this.plan = null; }

  // ------------------------------------------------------------------ hooks (sim/espruino.js, sim/flash-store.js)

  beforeNative() {
    if (this.off) throw new PowerCutSignal(this.cut);
    this.calls++;
  }

  afterNative(name) {
    const p = this.plan;
    if (p && p.afterCall !== undefined && this.calls >= p.afterCall) {
      this.board.chip.drain(); // an operation still running ends at the instant of the cut
      this.fail({ at: "native call", k: this.calls, variant: "after", seed: p.seed ?? 0, name });
    }
  }

  /** FlashStore.onApply: returns true when it has set the cells itself. */
  apply(store, kind, x, value) {
    if (this.off) throw new PowerCutSignal(this.cut);
    this.ops++;
    const weak = this.weak.get(store);
    const old = kind === "program" ? store.read16(x) : undefined;
    if (this.log) this.log.push(kind === "program" ? { kind, store: this.stores.indexOf(store), offset: x, old, value }
      : { kind, store: this.stores.indexOf(store), page: x });
    const p = this.plan;
    if (p && p.op === this.ops) {
      const cut = { at: "flash operation", k: this.ops, variant: p.variant, seed: p.seed ?? 0, kind, store: this.stores.indexOf(store) };
      if (kind === "program") cut.offset = x; else cut.page = x;
      this.leave(store, kind, x, value, p.variant, rng(((p.seed ?? 0) * 0x10001) ^ this.ops));
      this.fail(cut);
    }
    if (kind === "erase") { weak.delete(x); return false; }
    if (weak.has(store.pageOf(x))) { // weak erase: the program comes out torn
      const v = tornValue(old, value, rng(x ^ value));
      if (v === null) return false;
      this.setHalfWord(store, x, v);
      store.programCounts[store.pageOf(x)]++;
      return true;
    }
    return false;
  }

  /** Leave the cells as a cut inside this operation would. */
  leave(store, kind, x, value, variant, next) {
    if (kind === "program") {
      if (!PROGRAM_VARIANTS.includes(variant)) throw new TypeError(`variant ${variant} is not one of a program's (${PROGRAM_VARIANTS})`);
      const old = store.read16(x);
      if (variant === "done") this.setHalfWord(store, x, value === 0 ? 0 : old & value);
      else if (variant === "torn") this.setHalfWord(store, x, tornValue(old, value, next) ?? old);
      if (variant !== "not-started") store.programCounts[store.pageOf(x)]++;
      return;
    }
    if (!ERASE_VARIANTS.includes(variant)) throw new TypeError(`variant ${variant} is not one of an erase's (${ERASE_VARIANTS})`);
    if (variant === "untouched") return;
    const b = store.bytes, start = x * store.pageSize, end = start + store.pageSize;
    if (variant === "done" || variant === "weak") b.fill(0xff, start, end);
    else if (variant === "partial") {
      for (let i = start; i < end; i++) {
        const r = next();
        b[i] = r % 3 === 0 ? b[i] : r % 3 === 1 ? 0xff : b[i] | (r >>> 8);
      }
    } else if (variant === "zero-prefix") {
      b.fill(0, start, start + 2 * (1 + (next() % (store.pageSize / 2 - 1))));
    }
    if (variant === "weak") this.weak.get(store).add(x);
    store.eraseCounts[x]++;
    store.programCounts[x] = 0;
  }

  setHalfWord(store, x, v) {
    store.bytes[x] = v & 0xff;
    store.bytes[x + 1] = v >>> 8;
  }

  /** The power fails now: no native call runs until the board is powered up again. */
  fail(cut) {
    this.plan = null;
    this.off = true;
    this.cut = cut;
    throw new PowerCutSignal(cut);
  }

  afterRun() {
    if (this.off) this.powerUp();
  }

  /** Power up: flash (and wear) kept, FPEC registers reset, RAM lost (a new interpreter context). */
  powerUp() {
    this.off = false;
    this.powerUps++;
    const boot = this.boot;
    this.boot = null;
    const modules = [...this.modules];
    this.board.reset();
    if (!boot) return;
    this.modules.clear();
    for (const [name, src] of modules) this.board.addModule(name, src);
    const rt = this.board.runtime;
    rt.timers.add(() => rt.run(`(${boot})()`, "boot"), 0, [], false);
  }

  newContext(ctx) {
    this.modules.clear();
    const rt = this.board.runtime;
    const vb = new rt.R.Object();
    vb.cutPower = (plan) => {
      if (!plan || typeof plan !== "object") throw rt.error("VirtualBoard.cutPower: expecting {afterCall: k} or {op: k, variant}");
      const p = JSON.parse(JSON.stringify(plan));
      this.boot = typeof plan.boot === "function" ? Function.prototype.toString.call(plan.boot) : null;
      try { this.arm(p); } catch (e) { throw rt.error(e.message); }
    };
    ctx.VirtualBoard = vb;
  }

  moduleAdded(name, src) { this.modules.set(name, src); }
}
