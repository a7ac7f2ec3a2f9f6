/**
 * The Espruino firmware's flash functions on STM32F1 (Espruino targets/stm32/jshardware.c jshFlashRead /
 * jshFlashWrite / jshFlashErasePage / jshFlashGetPage, src/jshardware_common.c jshFlashWriteAligned), driving the
 * FPEC through the chip's bus the way ST's StdPeriph library does it (stm32f10x_flash.c, built with STM32F10X_XL
 * on the Original): FLASH_UnlockBank1/2 writes KEY1, KEY2 without checking LOCK; FLASH_ClearFlag writes
 * EOP|PGERR|WRPRTERR to SR; FLASH_ProgramWord waits for the last operation, sets PG, stores the low half-word,
 * waits, and only if that completed without PGERR/WRPRTERR stores the high half-word, waits, clears PG. The flags
 * are not cleared between words, so after one error every later FLASH_ProgramWord of the same call returns at its
 * first wait: the rest of the write is skipped and nothing is reported (the firmware ignores the status).
 * FLASH_ErasePage: wait, CR |= PER, AR = page, CR |= STRT, wait, clear PER; then lock.
 * Used by the Storage model (sim/storage.js) and the built-in `Flash` module (sim/builtin-flash.js).
 * Bus accesses are counted by the chip (not as native calls); waits advance virtual time to the end of the
 * running operation, as the C wait loops do.
 */
import { FLASH_START } from "./chip.js";
import { FLASH_BASE, KEY1, KEY2, SR_BSY, SR_EOP, SR_PGERR, SR_WRPRTERR, CR_PG, CR_PER, CR_STRT, CR_LOCK } from "./fpec-model.js";

export class FlashHAL {
  /**
   * @param {import("./chip.js").Chip} chip
   * @param {{flashLength: number, pageSize: number}} layout  board.layout (flash_length, page size)
   */
  constructor(chip, layout) {
    this.chip = chip;
    this.flashLength = layout.flashLength;
    this.pageSize = layout.pageSize;
  }

  /** Register addresses of the bank holding `addr` (bank 2 of XL density: +0x40). */
  regs(addr) {
    const chip = this.chip;
    const off = chip.flashOffset(addr >>> 0);
    const bank = off >= 0 ? chip.bankOf(off) : chip.fpec[0];
    const d = bank.index === 0 ? 0 : 0x40;
    return { bank, KEYR: FLASH_BASE + 0x04 + d, SR: FLASH_BASE + 0x0c + d, CR: FLASH_BASE + 0x10 + d, AR: FLASH_BASE + 0x14 + d };
  }

  /** FLASH_WaitForLastBankOperation: poll SR until BSY clears; returns SR. */
  wait(r) {
    const chip = this.chip;
    chip.strtBank = -1;   // C code runs a few cycles between the CR store and the SR load: no errata hit
    for (;;) {
      const sr = chip.read32(r.SR);
      if (!(sr & SR_BSY)) return sr;
      chip.clock.advanceTo(r.bank.op.endUs);
    }
  }

  /** FLASH_UnlockBankN (keys without a LOCK check) + FLASH_ClearFlag(EOP | PGERR | WRPRTERR). */
  unlock(r) {
    this.chip.write32(r.KEYR, KEY1);
    this.chip.write32(r.KEYR, KEY2);
    this.chip.write32(r.SR, SR_EOP | SR_PGERR | SR_WRPRTERR);
  }

  /** FLASH_LockBankN: CR |= LOCK. */
  lock(r) { this.chip.write32(r.CR, this.chip.read32(r.CR) | CR_LOCK); }

  /**
   * jshFlashGetPage: the page holding `addr`, or null outside 0x08000000 .. + flash_length.
   * @param {number} addr @returns {{addr: number, length: number}|null}
   */
  getPage(addr) {
    const a = addr >>> 0;
    if (a < FLASH_START || a >= FLASH_START + this.flashLength) return null;
    return { addr: a - ((a - FLASH_START) % this.pageSize), length: this.pageSize };
  }

  /** jshFlashRead: bytes through the bus (a read while BSY stalls). @returns {Uint8Array} */
  read(addr, length) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.chip.read8((addr + i) >>> 0);
    return out;
  }

  /** jshFlashErasePage: erase the page holding `addr`. Errors (WRPRTERR) are not reported, as in the firmware. */
  erasePage(addr) {
    const page = this.getPage(addr);
    if (!page) return;
    const chip = this.chip, r = this.regs(page.addr);
    this.unlock(r);
    this.wait(r);
    chip.write32(r.CR, chip.read32(r.CR) | CR_PER);
    chip.write32(r.AR, page.addr);
    chip.write32(r.CR, chip.read32(r.CR) | CR_STRT);
    this.wait(r);
    chip.write32(r.CR, chip.read32(r.CR) & ~CR_PER);
    this.lock(r);
  }

  /** jshFlashErasePages (src/jshardware_common.c): every page from `addr` for `length` bytes. */
  erasePages(addr, length) {
    const end = addr + length;
    for (let a = addr; a < end;) {
      const p = this.getPage(a);
      if (!p) return;
      this.erasePage(p.addr);
      a = p.addr + p.length;
    }
  }

  /**
   * jshFlashWrite: program `bytes` (length a multiple of 4, `addr` 4-aligned) word by word with FLASH_ProgramWord.
   * @param {ArrayLike<number>} bytes @param {number} addr
   * @returns {boolean} whether every word completed (the firmware itself ignores this)
   */
  write(bytes, addr) {
    const chip = this.chip, r = this.regs(addr);
    this.unlock(r);
    let failed = false;
    for (let i = 0; i + 3 < bytes.length; i += 4) {
      const w = (addr + i) >>> 0;
      let sr = this.wait(r);
      if (sr & (SR_PGERR | SR_WRPRTERR)) { failed = true; continue; }   // FLASH_ProgramWord returns at once
      chip.write32(r.CR, chip.read32(r.CR) | CR_PG);
      chip.write16(w, bytes[i] | (bytes[i + 1] << 8));
      sr = this.wait(r);
      if (!(sr & (SR_PGERR | SR_WRPRTERR))) {
        chip.write16(w + 2, bytes[i + 2] | (bytes[i + 3] << 8));
        sr = this.wait(r);
      }
      chip.write32(r.CR, chip.read32(r.CR) & ~CR_PG);
      if (sr & (SR_PGERR | SR_WRPRTERR)) failed = true;
    }
    this.wait(r);
    this.lock(r);
    return !failed;
  }

  /**
   * jshFlashWriteAligned: any address and length; partial words at either end are read, merged and written
   * whole (re-programming half-words already programmed: PGERR on F1 unless the merged value is 0x0000).
   * @param {ArrayLike<number>} bytes @param {number} addr
   */
  writeAligned(bytes, addr) {
    let pos = 0, len = bytes.length;
    const offset = addr & 3;
    if (offset) {
      const word = this.read(addr - offset, 4);
      const n = Math.min(4 - offset, len);
      for (let i = 0; i < n; i++) word[offset + i] = bytes[i];
      this.write(word, addr - offset);
      if (n >= len) return;
      pos = n; len -= n; addr += n;
    }
    const tail = len & 3;
    if (len - tail) this.write(Array.prototype.slice.call(bytes, pos, pos + len - tail), addr);
    if (tail) {
      const at = addr + len - tail;
      const word = this.read(at, 4);
      for (let i = 0; i < tail; i++) word[i] = bytes[pos + len - tail + i];
      this.write(word, at);
    }
  }
}
