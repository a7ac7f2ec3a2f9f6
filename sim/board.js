/**
 * createBoard(options): a virtual Espruino board = STM32F1 chip model (chip.js) + Espruino runtime
 * (espruino.js) + firmware layout (layout.js). API: docs/ARCHITECTURE.md "The virtual board API".
 */
import { Chip, FLASH_START, U_ID } from "./chip.js";
import { Clock } from "./clock.js";
import { createCounters, resetCounters } from "./counters.js";
import { EspruinoRuntime } from "./espruino.js";
import { computeLayout, prefillFlash } from "./layout.js";
import { builtinFlashModule } from "./builtin-flash.js";
import { FlashHAL } from "./jshardware.js";
import { Storage } from "./storage.js";
import { storageModule } from "./storage-api.js";
import { NativeCode } from "./native-call.js";
import { BoardRam } from "./ram.js";

/** Per-model firmware facts (espruino-platform.md §1, §2). Values marked "approx." are plausible, not measured.
 * `total` is the board file's 'variables' (ESPRUINOBOARD.py 2756, HYSTM32_28.py 700); `blocksize` the JsVar size
 * Espruino's src/jsutils.h picks for that count: 12 bytes up to 2047 variables, 13 up to 8191. */
export const FIRMWARE = {
  original: {
    env: { VERSION: "2v29", GIT_COMMIT: "0000000", BOARD: "ESPRUINOBOARD", RAM: 49152, FLASH: 262144, SPIFLASH: 0,
      STORAGE: 20480, CONSOLE: "USB", MODULES: "Flash,Storage,heatshrink,net,dgram,http,NetworkJS,Wiznet,CC3000", EXPTR: 536871016 },
    // baseUsage: 2v29 for Linux with this variable layout after reset() with the built-ins in use (126; 48 before
    // String/Array/Math/typed arrays/Error... are first used); stack approx.
    total: 2756, blocksize: 13, baseUsage: 126, stackEndAddress: 0x2000b1d8, stackFree: 3800,
    features: { crc32: true, nativeCall: true, flashModule: true },
  },
  medium: {
    env: { VERSION: "2v29", GIT_COMMIT: "0000000", BOARD: "HYSTM32_28", RAM: 20480, FLASH: 131072, SPIFLASH: 0,
      STORAGE: 16384, CONSOLE: "USART1", MODULES: "", EXPTR: 536871016 },
    total: 700, blocksize: 12, baseUsage: 100, stackEndAddress: 0x20004530, stackFree: 2400,   // approx.
    features: { crc32: false, nativeCall: false, flashModule: false, saveOnFlash: true },   // SAVE_ON_FLASH build
  },
  connectivity: {
    // fictional board: Espruino has no STM32F105/107 board file
    env: { VERSION: "2v29", GIT_COMMIT: "0000000", BOARD: "STM32F105_CL", RAM: 65536, FLASH: 131072, SPIFLASH: 0,
      STORAGE: 16384, CONSOLE: "USART1", MODULES: "", EXPTR: 536871016 },
    total: 3000, blocksize: 13, baseUsage: 120, stackEndAddress: 0x20010000, stackFree: 8000,
    features: { crc32: false, nativeCall: false, flashModule: false, saveOnFlash: true },
  },
  xl: {
    // fictional board: Espruino has no STM32F103xG board file
    env: { VERSION: "2v29", GIT_COMMIT: "0000000", BOARD: "STM32F1_XL", RAM: 98304, FLASH: 1048576, SPIFLASH: 0,
      STORAGE: 65536, CONSOLE: "USART1", MODULES: "Flash,Storage", EXPTR: 536871016 },
    total: 5000, blocksize: 13, baseUsage: 120, stackEndAddress: 0x20015000, stackFree: 8000,
    features: { crc32: true, nativeCall: true, flashModule: true },
  },
};

/**
 * @typedef {object} BoardOptions
 * @property {"original"|"medium"|"connectivity"|"xl"} [model="original"]
 * @property {boolean} [clone=false]       drop half-word writes issued while BSY (APM32/GD32, §5.2)
 * @property {"min"|"typ"|"max"|object} [timing="typ"]  tPROG 40/52.5/70 µs, tERASE 20/20/40 ms
 * @property {number} [callCostUs=40]      µs of interpreter time charged per native call
 * @property {number} [wrpr=0xFFFFFFFF]    FLASH_WRPR (bit 0 = protected, §7.1)
 * @property {boolean} [hiddenFlash=true]  original: 0x08040000-0x0805FFFF exists
 * @property {boolean} [strictKeys=false]  keys while unlocked -> bus fault + locked until reset
 * @property {boolean} [errata=true]       BSY reads 0 right after STRT (§5.3)
 * @property {boolean} [idcodeReadable=true] false: DBGMCU_IDCODE reads 0 from user code, as on F1 parts with the
 *                                        errata "Debug registers cannot be read by user software"
 * @property {number} [etext]             _etext (absolute or alias), default per model
 * @property {number} [dataImageSize]     bytes of .data image after _etext (0x200)
 * @property {"espruino-hd"|"st"|"none"} [startup] startup file of the firmware image (default per model; "none": a
 *                                        Reset_Handler without the `ldr r3, =_sidata` literal-pool pattern)
 * @property {number} [codeStart]         flash_code_start (absolute)
 * @property {number} [codeContentSize]   bytes of saved code at codeStart (0x100)
 * @property {boolean} [blank=false]       leave all flash erased (no firmware pre-fill)
 * @property {Uint8Array} [flashImage]     the whole flash (board.flash() of an earlier board, e.g. kept in a file by
 *                                        sim/serve.js --flash): used instead of the pre-fill
 * @property {boolean} [ramLimit=true]     false: process.memory() still reports the RAM model, but running out of
 *                                        JsVars has no effect (to test code that does not fit this board's RAM)
 * @property {function(string):void} [output] same as setOutput
 */

/**
 * Create a virtual Espruino board.
 * @param {BoardOptions} [options]
 */
export function createBoard(options = {}) {
  return new Board(options);
}

export class Board {
  /** @param {BoardOptions} options */
  constructor(options = {}) {
    const model = options.model ?? "original";
    const fw = FIRMWARE[model];
    if (!fw) throw new TypeError(`createBoard: unknown model "${model}" (use "original", "medium", "connectivity" or "xl")`);
    this.options = options;
    this.model = model;
    this.clock = new Clock();
    this.counters = createCounters(this.clock);
    this.layout = computeLayout(model, options);
    this.chip = new Chip({ ...options, model, clock: this.clock, counters: this.counters, vtor: this.layout.linkBase });
    if (options.flashImage) {
      const size = this.chip.flash.bytes.length;
      if (options.flashImage.length !== size)
        throw new TypeError(`createBoard: flashImage has ${options.flashImage.length} bytes, the ${model} board's flash ${size}`);
      this.chip.flash.bytes.set(options.flashImage);
    } else if (!options.blank) prefillFlash(this.chip.flash, this.layout);
    /** the firmware's flash functions (jshFlash*) and the Storage area (saved code) they manage */
    this.hal = new FlashHAL(this.chip, this.layout);
    this.storage = new Storage(this.hal, this.layout.codeStart, this.layout.codeEnd);
    this.output = [];
    this.outFn = options.output ?? null;
    this.lineBuf = "";
    const uid = [];
    for (let i = 0; i < 12; i++) uid.push(this.chip.info[U_ID - this.chip.preset.infoStart + i]);
    const hexw = (o) => uid.slice(o, o + 4).map((b) => b.toString(16).padStart(2, "0")).join("");
    const env = { ...fw.env, SERIAL: `${hexw(0)}-${hexw(4)}-${hexw(8)}` };
    const layout = this.layout;
    this.ram = new BoardRam({ total: fw.total, baseUsage: fw.baseUsage, enforce: options.ramLimit !== false });
    this.runtime = new EspruinoRuntime({
      ram: this.ram,
      chip: this.chip,
      counters: this.counters,
      callCostUs: options.callCostUs ?? 40,
      env,
      features: fw.features,
      memory: (moduleChars, gc) => {
        const m = { ...this.ram.memory(), history: 0 };
        if (gc) { m.gc = 0; m.gctime = 0.5; }
        Object.assign(m, {
          blocksize: fw.blocksize, stackEndAddress: fw.stackEndAddress, stackFree: fw.stackFree,
          flash_start: FLASH_START, flash_binary_end: layout.flashBinaryEnd, flash_code_start: layout.codeStart,
          flash_length: layout.flashLength,
        });
        return m;
      },
      builtinModules: {
        ...(fw.features.flashModule ? { Flash: (rt) => builtinFlashModule(rt, this) } : {}),
        Storage: (rt) => storageModule(rt, this.storage),
      },
      unmodelledModules: fw.env.MODULES.split(",").filter((m) => m && m !== "Flash" && m !== "Storage"),
      output: (text) => this.emit(text),
      onReboot: () => this.reset(),
      storage: this.storage,
      hal: this.hal,
    });
    /** the ST ROM bootloader (sim/st-rom-bootloader.js) while the CPU runs it instead of Espruino, else null */
    this.systemBootloader = null;
    /** E.nativeCall's CPU (sim/native-call.js): Thumb code on an instruction-set emulator */
    this.cpu = new NativeCode(this);
    this.runtime.nativeCode = this.cpu;
    this.chip.onSystemReset = () => this.reset();   // SCB_AIRCR.SYSRESETREQ
    this.runtime.powerOn();
  }

  /** the node:vm context holding the Espruino globals (a new one after reset()) */
  get context() { return this.runtime.context; }

  /**
   * Run Espruino code in the board. @param {string} code @param {string} [name]
   * @returns {any} the completion value (throws what the code throws)
   */
  eval(code, name) {
    if (this.systemBootloader) throw new Error("board.eval: the CPU runs the ST system bootloader, not Espruino (AN3155 Go or board.reset() returns)");
    return this.runtime.run(code, name);
  }

  /** = Modules.addCached(name, src); src is a String or a Function (its text), runs immediately. Harness path:
   * RAM is checked for the loaded module only, not for the upload's peak (the REPL line + wrapper). */
  addModule(name, src) { this.runtime.addCached(name, src, { upload: false }); }

  /** = require(name) inside the board. */
  require(name) { return this.runtime.require(name); }

  /** print/console.log target: fn(text) gets each line incl. "\n". Pass null to restore board.output. */
  setOutput(fn) { this.outFn = fn; }

  emit(text) {
    if (this.outFn) { this.outFn(text); return; }
    this.output.push(text.replace(/\n$/, ""));
  }

  /** @returns {Uint8Array} copy of all main flash (incl. hidden region) */
  flash() { return this.chip.snapshotFlash(); }

  /** Zero all counters (in place) and restart simulatedUs. */
  resetCounters() { resetCounters(this.counters, this.clock); }

  /**
   * Hardware reset (NVIC_SystemReset / E.reboot() / the reset button): FPEC registers to reset values, key lock-up
   * cleared, option bytes reloaded, SRAM cleared, new interpreter context (modules, timers gone); then Espruino
   * starts as at power-on: saved state (save()) and boot code (E.setBootCode, Save on Send) are loaded from the
   * Storage area, E.on('init') handlers and onInit() run. Flash and counters kept.
   */
  reset() {
    this.chip.reset();
    this.systemBootloader = null;   // BOOT0 low: the chip boots from flash (Espruino)
    this.cpu.reset();
    this.runtime.powerOn();
  }

  /**
   * Power off and on again: as reset() for everything the board models (flash is non-volatile, SRAM and the FPEC
   * state are lost).
   */
  powerCycle() { this.reset(); }

  /** For a console (sim/repl.js): whether Espruino prints its logo after the restart that just happened. */
  takeBanner() { return this.runtime.takeBanner(); }

  /** Run all pending setTimeout/setInterval callbacks now, in due order. @returns {number} callbacks run */
  flushTimers() { return this.runtime.timers.flush(); }

  /** Complete running FPEC operations by advancing virtual time (harness helper, no stall counted). */
  drain() { this.chip.drain(); }

  /** Clear all timers. */
  dispose() { this.runtime.dispose(); }
}
