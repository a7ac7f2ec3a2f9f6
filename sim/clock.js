/**
 * Virtual time of the simulated board, in microseconds (µs).
 *
 * Time only moves when the Espruino runtime charges the interpreter cost of a native call
 * (`callCostUs`) or when a bus access stalls on a busy FPEC bank (controller spec §5.1/§5.2).
 * FPEC operations (tPROG, tERASE) are scheduled on this clock and complete lazily: the next bus
 * access that observes the bank after `endUs` sees the finished operation.
 */
export class Clock {
  constructor() {
    /** Current virtual time in µs since the board was created. */
    this.nowUs = 0;
    /** Time (µs) at which the counters were last reset; `simulatedUs` = nowUs - baseUs. */
    this.baseUs = 0;
  }

  /**
   * Advance virtual time.
   * @param {number} us microseconds (>= 0)
   */
  advance(us) {
    if (!(us >= 0)) throw new TypeError(`Clock.advance: bad duration ${us} µs`);
    this.nowUs += us;
  }

  /**
   * Advance virtual time up to `tUs` (no-op if already past it).
   * @param {number} tUs absolute virtual time in µs
   * @returns {number} µs actually advanced (0 if none)
   */
  advanceTo(tUs) {
    if (tUs <= this.nowUs) return 0;
    const d = tUs - this.nowUs;
    this.nowUs = tUs;
    return d;
  }

  /** Virtual time in µs since the last {@link Clock#resetElapsed}. */
  get elapsedUs() { return this.nowUs - this.baseUs; }

  /** Restart the elapsed-time measurement (used by board.resetCounters()). */
  resetElapsed() { this.baseUs = this.nowUs; }
}
