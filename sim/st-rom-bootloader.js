/**
 * The ST system-memory bootloader of an STM32F1 (the ROM's USART bootloader), modelled by its behaviour, byte in /
 * byte out, as the host sees it on USART1 (AN3155 "USART protocol used in the STM32 bootloader"; F1 command set
 * per AN2606/AN2662; entry and address checks from a disassembled STM32F103C8 ROM). The ROM's code itself is not
 * available: the chip's system memory holds only its vector table and a fixed pattern.
 *
 *  - entry (bootmain): PRIMASK set; RCC_CFGR = 0x0010_0000 (PLL = HSI/2 x 6), PLLON, wait PLLRDY, SW = PLL
 *    (24 MHz); RCC_APB2ENR = 0x4004 (USART1, GPIOA); GPIOA_CRH = 0x4444_44B4 (A9 USART1 TX, the rest floating
 *    inputs: the Original's LEDs on A13/A14 go dark); SCB_VTOR = 0; SysTick CTRL = 5. A PLL that is still on, or
 *    any RCC write the hardware ignores, is kept as a diagnostic.
 *  - autobaud: the first 0x7F sets the baud rate (other bytes before it are not answered), answered with ACK 0x79;
 *    USART1 = 8 data bits + even parity (CR1 M|PCE|TE|RE|UE).
 *  - commands: a byte and its complement, else NACK 0x1F. Get 0x00 (version 2.2 and the 11 commands), Get Version
 *    0x01 (+ 2 option bytes 0x00), Get ID 0x02 (DEV_ID), Read Memory 0x11, Go 0x21, Write Memory 0x31, Erase 0x43
 *    (N+1 one-byte page numbers, or 0xFF 0x00 = mass erase; no 0x44 Extended Erase on F1), Write Protect 0x63,
 *    Write Unprotect 0x73, Readout Protect 0x82, Readout Unprotect 0x92. Addresses and lengths: 4 bytes MSB first
 *    + XOR checksum; N + ~N; data + XOR of N and the data.
 *  - address check (ROM 0x1FFF_F2BC in the C8 dump): flash 0x0800_0000 up to the density's largest flash, SRAM from
 *    0x2000_0200 (the ROM uses the first 512 bytes), system memory and option bytes; peripherals are rejected.
 *    Only the start address is checked; a read of memory that does not exist is a bus fault inside the ROM, which
 *    then hangs (no more answers) until reset.
 *  - write/erase go through the chip's FPEC (unlock, PG/PER/MER, half-words, lock), so write protection and
 *    erase-before-write hold; "no error is returned when performing write operations on write protected sectors"
 *    (AN2662): the command is ACKed, the flash keeps its old contents. Writes must start on a 4-byte boundary.
 *  - readout protection active (FLASH_OBR.RDPRT): Read, Write, Go, Erase and Write (Un)protect are NACKed.
 *  - Go: ACK, then the CPU runs from the address (the board boots Espruino: onBoot). Option-byte changes (Write
 *    Memory to 0x1FFFF800, (Un)protect commands) end with a system reset, which also boots Espruino (BOOT0 low).
 */
import { hex } from "./format.js";
import { FLASH_START, OB_BASE, SRAM_START } from "./chip.js";
import { FLASH_BASE, FLASH_KEYR, FLASH_OPTKEYR, FLASH_SR, FLASH_CR, FLASH_AR, KEY1, KEY2 } from "./fpec-model.js";

export const ACK = 0x79, NACK = 0x1f;
/** Bootloader version 2.2 (AN2606: STM32F10xxx USART bootloader V2.2). */
export const VERSION = 0x22;
export const COMMANDS = [0x00, 0x01, 0x02, 0x11, 0x21, 0x31, 0x43, 0x63, 0x73, 0x82, 0x92];
/** Largest flash of each density: the ROM's flash limit for the address check (RM0008 §3.3.3). */
const FLASH_LIMIT_KB = { low: 32, medium: 128, high: 512, xl: 1024, connectivity: 256 };
const INFO_END = 0x1ffff810;
const BSY = 1, PG = 1, PER = 2, MER = 4, OPTPG = 0x10, OPTER = 0x20, STRT = 0x40, LOCK = 0x80;

export class StRomBootloader {
  /**
   * @param {object} o
   * @param {import("./chip.js").Chip} o.chip
   * @param {function():void} o.onBoot  Go, or a system reset: the CPU leaves the ROM and Espruino starts
   */
  constructor(o) {
    this.chip = o.chip;
    this.onBoot = o.onBoot;
    this.write = () => {};
    /** bytes received and not consumed yet */
    this.input = [];
    /** true once a bus fault inside the ROM stopped it (it answers nothing until reset) */
    this.hung = false;
    /** commands seen, for tests and the rehearsal: [{cmd, addr?, length?, ok}] */
    this.log = [];
    this.enter();
    this.protocol = this.run();
    this.need = this.protocol.next().value;
  }

  /** What the ROM does at entry (module comment). */
  enter() {
    const c = this.chip;
    c.write32(0x40021004, 0x00100000);                 // RCC_CFGR: PLL = HSI/2 x 6
    c.write32(0x40021000, c.read32(0x40021000) | (1 << 24));   // PLLON
    for (let i = 0; i < 1000 && !(c.read32(0x40021000) & (1 << 25)); i++) c.clock.advance(1);
    c.write32(0x40021004, 0x00100002);                 // SW = PLL
    c.clock.advance(2);                                // the rest of the ROM's set-up: SWS follows meanwhile
    c.write32(0x40021018, 0x4004);                     // RCC_APB2ENR: USART1, GPIOA
    c.write32(0x40010804, 0x444444b4);                 // GPIOA_CRH
    c.scb.vtor = 0;
    c.systick.set({ ctrl: 5, load: c.systick.load, val: c.systick.val });
  }

  /**
   * Bytes from the host.
   * @param {Uint8Array|number[]|string} data  (a string: one char per byte)
   * @param {function(string):void} write  sends bytes to the host (a string, one char per byte)
   */
  feed(data, write) {
    this.write = write;
    if (this.hung) return;
    const bytes = typeof data === "string" ? [...data].map((ch) => ch.charCodeAt(0) & 0xff) : [...data];
    this.input.push(...bytes);
    while (!this.hung && this.need !== undefined && this.input.length >= this.need) {
      const taken = this.input.splice(0, this.need);
      this.need = this.protocol.next(taken).value;
    }
  }

  send(...bytes) { this.write(String.fromCharCode(...bytes.flat())); }

  /** The protocol, one generator step per `yield n` (n bytes wanted). */
  *run() {
    while ((yield 1)[0] !== 0x7f);                    // autobaud
    const usart = 0x40013800;
    this.chip.write32(usart + 0x0c, 0x340c);           // CR1: UE | M | PCE | TE | RE (8 bits + even parity)
    this.send(ACK);
    for (;;) {
      const [cmd, check] = yield 2;
      if ((cmd ^ check) !== 0xff || !COMMANDS.includes(cmd)) { this.send(NACK); continue; }
      const entry = { cmd };
      this.log.push(entry);
      if (this.readProtected() && ![0x00, 0x01, 0x02, 0x92].includes(cmd)) { this.send(NACK); continue; }
      switch (cmd) {
        case 0x00: this.send(ACK, COMMANDS.length, VERSION, COMMANDS, ACK); break;
        case 0x01: this.send(ACK, VERSION, 0, 0, ACK); break;
        case 0x02: this.send(ACK, 1, this.chip.preset.devId >> 8, this.chip.preset.devId & 0xff, ACK); break;
        case 0x11: yield* this.readMemory(entry); break;
        case 0x21: yield* this.go(entry); break;
        case 0x31: yield* this.writeMemory(entry); break;
        case 0x43: yield* this.erase(entry); break;
        case 0x63: yield* this.writeProtect(entry); break;
        case 0x73: case 0x82: case 0x92: yield* this.optionCommand(cmd, entry); break;
      }
      if (this.booted) return;
    }
  }

  /** @returns {boolean} FLASH_OBR.RDPRT */
  readProtected() { return (this.chip.obr & 2) !== 0; }

  /** Receive 4 address bytes + XOR checksum; ACK and return the address if it passes the check, else NACK. */
  *address(kinds) {
    const b = yield 5;
    const addr = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
    if ((b[0] ^ b[1] ^ b[2] ^ b[3]) !== b[4] || !kinds.includes(this.region(addr))) { this.send(NACK); return null; }
    this.send(ACK);
    return addr;
  }

  /** @returns {"flash"|"sram"|"system"|"option"|null} the ROM's address check */
  region(addr) {
    const p = this.chip.preset;
    if (addr >= FLASH_START && addr < FLASH_START + FLASH_LIMIT_KB[p.density] * 1024) return "flash";
    if (addr >= SRAM_START + 0x200 && addr < SRAM_START + p.sramSize) return "sram";
    if (addr >= p.infoStart && addr < OB_BASE) return "system";
    if (addr >= OB_BASE && addr < INFO_END) return "option";
    return null;
  }

  *readMemory(entry) {
    this.send(ACK);
    const addr = yield* this.address(["flash", "sram", "system", "option"]);
    if (addr === null) return;
    const [n, nn] = yield 2;   // N and its complement
    if ((n ^ nn) !== 0xff) { this.send(NACK); return; }
    Object.assign(entry, { addr, length: n + 1 });
    this.send(ACK);
    const out = [];
    const faults = this.chip.counters.busFaults;
    for (let i = 0; i <= n; i++) out.push(this.chip.read8(addr + i));
    if (this.chip.counters.busFaults !== faults) return this.hang(`Read Memory ${hex(addr)}+${n + 1}: bus fault`, out);
    entry.ok = true;
    this.send(out);
  }

  /** A bus fault inside the ROM: its HardFault handler loops; nothing more is sent (the bytes read so far are). */
  hang(why, partial) {
    this.hung = true;
    this.chip.diag(`ST ROM bootloader: ${why}; the ROM's HardFault handler hangs until reset (not verified on silicon)`);
    void partial;
  }

  *go(entry) {
    this.send(ACK);
    const addr = yield* this.address(["flash", "sram"]);
    if (addr === null) return;
    Object.assign(entry, { addr, ok: true });
    this.chip.diag(`ST ROM bootloader: Go ${hex(addr)}: the virtual board boots Espruino (the image is not executed)`);
    this.booted = true;
    this.onBoot();
  }

  *writeMemory(entry) {
    this.send(ACK);
    const addr = yield* this.address(["flash", "sram", "option"]);
    if (addr === null) return;
    const [n] = yield 1;
    const data = yield n + 2;
    const sum = data.pop();
    if (data.reduce((x, b) => x ^ b, n) !== sum || addr & 3) { this.send(NACK); return; }
    Object.assign(entry, { addr, length: n + 1 });
    const region = this.region(addr);
    if (region === "sram") data.forEach((b, i) => this.chip.write8(addr + i, b));
    else if (region === "flash") this.programFlash(addr, data);
    else { this.programOptionBytes(addr, data); entry.ok = true; this.send(ACK); return this.systemReset(); }
    entry.ok = true;
    this.send(ACK);
  }

  *erase(entry) {
    this.send(ACK);
    const [n] = yield 1;
    if (n === 0xff) {
      const [sum] = yield 1;
      if (sum !== 0x00) { this.send(NACK); return; }
      entry.mass = true;
      this.massErase();
    } else {
      const rest = yield n + 2;
      const sum = rest.pop();
      if (rest.reduce((x, b) => x ^ b, n) !== sum) { this.send(NACK); return; }
      entry.pages = rest;
      for (const page of rest) this.erasePage(FLASH_START + page * this.chip.preset.pageSize);
    }
    entry.ok = true;
    this.send(ACK);
  }

  *writeProtect(entry) {
    this.send(ACK);
    const [n] = yield 1;
    const rest = yield n + 2;
    const sum = rest.pop();
    if (rest.reduce((x, b) => x ^ b, n) !== sum) { this.send(NACK); return; }
    let wrp = this.chip.wrpr;
    for (const s of rest) if (s < 32) wrp &= ~(1 << s);
    this.rewriteOptionBytes(0xa5, wrp >>> 0);
    entry.ok = true;
    this.send(ACK);
    this.systemReset();
  }

  /** Write Unprotect 0x73, Readout Protect 0x82, Readout Unprotect 0x92: ACK, work, ACK, system reset. */
  *optionCommand(cmd, entry) {
    this.send(ACK);
    if (cmd === 0x92) this.massErase();
    const rdp = cmd === 0x82 ? 0x00 : 0xa5;
    const wrp = cmd === 0x73 || cmd === 0x92 ? 0xffffffff : this.chip.wrpr;
    this.rewriteOptionBytes(rdp, wrp);
    entry.ok = true;
    this.send(ACK);
    this.systemReset();
    yield* [];
  }

  systemReset() {
    this.booted = true;
    this.chip.diag("ST ROM bootloader: system reset after an option-byte change: the board boots Espruino (BOOT0 low)");
    this.onBoot();
  }

  // ------------------------------------------------------------------------------- FPEC sequences (PM0075 §2.3)

  reg(bank, off) { return FLASH_BASE + off + (bank ? 0x40 : 0); }
  bankOf(addr) { return this.chip.fpec.length > 1 && addr >= FLASH_START + this.chip.fpec[1].firstPage * this.chip.preset.pageSize ? 1 : 0; }

  unlock(bank) {
    const c = this.chip;
    if (c.read32(this.reg(bank, FLASH_CR)) & LOCK) {
      c.write32(this.reg(bank, FLASH_KEYR), KEY1);
      c.write32(this.reg(bank, FLASH_KEYR), KEY2);
    }
  }

  /** Wait for BSY = 0 (the ROM polls; virtual time runs to the end of the operation), clear EOP/PGERR/WRPRTERR. */
  wait(bank) {
    const c = this.chip;
    c.clock.advance(0.125);   // the ROM's own instructions between the start and the first poll (3 cycles at 24 MHz)
    while (c.read32(this.reg(bank, FLASH_SR)) & BSY) c.drain();
    c.write32(this.reg(bank, FLASH_SR), 0x34);
  }

  lock(bank) { this.chip.write32(this.reg(bank, FLASH_CR), LOCK); }

  programFlash(addr, data) {
    const c = this.chip, bank = this.bankOf(addr);
    if (data.length & 1) data.push(0xff);
    this.unlock(bank);
    c.write32(this.reg(bank, FLASH_CR), PG);
    for (let i = 0; i < data.length; i += 2) {
      c.write16(addr + i, data[i] | (data[i + 1] << 8));
      this.wait(bank);
    }
    c.write32(this.reg(bank, FLASH_CR), 0);
    this.lock(bank);
  }

  erasePage(addr) {
    const c = this.chip, bank = this.bankOf(addr);
    this.unlock(bank);
    c.write32(this.reg(bank, FLASH_CR), PER);
    c.write32(this.reg(bank, FLASH_AR), addr);
    c.write32(this.reg(bank, FLASH_CR), PER | STRT);
    this.wait(bank);
    c.write32(this.reg(bank, FLASH_CR), 0);
    this.lock(bank);
  }

  massErase() {
    const c = this.chip;
    for (let bank = 0; bank < c.fpec.length; bank++) {
      this.unlock(bank);
      c.write32(this.reg(bank, FLASH_CR), MER);
      c.write32(this.reg(bank, FLASH_CR), MER | STRT);
      this.wait(bank);
      c.write32(this.reg(bank, FLASH_CR), 0);
      this.lock(bank);
    }
  }

  /** Option bytes from a Write Memory: erase them all, then program the given bytes (value, complement pairs). */
  programOptionBytes(addr, data) {
    const c = this.chip;
    this.optionErase();
    c.write32(this.reg(0, FLASH_CR), OPTPG | 0x200);
    for (let i = 0; i + 1 < data.length && addr + i < INFO_END; i += 2) {
      c.write16(addr + i, data[i] | (data[i + 1] << 8));
      this.wait(0);
    }
    c.write32(this.reg(0, FLASH_CR), 0);
    this.lock(0);
  }

  /** Erase the option bytes and program RDP and WRP0-3 (USER/DATA stay erased, 0xFF). */
  rewriteOptionBytes(rdp, wrp) {
    const c = this.chip;
    this.optionErase();
    c.write32(this.reg(0, FLASH_CR), OPTPG | 0x200);
    const values = [[0, rdp], [8, wrp & 0xff], [10, (wrp >>> 8) & 0xff], [12, (wrp >>> 16) & 0xff], [14, (wrp >>> 24) & 0xff]];
    for (const [off, v] of values) {
      if (v === 0xff && off) continue;   // erased value already
      c.write16(OB_BASE + off, v | ((~v & 0xff) << 8));
      this.wait(0);
    }
    c.write32(this.reg(0, FLASH_CR), 0);
    this.lock(0);
  }

  optionErase() {
    const c = this.chip;
    this.unlock(0);
    c.write32(this.reg(0, FLASH_OPTKEYR), KEY1);
    c.write32(this.reg(0, FLASH_OPTKEYR), KEY2);
    c.write32(this.reg(0, FLASH_CR), OPTER | 0x200);
    c.write32(this.reg(0, FLASH_CR), OPTER | STRT | 0x200);
    this.wait(0);
  }
}
