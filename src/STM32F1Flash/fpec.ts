// FPEC driver: the register sequences of PM0075 sec. 3 (unlock), sec. 4.1 (half-word programming) and sec. 4.3
// (page erase), as described in ../../shared/reference/stm32f1-flash-controller.md. No policy and no address checks
// here: src/memory-map.ts decides what may be touched.
//
// `b` below is the register block of a bank: FPEC, or FPEC + BANK2 for bank 2 of XL-density parts (sec. 2.9).
// Shape of every operation (cf. ST HAL: wait, set PG/PER, act, wait, clear the mode bit even on failure):
//   begin   open(): peek32(SR, 2) reads SR and CR in one call; wait for BSY if set; if CR.LOCK, KEY1 then KEY2
//           (never keys while unlocked: a wrong or repeated sequence locks the FPEC until reset, sec. 3.2); then
//           ONE poke32(SR, [flags, cr, ar]) clears SR.EOP/PGERR/WRPRTERR (write 1s, sec. 2.4), writes CR (PG or
//           PER, which also clears the other mode bit) and, for an erase, FLASH_AR.
//   act     erase: CR.PER|STRT. Program: one poke16 for all half-words (genuine ST parts stall a flash write while
//           BSY, sec. 5.2), or one half-word at a time with a BSY wait between (`waitEachHalfWord`, for clones that
//           drop such writes).
//   verify  by reading flash back: a flash read stalls until BSY clears (sec. 5.1), so the read is also the wait.
//           SR is read only when the read-back is wrong, to name the cause (PGERR, WRPRTERR, LOCK).
//   end     one CR write: LOCK (clears PG/PER and locks, sec. 2.5 rule 3), or 0 while the caller holds the FPEC
//           open with unlock().
// Written for size as well as speed: the built .min.js is what the board keeps in RAM.
import { CR, CR_LOCK, CR_PER, CR_PG, CR_STRT, KEY1, KEY2, KEYR, SR, SR_BSY, SR_FLAGS, SR_PGERR,
  SR_WRPRTERR } from "./registers";

/** Driver settings, changed through setup(), keyed by option name: `waitEachHalfWord` polls SR.BSY after every
 * half-word store; `allowUndocumented` opens 0x08040000-0x0805FFFF of the Original to every call. */
export var settings: { [k: string]: boolean } = { waitEachHalfWord: false, allowUndocumented: false };

/** Truthy while the caller holds the FPEC open with unlock(): operations then leave CR.LOCK clear. */
var held = 0;

/** The cause named when CR.LOCK stays set: a wrong key sequence locks the FPEC until reset (PM0075 sec. 3). */
var LOCKED = "FPEC locked until reset";

/** An Error worded `<op> 0x<addr in hex>: <msg>`, or `<op>: <msg>` without an address. */
export function err(op: string, msg: string, addr?: any): Error {
  return new Error(op + (addr >= 0 ? " 0x" + addr.toString(16) : "") + ": " + msg);
}

/** Poll FLASH_SR of bank `b` until BSY clears, at most 1e5 reads (about 4 s at 40 us a call; tERASE is 40 ms at
 * most, DS5792 Table 29). Returns the last SR value.
 * @throws Error if BSY never clears. */
function waitBsy(b: number): number {
  for (var n = 0, s: number; (s = peek32(b + SR)) & SR_BSY;) if (++n > 1e5) throw err("FLASH_SR", "BSY stuck", b + SR);
  return s;
}

/** Begin an operation on bank `b`: read SR and CR in one call, wait for BSY if set (CR/AR writes are ignored
 * while BSY, controller spec sec. 5.3), and write KEY1, KEY2 to FLASH_KEYR only if CR.LOCK is set (PM0075 sec. 3). */
function open(b: number): void {
  var r = peek32(b + SR, 2);
  if (r[0] & SR_BSY) waitBsy(b);
  if (r[1] & CR_LOCK) {
    poke32(b + KEYR, KEY1);
    poke32(b + KEYR, KEY2);
  }
}

/** One operation on bank `b` (begin, act, verify, end as above): with `hw`, program those half-words from even
 * address `a` (CR.PG; PM0075 sec. 2.3.3: only half-word stores program); without, erase the page at `a` (CR.PER,
 * FLASH_AR, CR.STRT, PM0075 sec. 2.3.4). Then `check()` reads flash back (which also waits for BSY, sec. 5.1) and
 * returns the first wrong address or -1. Ends with CR = LOCK (which also clears PG/PER), or CR = 0 while held by
 * unlock(), failures included.
 * @throws Error `<op> 0x<first wrong address>: <cause found in SR/CR>`, after waiting for BSY and clearing the SR
 * flags. */
export function operate(b: number, op: string, a: number, check: () => number, hw?: Uint16Array): void {
  open(b);
  poke32(b + SR, hw ? [SR_FLAGS, CR_PG] : [SR_FLAGS, CR_PER, a]);
  try {
    if (!hw) poke32(b + CR, CR_PER | CR_STRT);
    else if (settings.waitEachHalfWord) {
      for (var i = 0; i < hw.length; i++) {
        poke16(a + 2 * i, hw[i]);
        waitBsy(b);
      }
    } else poke16(a, hw);
    var x = check(), s: number;
    if (x >= 0) {
      s = waitBsy(b);
      poke32(b + SR, SR_FLAGS);
      throw err(op, peek32(b + CR) & CR_LOCK ? LOCKED : s & SR_WRPRTERR ? "write-protected (WRPRTERR)" :
        s & SR_PGERR ? "not erased (PGERR)" : hw && !settings.waitEachHalfWord
        ? "read-back mismatch; a clone chip that drops writes while BSY? setup({waitEachHalfWord: true})"
        : "read-back mismatch", x);
    }
  } finally {
    poke32(b + CR, held ? 0 : CR_LOCK);
  }
}

/** Unlock bank `b` if CR.LOCK is set and hold it open until release().
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075 sec. 3). */
export function hold(b: number): void {
  open(b);
  if (peek32(b + CR) & CR_LOCK) throw err("unlock", LOCKED, b + CR);
  held = 1;
}

/** Stop holding the FPEC open and lock bank `b`: wait for BSY (CR writes are ignored while BSY), CR = LOCK. */
export function release(b: number): void {
  held = 0;
  waitBsy(b);
  poke32(b + CR, CR_LOCK);
}

/** Most bytes read back by one native call: keeps the temporary copies of a long write small (the Original has
 * 2756 variables of RAM; peek8 and E.toString copy what they read). */
var CHUNK = 2048;

/** The first address in [a, a + n) (n even) whose byte differs from `e` (or from 0xFF, erased, without `e`), or
 * -1. Two native calls per CHUNK bytes when all match (E.memoryArea and E.toString, or peek8 and E.sum), one more
 * to find the address otherwise. Reading flash also waits for SR.BSY to clear (sec. 5.1). */
export function diff(a: number, n: number, e?: Uint8Array): number {
  for (var i = 0, k: number, got: any, j: number; i < n; i += k) {
    k = Math.min(CHUNK, n - i);
    if (e ? E.memoryArea(a + i, k) != E.toString(e.subarray(i, i + k)) : E.sum((peek8 as any)(a + i, k)) != 255 * k) {
      for (got = (peek8 as any)(a + i, k), j = 0; got[j] == (e ? e[i + j] : 255); j++);
      return a + i + j;
    }
  }
  return -1;
}
