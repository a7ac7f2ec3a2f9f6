/**
 * E.nativeCall and E.getAddressOf of the virtual board (Espruino src/jswrap_espruino.c, src/jsvar.c): machine code
 * in a flat string is copied into the board's SRAM and run by the Cortex-M0+ instruction-set emulator
 * (cortex.js) against the chip model. When the code ends at the ST ROM's reset handler, the board leaves
 * Espruino for the ST system-memory bootloader (st-rom-bootloader.js): its serial link then speaks AN3155
 * (serial-port.js) until the bootloader's Go command or a reset starts Espruino again.
 *
 * Modelled as Espruino 2v29 does it: `E.nativeCall(addr, sig, data)` with data converts data to a flat string
 * (jsvAsFlatString; its bytes start on a 4-byte boundary) and addr becomes an offset into it (1 = its first byte,
 * Thumb bit set); without data, addr is absolute. sig is "ret(arg,...)" with at most 4 int/bool arguments here
 * (r0-r3); double/float/JsVar/Pin types are not modelled and throw.
 */
import { Cortex } from "./cortex.js";
import { StRomBootloader } from "./st-rom-bootloader.js";
import { RebootSignal } from "./espruino.js";
import { hex } from "./format.js";

/** Thrown through the board's JavaScript when the CPU leaves Espruino for the ST ROM (board.eval swallows it). */
export class SystemBootloaderSignal extends RebootSignal {
  constructor() { super(); this.message = "CPU in the ST system bootloader"; this.name = "SystemBootloaderSignal"; }
}

/** Where flat strings live in the board's SRAM (inside the Original's JsVar area, 2756 x 13 bytes). */
const FLAT_HEAP = 0x20001000, FLAT_HEAP_END = 0x20009000;
const TYPES = new Set(["void", "int", "bool"]);

export class NativeCode {
  /**
   * @param {import("./board.js").Board} board
   */
  constructor(board) {
    this.board = board;
    this.cortex = new Cortex({ chip: board.chip });
    /** The caller's CPU state for the next calls: tests set `ipsr` (e.g. 15) to call from a handler. */
    this.caller = { ipsr: 0, control: 0, primask: false };
    /** byte offset of flat-string data from a 4-byte boundary (Espruino 2v29: 0; tests set 2) */
    this.misalign = 0;
    /** peripheral interrupts raised during the next runs: [{cycle, irq}] (tests) */
    this.events = [];
    /** RunResult of the last run (cortex.js) */
    this.lastRun = null;
    this.reset();
  }

  /** RAM cleared: no flat strings. */
  reset() {
    this.next = FLAT_HEAP;
    this.flat = new Map();
  }

  /**
   * Place bytes as a flat string in SRAM (one copy per distinct content, like a string kept alive).
   * @param {number[]} bytes @returns {number} address of the first byte
   */
  place(bytes) {
    const key = String.fromCharCode(...bytes);
    if (this.flat.has(key)) return this.flat.get(key);
    const addr = ((this.next + 3) & ~3) + this.misalign;
    if (addr + bytes.length > FLAT_HEAP_END) throw this.board.runtime.error("Not enough free memory for a flat string");
    this.board.chip.sram.set(bytes, addr - 0x20000000);
    this.next = addr + bytes.length;
    this.flat.set(key, addr);
    return addr;
  }

  /** E.getAddressOf(v, flatAddress): the address of a flat string's / ArrayBuffer's bytes when flatAddress. */
  getAddressOf(v, flatAddress, bytesOf) {
    if (!flatAddress || v === undefined || v === null || typeof v === "number") return 0;
    return this.place(bytesOf(v));
  }

  /**
   * E.nativeCall(addr, sig, data) -> a function running the code.
   * @param {number} addr  @param {string} sig  @param {*} data  @param {function(*): number[]} bytesOf
   */
  nativeCall(addr, sig, data, bytesOf) {
    const rt = this.board.runtime;
    const m = /^\s*(\w+)\s*\(([^)]*)\)\s*$/.exec(String(sig));
    const args = m && m[2].trim() ? m[2].split(",").map((s) => s.trim()) : [];
    if (!m || !TYPES.has(m[1]) || args.length > 4 || !args.every((a) => TYPES.has(a) && a !== "void"))
      throw rt.error(`E.nativeCall: signature "${sig}" not modelled by the virtual board (int/bool/void, at most 4 arguments)`);
    const entry = data === undefined ? addr | 0 : (this.place(bytesOf(data)) + (addr | 0)) >>> 0;
    const ret = m[1];
    return (...values) => this.run(entry, values.slice(0, args.length).map((v) => Number(v) | 0), ret);
  }

  /** Run the code; see the module comment. */
  run(entry, args, ret) {
    const board = this.board, chip = board.chip;
    const rom = chip.romVectors[1];
    const r = this.cortex.call(entry, args, this.caller, [rom], this.events);
    this.lastRun = r;
    switch (r.reason) {
      case "return": return ret === "void" ? undefined : ret === "bool" ? r.r0 !== 0 : r.r0 | 0;
      case "rom":
        board.runtime.timers.dispose();
        board.systemBootloader = new StRomBootloader({ chip, onBoot: () => board.reset() });
        chip.diag(`CPU at the ST ROM reset handler ${hex(rom)}: the serial link now speaks the AN3155 bootloader protocol`);
        throw new SystemBootloaderSignal();
      case "reset":
        board.reset();
        throw new RebootSignal();
      default:
        chip.diag(`E.nativeCall: code stopped (${r.reason}: ${r.detail}); on silicon this is a HardFault or a runaway`);
        throw board.runtime.error(`E.nativeCall: ${r.reason} (${r.detail}) - the virtual board cannot continue this code`);
    }
  }
}
