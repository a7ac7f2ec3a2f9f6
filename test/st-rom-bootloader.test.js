// The virtual board's ST ROM bootloader (sim/st-rom-bootloader.js) as a host sees it on the serial link
// (sim/serial-port.js), entered the real way: the built STM32F1Bootloader module on the board. AN3155 framing,
// the F1 command set, the ROM's address checks, writes and erases through the FPEC model, Go back to Espruino.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createBoard } from "../sim/index.js";
import { openSerialPort } from "../sim/serial-port.js";
import { builtSource } from "./bootloader-helpers.js";
import { Chip } from "../sim/chip.js";
import { StRomBootloader } from "../sim/st-rom-bootloader.js";

const ACK = 0x79, NACK = 0x1f;

/** A board in the ST ROM bootloader, and send(bytes) -> the bytes it answers. */
function inRom(options = {}) {
  const board = createBoard(options);
  let got = [];
  const port = openSerialPort({ board, write: (t) => { for (const ch of t) got.push(ch.charCodeAt(0)); } });
  board.addModule("STM32F1Bootloader", builtSource("STM32F1Bootloader.min.js"));
  port.feed('require("STM32F1Bootloader").enterSystemBootloader({confirm: true, drainMs: 0})\n');
  assert.ok(board.systemBootloader, "in the ROM");
  got = [];
  const send = (...bytes) => { got = []; port.feed(Buffer.from(bytes.flat())); return got; };
  return { board, port, send, rom: () => board.systemBootloader };
}

const addr = (a) => { const b = [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff]; return [...b, b[0] ^ b[1] ^ b[2] ^ b[3]]; };
const cmd = (c) => [c, c ^ 0xff];
const xor = (bytes) => bytes.reduce((x, b) => x ^ b, 0);

/** Read Memory as a host does it: stop at the first NACK. Returns every byte answered. */
function read(send, a, n) {
  const r = send(cmd(0x11), addr(a));
  return r.at(-1) === NACK ? r : [...r, ...send([n - 1, (n - 1) ^ 0xff])];
}
/** Write Memory as a host does it. */
function write(send, a, data) {
  const r = send(cmd(0x31), addr(a));
  return r.at(-1) === NACK ? r : [...r, ...send([data.length - 1, ...data, xor([data.length - 1, ...data])])];
}

describe("AN3155 protocol of the virtual ST ROM", () => {
  test("console output stops at the jump; bytes before 0x7F get no answer; 0x7F -> ACK; USART1 8E1", () => {
    const { send, board } = inRom();
    assert.deepEqual(send(0x00, 0x55), []);
    assert.deepEqual(send(0x7f), [ACK]);
    assert.equal(board.chip.usart1.values[0x0c], 0x340c, "CR1: UE | M | PCE | TE | RE");
  });

  test("Get, Get Version, Get ID (0x0414); a wrong complement or an unknown command (0x44 Extended Erase) -> NACK", () => {
    const { send } = inRom();
    send(0x7f);
    assert.deepEqual(send(cmd(0x00)), [ACK, 11, 0x22, 0x00, 0x01, 0x02, 0x11, 0x21, 0x31, 0x43, 0x63, 0x73, 0x82, 0x92, ACK]);
    assert.deepEqual(send(cmd(0x01)), [ACK, 0x22, 0, 0, ACK]);
    assert.deepEqual(send(cmd(0x02)), [ACK, 1, 0x04, 0x14, ACK]);
    assert.deepEqual(send(0x02, 0x02), [NACK]);
    assert.deepEqual(send(cmd(0x44)), [NACK], "no Extended Erase on F1");
    assert.deepEqual(send(0x7f, 0x7f), [NACK], "a second 0x7F is a (wrong) command: stm32flash's resync");
  });

  test("the ROM's entry state: PLL 24 MHz from HSI, USART1 + GPIOA clocked, VTOR 0, no ignored RCC write", () => {
    const { board } = inRom();
    const c = board.chip;
    assert.equal(c.read32(0x40021004) & 0x3fffff, 0x0010000a, "CFGR: PLLMUL x6 from HSI/2, SW = SWS = PLL");
    assert.equal(c.rcc.sysclkHz(), 24e6);
    assert.equal(c.read32(0x40021018), 0x4004);
    assert.equal(c.scb.vtor, 0);
    assert.deepEqual(c.rcc.ignored, []);
    assert.equal(c.gpioa.values[0x04], 0x444444b4, "A13/A14 (LEDs) floating");
  });

  test("entered with Espruino's PLL still running, the ROM's own PLL set-up would be ignored (why the routine stops it)", () => {
    const chip = new Chip();
    new StRomBootloader({ chip, onBoot() {} });
    assert.ok(chip.rcc.ignored.some((m) => /PLLSRC\/PLLXTPRE\/PLLMUL/.test(m)), chip.rcc.ignored.join("; "));
    assert.equal(chip.rcc.sysclkHz(), 72e6, "still 72 MHz from HSE: the ROM's baud rate maths (24 MHz) would be wrong");
  });

  test("Read Memory: flash, system memory, option bytes, SRAM from 0x20000200; peripherals and ROM RAM -> NACK; bad checksums -> NACK", () => {
    const { send, board } = inRom();
    send(0x7f);
    const flash = board.flash();
    assert.deepEqual(read(send, 0x08000000, 16), [ACK, ACK, ACK, ...flash.slice(0, 16)]);
    assert.deepEqual(read(send, 0x1ffff000, 8), [ACK, ACK, ACK, 0xfc, 0x01, 0x00, 0x20, 0x21, 0xf0, 0xff, 0x1f]);
    assert.deepEqual(read(send, 0x1ffff800, 2), [ACK, ACK, ACK, 0xa5, 0x5a]);
    assert.equal(read(send, 0x20000200, 4).length, 7);
    assert.deepEqual(read(send, 0x20000000, 4), [ACK, NACK], "the ROM's own RAM");
    assert.deepEqual(read(send, 0x40021000, 4), [ACK, NACK], "RCC");
    assert.deepEqual(read(send, 0x08080000, 4), [ACK, NACK], "beyond the high-density flash limit");
    assert.deepEqual(send(cmd(0x11), [0x08, 0, 0, 0, 0x00]), [ACK, NACK], "address checksum");
    assert.deepEqual(send(cmd(0x11), addr(0x08000000), [3, 3]), [ACK, ACK, NACK], "length complement");
  });

  test("Write Memory programs erased flash through the FPEC; not erased -> ACK but unchanged (PGERR); odd address -> NACK", () => {
    const { send, board } = inRom();
    send(0x7f);
    const free = board.layout.freeStart;
    board.chip.flash.bytes.fill(0xff, free - 0x08000000, free - 0x08000000 + 2048);
    assert.deepEqual(write(send, free, [1, 2, 3, 4, 5, 6, 7, 8]), [ACK, ACK, ACK]);
    assert.deepEqual([...board.flash().slice(free - 0x08000000, free - 0x08000000 + 8)], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(write(send, free, [9, 9, 9, 9]), [ACK, ACK, ACK], "AN2662: no error on a failed write");
    assert.deepEqual([...board.flash().slice(free - 0x08000000, free - 0x08000000 + 4)], [1, 2, 3, 4], "erase-before-write holds");
    assert.deepEqual(write(send, free + 2, [1, 2]), [ACK, ACK, NACK], "not 4-aligned");
    assert.deepEqual(send(cmd(0x31), addr(free + 8), [3, 1, 2, 3, 4, 0x55]), [ACK, ACK, NACK], "data checksum");
    assert.equal(board.chip.fpec[0].keyState, "LOCKED", "the FPEC is locked again");
  });

  test("write-protected pages stay as they are (WRPRTERR), like silicon", () => {
    const { send, board } = inRom({ wrpr: 0xfffffffe });   // pages 0-1 protected
    send(0x7f);
    const before = board.flash().slice(0, 4096);
    assert.deepEqual(send(cmd(0x43), [0, 0, 0]), [ACK, ACK]);
    assert.deepEqual(board.flash().slice(0, 4096), before);
  });

  test("Erase pages (one-byte page numbers) and mass erase (0xFF 0x00)", () => {
    const { send, board } = inRom();
    send(0x7f);
    const page = (n) => board.flash().slice(n * 2048, (n + 1) * 2048);
    assert.deepEqual(send(cmd(0x43), [1, 5, 6, 1 ^ 5 ^ 6]), [ACK, ACK]);
    assert.ok(page(5).every((b) => b === 0xff) && page(6).every((b) => b === 0xff));
    assert.ok(!page(7).every((b) => b === 0xff), "page 7 kept");
    assert.deepEqual(send(cmd(0x43), [0, 7, 0]), [ACK, NACK], "checksum");
    assert.deepEqual(send(cmd(0x43), [0xff, 0x00]), [ACK, ACK]);
    assert.ok(board.flash().every((b) => b === 0xff), "mass erase: all main flash, hidden region too");
  });

  test("Go: ACK, then Espruino starts on the new flash contents; the link is the console again", () => {
    const { send, board, port } = inRom();
    send(0x7f);
    const free = board.layout.freeStart;
    board.chip.flash.bytes.fill(0xff, free - 0x08000000, free - 0x08000000 + 2048);
    write(send, free, [0x42, 0x43, 0x44, 0x45]);
    assert.deepEqual(send(cmd(0x21), addr(0x08000000)), [ACK, ACK]);
    assert.equal(board.systemBootloader, null);
    assert.equal(board.eval(`peek32(${free}).toString(16)`), "45444342");
    let out = "";
    const p2 = openSerialPort({ board, write: (t) => { out += t; } });
    p2.feed("1+2\n");
    assert.match(out, /=3/);
    void port;
  });

  test("Go to a peripheral -> NACK, still in the ROM", () => {
    const { send, board } = inRom();
    send(0x7f);
    assert.deepEqual(send(cmd(0x21), addr(0x40000000)), [ACK, NACK]);
    assert.ok(board.systemBootloader);
  });

  test("Readout Protect -> reset into Espruino; back in the ROM, Read/Write/Go/Erase are NACKed; Readout Unprotect mass-erases", () => {
    const { send, board } = inRom();
    send(0x7f);
    assert.deepEqual(send(cmd(0x82)), [ACK, ACK]);
    assert.equal(board.systemBootloader, null, "system reset: Espruino (BOOT0 low)");
    assert.equal(board.chip.obr & 2, 2, "RDPRT");
    board.addModule("STM32F1Bootloader", builtSource("STM32F1Bootloader.min.js"));
    let got = [];
    const port = openSerialPort({ board, write: (t) => { for (const ch of t) got.push(ch.charCodeAt(0)); } });
    port.feed('require("STM32F1Bootloader").enterSystemBootloader({confirm: true, drainMs: 0})\n');
    const send2 = (...b) => { got = []; port.feed(Buffer.from(b.flat())); return got; };
    send2(0x7f);
    assert.deepEqual(send2(cmd(0x11)), [NACK]);
    assert.deepEqual(send2(cmd(0x31)), [NACK]);
    assert.deepEqual(send2(cmd(0x21)), [NACK]);
    assert.deepEqual(send2(cmd(0x43)), [NACK]);
    assert.deepEqual(send2(cmd(0x02)), [ACK, 1, 4, 0x14, ACK]);
    assert.deepEqual(send2(cmd(0x92)), [ACK, ACK]);
    assert.equal(board.chip.obr & 2, 0, "unprotected");
    assert.ok(board.flash().every((b) => b === 0xff), "Readout Unprotect erases all flash");
  });

  test("Write Unprotect clears write protection (option bytes) and resets", () => {
    const { send, board } = inRom({ wrpr: 0xfffffffe });
    send(0x7f);
    assert.deepEqual(send(cmd(0x73)), [ACK, ACK]);
    assert.equal(board.systemBootloader, null);
    assert.equal(board.chip.wrpr >>> 0, 0xffffffff);
  });

  test("a read beyond the flash that exists: bus fault inside the ROM, which hangs until reset", () => {
    const { send, board } = inRom({ hiddenFlash: false });
    send(0x7f);
    assert.deepEqual(read(send, 0x0803ff00, 16).slice(0, 3), [ACK, ACK, ACK]);
    assert.deepEqual(read(send, 0x08040000, 16), [ACK, ACK, ACK], "the ACKs, then no data");
    assert.deepEqual(send(cmd(0x02)), [], "hung");
    board.reset();
    assert.equal(board.eval("1"), 1);
  });
});
