/**
 * STM32F1 bus model: main flash (+ its alias at 0x0000_0000), information block (system memory, F_SIZE,
 * unique ID, option bytes), SRAM, the FPEC register block(s), RCC_CR (HSI state) and DBGMCU_IDCODE.
 * the peripherals the system-bootloader entry touches (RCC, GPIOA/GPIOC, USART1, USB: one file each) and the
 * Cortex-M3 system control space (NVIC, SysTick, SCB). The system memory starts with the ST ROM's vector table
 * (initial MSP, reset handler); the rest of the ROM is a fixed pseudo-random pattern (its code is not modelled:
 * sim/st-rom-bootloader.js models its behaviour). Accesses anywhere else are bus faults (recorded; Espruino's
 * BusFault handler skips the instruction, so reads return 0 and writes do nothing). "§n" = /work/shared/reference/stm32f1-flash-controller.md.
 */
import { Clock } from "./clock.js";
import { createCounters, MAX_LOG } from "./counters.js";
import { FlashStore } from "./flash-store.js";
import {
  FpecBank, TIMING, FLASH_BASE, FLASH_ACR, FLASH_KEYR, FLASH_OPTKEYR, FLASH_SR, FLASH_CR, FLASH_AR, FLASH_OBR,
  FLASH_WRPR, FLASH_KEYR2, FLASH_SR2, FLASH_CR2, FLASH_AR2,
} from "./fpec-model.js";
import { hex } from "./format.js";
import { Rcc, RCC_ESPRUINO } from "./rcc.js";
import { Nvic, NVIC_BASE, IRQ } from "./nvic.js";
import { SysTick, SYSTICK_BASE, SYSTICK_ESPRUINO } from "./systick.js";
import { Scb, SCB_BASE } from "./scb.js";
import { GpioPort, GPIO_CRH, GPIO_ODR } from "./gpio.js";
import { Usart, USART1_ESPRUINO } from "./usart.js";
import { UsbDevice, USB_ESPRUINO } from "./usb.js";

export const FLASH_START = 0x08000000;
export const SRAM_START = 0x20000000;
export const RCC_BASE = 0x40021000;
export const DBGMCU_IDCODE = 0xe0042000;
/** SCB->VTOR (Cortex-M3 vector table offset register, PM0056 §4.4.4), read/write, 0 after reset. */
export const SCB_VTOR = 0xe000ed08;
export const F_SIZE = 0x1ffff7e0;
export const U_ID = 0x1ffff7e8;
export const OB_BASE = 0x1ffff800;
const INFO_END = 0x1ffff810;       // option bytes end (exclusive)
export const GPIOA_BASE = 0x40010800, GPIOC_BASE = 0x40011000, USART1_BASE = 0x40013800, USB_BASE = 0x40005c00;
/**
 * The ST ROM's vector table (initial MSP, reset handler with the Thumb bit) at the start of system memory. Read
 * from an STM32F103C8 (medium density) dump: [0x200001FC, 0x1FFFF021]; the other densities' ROMs are not
 * verified, so the same layout (reset handler 0x21 bytes into the ROM) is assumed at their system-memory address.
 */
export const romVectorsFor = (infoStart) => [0x200001fc, (infoStart + 0x21) >>> 0];

/**
 * Chip geometries per density (§1.1, §1.2). `spanPow2` is the power-of-two span used to decode FLASH_AR (§2.6).
 */
export const PRESETS = {
  /** STM32F103RCT6 of the Espruino Original: high density, 256 KB documented (+128 KB hidden), 2 KB pages.
   * (irqCount: maskable interrupts, RM0008 §10.1.2: 60, 68 on the connectivity line.) */
  original: {
    part: "STM32F103RCT6", density: "high", devId: 0x414, revId: 0x1001, flashKB: 256, pageSize: 2048,
    hiddenKB: 128, spanPow2: 0x80000, bank1Pages: null, sramSize: 48 * 1024, infoStart: 0x1ffff000, irqCount: 60,
  },
  /** STM32F103RB-like medium density: 128 KB, 1 KB pages, WRP 4 pages/bit. */
  medium: {
    part: "STM32F103RBT6", density: "medium", devId: 0x410, revId: 0x2003, flashKB: 128, pageSize: 1024,
    hiddenKB: 0, spanPow2: 0x20000, bank1Pages: null, sramSize: 20 * 1024, infoStart: 0x1ffff000, irqCount: 60,
  },
  /** STM32F105RB-like connectivity line: 128 KB in 2 KB pages (DEV_ID 0x418, table §1.1), WRP 2 pages/bit. */
  connectivity: {
    part: "STM32F105RBT6", density: "connectivity", devId: 0x418, revId: 0x1001, flashKB: 128, pageSize: 2048,
    hiddenKB: 0, spanPow2: 0x20000, bank1Pages: null, sramSize: 64 * 1024, infoStart: 0x1fffb000, irqCount: 68,
  },
  /** STM32F103ZG-like XL density: 1 MB in two banks of 256 x 2 KB pages (§2.9). */
  xl: {
    part: "STM32F103ZGT6", density: "xl", devId: 0x430, revId: 0x1000, flashKB: 1024, pageSize: 2048,
    hiddenKB: 0, spanPow2: 0x100000, bank1Pages: 256, sramSize: 96 * 1024, infoStart: 0x1fffe000, irqCount: 60,
  },
};


/** Small deterministic PRNG (xorshift32) for fill patterns. @returns {function():number} next byte 0..254 */
export function byteSource(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const b = s & 0xff;
    return b === 0xff ? 0x7f : b;   // never 0xFF: "non-blank" content
  };
}

/** Build option bytes (§7.3) from a FLASH_WRPR value: RDP=0xA5, USER=0xFF, DATA=0xFF, WRPn with complements. */
export function factoryOptionBytes(wrpr) {
  const vals = [0xa5, 0xff, 0xff, 0xff, wrpr & 0xff, (wrpr >>> 8) & 0xff, (wrpr >>> 16) & 0xff, (wrpr >>> 24) & 0xff];
  const ob = new Uint8Array(16);
  vals.forEach((v, i) => { ob[2 * i] = v; ob[2 * i + 1] = ~v & 0xff; });
  return ob;
}

export class Chip {
  /**
   * @param {object} [o]
   * @param {"original"|"medium"|"connectivity"|"xl"} [o.model="original"]
   * @param {boolean} [o.clone=false]     drop half-word writes issued while BSY (§5.2)
   * @param {"min"|"typ"|"max"|{tProgUs:number,tEraseUs:number,tMassEraseUs?:number}} [o.timing="typ"]
   * @param {number} [o.wrpr=0xFFFFFFFF]  FLASH_WRPR (bit 0 = protected); written into the WRP option bytes
   * @param {boolean} [o.hiddenFlash=true] original only: 0x0804_0000-0x0805_FFFF exists (§1.2 caveat)
   * @param {boolean} [o.strictKeys=false] keys written while unlocked -> bus fault + lock-up (§8 #8)
   * @param {boolean} [o.errata=true]     model the BSY-one-cycle-late errata (§5.3, §8 #11)
   * @param {boolean} [o.idcodeReadable=true] false: DBGMCU_IDCODE reads 0 (STM32F10x errata "Debug registers
   *                                      cannot be read by user software": only a debugger sees the value)
   * @param {number} [o.vtor=0]         what the firmware writes into SCB->VTOR right after each reset (Espruino's
   *                                      main(): the link address of its vector table, 0x2800 on the Original)
   * @param {number[]} [o.romVectors]   [initial MSP, reset handler] at the start of system memory (default
   *                                      romVectorsFor(infoStart)); e.g. [0xFFFFFFFF, 0xFFFFFFFF] for a part without
   *                                      the ST ROM bootloader
   * @param {Clock} [o.clock]
   * @param {object} [o.counters]
   */
  constructor(o = {}) {
    const model = o.model ?? "original";
    const p = PRESETS[model];
    if (!p) throw new TypeError(`Chip: unknown model "${model}" (use "original", "medium", "connectivity" or "xl")`);
    this.model = model;
    this.preset = p;
    this.clock = o.clock ?? new Clock();
    this.counters = o.counters ?? createCounters(this.clock);
    this.clone = !!o.clone;
    this.strictKeys = !!o.strictKeys;
    this.errata = o.errata ?? true;
    this.idcodeReadable = o.idcodeReadable ?? true;
    this.bootVtor = o.vtor ?? 0;
    const t = o.timing ?? "typ";
    this.timing = typeof t === "string" ? TIMING[t] : { tMassEraseUs: t.tEraseUs, ...t };
    if (!this.timing) throw new TypeError(`Chip: unknown timing "${t}" (use "min", "typ" or "max")`);
    const hidden = model === "original" && (o.hiddenFlash ?? true) ? p.hiddenKB * 1024 : 0;
    /** documented flash size in bytes (= F_SIZE KB * 1024) */
    this.flashSize = p.flashKB * 1024;
    /** main flash backing store, incl. the hidden region if present */
    this.flash = new FlashStore({ size: this.flashSize + hidden, pageSize: p.pageSize, base: FLASH_START });
    this.pageShift = Math.log2(p.pageSize);
    const pages = this.flash.pageCount;
    const b1 = p.bank1Pages ?? pages;
    /** FPEC banks: [0] = FLASH_* registers, [1] = FLASH_*2 (XL only) */
    this.fpec = [new FpecBank({ index: 0, chip: this, firstPage: 0, pageCount: Math.min(b1, pages) })];
    if (p.bank1Pages) this.fpec.push(new FpecBank({ index: 1, chip: this, firstPage: b1, pageCount: pages - b1 }));
    this.sram = new Uint8Array(p.sramSize);
    this.romVectors = o.romVectors ?? romVectorsFor(p.infoStart);
    this.info = this.buildInfoBlock(o.uid);
    this.optionBytes = factoryOptionBytes(o.wrpr ?? 0xffffffff);
    this.acr = 0x30;
    this.createPeripherals();
    /** system reset request (SCB AIRCR.SYSRESETREQ); the board replaces it to restart Espruino too */
    this.onSystemReset = () => this.reset();
    this.strtBank = -1;
    this.reset();
  }

  /** System memory + F_SIZE + U_ID (§1.3): ST bootloader bytes are a fixed pseudo-random pattern. */
  buildInfoBlock(uid) {
    const p = this.preset;
    const info = new Uint8Array(OB_BASE - p.infoStart);
    const next = byteSource(0x57f103);
    for (let i = 0; i < F_SIZE - p.infoStart; i++) info[i] = next();
    info.fill(0xff, F_SIZE - p.infoStart);
    const fs = F_SIZE - p.infoStart;
    info[fs] = p.flashKB & 0xff; info[fs + 1] = p.flashKB >> 8;
    const id = uid ?? [0x33, 0xff, 0xd7, 0x05, 0x41, 0x4d, 0x36, 0x31, 0x37, 0x55, 0x17, 0x43];
    info.set(id, U_ID - p.infoStart);
    for (let i = 0; i < 8; i++) info[i] = (this.romVectors[i >> 2] >>> (8 * (i & 3))) & 0xff;
    return info;
  }

  /**
   * The peripherals on the bus besides flash and the FPEC: [{name, base, size, dev}], dev.read(offset) and
   * dev.write(offset, value, mask) on 32-bit registers (narrower accesses are given their byte lanes).
   */
  createPeripherals() {
    const diag = (m) => this.diag(m);
    this.rcc = new Rcc({ clock: this.clock, diag, onPeripheralReset: (bus, bit) => { for (const d of this.resettable) d.onReset(bus, bit); } });
    this.nvic = new Nvic({ irqCount: this.preset.irqCount });
    this.scb = new Scb({ onSystemReset: () => this.onSystemReset(), pendingIrq: () => this.nvic.pendingList()[0] ?? -1 });
    this.systick = new SysTick({ pend: () => { this.scb.pendSt = true; } });
    this.gpioa = new GpioPort({ name: "GPIOA", bit: 2, rcc: this.rcc });
    this.gpioc = new GpioPort({ name: "GPIOC", bit: 4, rcc: this.rcc });
    this.usart1 = new Usart({ name: "USART1", rcc: this.rcc, bus: "APB2", bit: 14 });
    this.usb = new UsbDevice({ rcc: this.rcc });
    this.resettable = [this.gpioa, this.gpioc, this.usart1, this.usb];
    this.peripherals = [
      { name: "RCC", base: RCC_BASE, size: 0x400, dev: this.rcc },
      { name: "GPIOA", base: GPIOA_BASE, size: 0x400, dev: this.gpioa },
      { name: "GPIOC", base: GPIOC_BASE, size: 0x400, dev: this.gpioc },
      { name: "USART1", base: USART1_BASE, size: 0x400, dev: this.usart1 },
      { name: "USB", base: USB_BASE, size: 0x400, dev: this.usb },
      { name: "SysTick", base: SYSTICK_BASE, size: 0x10, dev: this.systick },
      { name: "NVIC", base: NVIC_BASE, size: 0x400, dev: this.nvic },
      { name: "SCB", base: SCB_BASE, size: 0x40, dev: this.scb },
    ];
  }

  /**
   * The peripherals as Espruino 2v29 leaves them while it runs: 72 MHz from HSE + PLL (rcc.js RCC_ESPRUINO),
   * SysTick as its time base, VTOR at the firmware's vector table, USART1 at 9600 baud with its IRQ enabled, and on
   * the Original the USB CDC console up (USB IRQs enabled, C13 low: D+ pull-up on).
   */
  espruinoPeripherals() {
    const usbBoard = this.model === "original";
    this.rcc.reset(usbBoard ? RCC_ESPRUINO : { ...RCC_ESPRUINO, apb1enr: RCC_ESPRUINO.apb1enr & ~(1 << 23) });
    this.nvic.reset();
    this.nvic.enable(IRQ.USART1);
    this.scb.reset();
    this.scb.vtor = this.bootVtor;   // Espruino's main(): SCB->VTOR = &_VECTOR_TABLE (its link address)
    this.systick.reset();
    this.systick.set(SYSTICK_ESPRUINO);
    for (const d of this.resettable) d.reset();
    this.usart1.set(USART1_ESPRUINO);
    this.gpioa.set({ [GPIO_CRH]: 0x888444b4 });   // A9 USART1 TX (AF push-pull), A13/A14 LEDs, A10 input
    if (usbBoard) {
      this.nvic.enable(IRQ.USB_LP_CAN1_RX0);
      this.nvic.enable(IRQ.USBWakeUp);
      this.gpioc.set({ [GPIO_CRH]: 0x44344444, [GPIO_ODR]: 0 });   // C13 push-pull output, low: USB pull-up on
      this.usb.set(USB_ESPRUINO);
    }
  }

  /** @returns {boolean} the host sees the USB device: macrocell running and C13 driven low (Original) */
  usbAttached() { return this.usb.running && this.gpioc.clocked && this.gpioc.isOutput(13) && this.gpioc.level(13) === 0; }

  /** @returns {{name, base, size, dev}|undefined} the peripheral at a bus address */
  peripheralAt(addr) {
    for (const p of this.peripherals) if (addr >= p.base && addr < p.base + p.size) return p;
    return undefined;
  }

  /**
   * System reset: FPEC registers to reset values and lock-up cleared (§3.2), FLASH_WRPR/OBR reloaded from
   * the option bytes (§2.7), SRAM cleared, RCC_CR back to the running value, SCB->VTOR as the firmware sets it.
   * Flash contents are kept.
   */
  reset() {
    for (const b of this.fpec) b.reset();
    this.acr = 0x30;
    this.espruinoPeripherals();
    this.sram.fill(0);
    this.strtBank = -1;
    this.loadOptionBytes();
  }

  /** OBR/WRPR load from option bytes (§2.7, §2.8): a byte/complement mismatch -> OPTERR, reads as 0xFF. */
  loadOptionBytes() {
    const ob = this.optionBytes;
    let opterr = 0;
    const byte = (i) => {
      if ((ob[2 * i] ^ ob[2 * i + 1]) !== 0xff) { opterr = 1; return 0xff; }
      return ob[2 * i];
    };
    const rdp = ob[0], nrdp = ob[1];
    const user = byte(1), d0 = byte(2), d1 = byte(3);
    /** FLASH_WRPR (§2.8) */
    this.wrpr = (byte(4) | (byte(5) << 8) | (byte(6) << 16) | (byte(7) << 24)) >>> 0;
    const xl = this.preset.density === "xl";
    const rdprt = rdp === 0xa5 && nrdp === 0x5a ? 0 : 1;
    /** FLASH_OBR (§2.7): factory value 0x03FFFFFC */
    this.obr = ((d1 << 18) | (d0 << 10) | (xl ? 0x3c0 | ((user & 0xf) << 2) : 0x3e0 | ((user & 7) << 2)) |
      (rdprt << 1) | opterr) >>> 0;
    if (rdprt) this.diag("option bytes: read protection active (RDP != 0xA5); RDP effects are not modelled (§7.2)");
  }

  /**
   * Write protection of a page from FLASH_WRPR (bit = 0 -> protected), density mapping §7.1.
   * @param {number} page global page index
   */
  isPageProtected(page) {
    let bit;
    if (this.preset.density === "medium") bit = page >> 2;          // 4 pages per bit, bits 0..31
    else bit = page < 62 ? page >> 1 : 31;                          // HD/CL/XL: 2 pages/bit, bit 31 = 62..last
    if (bit > 31) return false;
    return ((this.wrpr >>> bit) & 1) === 0;
  }

  /**
   * Decode FLASH_AR to a page for page erase (§2.6): page = (FAR & (spanPow2-1)) >> log2(pageSize),
   * high-order bits ignored (a page NUMBER erases page 0). Diagnostic if FAR is not a flash address; no erase
   * (return -1) if the page does not exist or belongs to the other bank.
   * @param {number} far
   * @param {FpecBank} bank
   * @returns {number} page or -1
   */
  decodeFar(far, bank) {
    far >>>= 0;
    const size = this.flash.size;
    const inMain = far >= FLASH_START && far < FLASH_START + size;
    if (!inMain && !(far < size)) this.diag(`${bank.name}_AR = ${hex(far)} is not a flash address; decoded by its low bits (§2.6, §8 #15)`);
    const page = (far & (this.preset.spanPow2 - 1)) >>> this.pageShift;
    if (page >= this.flash.pageCount) {
      this.diag(`${bank.name}: page erase of page ${page} (AR=${hex(far)}) beyond the device: no erase, no flags (§2.6 UNCONFIRMED)`);
      return -1;
    }
    if (page < bank.firstPage || page >= bank.firstPage + bank.pageCount) {
      this.diag(`${bank.name}: page ${page} (AR=${hex(far)}) belongs to the other bank: no erase (§2.9)`);
      return -1;
    }
    return page;
  }

  /** Endurance warning (§6: N_END = 10 kcycles). */
  noteWear(page) {
    if (this.flash.eraseCounts[page] + 1 === 10001) this.diag(`page ${page} erased more than 10000 times (N_END, §6)`);
  }

  /** @returns {boolean} RCC_CR.HSION (§6: HSI must be on for program/erase) */
  hsiOn() { return this.rcc.hsiOn(); }

  /** Record a non-hardware warning. */
  diag(msg) {
    const d = this.counters.diagnostics;
    if (d.length < MAX_LOG) d.push(`[${this.clock.nowUs} µs] ${msg}`);
  }

  /** Record a bus fault (Espruino's BusFault handler skips the instruction, §3 of espruino-platform.md). */
  busFault(addr, width, value, reason) {
    this.counters.busFaults++;
    const f = this.counters.faults;
    if (f.length < MAX_LOG) f.push({ addr: addr >>> 0, width, value: value === undefined ? undefined : value >>> 0, reason, atUs: this.clock.nowUs });
  }

  /** Complete every operation whose end time has passed (no stall). */
  sync() { for (const b of this.fpec) b.sync(); }

  /** Finish all running operations now, advancing virtual time (a stall by the test harness, not counted). */
  drain() {
    for (const b of this.fpec) if (b.busy) { this.clock.advanceTo(b.op.endUs); b.finish(); }
  }

  // ------------------------------------------------------------------ address decoding

  /** @returns {number} main-flash byte offset of a bus address (main or 0x0 alias), or -1 */
  flashOffset(addr) {
    const size = this.flash.size;
    if (addr >= FLASH_START && addr < FLASH_START + size) return addr - FLASH_START;
    if (addr < size) return addr;   // alias at 0x0000_0000 (BOOT0 = 0, §1.1)
    return -1;
  }

  /** @returns {FpecBank} bank serving a flash offset */
  bankOf(offset) {
    const page = offset >>> this.pageShift;
    return this.fpec.length > 1 && page >= this.fpec[1].firstPage ? this.fpec[1] : this.fpec[0];
  }

  // ------------------------------------------------------------------ bus accesses

  /** 8-bit bus read. @param {number} addr */
  read8(addr) { return this.read(addr, 8); }
  /** 16-bit bus read (one access). @param {number} addr */
  read16(addr) { return this.read(addr, 16); }
  /** 32-bit bus read (one access), unsigned. @param {number} addr */
  read32(addr) { return this.read(addr, 32); }
  /** 8-bit bus write (STRB). */
  write8(addr, v) { this.write(addr, 8, v); }
  /** 16-bit bus write (STRH). */
  write16(addr, v) { this.write(addr, 16, v); }
  /** 32-bit bus write (STR). */
  write32(addr, v) { this.write(addr, 32, v); }

  /**
   * One bus read of `width` bits. Flash of a busy bank stalls until the operation ends and returns the new
   * contents (§5.1, §8 #12); FPEC register reads never stall. Unmapped -> bus fault, 0.
   * @param {number} addr @param {8|16|32} width @returns {number} unsigned value
   */
  read(addr, width) {
    addr >>>= 0;
    // §5.3 errata: BSY goes high one AHB cycle (1/72 µs) after the STRT write. Only an SR read at the same
    // instant of virtual time sees BSY=0: Espruino code cannot, as each native call costs callCostUs.
    const errata = this.clock.nowUs === this.strtAtUs ? this.strtBank : -1;
    this.strtBank = -1;
    const n = width >>> 3;
    const off = this.flashOffset(addr);
    if (off >= 0 && off + n <= this.flash.size) {
      this.bankOf(off).stallUntilIdle();
      if (n > 1) this.bankOf(off + n - 1).stallUntilIdle();
      return this.bytesLE(this.flash.bytes, off, n);
    }
    if (addr >= SRAM_START && addr + n <= SRAM_START + this.sram.length) return this.bytesLE(this.sram, addr - SRAM_START, n);
    if (addr >= this.preset.infoStart && addr + n <= INFO_END) {
      this.fpec[0].stallUntilIdle();   // the information block is part of the flash module (§5.1)
      if (addr >= OB_BASE) return this.bytesLE(this.optionBytes, addr - OB_BASE, n);
      if (addr + n > OB_BASE) return this.readBytes(addr, n);
      return this.bytesLE(this.info, addr - this.preset.infoStart, n);
    }
    if (addr >= FLASH_BASE && addr < FLASH_BASE + 0x400) return this.lane(this.readReg(addr - FLASH_BASE & ~3, errata), addr, width);
    const per = this.peripheralAt(addr);
    if (per) return this.lane(per.dev.read((addr - per.base) & ~3), addr, width);
    if (addr >= DBGMCU_IDCODE && addr < DBGMCU_IDCODE + 4) return this.lane(this.idcode(), addr, width);
    this.busFault(addr, width, undefined, "read of unmapped address");
    return 0;
  }

  /** byte-wise read across the system-memory / option-byte boundary */
  readBytes(addr, n) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.read(addr + i, 8);
    return v >>> 0;
  }

  bytesLE(arr, off, n) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + arr[off + i];
    return v >>> 0;
  }

  lane(word, addr, width) {
    if (width === 32) return word >>> 0;
    const shift = (addr & 3) * 8;
    return (word >>> shift) & (width === 8 ? 0xff : 0xffff);
  }

  /** DBGMCU_IDCODE: REV_ID[31:16] | DEV_ID[11:0] (§1.2) */
  idcode() { return this.idcodeReadable ? ((this.preset.revId << 16) | this.preset.devId) >>> 0 : 0; }

  /**
   * One bus write. Main flash -> the bank's half-word program logic (§4.1); option bytes -> OPTPG (§4.5);
   * system memory is read-only (ignored + diagnostic); unmapped -> bus fault, nothing written.
   * @param {number} addr @param {8|16|32} width @param {number} value
   */
  write(addr, width, value) {
    addr >>>= 0;
    this.strtBank = -1;
    const n = width >>> 3;
    const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
    value = (value & mask) >>> 0;
    const off = this.flashOffset(addr);
    if (off >= 0 && off + n <= this.flash.size) { this.bankOf(off).writeFlash(addr, off, width, value); return; }
    if (addr >= SRAM_START && addr + n <= SRAM_START + this.sram.length) {
      for (let i = 0; i < n; i++) this.sram[addr - SRAM_START + i] = (value >>> (8 * i)) & 0xff;
      return;
    }
    if (addr >= OB_BASE && addr + n <= INFO_END) { this.fpec[0].writeOptionByte(addr, width, value); return; }
    if (addr >= this.preset.infoStart && addr < OB_BASE) {
      this.diag(`write${width} ${hex(addr)}: system memory / device signature is read-only: ignored`);
      return;
    }
    if (addr >= FLASH_BASE && addr < FLASH_BASE + 0x400) {
      let v = value;
      if (width !== 32) {
        this.diag(`${width}-bit write to FPEC register ${hex(addr)}: applied as a 32-bit write of the lane (§2.1 UNCONFIRMED)`);
        v = (value << ((addr & 3) * 8)) >>> 0;
      }
      this.writeReg(addr - FLASH_BASE & ~3, v, addr);
      return;
    }
    const per = this.peripheralAt(addr);
    if (per) {
      const sh = (addr & 3) * 8;
      per.dev.write((addr - per.base) & ~3, (value << sh) >>> 0, (mask << sh) >>> 0);
      return;
    }
    if (addr >= DBGMCU_IDCODE && addr < DBGMCU_IDCODE + 4) return;   // read-only
    this.busFault(addr, width, value, "write to unmapped address");
  }

  /** FPEC register read (§2.1). KEYR/OPTKEYR read 0 (ANALOG F3); SR/SR2 reads count as BSY polls. */
  readReg(off, errata) {
    const b2 = this.fpec[1];
    switch (off) {
      case FLASH_ACR: return (this.acr & 0x1f) | ((this.acr & 0x10) << 1);   // PRFTBS mirrors PRFTBE
      case FLASH_SR: this.counters.bsyPolls++; return this.fpec[0].readSR(errata === 0);
      case FLASH_CR: return this.fpec[0].readCR();
      case FLASH_AR: return this.fpec[0].readAR();
      case FLASH_OBR: return this.obr;
      case FLASH_WRPR: return this.wrpr;
    }
    if (b2) {
      switch (off) {
        case FLASH_SR2: this.counters.bsyPolls++; return b2.readSR(errata === 1);
        case FLASH_CR2: return b2.readCR();
        case FLASH_AR2: return b2.readAR();
      }
    }
    return 0;   // KEYR/OPTKEYR/KEYR2 and reserved offsets read 0 (§2.1, §2.10)
  }

  /** FPEC register write (§2.1-§2.9). A CR write that starts an erase arms the STRT->BSY errata (§5.3). */
  writeReg(off, v, addr) {
    const b2 = this.fpec[1];
    switch (off) {
      case FLASH_ACR: this.acr = v & 0x1f; return;
      case FLASH_KEYR: this.fpec[0].writeKEYR(v, addr); return;
      case FLASH_OPTKEYR: this.fpec[0].writeOPTKEYR(v); return;
      case FLASH_SR: this.fpec[0].writeSR(v); return;
      case FLASH_CR: if (this.fpec[0].writeCR(v) && this.errata) { this.strtBank = 0; this.strtAtUs = this.clock.nowUs; } return;
      case FLASH_AR: this.fpec[0].writeAR(v); return;
    }
    if (b2) {
      switch (off) {
        case FLASH_KEYR2: b2.writeKEYR(v, addr); return;
        case FLASH_SR2: b2.writeSR(v); return;
        case FLASH_CR2: if (b2.writeCR(v) && this.errata) { this.strtBank = 1; this.strtAtUs = this.clock.nowUs; } return;
        case FLASH_AR2: b2.writeAR(v); return;
      }
    }
    this.diag(`write to read-only/reserved FPEC offset 0x${off.toString(16)}: ignored (§2.10)`);
  }

  /** @returns {Uint8Array} copy of all main flash (incl. hidden), after completing finished operations */
  snapshotFlash() { this.sync(); return this.flash.snapshot(); }
}
