/**
 * The firmware's built-in `Flash` module on F1 (espruino-platform.md §5), driven through the chip's bus
 * exactly as the C firmware drives the FPEC: unlock (KEY1, KEY2, without checking LOCK), SR = EOP|PGERR|WRPRTERR,
 * per 32-bit word: wait BSY, CR |= PG, half-word low, wait, half-word high, wait, clear PG; then CR |= LOCK.
 * Erase: wait, CR |= PER, AR = addr, CR |= STRT, wait, clear PER, lock. Its shortcomings are kept on purpose:
 * no range check, no verify, errors never reported, getFree() starts at the page after _etext even when the
 * .data image spills into it, unaligned edges are read-merged (re-programming half-words -> PGERR -> rest skipped).
 * Each Flash.* call is one counted native call. The C wait loops poll FLASH_SR (counted as bsyPolls) and
 * advance virtual time to the end of the operation.
 */
import { FLASH_START } from "./chip.js";
import { FLASH_BASE, KEY1, KEY2, SR_BSY, SR_EOP, SR_PGERR, SR_WRPRTERR, CR_PG, CR_PER, CR_STRT, CR_LOCK } from "./fpec-model.js";
import { flattenBytes, toInt32 } from "./espruino.js";
import { formatValue } from "./format.js";

/**
 * @param {import("./espruino.js").EspruinoRuntime} rt
 * @param {import("./board.js").Board} board
 * @returns {object} the module object (board realm)
 */
export function builtinFlashModule(rt, board) {
  const chip = rt.chip, L = board.layout, R = rt.R;
  const regs = (addr) => {
    const off = chip.flashOffset(addr >>> 0);
    const bank = off >= 0 ? chip.bankOf(off) : chip.fpec[0];
    const d = bank.index === 0 ? 0 : 0x40;
    return { bank, KEYR: FLASH_BASE + 0x04 + d, SR: FLASH_BASE + 0x0c + d, CR: FLASH_BASE + 0x10 + d, AR: FLASH_BASE + 0x14 + d };
  };
  const wait = (r) => {
    chip.strtBank = -1;   // C code runs a few cycles between the CR store and the SR load: no errata hit
    for (;;) {
      const sr = chip.read32(r.SR);
      if (!(sr & SR_BSY)) return sr;
      chip.clock.advanceTo(r.bank.op.endUs);
    }
  };
  const unlock = (r) => {
    chip.write32(r.KEYR, KEY1);
    chip.write32(r.KEYR, KEY2);
    chip.write32(r.SR, SR_EOP | SR_PGERR | SR_WRPRTERR);
  };
  const lock = (r) => chip.write32(r.CR, chip.read32(r.CR) | CR_LOCK);
  const getPage = (addr) => {
    const a = toInt32(addr) >>> 0;
    if (a < FLASH_START || a >= FLASH_START + L.flashLength) return undefined;
    return { addr: a - ((a - FLASH_START) % L.pageSize), length: L.pageSize };
  };

  const F = new R.Object();
  F.getPage = rt.native("Flash.getPage", (addr) => {
    const p = getPage(addr);
    return p ? rt.toCtx(p) : undefined;
  });
  F.getFree = rt.native("Flash.getFree", () => {
    const list = [];
    const etextPageEnd = FLASH_START + (Math.floor((L.etext - FLASH_START) / L.pageSize) + 1) * L.pageSize;
    if (etextPageEnd < L.codeStart) list.push({ addr: etextPageEnd, length: L.codeStart - etextPageEnd });
    if (L.hiddenStart !== null) list.push({ addr: L.hiddenStart, length: L.hiddenEnd - L.hiddenStart });
    return rt.toCtx(list);
  });
  F.erasePage = rt.native("Flash.erasePage", (addr) => {
    if (typeof addr !== "number" || !Number.isInteger(addr))
      throw rt.error(`Address should be an integer, got ${formatValue(addr, 1)}`);
    const p = getPage(addr);
    if (!p) return;
    const r = regs(p.addr);
    unlock(r);
    wait(r);
    chip.write32(r.CR, chip.read32(r.CR) | CR_PER);
    chip.write32(r.AR, p.addr);
    chip.write32(r.CR, chip.read32(r.CR) | CR_STRT);
    wait(r);
    chip.write32(r.CR, chip.read32(r.CR) & ~CR_PER);
    lock(r);
  });
  F.write = rt.native("Flash.write", (data, addr) => {
    const bytes = flattenBytes([data]);
    let a = toInt32(addr) >>> 0;
    if (!bytes.length) return;
    const start = a & ~3, end = (a + bytes.length + 3) & ~3;
    const r = regs(start);
    unlock(r);
    for (let w = start; w < end; w += 4) {
      let word = chip.read32(w);   // read-merge for unaligned edges
      for (let i = 0; i < 4; i++) {
        const j = w + i - a;
        if (j >= 0 && j < bytes.length) word = (word & ~(0xff << (8 * i))) | (bytes[j] << (8 * i));
      }
      wait(r);
      chip.write32(r.CR, chip.read32(r.CR) | CR_PG);
      chip.write16(w, word & 0xffff);
      let sr = wait(r);
      if (!(sr & (SR_PGERR | SR_WRPRTERR))) {
        chip.write16(w + 2, word >>> 16);
        sr = wait(r);
      }
      chip.write32(r.CR, chip.read32(r.CR) & ~CR_PG);
      if (sr & (SR_PGERR | SR_WRPRTERR)) break;   // FLASH_ProgramWord failed: rest skipped, nothing reported
    }
    lock(r);
  });
  F.read = rt.native("Flash.read", (length, addr) => {
    const n = toInt32(length), a = toInt32(addr) >>> 0;
    const u = new R.Uint8Array(n);
    for (let i = 0; i < n; i++) u[i] = chip.read8((a + i) >>> 0);
    return u;
  });
  return F;
}
