/* STM32F1Flash: internal flash of STM32F1 Espruino boards (Espruino Original). Built from src/ - do not edit. */
// STM32F1 embedded flash and FPEC: register addresses and bits, with the names of ST's PM0075 (STM32F10xxx Flash
// memory programming manual) and RM0008 (STM32F101/102/103/105/107 reference manual, Tables 4-8 for the flash
// organisation per density; CMSIS stm32f103xe.h / stm32f103xg.h for the addresses). Constants only.
/** Main flash base address (RM0008, Embedded Flash memory); aliased at 0x00000000 when booting from flash. */
var FLASH_BASE = 0x08000000;
/** FPEC register block (PM0075, Flash register map). Bank 2 registers of XL-density parts sit at +BANK2. */
var FPEC = 0x40022000;
/** Offset from bank-1 to bank-2 registers on XL density: KEYR2 0x44, SR2 0x4C, CR2 0x50, AR2 0x54 (RM0008, XL-density
 * register map; CMSIS stm32f103xg.h). */
var BANK2 = 0x40;
/** FLASH_KEYR offset: write KEY1 then KEY2 to clear CR.LOCK (PM0075, Unlocking the Flash memory). */
var KEYR = 0x04;
/** FLASH_SR offset: BSY (read-only), PGERR/WRPRTERR/EOP (write 1 to clear) (PM0075, Flash status register FLASH_SR). */
var SR = 0x0c;
/** FLASH_CR offset, directly after SR: peek32(SR, 2) reads both, poke32(SR, [sr, cr, ar]) writes SR, CR, AR. */
var CR = 0x10;
/** SR.BSY: operation in progress. */
var SR_BSY = 0x01;
/** SR.PGERR: programmed a half-word that was not 0xFFFF. */
var SR_PGERR = 0x04;
/** SR.WRPRTERR: program/erase of a write-protected page. */
var SR_WRPRTERR = 0x10;
/** SR.EOP: end of a successful operation. */
var SR_EOP = 0x20;
/** The write-1-to-clear flags, cleared before each operation. */
var SR_FLAGS = SR_EOP | SR_WRPRTERR | SR_PGERR;
/** CR.PG: half-word programming chosen; never cleared by hardware (PM0075, Flash control register FLASH_CR). */
var CR_PG = 0x01;
/** CR.PER: page erase chosen; never cleared by hardware. */
var CR_PER = 0x02;
/** CR.STRT: start the erase (set-only). */
var CR_STRT = 0x40;
/** CR.LOCK: write 1 to lock; cleared only by the KEY1, KEY2 sequence. */
var CR_LOCK = 0x80;
/** FPEC unlock keys (PM0075, Unlocking the Flash memory; CMSIS FLASH_KEY1/FLASH_KEY2). */
var KEY1 = 0x45670123;
var KEY2 = 0xcdef89ab;
/** F_SIZE: flash size in Kbytes, 16-bit (RM0008, Device electronic signature: Flash size register). */
var F_SIZE = 0x1ffff7e0;
/** DBGMCU_IDCODE: DEV_ID in bits 11:0 (0x412 low, 0x410 medium, 0x414 high, 0x418 connectivity, 0x430 XL density;
 * RM0008, Debug support: MCU device ID code). */
var DBGMCU_IDCODE = 0xe0042000;
/** SCB->VTOR: where the running firmware's vector table is (PM0056, the STM32F10xxx Cortex-M3 programming manual:
 * System control block, VTOR);
 * Espruino's main() sets it to its own table (Espruino targets/stm32/main.c). */
var SCB_VTOR = 0xe000ed08;
/** Start of bank 2 on XL-density parts (RM0008 Table 5). */
var BANK2_START = 0x08080000;

// FPEC driver: the register sequences of ST's PM0075 (STM32F10xxx Flash memory programming manual): unlocking the
// Flash memory, main Flash memory programming (half-words only) and page erase. No policy and no address checks
// here: memory-map.ts decides what may be touched.
//
// `bank` below is the register block of a bank: FPEC, or FPEC + BANK2 for bank 2 of XL-density parts (RM0008).
// Shape of every operation (as ST's HAL does: wait, set PG/PER, act, wait, clear the mode bit even on failure):
//   begin   open(): peek32(SR, 2) reads SR and CR in one call; wait for BSY if set; if CR.LOCK, KEY1 then KEY2
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
/** Driver settings, changed through setup(), keyed by option name: `waitEachHalfWord` polls SR.BSY after every
 * half-word store; `allowUndocumented` opens 0x08040000-0x0805FFFF of the Original to every call. */
var settings = { waitEachHalfWord: false, allowUndocumented: false };
/** Page size (bytes), end of documented main flash (address) and bank-2 start (address, or 0), set by geometry(). */
var PAGE, END, BANK2_AT;
/** Truthy while the caller holds the FPEC open with unlock(): operations then leave CR.LOCK clear. */
var held = 0;
/** An Error worded `<op> 0x<addr in hex>: <message>`, or `<op>: <message>` without an address. */
function err(op, message, addr) {
    return new Error(op + (addr >= 0 ? " 0x" + addr.toString(16) : "") + ": " + message);
}
/** Read F_SIZE (Kbytes) and, at 128 KB or less, DBGMCU_IDCODE once: sets PAGE, END and BANK2_AT. Pages are
 * 1 KB on low/medium density (and value line, all <= 128 KB) and 2 KB on high, connectivity (DEV_ID 0x418, also
 * at 64/128 KB) and XL density (RM0008, Embedded Flash memory, Tables 4-8). F_SIZE decides all but the
 * connectivity line because DBGMCU_IDCODE reads 0 from user code on some F1 revisions (errata: debug registers
 * not readable by user software); XL density (768 KB, 1 MB) is the only one above 512 KB, so bank 2 also follows
 * F_SIZE.
 * @throws Error on an implausible F_SIZE (not 16..1024 Kbytes). */
function geometry() {
    if (!PAGE) {
        var kbytes = peek16(F_SIZE);
        if (!(kbytes >= 16 && kbytes <= 1024))
            throw err("F_SIZE", "reads " + kbytes + ", not an STM32F1", F_SIZE);
        PAGE = kbytes > 128 || (peek32(DBGMCU_IDCODE) & 0xfff) == 0x418 ? 2048 : 1024;
        END = FLASH_BASE + kbytes * 1024;
        BANK2_AT = kbytes > 512 ? BANK2_START : 0;
    }
}
/** Poll FLASH_SR of `bank` until BSY clears, at most 1e5 reads (about 4 s at 40 us a call; a page erase takes
 * 40 ms at most, DS5792 Table 29). Returns the last SR value.
 * @throws Error if BSY never clears. */
function waitBsy(bank) {
    for (var polls = 0, status; (status = peek32(bank + SR)) & SR_BSY;) {
        if (++polls > 1e5)
            throw err("FLASH_SR", "BSY stuck", bank + SR);
    }
    return status;
}
/** Begin an operation on `bank`: read SR and CR in one call, wait for BSY if set (CR and AR writes are ignored
 * while BSY), and write KEY1, KEY2 to FLASH_KEYR only if CR.LOCK is set (PM0075, Unlocking the Flash memory). */
function open(bank) {
    var registers = peek32(bank + SR, 2);
    if (registers[0] & SR_BSY)
        waitBsy(bank);
    if (registers[1] & CR_LOCK) {
        poke32(bank + KEYR, KEY1);
        poke32(bank + KEYR, KEY2);
    }
}
/** One operation on the bank holding `addr` (begin, act, verify, end as above; after geometry(): bank 2 of XL
 * density through KEYR2/SR2/CR2/AR2): with `halfWords`, program them from even address `addr` (CR.PG; PM0075: only half-word stores program, any other width is a bus error); without, erase the page
 * at `addr` (CR.PER, FLASH_AR, CR.STRT). Then `check()` reads flash back (which also waits for BSY) and returns
 * the first wrong address or -1. Ends with CR = LOCK (which also clears PG/PER), or CR = 0 while held by unlock(),
 * failures included.
 * @throws Error `<op> 0x<first wrong address>: <cause found in SR/CR>`, after waiting for BSY and clearing the SR
 * flags; a plain read-back mismatch of a program names setup({waitEachHalfWord: true}), the fix for clone chips. */
function operate(op, addr, check, halfWords) {
    var bank = BANK2_AT && addr >= BANK2_AT ? FPEC + BANK2 : FPEC;
    open(bank);
    poke32(bank + SR, halfWords ? [SR_FLAGS, CR_PG] : [SR_FLAGS, CR_PER, addr]);
    try {
        if (!halfWords)
            poke32(bank + CR, CR_PER | CR_STRT);
        else if (settings.waitEachHalfWord) {
            for (var i = 0; i < halfWords.length; i++) {
                poke16(addr + 2 * i, halfWords[i]);
                waitBsy(bank);
            }
        }
        else
            poke16(addr, halfWords);
        var wrong = check(), status;
        if (wrong >= 0) {
            status = waitBsy(bank);
            poke32(bank + SR, SR_FLAGS);
            throw err(op, peek32(bank + CR) & CR_LOCK ? "FPEC locked until reset" : status & SR_WRPRTERR
                ? "write-protected (WRPRTERR)" : status & SR_PGERR ? "not erased (PGERR)" : "read-back mismatch" +
                (halfWords && !settings.waitEachHalfWord ? "; clone chip? setup({waitEachHalfWord: true})" : ""), wrong);
        }
    }
    finally {
        poke32(bank + CR, held ? 0 : CR_LOCK);
    }
}
/** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
 * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
 * and lock by themselves.
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075). */
function unlock() {
    geometry();
    for (var bank = FPEC; bank <= FPEC + (BANK2_AT && BANK2); bank += BANK2) {
        open(bank);
        if (peek32(bank + CR) & CR_LOCK)
            throw err("unlock", "FPEC locked until reset", bank + CR);
    }
    held = 1;
}
/** Lock the FPEC: wait for SR.BSY to clear (CR writes are ignored while BSY), then CR = LOCK, which also clears
 * CR.PG/PER (PM0075, FLASH_CR), on both banks on XL density; and stop holding it open. */
function lock() {
    geometry();
    held = 0;
    for (var bank = FPEC; bank <= FPEC + (BANK2_AT && BANK2); bank += BANK2) {
        waitBsy(bank);
        poke32(bank + CR, CR_LOCK);
    }
}
/** Most bytes read back by one native call: keeps the temporary copies of a long write small (the Original has
 * 2756 variables of RAM; peek8 and E.toString copy what they read). */
var CHUNK = 2048;
/** The first address in [addr, addr + length) (length even) whose byte differs from `expected` (or from 0xFF,
 * erased, without `expected`), or -1. Two native calls per CHUNK bytes when all match (E.memoryArea and
 * E.toString, or peek8 and E.sum), one more to find the address otherwise. Reading flash also waits for SR.BSY to
 * clear. */
function diff(addr, length, expected) {
    for (var done = 0, n, got, i; done < length; done += n) {
        n = Math.min(CHUNK, length - done);
        if (expected ? E.memoryArea(addr + done, n) != E.toString(expected.subarray(done, done + n))
            : E.sum(peek8(addr + done, n)) != 255 * n) {
            for (got = peek8(addr + done, n), i = 0; got[i] == (expected ? expected[done + i] : 255); i++)
                ;
            return addr + done + i;
        }
    }
    return -1;
}

// Geometry of the chip (read at run time) and the board's memory map (from process.memory() and the firmware's own
// vector table), with the guards that keep the bootloader, Espruino and saved code safe.
// Sources: RM0008 (flash organisation per density), Espruino's src/jswrap_process.c (process.memory() fields),
// targets/stm32/jshardware.c (jshFlashGetFree), scripts/build_linker.py and targetlibs/stm32f1/lib/startup_*.s.
/** Region boundaries, computed once by bounds(): region i is [AT[i], AT[i + 1]). */
var AT;
/** The end (address) of Espruino's firmware image, read from the firmware itself, so it does not depend on
 * what was written after it. `table` is the firmware's vector table; its second word points at Reset_Handler,
 * which (ST's startup_stm32f10x_*.s in Espruino's targetlibs/stm32f1/lib) copies the .data image from flash to RAM:
 * `ldr r3, =_sidata` + `ldr r3, [r3, r1]` (half-words 0x4Bxx 0x585B) and `ldr r0, =_sdata` + `ldr r3, =_edata` +
 * `adds r2, r0, r1` (0x48xx 0x4Bxx 0x1842), each `ldr rN, =symbol` a PC-relative load of a word from the
 * literal pool after the code (ARMv7-M Architecture Reference Manual, LDR (literal) encoding T1). Espruino's
 * scripts/build_linker.py puts _sidata at _etext, so the firmware ends at _etext + (_edata - _sdata). When that
 * pattern is not found or not plausible (_sidata is not _etext, _sdata not in SRAM), the .data image is assumed
 * to fit in the page after the one holding _etext (Espruino's is a few hundred bytes). Three native calls.
 * @param table address of the vector table @param etext 0x08000000 | flash_binary_end */
function firmwareEnd(table, etext) {
    var resetHandler = (FLASH_BASE | peek32(table + 4)) & -2, // bit 0 is the Thumb bit
    // its code and literal pool: 38 half-words hold both in either startup file
    code = resetHandler > table && resetHandler < etext ? peek16(resetHandler, 38) : [], i, sidata, sdata, edata;
    /** The word loaded by the `ldr rN, [pc, #imm8 * 4]` at half-word i (PC = its address + 4, word-aligned). */
    function literal(i) {
        var at = (((resetHandler + 2 * i + 4) & -4) + (code[i] & 255) * 4 - resetHandler) / 2;
        return code[at] | (code[at + 1] << 16);
    }
    for (i = 2; i < code.length; i++) {
        if (code[i] == 0x585b && code[i - 1] >> 8 == 0x4b)
            sidata = literal(i - 1);
        if (code[i] == 0x1842 && code[i - 2] >> 8 == 0x48 && code[i - 1] >> 8 == 0x4b) {
            sdata = literal(i - 2);
            edata = literal(i - 1);
        }
    }
    return (FLASH_BASE | sidata) == etext && sdata >>> 17 == 0x1000 && edata - sdata >= 0 && edata - sdata < 0x20000
        ? etext + edata - sdata : ((etext + PAGE - 1) & -PAGE) + PAGE;
}
/** The boundaries of the board's memory map, computed once: bootloader, firmware, free, saved code, undocumented
 * (0x08040000-0x0805FFFF, on the Espruino Original only; elsewhere empty). The firmware starts at its vector
 * table, which Espruino's main() puts into SCB->VTOR (0x2800 behind the Original's 10 KB bootloader, else 0;
 * in the 0x0 alias, like `flash_binary_end`, which is &_etext), and ends where firmwareEnd() says. Empty regions
 * have equal boundaries.
 * @throws Error if process.memory() has no flash fields. */
function bounds() {
    if (!AT) {
        geometry();
        var memory = process.memory(false), etext = FLASH_BASE | memory.flash_binary_end, savedCode = memory.flash_code_start, table = FLASH_BASE | peek32(SCB_VTOR), end;
        if (isNaN(memory.flash_binary_end + savedCode))
            throw err("process.memory()", "no flash fields");
        if (!(table < etext))
            table = FLASH_BASE;
        end = (firmwareEnd(table, etext) + PAGE - 1) & -PAGE;
        if (savedCode > END)
            savedCode = END;
        if (end > savedCode)
            end = savedCode;
        AT = [FLASH_BASE, table, end, savedCode, END,
            process.env.BOARD == "ESPRUINOBOARD" && END == 0x08040000 ? 0x08060000 : END];
    }
    return AT;
}
/** Region i's name ("bootloader", "firmware", "free", "saved code", "undocumented"), or with `option` the option
 * erase/write need there ("allowBootloader", ..., "" for the free region). The names are split on each call on
 * purpose: module-level arrays of them would stay in RAM (more than 10 variables each on a 2756-variable
 * Espruino 2v29 build). */
function regionName(i, option) {
    return (option ? "allowBootloader,allowFirmware,,allowSavedCode,allowUndocumented"
        : "bootloader,firmware,free,saved code,undocumented").split(",")[i];
}
/** Call `f(i, addr, length)` for each non-empty region of the memory map (see bounds()), in address order. */
function regions(f) {
    var at = bounds();
    for (var i = 0; i < 5; i++)
        if (at[i + 1] > at[i])
            f(i, at[i], at[i + 1] - at[i]);
}
/** True when region i may be used: it is free, or its option is set in `opts` (or allowUndocumented through
 * setup()). */
function allowed(i, opts) {
    var option = regionName(i, 1);
    return !option || (opts && opts[option]) || settings[option];
}
/** Throw unless `opts` is undefined or an object whose keys are option names (allowBootloader, allowFirmware,
 * allowSavedCode, allowUndocumented): a misspelt option would otherwise be ignored.
 * @throws Error `<op>: bad options <opts>` or `<op>: unknown option <key>`. */
function options(op, opts) {
    if (opts !== undefined) {
        if (!opts || typeof opts != "object")
            throw err(op, "bad options " + opts);
        for (var key in opts)
            for (var i = 0; regionName(i, 1) != key;)
                if (++i > 4)
                    throw err(op, "unknown option " + key);
    }
}
/** Throw unless `length` bytes from `addr` lie in flash and every region they touch may be used: for erase/write
 * (`write` true) every region needs its option; for reads only the undocumented region (4) does.
 * @throws Error `<op> 0x<addr>: inside <region>, needs option <allow...>`, `outside flash`, for a write
 * `crosses into bank 2` (one operation drives one bank's registers, XL density), or an options() error. */
function guard(op, addr, length, opts, write) {
    var end = addr + length;
    options(op, opts);
    regions(function (i, start, size) {
        if (addr < start + size && end > start && (write || i > 3) && !allowed(i, opts)) {
            throw err(op, "inside " + regionName(i) + ", needs option " + regionName(i, 1), addr);
        }
    });
    // the regions are contiguous from FLASH_BASE to AT[5]
    if (addr < FLASH_BASE || end > AT[5])
        throw err(op, "outside flash", addr);
    if (write && addr < BANK2_AT && end > BANK2_AT)
        throw err(op, "crosses into bank 2", addr);
}

// STM32F1Flash: read, erase and write the internal flash of STM32F1 Espruino boards (the Espruino Original,
// STM32F103RCT6). Two APIs on one object:
//  - the 2014 EspruinoDocs module's: unlock(), lock(), erase(addr), write(addr, word), read(addr), isPageSafe(addr)
//  - Espruino's built-in `Flash` module's: getPage(addr), getFree(), erasePage(addr), write(data, addr),
//    write(byte, addr), read(length, addr)
// write() and read() tell the forms apart by their arguments: a byte 0..255 first is the one-byte form, any other
// number first the word form, anything else data; read(addr) has one argument, read(length, addr) two.
// Also: crc32(addr, length), getMemoryMap() and setup({waitEachHalfWord, allowUndocumented}).
// Lock rule: every call that erases or programs leaves the FPEC locked (CR.LOCK set, PG/PER clear), failures
// included, unless the caller holds it open with unlock() until lock().
/** Throw unless `value` is an integer 0..0xFFFFFFFF (an address or a length in bytes; a length also not 0);
 * returns it. The error reads `<op>: bad <what> <value>`, `what` being "addr" unless given. */
function int(op, value, what) {
    if (value !== value >>> 0 || (what && !value))
        throw err(op, "bad " + (what || "addr") + " " + value);
    return value;
}
/** The page holding `addr`, after guard(op) for the whole page (PAGE bytes). */
function page(op, addr, opts, write) {
    var start = int(op, addr) & -(geometry(), PAGE);
    guard(op, start, PAGE, opts, write);
    return start;
}
/** Check `length` bytes from `addr` for reading (read, crc32), returns `addr`. A length that is a flash address
 * means the two were swapped: the error then shows the call's argument order. */
function range(op, addr, length, opts) {
    if (int(op, length, "length") >= FLASH_BASE) {
        throw err(op, "length " + length + " is an address? " + (op == "read" ? "read(length, addr)" : op + "(addr, length)"));
    }
    guard(op, int(op, addr), length, opts);
    return addr;
}
/** Erase the page holding `addr` (any address in the page) so every byte reads 0xFF, and verify it.
 * Built-in Flash API shape: returns undefined.
 * @param addr absolute byte address, e.g. 0x0802F000
 * @param opts allowFirmware / allowSavedCode / allowBootloader / allowUndocumented to touch those regions
 * @throws Error on a bad address, a protected region, WRPRTERR (write-protected page) or a byte not 0xFF after
 * (named with its address). Sequence: CR.PER, FLASH_AR, CR.STRT, then the read-back waits for BSY (PM0075, Page
 * Erase; a flash read while BSY stalls); 1 KB or 2 KB pages (RM0008, Tables 4-8); tERASE 20-40 ms (DS5792 Table 29).
 * Each page endures 10 000 erase cycles (DS5792 Table 30); a power cut during the erase leaves the page's contents
 * undefined (erase it again). */
function erasePage(addr, opts) {
    var op = "erasePage", p = page(op, addr, opts, true);
    operate(op, p, function () { return diff(p, PAGE); });
}
/** Seed API: erase the page holding `addr`, as erasePage(); returns true. */
function erase(addr, opts) {
    erasePage(addr, opts);
    return true;
}
/** Write to flash. Three forms, told apart by the first argument:
 *  - write(data, addr[, opts]) (built-in Flash form): `data` is a String, Array of bytes, ArrayBuffer or any typed
 *    array / DataView (its BYTES are written, not its elements); `addr` any byte address. Odd edges are merged into
 *    half-words that are still 0xFFFF; every target half-word must read 0xFFFF (even one that already holds its new
 *    value: an F1 half-word is programmed once per erase, PM0075 FLASH_SR PGERR), checked before anything is
 *    written. One poke16 programs the whole run (PM0075, Main Flash memory programming: half-words only), then
 *    the bytes are read back and compared. A write may not cross from bank 1 into bank 2 of an XL-density part.
 *  - write(byte, addr[, opts]) (built-in Flash form): a number 0..255 first is one byte, as write([byte], addr).
 *    No flash address is below 256, so this cannot be mistaken for the seed form.
 *  - write(addr, word[, opts]) (seed form): any other number first is a 4-aligned flash address, and `word` a
 *    32-bit word written as two half-word programs, low half first; `word` may be given signed (0xCAFEBABE|0) or
 *    unsigned.
 * @throws Error on a bad argument (naming the form probably meant when the order looks swapped), a protected
 *   region (opts: allowFirmware / allowSavedCode / allowBootloader / allowUndocumented), a target not erased,
 *   PGERR, WRPRTERR or a read-back mismatch, naming the address. */
function write(data, addr, opts) {
    var op = "write", bytes, image, i, length, start, end;
    if (data === (data & 255))
        data = [data];
    if (typeof data == "number") {
        // seed form: `data` is the address, `addr` the word, written as its two half-words, low first, onto a word
        // that reads 0xFFFFFFFF
        if (data < FLASH_BASE)
            throw err(op, data + " is not a byte or a flash address: write(byte, addr) or write(addr, word)");
        if (int(op, data) & 3)
            throw err(op, "not 4-aligned", data);
        guard(op, data, 4, opts, true);
        if (addr !== addr >>> 0 && addr !== (addr | 0)) {
            throw err(op, "bad word " + addr + (typeof addr == "number" ? "" : "; data goes first: write(data, addr)"), data);
        }
        if (~peek32(data))
            throw err(op, "not erased", data);
        addr >>>= 0;
        operate(op, data, function () {
            return peek32(data) == addr ? -1 : data;
        }, new Uint16Array([addr, addr >>> 16]));
        return;
    }
    if (Array.isArray(data)) {
        for (i = 0; i < data.length; i++)
            if (data[i] !== (data[i] & 255))
                throw err(op, "bad byte data[" + i + "]");
    }
    else if (typeof data != "string" && !(data && (data.buffer || data) instanceof ArrayBuffer)) {
        // only real buffers: an object that merely has `buffer` and `byteLength` is not data
        throw err(op, "bad data " + data);
    }
    // the bytes of a String, Array, ArrayBuffer or any view of one
    bytes = typeof data == "string" ? E.toUint8Array(data)
        : new Uint8Array(data.buffer || data, data.byteOffset, data.byteLength);
    length = bytes.length;
    start = int(op, addr) & -2;
    end = (addr + length + 1) & -2;
    if (!length)
        throw err(op, "no data", addr);
    guard(op, addr, length, opts, true);
    // the half-word image: the data, padded with 0xFF at odd edges, so those bytes must read 0xFF too
    image = bytes;
    if (start != addr || length & 1 || bytes.byteOffset & 1) {
        image = new Uint8Array(end - start);
        image.fill(255);
        image.set(bytes, addr - start);
    }
    i = diff(start, end - start);
    if (i >= 0)
        throw err(op, "not erased", i);
    operate(op, start, function () {
        return diff(start, end - start, image);
    }, new Uint16Array(image.buffer, image.byteOffset, (end - start) >> 1));
}
/** Read flash. Two forms, told apart by whether `addr` is given (not by arguments.length: in Espruino it is never
 * smaller than the number of declared parameters):
 *  - read(length, addr[, opts]) (built-in Flash form): `length` bytes from byte address `addr` as a Uint8Array (one
 *    peek8).
 *  - read(addr) (seed form): the unsigned 32-bit word at 4-aligned `addr`.
 * @throws Error on a bad argument (a length that is a flash address names the argument order), or a range outside
 *   flash (the undocumented 0x08040000-0x0805FFFF of the Original needs allowUndocumented). */
function read(length, addr, opts) {
    if (addr === undefined) {
        // seed form: `length` is the address
        if (int("read", length) & 3)
            throw err("read", "not 4-aligned", length);
        guard("read", length, 4);
        return peek32(length);
    }
    range("read", addr, length, opts);
    // peek8 with a count of 1 returns a number, not an array
    return length == 1 ? new Uint8Array([peek8(addr)]) : peek8(addr, length);
}
/** CRC-32 of `length` bytes of flash from byte address `addr`: the CRC-32 of zlib, gzip, PNG and Ethernet
 * (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF; zlib's crc32()), as an unsigned
 * number. Two native calls: E.CRC32 over E.memoryArea(addr, length), which reads flash in place (no copy in RAM).
 * E.CRC32 is missing from SAVE_ON_FLASH firmware builds (boards with 128 KB of flash such as HYSTM32_28).
 * @throws Error on a bad argument, a range outside flash (the undocumented region needs allowUndocumented), or
 *   `crc32: E.CRC32 missing` on such builds. */
function crc32(addr, length, opts) {
    range("crc32", addr, length, opts);
    if (!E.CRC32)
        throw err("crc32", "E.CRC32 missing (SAVE_ON_FLASH build)");
    return E.CRC32(E.memoryArea(addr, length));
}
/** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
 * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
function isPageSafe(addr) {
    return diff(page("isPageSafe", addr), PAGE) < 0;
}
/** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
 * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
 * non-integer address. */
function getPage(addr, opts) {
    int("getPage", addr);
    options("getPage", opts);
    geometry(); // an implausible F_SIZE throws here, as before; only guard() errors mean "not a usable page"
    var p;
    // Espruino 2v29 skips the catch when a property of an object literal throws before a later property, so the
    // call that may throw is kept out of the literal
    try {
        p = page("getPage", addr, opts);
    }
    catch (e) {
        return undefined;
    }
    return { addr: p, length: PAGE };
}
/** Areas free for data, as [{addr, length}] (built-in Flash shape): from the first page after Espruino's firmware
 * (0x08000000 | process.memory().flash_binary_end; the next page only if blank) to flash_code_start, plus
 * 0x08040000-0x0805FFFF on the Original when opts.allowUndocumented (or setup) allows it. */
function getFree(opts) {
    var free = [];
    options("getFree", opts);
    regions(function (i, addr, length) {
        if (allowed(i, i > 3 && opts))
            free.push({ addr: addr, length: length });
    });
    return free;
}
/** The board's memory map: [{name, addr, length, allow}] in address order, with name "bootloader", "firmware",
 * "free", "saved code" or "undocumented"; `allow` is the option erase/write need there (none for "free"). */
function getMemoryMap() {
    var map = [];
    regions(function (i, addr, length) {
        map.push({ name: regionName(i), addr: addr, length: length, allow: regionName(i, 1) || undefined });
    });
    return map;
}
/** Module settings for later calls: `waitEachHalfWord` polls SR.BSY after every half-word store (for
 * APM32/GD32/CKS32 clones that drop a write issued while BSY; slower); `allowUndocumented` lets every call use
 * 0x08040000-0x0805FFFF on the Original. Options left out are set false.
 * @throws Error if `values` is not an object or has another key (e.g. a misspelt `waitEachHalfword`); the
 * settings are then unchanged. */
function setup(values) {
    var name;
    if (!values || typeof values != "object")
        throw err("setup", "bad options " + values);
    for (name in values)
        if (typeof settings[name] != "boolean")
            throw err("setup", "unknown option " + name);
    for (name in settings)
        settings[name] = !!values[name];
}

exports.crc32 = crc32;
exports.erase = erase;
exports.erasePage = erasePage;
exports.getFree = getFree;
exports.getMemoryMap = getMemoryMap;
exports.getPage = getPage;
exports.isPageSafe = isPageSafe;
exports.lock = lock;
exports.read = read;
exports.setup = setup;
exports.unlock = unlock;
exports.write = write;
