/**
 * One FPEC (Flash Program/Erase Controller) bank of an STM32F1, after PM0075 / RM0008 and the
 * behavioural spec /work/shared/reference/stm32f1-flash-controller.md ("§n" below refers to it).
 *
 * Bank 1 = FLASH_KEYR/SR/CR/AR at 0x4002_2004/0C/10/14 (with OPTKEYR and the option-byte bits);
 * bank 2 (XL density only) = FLASH_KEYR2/SR2/CR2/AR2 at 0x44/4C/50/54, no option-byte bits (§2.9).
 *
 * Operations run in virtual time: starting a program/erase schedules its completion at
 * now + tPROG/tERASE; the bank completes it lazily when an access observes it after that time (`sync`),
 * or immediately when an access must stall on it (`stallUntilIdle`, §5.1/§5.2).
 */

import { hex } from "./format.js";

/** Register offsets from FLASH_R_BASE = 0x4002_2000 (§2.1). */
export const FLASH_BASE = 0x40022000;
export const FLASH_ACR = 0x00, FLASH_KEYR = 0x04, FLASH_OPTKEYR = 0x08, FLASH_SR = 0x0c, FLASH_CR = 0x10,
  FLASH_AR = 0x14, FLASH_OBR = 0x1c, FLASH_WRPR = 0x20,
  FLASH_KEYR2 = 0x44, FLASH_SR2 = 0x4c, FLASH_CR2 = 0x50, FLASH_AR2 = 0x54;

/** FLASH_KEYR / FLASH_OPTKEYR key values (§2.3). */
export const KEY1 = 0x45670123, KEY2 = 0xcdef89ab;

/** FLASH_SR bits (§2.4). */
export const SR_BSY = 1 << 0, SR_PGERR = 1 << 2, SR_WRPRTERR = 1 << 4, SR_EOP = 1 << 5;
/** W1C flags of FLASH_SR (§2.4). */
export const SR_W1C = SR_EOP | SR_WRPRTERR | SR_PGERR;

/** FLASH_CR bits (§2.5). */
export const CR_PG = 1 << 0, CR_PER = 1 << 1, CR_MER = 1 << 2, CR_OPTPG = 1 << 4, CR_OPTER = 1 << 5,
  CR_STRT = 1 << 6, CR_LOCK = 1 << 7, CR_OPTWRE = 1 << 9, CR_ERRIE = 1 << 10, CR_EOPIE = 1 << 12;
/** FLASH_CR reset value: LOCK = 1 (§2.1). */
export const CR_RESET = CR_LOCK;

/** Key state machine states (§3.2). */
export const LOCKED = "LOCKED", KEY1_OK = "KEY1_OK", UNLOCKED = "UNLOCKED", LOCKED_UNTIL_RESET = "LOCKED_UNTIL_RESET";

/**
 * Operation durations in µs per `timing` option (§6, DS5792 Table 29): tPROG 40/52.5/70 µs,
 * tERASE = tME 20/20/40 ms (no typical value is given; "typ" uses the 20 ms floor).
 */
export const TIMING = {
  min: { tProgUs: 40, tEraseUs: 20000, tMassEraseUs: 20000 },
  typ: { tProgUs: 52.5, tEraseUs: 20000, tMassEraseUs: 20000 },
  max: { tProgUs: 70, tEraseUs: 40000, tMassEraseUs: 40000 },
};


/**
 * One FPEC bank. All hardware-visible state lives here; the chip (chip.js) routes bus accesses to it.
 */
export class FpecBank {
  /**
   * @param {object} o
   * @param {number} o.index        0 = bank 1 (FLASH_*), 1 = bank 2 (FLASH_*2, XL only)
   * @param {import("./chip.js").Chip} o.chip
   * @param {number} o.firstPage    first page (global index) served by this bank
   * @param {number} o.pageCount    pages of this bank that physically exist
   */
  constructor({ index, chip, firstPage, pageCount }) {
    this.index = index;
    this.chip = chip;
    this.firstPage = firstPage;
    this.pageCount = pageCount;
    /** option-byte bits (OPTPG/OPTER/OPTWRE) exist only in bank 1 (§2.9) */
    this.hasOptionBits = index === 0;
    this.name = index === 0 ? "FLASH" : "FLASH(bank2)";
    this.reset();
  }

  /** System reset (§3.2 last row): LOCKED, CR = 0x80, SR = 0, AR = 0, OPTWRE = 0. */
  reset() {
    if (this.op) {
      this.chip.diag(`${this.name}: reset during ${this.op.kind}: operation completed (effect of reset mid-operation UNCONFIRMED, §10 #14)`);
      this.finish();
    }
    /** @type {string} */
    this.keyState = LOCKED;
    /** 0 = idle, 1 = OPTKEYR KEY1 seen */
    this.optKeyStep = 0;
    /** SR flags EOP/WRPRTERR/PGERR (BSY is derived from `op`) */
    this.flags = 0;
    this.cr = CR_RESET;
    this.ar = 0;
    /** @type {null | {kind:string, endUs:number, apply:function():void}} running operation */
    this.op = null;
  }

  get clock() { return this.chip.clock; }
  get counters() { return this.chip.counters; }

  /** Complete the running operation if its end time has passed. */
  sync() {
    if (this.op && this.clock.nowUs >= this.op.endUs) this.finish();
  }

  /** @returns {boolean} SR.BSY after sync */
  get busy() { this.sync(); return this.op !== null; }

  /** End of a successful operation: apply it, BSY=0, STRT=0, EOP=1 regardless of EOPIE (§4.6, §4.7). */
  finish() {
    const op = this.op;
    this.op = null;
    op.apply();
    this.flags |= SR_EOP;
    this.cr &= ~CR_STRT;
  }

  /**
   * Stall the bus until the running operation completes (§5.1 reads, §5.2 writes): advances the clock.
   */
  stallUntilIdle() {
    if (!this.busy) return;
    const d = this.clock.advanceTo(this.op.endUs);
    this.counters.stalls++;
    this.counters.stallUs += d;
    this.finish();
  }

  /**
   * Start an operation: SR.BSY=1 until now + durationUs.
   * @param {string} kind  "program" | "page erase" | "mass erase" | "option program" | "option erase"
   * @param {number} durationUs
   * @param {function():void} apply  the memory effect, run at completion
   */
  start(kind, durationUs, apply) {
    if (this.flags & (SR_PGERR | SR_WRPRTERR))
      this.chip.diag(`${this.name}: ${kind} started with stale error flags SR=${hex(this.flags)} (§2.4)`);
    if (!this.chip.hsiOn())
      this.chip.diag(`${this.name}: ${kind} started with HSI off (RCC_CR.HSION=0); the sim completes it anyway (§6, §8 #19 UNCONFIRMED)`);
    this.op = { kind, endUs: this.clock.nowUs + durationUs, apply };
  }

  // ---------------------------------------------------------------- registers

  /** FLASH_SR read (§2.4). Never stalls. @param {boolean} errata BSY reads 0 (STRT errata, §5.3) */
  readSR(errata) {
    this.sync();
    let v = this.flags | (this.op ? SR_BSY : 0);
    if (errata) v &= ~SR_BSY;
    return v;
  }

  /** FLASH_SR write: EOP/WRPRTERR/PGERR are rc_w1 (write 1 clears, 0 no effect); BSY read-only (§2.4, §8 #9). */
  writeSR(v) {
    this.sync();
    this.flags &= ~(v & SR_W1C);
  }

  /** FLASH_CR read: reserved bits 0; STRT reads 1 while the erase it launched runs (§2.5). */
  readCR() {
    this.sync();
    return this.cr >>> 0;
  }

  /**
   * FLASH_CR write, rules 1-4 of §2.5:
   * 1. ignored while LOCK=1 (LOCK stays 1); 2. ignored while BSY (§5.3, §8 #14);
   * 3. plain bits take the written value, LOCK and STRT are set-only, OPTWRE clear-only, and a write that
   *    sets LOCK also applies the other bits; 4. STRT 0->1 launches an erase (§4.3-§4.5).
   * @param {number} v
   * @returns {boolean} true if this write started an erase (BSY now set): the chip arms the §5.3 errata
   */
  writeCR(v) {
    v >>>= 0;
    this.sync();
    if (this.keyState !== UNLOCKED) {
      if ((v & ~CR_LOCK) !== 0) this.chip.diag(`${this.name}_CR write ${hex(v)} ignored: FPEC locked (§2.5 rule 1)`);
      return false;
    }
    if (this.op) {
      this.chip.diag(`${this.name}_CR write ${hex(v)} ignored: BSY (${this.op.kind} running) (§5.3, §8 #14)`);
      return false;
    }
    const plain = CR_PG | CR_PER | CR_MER | CR_ERRIE | CR_EOPIE | (this.hasOptionBits ? CR_OPTPG | CR_OPTER : 0);
    this.cr = (this.cr & ~plain) | (v & plain);
    if (this.hasOptionBits && !(v & CR_OPTWRE)) this.cr &= ~CR_OPTWRE;   // OPTWRE: clear-only
    let started = false;
    if (v & CR_STRT) started = this.launch();                            // STRT: set-only, 0 -> 1 here
    if (v & CR_LOCK) this.lock();                                        // LOCK: set-only, other bits applied
    return started;
  }

  /** Lock via CR.LOCK=1 (§3.2). LOCK gates CR writes only, not programming (§2.5, §8 #6). */
  lock() {
    this.keyState = LOCKED;
    this.cr |= CR_LOCK;
    this.optKeyStep = 0;
    const left = this.cr & (CR_PG | CR_PER | CR_MER | CR_OPTPG | CR_OPTER);
    if (left) this.chip.diag(`${this.name}: LOCK set with CR=${hex(this.cr)}: PG/PER/MER left set (PG keeps programming, §8 #6)`);
  }

  /**
   * STRT 0->1 (§4.3 page erase, §4.4 mass erase, §4.5 option-byte erase).
   * @returns {boolean} true if an erase started
   */
  launch() {
    const cr = this.cr;
    if (cr & CR_PG) {
      this.chip.diag(`${this.name}: STRT with PG set: no erase, no flags (§4.3, §8 #5)`);
      return false;
    }
    if (cr & CR_MER) {
      if (cr & CR_PER) this.chip.diag(`${this.name}: STRT with PER and MER both set: treated as mass erase (§4.3 UNCONFIRMED)`);
      return this.massErase();
    }
    if (cr & CR_PER) return this.pageErase();
    if (cr & CR_OPTER) return this.optionErase();
    this.chip.diag(`${this.name}: STRT with none of PER/MER/OPTER set: nothing happens (§4.3 UNCONFIRMED)`);
    return false;
  }

  /** Page erase of the page selected by FAR (§4.3, decode §2.6). */
  pageErase() {
    const page = this.chip.decodeFar(this.ar, this);
    if (page < 0) return false;
    if (this.chip.isPageProtected(page)) {
      this.flags |= SR_WRPRTERR;            // no erase, no EOP (§4.3, §7.1, §8 #16)
      return false;
    }
    this.counters.erases++;
    this.cr |= CR_STRT;                      // STRT reads 1 while busy, cleared with BSY
    this.start("page erase", this.chip.timing.tEraseUs, () => this.chip.flash.erasePage(page));
    this.chip.noteWear(page);
    return true;
  }

  /** Mass erase of this bank only (§4.4, §2.9). Any protected page -> WRPRTERR, nothing erased (UNCONFIRMED, conservative). */
  massErase() {
    for (let p = this.firstPage; p < this.firstPage + this.pageCount; p++) {
      if (this.chip.isPageProtected(p)) {
        this.flags |= SR_WRPRTERR;
        this.chip.diag(`${this.name}: mass erase with write-protected page ${p}: WRPRTERR, nothing erased (§4.4 UNCONFIRMED)`);
        return false;
      }
    }
    this.counters.erases++;
    this.cr |= CR_STRT;
    this.start("mass erase", this.chip.timing.tMassEraseUs, () => {
      for (let p = this.firstPage; p < this.firstPage + this.pageCount; p++) this.chip.flash.erasePage(p);
    });
    return true;
  }

  /** Option-byte erase (§4.5): needs OPTWRE; all 16 option bytes -> 0xFF after tERASE. */
  optionErase() {
    if (!(this.cr & CR_OPTWRE)) {
      this.chip.diag(`${this.name}: OPTER+STRT without OPTWRE: ignored (§3.2, §4.5 UNCONFIRMED)`);
      return false;
    }
    this.counters.erases++;
    this.cr |= CR_STRT;
    this.start("option erase", this.chip.timing.tEraseUs, () => this.chip.optionBytes.fill(0xff));
    return true;
  }

  /**
   * FLASH_KEYR write: key state machine of §3.2. A wrong key or wrong order is a bus fault and locks the
   * FPEC until reset (§3.1 "Any wrong sequence locks up the FPEC block ... a bus error is returned").
   * @param {number} v key value
   * @param {number} addr bus address (for the fault record)
   */
  writeKEYR(v, addr) {
    v >>>= 0;
    this.sync();
    this.counters.keyWrites++;
    const fault = (why) => {
      this.keyState = LOCKED_UNTIL_RESET;
      this.cr |= CR_LOCK;
      this.chip.busFault(addr, 32, v, `${this.name}_KEYR: ${why}; FPEC locked until reset (§3.2, §8 #7)`);
    };
    switch (this.keyState) {
      case LOCKED:
        if (v === KEY1) this.keyState = KEY1_OK; else fault(`wrong KEY1 ${hex(v)}`);
        break;
      case KEY1_OK:
        if (v === KEY2) { this.keyState = UNLOCKED; this.cr &= ~CR_LOCK; } else fault(`wrong KEY2 ${hex(v)}`);
        break;
      case UNLOCKED:
        if (this.chip.strictKeys) fault(`key ${hex(v)} written while already unlocked (strictKeys)`);
        else if (v === KEY1 || v === KEY2) this.chip.diag(`${this.name}_KEYR: key written while already unlocked: harmless (§3.2, §8 #8)`);
        else fault(`wrong key ${hex(v)} while unlocked (§3.2 UNCONFIRMED)`);
        break;
      default:
        fault(`key ${hex(v)} written after a wrong sequence`);
    }
  }

  /**
   * FLASH_OPTKEYR write (§3.2 last paragraph): KEY1,KEY2 while the FPEC is unlocked -> CR.OPTWRE = 1.
   * Wrong sequence or FPEC locked: ignored + diagnostic, no fault (UNCONFIRMED).
   */
  writeOPTKEYR(v) {
    v >>>= 0;
    this.sync();
    if (this.keyState !== UNLOCKED) {
      this.chip.diag(`FLASH_OPTKEYR ${hex(v)} written while the FPEC is locked: ignored (§3.2 UNCONFIRMED)`);
      this.optKeyStep = 0;
      return;
    }
    if (this.optKeyStep === 0 && v === KEY1) this.optKeyStep = 1;
    else if (this.optKeyStep === 1 && v === KEY2) { this.optKeyStep = 0; this.cr |= CR_OPTWRE; }
    else {
      this.optKeyStep = 0;
      this.chip.diag(`FLASH_OPTKEYR: wrong sequence (${hex(v)}): ignored (§3.2 UNCONFIRMED)`);
    }
  }

  /** FLASH_AR read: last written value, or the last programmed address (§2.6, UNCONFIRMED). */
  readAR() { this.sync(); return this.ar >>> 0; }

  /** FLASH_AR write: ignored while BSY (§2.6 "Write access ... is blocked when the BSY bit ... is set"). */
  writeAR(v) {
    this.sync();
    if (this.op) {
      this.chip.diag(`${this.name}_AR write ${hex(v)} ignored: BSY (${this.op.kind} running) (§2.6, §8 #14)`);
      return;
    }
    this.ar = v >>> 0;
  }

  // ---------------------------------------------------------------- flash writes

  /**
   * A CPU store into main flash of this bank, exactly per the §4.1 pseudo-code.
   * @param {number} addr   bus address (main or 0x0 alias)
   * @param {number} offset byte offset into main flash
   * @param {8|16|32} width store width in bits
   * @param {number} value  stored value
   */
  writeFlash(addr, offset, width, value) {
    this.sync();
    if (!(this.cr & CR_PG)) {                      // §4.1 / §8 #4: ignored, no flags (UNCONFIRMED)
      this.chip.diag(`write${width} ${hex(addr)} = ${hex(value)} with ${this.name}_CR.PG=0: ignored (§4.1, §8 #4)`);
      return;
    }
    if (width !== 16 || (addr & 1)) {              // §4.1 / §8 #3: bus error, nothing programmed, no flags
      this.chip.busFault(addr, width, value, `${width}-bit${addr & 1 ? " odd-address" : ""} write to flash with PG=1: not a half-word (§4.1, §8 #3)`);
      return;
    }
    if (this.op) {                                 // §5.2 / §8 #13
      if (this.chip.clone) {
        this.counters.droppedWrites++;
        this.chip.diag(`clone: half-word write ${hex(addr)} = 0x${value.toString(16)} while BSY dropped (§5.2)`);
        return;
      }
      this.stallUntilIdle();
      if (!(this.cr & CR_PG)) return;
    }
    if (this.cr & (CR_PER | CR_MER | CR_OPTER)) {   // §4.1: nothing, no flags, BSY not set
      this.chip.diag(`${this.name}: half-word write ${hex(addr)} with PER/MER/OPTER also set: not programmed, no flags (§4.1, §8 #5)`);
      return;
    }
    const page = this.chip.flash.pageOf(offset);
    if (this.chip.isPageProtected(page)) {          // §4.1 / §7.1 / §8 #16
      this.flags |= SR_WRPRTERR;
      return;
    }
    const old = this.chip.flash.read16(offset);
    const data = value & 0xffff;
    if (old !== 0xffff && data !== 0x0000) {       // §4.1 / §8 #2
      this.flags |= SR_PGERR;
      return;
    }
    this.ar = addr >>> 0;
    this.counters.programs++;
    this.start("program", this.chip.timing.tProgUs, () => this.chip.flash.program16(offset, data));
  }

  /**
   * A CPU store into the option-byte area 0x1FFF_F800-0x1FFF_F80F (§4.5). Bank 1 only.
   * Needs OPTPG and OPTWRE; half-words only; a non-erased byte -> PGERR (F1 drivers, UNCONFIRMED);
   * stores the low byte and its complement after tPROG. New values take effect at the next reset.
   */
  writeOptionByte(addr, width, value) {
    this.sync();
    const i = (addr - 0x1ffff800) & ~1;
    if (!(this.cr & CR_OPTPG)) {
      this.chip.diag(`write${width} ${hex(addr)} to the option bytes without OPTPG: ignored (§4.5)`);
      return;
    }
    if (width !== 16 || (addr & 1)) {
      this.chip.busFault(addr, width, value, `${width}-bit write to option bytes: not a half-word (§4.1, §4.5)`);
      return;
    }
    if (this.op) {
      if (this.chip.clone) { this.counters.droppedWrites++; return; }
      this.stallUntilIdle();
    }
    if (!(this.cr & CR_OPTWRE)) {
      this.chip.diag(`option-byte write ${hex(addr)} without OPTWRE: ignored (§4.5 UNCONFIRMED)`);
      return;
    }
    const ob = this.chip.optionBytes;
    if ((ob[i] | (ob[i + 1] << 8)) !== 0xffff) { this.flags |= SR_PGERR; return; }
    const v = value & 0xff;
    this.counters.programs++;
    this.start("option program", this.chip.timing.tProgUs, () => { ob[i] = v; ob[i + 1] = ~v & 0xff; });
  }
}
