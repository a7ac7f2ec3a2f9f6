// FPEC / flash model of the virtual board, one test per applicable row of the controller spec §8 checklist
// (/work/shared/reference/stm32f1-flash-controller.md). Bus accesses go straight to board.chip.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createBoard, KEY1, KEY2 } from "../sim/index.js";

const KEYR = 0x40022004, OPTKEYR = 0x40022008, SR = 0x4002200c, CR = 0x40022010, AR = 0x40022014;
const OBR = 0x4002201c, WRPR = 0x40022020, ACR = 0x40022000;
const PG = 1, PER = 2, MER = 4, OPTPG = 0x10, OPTER = 0x20, STRT = 0x40, LOCK = 0x80, OPTWRE = 0x200;
const BSY = 1, PGERR = 4, WRPRTERR = 0x10, EOP = 0x20;
const FREE = 0x0802f000;          // first blank page after firmware + .data image (original layout)
const FREE2 = FREE + 0x800;

function unlocked(opts) {
  const board = createBoard(opts);
  board.chip.write32(KEYR, KEY1);
  board.chip.write32(KEYR, KEY2);
  return { board, chip: board.chip };
}
/** run time forward until the bank is idle (a test-harness wait, not a bus stall) */
function settle(board) { board.drain(); }

describe("§2.1 reset values and register map", () => {
  test("ACR 0x30, KEYR/OPTKEYR read 0, SR 0, CR 0x80 (LOCK), AR 0, OBR 0x03FFFFFC, WRPR 0xFFFFFFFF", () => {
    const { chip } = { chip: createBoard().chip };
    assert.equal(chip.read32(ACR), 0x30);
    assert.equal(chip.read32(KEYR), 0);
    assert.equal(chip.read32(OPTKEYR), 0);
    assert.equal(chip.read32(SR), 0);
    assert.equal(chip.read32(CR), 0x80);
    assert.equal(chip.read32(AR), 0);
    assert.equal(chip.read32(OBR), 0x03fffffc);
    assert.equal(chip.read32(WRPR), 0xffffffff);
  });
  test("8-bit register read returns the addressed lane; ACR.PRFTBS mirrors PRFTBE (§2.2)", () => {
    const chip = createBoard().chip;
    assert.equal(chip.read8(CR), 0x80);
    assert.equal(chip.read8(OBR + 3), 0x03);
    chip.write32(ACR, 0x02);                      // LATENCY=2, prefetch off
    assert.equal(chip.read32(ACR), 0x02);
    chip.write32(ACR, 0x12);
    assert.equal(chip.read32(ACR), 0x32);
  });
  test("main flash is aliased at 0x00000000 (§1.1)", () => {
    const chip = createBoard().chip;
    assert.equal(chip.read32(0x00000000), chip.read32(0x08000000));
    assert.equal(chip.read32(0x0002e7a0 - 4), chip.read32(0x0802e7a0 - 4));
  });
});

describe("§8 checklist", () => {
  test("#1 erased flash reads 0xFF/0xFFFF/0xFFFFFFFF; page erase sets the whole page (§4.3)", () => {
    const { board, chip } = unlocked();
    assert.equal(chip.read8(FREE), 0xff);
    assert.equal(chip.read16(FREE), 0xffff);
    assert.equal(chip.read32(FREE + 0x7fc), 0xffffffff);
    // erase a non-blank page (the .data image page) -> every byte 0xFF
    const page = 0x0802e800;
    assert.notEqual(chip.read8(page), 0xff);
    chip.write32(CR, PER);
    chip.write32(AR, page);
    chip.write32(CR, PER | STRT);
    settle(board);
    const f = board.flash();
    assert.ok(f.subarray(page - 0x08000000, page - 0x08000000 + 0x800).every((b) => b === 0xff));
    assert.notEqual(f[page - 0x08000000 - 1], 0xff, "previous page untouched");
    assert.equal(board.chip.flash.eraseCounts[(page - 0x08000000) / 0x800], 1, "wear counted");
  });

  test("#2 program only onto 0xFFFF, else PGERR and skipped; 0x0000 always allowed (§4.1)", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write16(FREE, 0x1234);
    settle(board);
    assert.equal(chip.read16(FREE), 0x1234);
    assert.equal(chip.read32(SR), EOP);
    chip.write32(SR, EOP);
    chip.write16(FREE, 0x1030);                  // only clears bits, still PGERR (§4.1 notes)
    assert.equal(chip.read32(SR), PGERR, "PGERR at once, no BSY, no EOP");
    assert.equal(chip.read16(FREE), 0x1234, "skipped");
    chip.write32(SR, PGERR);
    chip.write16(FREE, 0x0000);                  // the exception
    settle(board);
    assert.equal(chip.read16(FREE), 0x0000);
    assert.equal(chip.read32(SR), EOP);
    chip.write32(SR, EOP);
    chip.write16(FREE + 2, 0xffff);              // legal no-op on an erased cell, EOP set
    settle(board);
    assert.equal(chip.read32(SR), EOP);
    assert.equal(board.counters.programs, 3);
  });

  test("#3 8-bit, 32-bit and odd-address writes with PG=1: bus fault, nothing written, no flags (§4.1)", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write8(FREE, 0x12);
    chip.write32(FREE + 4, 0x12345678);
    chip.write16(FREE + 9, 0x1234);
    assert.equal(board.counters.busFaults, 3);
    assert.deepEqual(board.counters.faults.map((f) => [f.addr, f.width]), [[FREE, 8], [FREE + 4, 32], [FREE + 9, 16]]);
    assert.match(board.counters.faults[0].reason, /not a half-word/);
    assert.equal(chip.read32(SR), 0);
    assert.equal(chip.read32(FREE), 0xffffffff);
    assert.equal(chip.read32(FREE + 4), 0xffffffff);
    assert.equal(chip.read32(FREE + 8), 0xffffffff);
    assert.equal(board.counters.programs, 0);
  });

  test("#4 writes with PG=0 are silently ignored (diagnostic only)", () => {
    const { board, chip } = unlocked();
    chip.write16(FREE, 0x1234);
    chip.write32(FREE, 0x1234);
    assert.equal(chip.read32(FREE), 0xffffffff);
    assert.equal(chip.read32(SR), 0);
    assert.equal(board.counters.busFaults, 0);
    assert.equal(board.counters.diagnostics.filter((d) => /PG=0: ignored/.test(d)).length, 2);
  });

  test("#5 PG/PER/MER never auto-clear: PG left set blocks an erase; PER left set blocks programs silently", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write16(FREE, 0x1111);
    settle(board);
    assert.equal(chip.read32(CR) & PG, PG, "PG still set after the program");
    chip.write32(AR, FREE);
    chip.write32(CR, PG | PER | STRT);          // erase with PG set: nothing
    assert.equal(chip.read32(SR) & BSY, 0);
    assert.equal(chip.read32(CR) & STRT, 0);
    settle(board);
    assert.equal(chip.read16(FREE), 0x1111, "not erased");
    assert.equal(board.counters.erases, 0);
    chip.write32(CR, PER);
    chip.write32(CR, PER | STRT);
    settle(board);
    assert.equal(chip.read16(FREE), 0xffff);
    assert.equal(chip.read32(CR), PER, "PER still set, STRT cleared with BSY");
    chip.write32(CR, PER | PG);                  // program with PER also set: nothing, no flags
    chip.write32(SR, EOP);
    chip.write16(FREE, 0x2222);
    settle(board);
    assert.equal(chip.read16(FREE), 0xffff);
    assert.equal(chip.read32(SR), 0);
  });

  test("#6 LOCK only blocks CR writes: with PG left set, half-words still program after LOCK", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write32(CR, PG | LOCK);
    assert.equal(chip.read32(CR), PG | LOCK);
    chip.write32(CR, 0);                         // ignored while locked: PG stays
    assert.equal(chip.read32(CR), PG | LOCK);
    chip.write16(FREE, 0xbeef);
    settle(board);
    assert.equal(chip.read16(FREE), 0xbeef);
    assert.ok(board.counters.diagnostics.some((d) => /LOCK set .*PG/.test(d)));
  });

  test("#7 wrong KEY1 -> bus fault + locked until reset; correct keys then fault too; reset recovers (§3.2)", () => {
    const board = createBoard();
    const chip = board.chip;
    chip.write32(KEYR, 0x12345678);
    assert.equal(board.counters.busFaults, 1);
    chip.write32(KEYR, KEY1);
    chip.write32(KEYR, KEY2);
    assert.equal(board.counters.busFaults, 3, "every KEYR write faults after a wrong sequence");
    assert.equal(chip.read32(CR), LOCK);
    chip.write32(CR, PG);
    assert.equal(chip.read32(CR), LOCK, "CR not writable");
    assert.equal(chip.fpec[0].keyState, "LOCKED_UNTIL_RESET");
    board.reset();
    chip.write32(KEYR, KEY1);
    chip.write32(KEYR, KEY2);
    assert.equal(chip.read32(CR), 0);
    assert.equal(board.counters.busFaults, 3, "counters survive reset");
  });

  test("#7 KEY1 correct but KEY2 wrong (or KEY1 twice) -> bus fault on the second write", () => {
    for (const second of [0xcdef89aa, KEY1]) {
      const board = createBoard();
      board.chip.write32(KEYR, KEY1);
      assert.equal(board.counters.busFaults, 0);
      board.chip.write32(KEYR, second);
      assert.equal(board.counters.busFaults, 1);
      assert.equal(board.chip.fpec[0].keyState, "LOCKED_UNTIL_RESET");
      assert.equal(board.chip.read32(CR), LOCK);
    }
  });

  test("#8 correct keys while already unlocked: harmless by default, fault + lock-up with strictKeys", () => {
    const { board, chip } = unlocked();
    chip.write32(KEYR, KEY1);
    chip.write32(KEYR, KEY2);
    assert.equal(board.counters.busFaults, 0);
    assert.equal(chip.read32(CR), 0);
    const s = unlocked({ strictKeys: true });
    s.chip.write32(KEYR, KEY1);
    assert.equal(s.board.counters.busFaults, 1);
    assert.equal(s.chip.read32(CR), LOCK);
    s.chip.write32(KEYR, KEY1);
    s.chip.write32(KEYR, KEY2);
    assert.equal(s.chip.read32(CR), LOCK, "locked until reset");
  });

  test("#9 SR flags are W1C: writing 0 does not clear, SR |= x clears all set flags, BSY read-only (§2.4)", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write16(FREE, 0x0001);
    settle(board);
    chip.write16(FREE, 0x0002);                  // PGERR
    assert.equal(chip.read32(SR), EOP | PGERR);
    chip.write32(SR, 0);
    assert.equal(chip.read32(SR), EOP | PGERR, "writing 0 clears nothing");
    chip.write32(SR, PGERR);
    assert.equal(chip.read32(SR), EOP);
    chip.write16(FREE, 0x0004);
    chip.write32(SR, chip.read32(SR));           // SR |= x read-modify-write
    assert.equal(chip.read32(SR), 0);
    chip.write16(FREE + 2, 0x1234);              // BSY now
    chip.write32(SR, BSY);
    assert.equal(chip.read32(SR) & BSY, BSY, "BSY ignores writes");
  });

  test("#10 EOP on every successful op regardless of EOPIE; not on error", () => {
    const { board, chip } = unlocked({ wrpr: ~(1 << 1) >>> 0 });   // pages 2,3 protected
    chip.write32(CR, PG);                        // EOPIE = 0
    chip.write16(FREE, 0x1234);
    settle(board);
    assert.equal(chip.read32(SR), EOP);
    chip.write32(SR, EOP);
    chip.write16(FREE, 0x4321);                  // PGERR
    assert.equal(chip.read32(SR), PGERR);
    chip.write32(SR, PGERR);
    chip.write32(CR, PER);
    chip.write32(AR, 0x08001000);
    chip.write32(CR, PER | STRT);                // WRPRTERR
    assert.equal(chip.read32(SR), WRPRTERR);
    settle(board);
    assert.equal(chip.read32(SR), WRPRTERR, "no EOP later either");
  });

  test("#11 errata §5.3: the SR read right after the CR write that set STRT shows BSY=0, the next shows BSY=1", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PER);
    chip.write32(AR, FREE);
    chip.write32(CR, PER | STRT);
    assert.equal(chip.read32(SR) & BSY, 0, "first read after STRT");
    assert.equal(chip.read32(SR) & BSY, BSY, "second read");
    assert.equal(chip.read32(CR) & STRT, STRT, "STRT reads 1 while busy");
    settle(board);
    // any other access in between defuses it
    chip.write32(CR, PER | STRT);
    chip.read32(CR);
    assert.equal(chip.read32(SR) & BSY, BSY);
    settle(board);
    // errata:false turns it off
    const o = unlocked({ errata: false });
    o.chip.write32(CR, PER); o.chip.write32(AR, FREE); o.chip.write32(CR, PER | STRT);
    assert.equal(o.chip.read32(SR) & BSY, BSY);
  });

  test("#12 flash reads of the busy bank stall until completion and return the new contents; register reads do not", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PER);
    chip.write32(AR, 0x0802e800);               // non-blank page
    const t0 = board.clock.nowUs;
    chip.write32(CR, PER | STRT);
    chip.read32(SR); chip.read32(SR); chip.read32(CR);
    assert.equal(board.clock.nowUs, t0, "register reads never stall");
    assert.equal(chip.read8(0x0802e800), 0xff, "new contents");
    assert.equal(board.clock.nowUs, t0 + 20000, "stalled for tERASE");
    assert.equal(board.counters.stalls, 1);
    assert.equal(chip.read32(SR), EOP);
    // also through the 0x0 alias, and for reads of another page of the same bank
    chip.write32(AR, 0x0802e800);
    chip.write32(CR, PER | STRT);
    chip.read32(0x00000100);
    assert.equal(board.clock.nowUs, t0 + 40000);
  });

  test("#13 back-to-back half-word writes stall instead of being lost", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    for (let i = 0; i < 8; i++) chip.write16(FREE + 2 * i, 0x1100 + i);
    assert.equal(board.counters.stalls, 7);
    assert.equal(board.counters.programs, 8);
    assert.equal(board.clock.nowUs, 7 * 52.5);
    settle(board);
    for (let i = 0; i < 8; i++) assert.equal(chip.read16(FREE + 2 * i), 0x1100 + i);
  });

  test("#13 clone mode drops half-word writes issued while BSY (counted)", () => {
    const { board, chip } = unlocked({ clone: true });
    chip.write32(CR, PG);
    for (let i = 0; i < 8; i++) chip.write16(FREE + 2 * i, 0x1100 + i);
    assert.equal(board.counters.droppedWrites, 7);
    assert.equal(board.counters.programs, 1);
    settle(board);
    assert.equal(chip.read16(FREE), 0x1100);
    for (let i = 1; i < 8; i++) assert.equal(chip.read16(FREE + 2 * i), 0xffff);
  });

  test("#14 CR and AR writes are ignored while BSY", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PER);
    chip.write32(AR, FREE);
    chip.write32(CR, PER | STRT);
    chip.write32(CR, LOCK);                      // clear PER + lock mid-erase: ignored
    chip.write32(AR, FREE2);
    assert.equal(chip.read32(CR), PER | STRT);
    assert.equal(chip.read32(AR), FREE);
    assert.equal(board.counters.diagnostics.filter((d) => /ignored: BSY/.test(d)).length, 2);
    settle(board);
    assert.equal(chip.read32(CR), PER);
  });

  test("#15 AR selects the page by its low address bits: any in-page address, alias, a page NUMBER erases page 0", () => {
    const { board, chip } = unlocked();
    const erase = (ar) => { chip.write32(CR, PER); chip.write32(AR, ar); chip.write32(CR, PER | STRT); settle(board); };
    chip.write32(CR, PG); chip.write16(FREE + 0x10, 0); chip.write16(FREE2 + 0x10, 0); settle(board);
    erase(FREE + 0x7ff);                          // last byte of the page
    assert.equal(chip.read16(FREE + 0x10), 0xffff);
    erase(FREE2 - 0x08000000 + 0x123);            // alias address
    assert.equal(chip.read16(FREE2 + 0x10), 0xffff);
    const e = board.counters.erases;
    erase(94);                                    // "page 94" -> decodes to page 0 (bootloader!)
    assert.equal(board.counters.erases, e + 1);
    assert.equal(chip.read32(0x08000000), 0xffffffff);
    assert.ok(board.counters.diagnostics.some((d) => /not a flash address/.test(d)) === false,
      "94 is a valid alias address, no diagnostic");
    erase(0x08060000);                            // beyond the 384 KB that exist: no erase, diagnostic
    assert.equal(board.counters.erases, e + 1);
    assert.ok(board.counters.diagnostics.some((d) => /beyond the device/.test(d)));
    erase(0x0a000800);                            // not a flash address: decoded by low bits -> page 1
    assert.ok(board.counters.diagnostics.some((d) => /not a flash address/.test(d)));
    assert.equal(chip.read32(0x08000800), 0xffffffff);
  });

  test("#16 WRPR: program or erase of a protected page -> WRPRTERR, skipped (§7.1 HD mapping)", () => {
    // bit 1 = pages 2,3; bit 31 = pages 62..last
    const { board, chip } = unlocked({ wrpr: 0xffffffff & ~(1 << 1) & ~(1 << 31) });
    assert.equal(chip.read32(WRPR), 0x7ffffffd);
    chip.write32(CR, PG);
    chip.write16(0x08001000, 0x0000);             // page 2, bootloader content
    const before = chip.read16(0x08001000);
    assert.equal(chip.read32(SR), WRPRTERR);
    assert.equal(before, chip.read16(0x08001000));
    chip.write32(SR, WRPRTERR);
    chip.write16(0x08000800, 0x0000);             // page 1: not protected
    settle(board);
    assert.equal(chip.read16(0x08000800), 0);
    chip.write32(CR, PER); chip.write32(AR, FREE); chip.write32(CR, PER | STRT);   // page 94 under bit 31
    assert.equal(chip.read32(SR), EOP | WRPRTERR);
    assert.equal(board.counters.erases, 0);
    chip.write32(SR, 0xff);
    chip.write32(CR, MER); chip.write32(CR, MER | STRT);                             // mass erase refused
    assert.equal(chip.read32(SR), WRPRTERR);
    assert.notEqual(chip.read32(0x08000000), 0xffffffff);
  });

  test("#17 option bytes: factory values, OPTKEYR -> OPTWRE, OPTWRE clear-only, OPTER/OPTPG with complements, effect after reset", () => {
    const { board, chip } = unlocked();
    assert.equal(chip.read32(0x1ffff800), 0x00ff5aa5);   // RDP 0xA5, USER 0xFF with complements
    assert.equal(chip.read32(0x1ffff808), 0x00ff00ff);
    chip.write32(CR, OPTWRE);
    assert.equal(chip.read32(CR) & OPTWRE, 0, "software cannot set OPTWRE");
    chip.write32(OPTKEYR, KEY1); chip.write32(OPTKEYR, KEY2);
    assert.equal(chip.read32(CR), OPTWRE);
    chip.write32(CR, OPTER | OPTWRE); chip.write32(CR, OPTER | STRT | OPTWRE);
    settle(board);
    assert.equal(chip.read32(0x1ffff800), 0xffffffff);
    chip.write32(CR, OPTPG | OPTWRE);
    chip.write16(0x1ffff800, 0x00a5);             // RDP
    chip.write16(0x1ffff808, 0x00fe);             // WRP0: protect pages 0,1
    settle(board);
    assert.equal(chip.read16(0x1ffff800), 0x5aa5, "complement written automatically");
    assert.equal(chip.read16(0x1ffff808), 0x01fe);
    chip.write16(0x1ffff808, 0x00fc);              // not erased -> PGERR
    assert.equal(chip.read32(SR) & PGERR, PGERR);
    assert.equal(chip.read32(WRPR), 0xffffffff, "takes effect only after reset");
    board.reset();
    assert.equal(chip.read32(WRPR), 0xfffffffe, "WRP0 loaded; WRP1-3 erased = 0xFF");
    assert.equal(chip.read32(OBR) & 2, 0, "RDP 0xA5 -> not read protected");
    chip.write32(CR, 0);
    assert.equal(chip.read32(CR), LOCK, "OPTWRE cleared by reset");
  });

  test("#17 OPTWRE is cleared by writing 0; option bytes cannot be programmed without it", () => {
    const { board, chip } = unlocked();
    chip.write32(OPTKEYR, KEY1); chip.write32(OPTKEYR, KEY2);
    chip.write32(CR, OPTPG);                        // OPTWRE written 0 -> cleared
    assert.equal(chip.read32(CR), OPTPG);
    chip.write16(0x1ffff804, 0x0012);
    settle(board);
    assert.equal(chip.read16(0x1ffff804), 0x00ff, "unchanged");
  });

  test("#18 timing: tPROG 40/52.5/70 µs, tERASE 20/20/40 ms by `timing`", () => {
    for (const [timing, tProg, tErase] of [["min", 40, 20000], ["typ", 52.5, 20000], ["max", 70, 40000]]) {
      const { board, chip } = unlocked({ timing });
      chip.write32(CR, PG);
      const t0 = board.clock.nowUs;
      chip.write16(FREE, 0x1234);
      chip.read16(FREE);                          // stalls until done
      assert.equal(board.clock.nowUs - t0, tProg, timing);
      chip.write32(CR, PER); chip.write32(AR, FREE); chip.write32(CR, PER | STRT);
      const t1 = board.clock.nowUs;
      chip.read8(FREE);
      assert.equal(board.clock.nowUs - t1, tErase, timing);
      chip.write32(CR, MER); chip.write32(CR, MER | STRT);
      const t2 = board.clock.nowUs;
      chip.read8(FREE);
      assert.equal(board.clock.nowUs - t2, tErase, timing + " mass erase");
    }
  });

  test("#19 HSI off when an operation starts: diagnostic (operation still completes, UNCONFIRMED)", () => {
    const { board, chip } = unlocked();
    assert.equal(chip.read32(0x40021000) & 3, 3, "RCC_CR HSION|HSIRDY");
    chip.write32(0x40021000, chip.read32(0x40021000) & ~1);
    assert.equal(chip.read32(0x40021000) & 1, 0, "HSION clear (HSIRDY drops 6 HSI cycles later, RM0008 §7.3.1)");
    chip.write32(CR, PG);
    chip.write16(FREE, 0x1234);
    assert.ok(board.counters.diagnostics.some((d) => /HSI off/.test(d)));
  });

  test("#20 code/data reads of the same bank stall for the whole erase (no RWW on the Original)", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PER); chip.write32(AR, 0x0805f800); chip.write32(CR, PER | STRT);   // hidden page, same bank
    chip.read32(0x08000000);                          // "instruction fetch" far away in the same bank
    assert.equal(board.counters.stallUs, 20000);
  });
});

describe("other FPEC rules", () => {
  test("§2.5 CR write while locked is ignored; a write setting LOCK also applies the other bits; STRT set-only", () => {
    const { chip } = unlocked();
    chip.write32(CR, PG | PER | 0x1400);          // + ERRIE, EOPIE
    assert.equal(chip.read32(CR), PG | PER | 0x1400);
    chip.write32(CR, LOCK);                       // OpenOCD: CR = LOCK clears PG and locks
    assert.equal(chip.read32(CR), LOCK);
    chip.write32(KEYR, KEY1); chip.write32(KEYR, KEY2);
    chip.write32(CR, 0xffffffff & ~STRT & ~LOCK & ~OPTWRE);
    assert.equal(chip.read32(CR), 0x1637 & ~OPTWRE, "writable mask 0x16F7 minus STRT/LOCK/OPTWRE");
  });

  test("§4.3 STRT with none of PER/MER/OPTER: nothing happens, STRT self-clears", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, STRT);
    assert.equal(chip.read32(CR), 0);
    assert.equal(chip.read32(SR), 0);
    assert.equal(board.counters.erases, 0);
  });

  test("§4.4 mass erase erases the whole bank incl. hidden flash, not the information block", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, MER); chip.write32(CR, MER | STRT);
    settle(board);
    assert.ok(board.flash().every((b) => b === 0xff));
    assert.equal(chip.read16(0x1ffff7e0), 256);
    assert.equal(chip.read32(SR), EOP);
  });

  test("§2.6 a half-word program sets FAR to the programmed address", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write16(FREE + 6, 0x1);
    assert.equal(chip.read32(AR), FREE + 6);
    settle(board);
  });

  test("§2.10 reads of non-existent memory: bus fault, 0; hiddenFlash:false removes 0x08040000+", () => {
    const board = createBoard({ hiddenFlash: false });
    assert.equal(board.chip.read32(0x08040000), 0);
    assert.equal(board.chip.read8(0x30000000), 0);
    assert.equal(board.counters.busFaults, 2);
    assert.equal(board.counters.faults[0].addr, 0x08040000);
    assert.equal(board.flash().length, 256 * 1024);
    const hidden = createBoard();
    assert.equal(hidden.chip.read32(0x08040000), 0xffffffff);
    assert.equal(hidden.chip.read32(0x08060000), 0);
    assert.equal(hidden.counters.busFaults, 1);
    assert.equal(hidden.flash().length, 384 * 1024);
  });

  test("§1.3/§1.2 info block: F_SIZE 256 (even with hidden flash), UID, DBGMCU_IDCODE DEV_ID 0x414", () => {
    const chip = createBoard().chip;
    assert.equal(chip.read16(0x1ffff7e0), 256);
    assert.equal(chip.read32(0xe0042000) & 0xfff, 0x414);
    assert.equal(chip.read32(0xe0042000) >>> 16, 0x1001);
    assert.equal(chip.read32(0x1ffff7e8), 0x05d7ff33);
    chip.write32(0x1ffff7e0, 0);                   // read-only
    assert.equal(chip.read16(0x1ffff7e0), 256);
  });

  test("SRAM at 0x20000000 is plain storage of 48 KB, cleared by reset", () => {
    const board = createBoard();
    board.chip.write32(0x2000bffc, 0xdeadbeef);
    assert.equal(board.chip.read32(0x2000bffc), 0xdeadbeef);
    assert.equal(board.chip.read8(0x2000bfff), 0xde);
    board.chip.read32(0x2000c000);
    assert.equal(board.counters.busFaults, 1);
    board.reset();
    assert.equal(board.chip.read32(0x2000bffc), 0);
  });

  test("board.reset(): FPEC back to reset values, flash contents and counters kept, lock-up cleared", () => {
    const { board, chip } = unlocked();
    chip.write32(CR, PG);
    chip.write16(FREE, 0x1234);
    chip.write16(FREE + 2, 0x5678);               // stall, so the first is done
    board.reset();
    assert.equal(chip.read32(CR), LOCK);
    assert.equal(chip.read32(SR), 0);
    assert.equal(chip.read32(AR), 0);
    assert.equal(chip.read32(FREE), 0x56781234, "an operation running at reset is completed (UNCONFIRMED)");
    assert.equal(board.counters.programs, 2);
  });
});
