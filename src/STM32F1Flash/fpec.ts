// FPEC driver: the register sequences of ST's PM0075 (STM32F10xxx Flash memory programming manual): unlocking the
// Flash memory, main Flash memory programming (half-words only) and page erase. No policy and no address checks
// here: memory-map.ts decides what may be touched.
//
// `bank` below is the register block of a bank: FPEC, or FPEC + BANK2 for bank 2 of XL-density parts (RM0008).
// Shape of every operation (as ST's HAL does: wait, set PG/PER, act, wait, clear the mode bit even on failure):
//   begin   peek32(SR, 2) reads SR and CR in one call; wait for BSY if set; if CR.LOCK, KEY1 then KEY2
//           (never keys while unlocked: PM0075 says any wrong key sequence locks the FPEC until the next reset);
//           then ONE poke32(SR, [flags, cr, ar]) clears SR.EOP/PGERR/WRPRTERR (write 1s), writes CR (PG or PER,
//           which also clears the other mode bit) and, for an erase, FLASH_AR.
//   act     erase: CR.PER|STRT. Program: one poke16 for all half-words (on genuine ST parts a flash write while
//           BSY stalls the bus until the previous one is done), or one half-word at a time with a BSY wait between
//           (`waitEachHalfWord`, for clones that drop such writes).
//   verify  by reading flash back: a flash read while BSY stalls the bus until the operation ends (PM0075: "any
//           attempt to read the Flash memory will stall the bus"), so the read is also the wait. SR is read only
//           when the read-back is wrong, to name the cause (PGERR, WRPRTERR, LOCK).
//   end     one CR write: LOCK (clears PG/PER and locks), or 0 while the caller holds the FPEC open with unlock().
// Written for size as well as speed: the board keeps the module in RAM (2756 variables on the Original).
import { Addr, FLASH_CR, FLASH_SR, Key, Reg } from "./registers";

/** Driver settings, changed through setup(), keyed by option name: `waitEachHalfWord` polls SR.BSY after every
 * half-word store; `allowUndocumented` opens 0x08040000-0x0805FFFF of the Original to every call. */
export var settings: { [name: string]: boolean } = { waitEachHalfWord: false, allowUndocumented: false };

/** Addr.FPEC kept in a variable: the board then stores its ten digits once instead of at each use. */
var FPEC = Addr.FPEC;

/** Truthy while the caller holds the FPEC open with unlock(): operations then leave CR.LOCK clear. */
var held: any = 0;

/** An Error worded `<op> 0x<addr in hex>: <message>`, or `<op>: <message>` without an address. */
export function err(op: string, message: string, addr?: any): Error {
  return new Error(op + (addr >= 0 ? " 0x" + addr.toString(16) : "") + ": " + message);
}

/** Page size (bytes) and the register block of the last bank (FPEC, or FPEC + Reg.BANK2 on XL density, whose
 * bank 2 starts at Addr.BANK2_START), read once when the module loads from F_SIZE (Kbytes) and, at 128 KB or
 * less, DBGMCU_IDCODE. Pages are 1 KB on low/medium density (and value line, all <= 128 KB) and 2 KB on high,
 * connectivity (DEV_ID 0x418, also at 64/128 KB) and XL density (RM0008, Embedded Flash memory, Tables 4-8).
 * F_SIZE decides all but the connectivity line because DBGMCU_IDCODE reads 0 from user code on some F1 revisions
 * (errata: debug registers not readable by user software); XL density (768 KB, 1 MB) is the only one above
 * 512 KB, so bank 2 also follows F_SIZE. On an implausible F_SIZE (not 16..1024 Kbytes: not an STM32F1)
 * require() throws `F_SIZE 0x1ffff7e0: reads <n>, not an STM32F1`. */
export var PAGE: number, LAST_BANK: number;
// Code that runs once at load sits in functions that are called right away and kept nowhere: the board frees
// their text after require(), while the text of the exported functions (and of what they call) stays in RAM.
(function () {
  var kbytes = peek16(Addr.F_SIZE);
  if (!(kbytes >= 16 && kbytes <= 1024)) throw err("F_SIZE", "reads " + kbytes + ", not an STM32F1", Addr.F_SIZE);
  PAGE = kbytes > 128 || (peek32(Addr.DBGMCU_IDCODE) & 0xfff) == 0x418 ? 2048 : 1024;
  LAST_BANK = kbytes > 512 ? FPEC + Reg.BANK2 : FPEC;
})();

/** Poll FLASH_SR of `bank` until BSY clears, at most 1e5 reads (about 4 s at 40 us a call; a page erase takes
 * 40 ms at most, DS5792 Table 29). Returns the last SR value.
 * @throws Error if BSY never clears. */
function waitBsy(bank: number): number {
  for (var polls = 0, status: number; (status = peek32(bank + Reg.SR)) & FLASH_SR.BSY;) {
    if (++polls > 1e5) throw err("FLASH_SR", "BSY stuck", bank + Reg.SR);
  }
  return status;
}

/** One operation on the bank holding `addr` (begin, act, verify, end as above; bank 2 of XL density through
 * KEYR2/SR2/CR2/AR2): with `halfWords`, program them from even address `addr` (CR.PG; PM0075: only half-word
 * stores program, any other width is a bus error); without, erase the page
 * at `addr` (CR.PER, FLASH_AR, CR.STRT). Then `check()` reads flash back (which also waits for BSY) and returns
 * the first wrong address or -1. Ends with CR = LOCK (which also clears PG/PER), or CR = 0 while held by unlock(),
 * failures included.
 * @throws Error `<op> 0x<first wrong address>: <cause found in SR/CR>`, after waiting for BSY and clearing the SR
 * flags; a plain read-back mismatch of a program names setup({waitEachHalfWord: true}), the fix for clone chips. */
export function operate(op: string, addr: number, check: () => number, halfWords?: Uint16Array): void {
  // bank 2 only on XL density: addresses from BANK2_START pass the memory map's guard nowhere else
  var bank = addr >= Addr.BANK2_START ? FPEC + Reg.BANK2 : FPEC,
    registers = peek32(bank + Reg.SR, 2), // SR and CR in one call
    waitEach = settings.waitEachHalfWord;
  // begin: wait for BSY if set (CR and AR writes are ignored while BSY); KEY1, KEY2 only if CR.LOCK is set
  if (registers[0] & FLASH_SR.BSY) waitBsy(bank);
  if (registers[1] & FLASH_CR.LOCK) {
    poke32(bank + Reg.KEYR, Key.KEY1);
    poke32(bank + Reg.KEYR, Key.KEY2);
  }
  poke32(bank + Reg.SR, halfWords ? [FLASH_SR.FLAGS, FLASH_CR.PG] : [FLASH_SR.FLAGS, FLASH_CR.PER, addr]);
  try {
    if (!halfWords) poke32(bank + Reg.CR, FLASH_CR.PER | FLASH_CR.STRT);
    else if (waitEach) {
      for (var i = 0; i < halfWords.length; i++) {
        poke16(addr + 2 * i, halfWords[i]);
        waitBsy(bank);
      }
    } else poke16(addr, halfWords);
    var wrong = check(), status: number;
    if (wrong >= 0) {
      status = waitBsy(bank);
      poke32(bank + Reg.SR, FLASH_SR.FLAGS);
      throw err(op, peek32(bank + Reg.CR) & FLASH_CR.LOCK ? "FPEC locked until reset" : status & FLASH_SR.WRPRTERR
        ? "write-protected (WRPRTERR)" : status & FLASH_SR.PGERR ? "not erased (PGERR)" : "read-back mismatch" +
        (halfWords && !waitEach ? "; clone chip? setup({waitEachHalfWord: true})" : ""), wrong);
    }
  } finally {
    poke32(bank + Reg.CR, held ? 0 : FLASH_CR.LOCK);
  }
}

/** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
 * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
 * and lock by themselves.
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075). */
export function unlock(): void {
  for (var bank = FPEC; bank <= LAST_BANK; bank += Reg.BANK2) {
    // no BSY wait first: while CR.LOCK is set no operation of this module runs (each waits for its end, then locks)
    if (peek32(bank + Reg.CR) & FLASH_CR.LOCK) {
      poke32(bank + Reg.KEYR, Key.KEY1);
      poke32(bank + Reg.KEYR, Key.KEY2);
    }
    if (peek32(bank + Reg.CR) & FLASH_CR.LOCK) throw err("unlock", "FPEC locked until reset", bank + Reg.CR);
  }
  held = 1;
}

/** Lock the FPEC: wait for SR.BSY to clear (CR writes are ignored while BSY), then CR = LOCK, which also clears
 * CR.PG/PER (PM0075, FLASH_CR), on both banks on XL density; and stop holding it open. */
export function lock(): void {
  held = 0;
  for (var bank = FPEC; bank <= LAST_BANK; bank += Reg.BANK2) {
    waitBsy(bank);
    poke32(bank + Reg.CR, FLASH_CR.LOCK);
  }
}

/** Most bytes read back by one native call: keeps the temporary copies of a long write small (the Original has
 * 2756 variables of RAM; peek8 and E.toString copy what they read). */
var CHUNK = 2048;

/** The first address in [addr, addr + length) (length even) whose byte differs from `expected` (or from 0xFF,
 * erased, without `expected`), or -1. Two native calls per CHUNK bytes when all match (E.memoryArea and
 * E.toString, or peek8 and E.sum), one more to find the address otherwise. Reading flash also waits for SR.BSY to
 * clear. */
export function diff(addr: number, length: number, expected?: Uint8Array): number {
  for (var done = 0, n: number, got: any, i: number; done < length; done += n) {
    n = Math.min(CHUNK, length - done);
    if (expected ? E.memoryArea(addr + done, n) != E.toString(expected.subarray(done, done + n))
      : E.sum((peek8 as any)(addr + done, n)) != 255 * n) {
      for (got = (peek8 as any)(addr + done, n), i = 0; got[i] == (expected ? expected[done + i] : 255); i++);
      return addr + done + i;
    }
  }
  return -1;
}
