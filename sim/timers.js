/**
 * Timers of the virtual board: setTimeout/setInterval run on real host timers (unref'd, so a forgotten
 * board does not keep Node alive), and {@link TimerQueue#flush} runs every pending one synchronously,
 * in due order, for tests.
 */
export class TimerQueue {
  /**
   * @param {function(function, any[]):void} run  executes a callback inside the board (catches its errors)
   */
  constructor(run) {
    this.run = run;
    /** @type {Map<number, {id:number, fn:function, args:any[], ms:number, repeat:boolean, due:number, seq:number, host:any}>} */
    this.timers = new Map();
    this.nextId = 1;
    this.seq = 0;
  }

  /**
   * @param {function} fn callback
   * @param {number} ms delay in milliseconds (host time)
   * @param {any[]} args extra arguments
   * @param {boolean} repeat setInterval
   * @returns {number} timer id
   */
  add(fn, ms, args, repeat) {
    ms = Math.max(0, Number(ms) || 0);
    const t = { id: this.nextId++, fn, args, ms, repeat, due: performance.now() + ms, seq: this.seq++, host: null };
    this.timers.set(t.id, t);
    this.arm(t);
    return t.id;
  }

  arm(t) {
    if (t.host) clearTimeout(t.host);
    t.host = setTimeout(() => this.fire(t.id), Math.max(0, t.due - performance.now()));
    t.host.unref?.();
  }

  fire(id) {
    const t = this.timers.get(id);
    if (!t) return;
    t.host = null;
    if (t.repeat) { t.due += t.ms; t.seq = this.seq++; this.arm(t); } else this.timers.delete(id);
    this.run(t.fn, t.args);
  }

  /** @param {number} id */
  clear(id) {
    const t = this.timers.get(id);
    if (!t) return;
    if (t.host) clearTimeout(t.host);
    this.timers.delete(id);
  }

  /** clearTimeout() without an id clears all timers, as in Espruino */
  clearAll() { for (const id of [...this.timers.keys()]) this.clear(id); }

  /**
   * Run all pending timers now, in due order (ties: creation order). Timeouts created by callbacks run in
   * the same flush; each interval runs at most once per flush and stays scheduled.
   * @returns {number} callbacks run
   */
  flush() {
    const ranIntervals = new Set();
    let n = 0;
    for (;;) {
      let best = null;
      for (const t of this.timers.values()) {
        if (t.repeat && ranIntervals.has(t.id)) continue;
        if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
      }
      if (!best) return n;
      if (++n > 100000) throw new Error("flushTimers: more than 100000 callbacks (runaway timers?)");
      if (best.repeat) {
        ranIntervals.add(best.id);
        best.due = performance.now() + best.ms;
        this.arm(best);
      } else {
        this.clear(best.id);
      }
      this.run(best.fn, best.args);
    }
  }

  /** Clear every timer (board.dispose / reset). */
  dispose() { this.clearAll(); }
}
