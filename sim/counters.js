/**
 * The board's counters object (docs/ARCHITECTURE.md "board.counters"). One live object shared by the
 * chip (bus faults, programs, erases, stalls, BSY polls) and the Espruino runtime (native calls).
 * `simulatedUs` is a getter on the virtual clock so it is always current.
 *
 * @param {import("./clock.js").Clock} clock
 * @returns {object} counters
 */
export function createCounters(clock) {
  const c = {
    nativeCalls: 0,
    /** per native function name, e.g. { peek32: 3, "E.sum": 1, "process.memory": 1 } */
    calls: {},
    /** reads of FLASH_SR / FLASH_SR2 (bus accesses) */
    bsyPolls: 0,
    busFaults: 0,
    /** @type {{addr:number,width:number,value:(number|undefined),reason:string,atUs:number}[]} */
    faults: [],
    /** half-word program operations started (accepted by the FPEC, no error) */
    programs: 0,
    /** page/mass/option-byte erase operations started */
    erases: 0,
    /** bus accesses that stalled on a busy bank (§5.1/§5.2) */
    stalls: 0,
    /** µs spent stalled */
    stallUs: 0,
    /** clone mode: half-word program writes dropped because BSY was set (§5.2) */
    droppedWrites: 0,
    /** accesses to FLASH_KEYR/KEYR2 */
    keyWrites: 0,
    /** @type {string[]} non-hardware warnings (controller spec §8 "Recommended diagnostic") */
    diagnostics: [],
  };
  Object.defineProperty(c, "simulatedUs", { enumerable: true, get: () => clock.elapsedUs });
  return c;
}

/**
 * Zero every counter in place (references held by callers stay valid) and restart simulatedUs.
 * @param {object} c counters from {@link createCounters}
 * @param {import("./clock.js").Clock} clock
 */
export function resetCounters(c, clock) {
  for (const k of Object.keys(c)) {
    if (k === "simulatedUs") continue;
    if (Array.isArray(c[k])) c[k].length = 0;
    else if (typeof c[k] === "number") c[k] = 0;
    else c[k] = {};
  }
  clock.resetElapsed();
}

/** Upper bound on stored diagnostics/faults so a runaway loop cannot exhaust host memory. */
export const MAX_LOG = 10000;
