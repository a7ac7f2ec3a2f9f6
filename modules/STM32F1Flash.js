/* STM32F1Flash: internal flash of STM32F1 Espruino boards (Espruino Original). Built from src/ - do not edit. */
var pretokenise = E.getFlags().pretokenise;
E.setFlags({ pretokenise: 1 });
try {

/** Driver settings, changed through setup(), keyed by option name: `waitEachHalfWord` polls SR.BSY after every
 * half-word store; `allowUndocumented` opens 0x08040000-0x0805FFFF of the Original to every call. */
var settings = { waitEachHalfWord: false, allowUndocumented: false };
/** Addr.FPEC kept in a variable: the board then stores its ten digits once instead of at each use. */
var FPEC = 1073881088 /* Addr.FPEC */;
/** Truthy while the caller holds the FPEC open with unlock(): operations then leave CR.LOCK clear. */
var held = 0;
/** An Error worded `<op> 0x<addr in hex>: <message>`, or `<op>: <message>` without an address. */
function err(op, message, addr) {
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
var PAGE, LAST_BANK;
// Code that runs once at load sits in functions that are called right away and kept nowhere: the board frees
// their text after require(), while the text of the exported functions (and of what they call) stays in RAM.
(function () {
    var kbytes = peek16(536868832 /* Addr.F_SIZE */);
    if (!(kbytes >= 16 && kbytes <= 1024))
        throw err("F_SIZE", "reads " + kbytes + ", not an STM32F1", 536868832 /* Addr.F_SIZE */);
    PAGE = kbytes > 128 || (peek32(3758366720 /* Addr.DBGMCU_IDCODE */) & 0xfff) == 0x418 ? 2048 : 1024;
    LAST_BANK = kbytes > 512 ? FPEC + 64 /* Reg.BANK2 */ : FPEC;
})();
/** Poll FLASH_SR of `bank` until BSY clears, at most 1e5 reads (about 4 s at 40 us a call; a page erase takes
 * 40 ms at most, DS5792 Table 29). Returns the last SR value.
 * @throws Error if BSY never clears. */
function waitBsy(bank) {
    for (var polls = 0, status; (status = peek32(bank + 12 /* Reg.SR */)) & 1 /* FLASH_SR.BSY */;) {
        if (++polls > 1e5)
            throw err("FLASH_SR", "BSY stuck", bank + 12 /* Reg.SR */);
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
function operate(op, addr, check, halfWords) {
    // bank 2 only on XL density: addresses from BANK2_START pass the memory map's guard nowhere else
    var bank = addr >= 134742016 /* Addr.BANK2_START */ ? FPEC + 64 /* Reg.BANK2 */ : FPEC, registers = peek32(bank + 12 /* Reg.SR */, 2), // SR and CR in one call
    waitEach = settings.waitEachHalfWord;
    // begin: wait for BSY if set (CR and AR writes are ignored while BSY); KEY1, KEY2 only if CR.LOCK is set
    if (registers[0] & 1 /* FLASH_SR.BSY */)
        waitBsy(bank);
    if (registers[1] & 128 /* FLASH_CR.LOCK */) {
        poke32(bank + 4 /* Reg.KEYR */, 1164378403 /* Key.KEY1 */);
        poke32(bank + 4 /* Reg.KEYR */, 3455027627 /* Key.KEY2 */);
    }
    poke32(bank + 12 /* Reg.SR */, halfWords ? [52 /* FLASH_SR.FLAGS */, 1 /* FLASH_CR.PG */] : [52 /* FLASH_SR.FLAGS */, 2 /* FLASH_CR.PER */, addr]);
    try {
        if (!halfWords)
            poke32(bank + 16 /* Reg.CR */, 2 /* FLASH_CR.PER */ | 64 /* FLASH_CR.STRT */);
        else if (waitEach) {
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
            poke32(bank + 12 /* Reg.SR */, 52 /* FLASH_SR.FLAGS */);
            throw err(op, peek32(bank + 16 /* Reg.CR */) & 128 /* FLASH_CR.LOCK */ ? "FPEC locked until reset" : status & 16 /* FLASH_SR.WRPRTERR */
                ? "write-protected (WRPRTERR)" : status & 4 /* FLASH_SR.PGERR */ ? "not erased (PGERR)" : "read-back mismatch" +
                (halfWords && !waitEach ? "; clone chip? setup({waitEachHalfWord: true})" : ""), wrong);
        }
    }
    finally {
        poke32(bank + 16 /* Reg.CR */, held ? 0 : 128 /* FLASH_CR.LOCK */);
    }
}
/** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
 * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
 * and lock by themselves.
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075). */
function unlock() {
    for (var bank = FPEC; bank <= LAST_BANK; bank += 64 /* Reg.BANK2 */) {
        // no BSY wait first: while CR.LOCK is set no operation of this module runs (each waits for its end, then locks)
        if (peek32(bank + 16 /* Reg.CR */) & 128 /* FLASH_CR.LOCK */) {
            poke32(bank + 4 /* Reg.KEYR */, 1164378403 /* Key.KEY1 */);
            poke32(bank + 4 /* Reg.KEYR */, 3455027627 /* Key.KEY2 */);
        }
        if (peek32(bank + 16 /* Reg.CR */) & 128 /* FLASH_CR.LOCK */)
            throw err("unlock", "FPEC locked until reset", bank + 16 /* Reg.CR */);
    }
    held = 1;
}
/** Lock the FPEC: wait for SR.BSY to clear (CR writes are ignored while BSY), then CR = LOCK, which also clears
 * CR.PG/PER (PM0075, FLASH_CR), on both banks on XL density; and stop holding it open. */
function lock() {
    held = 0;
    for (var bank = FPEC; bank <= LAST_BANK; bank += 64 /* Reg.BANK2 */) {
        waitBsy(bank);
        poke32(bank + 16 /* Reg.CR */, 128 /* FLASH_CR.LOCK */);
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

// The board's memory map, read when the module loads (from process.memory() and the firmware's own vector table),
// and the guards that keep the bootloader, Espruino and saved code safe.
// Sources: RM0008 (flash organisation per density), Espruino's src/jswrap_process.c (process.memory() fields),
// targets/stm32/jshardware.c (jshFlashGetFree), scripts/build_linker.py and targetlibs/stm32f1/lib/startup_*.s.
/** The boundaries of the board's memory map, read once when the module loads: region i is [AT[i], AT[i + 1]),
 * for bootloader, firmware, free, saved code and undocumented (0x08040000-0x0805FFFF, on the Espruino Original
 * only; elsewhere empty); empty regions have equal boundaries. The firmware starts at its vector table, which
 * Espruino's main() puts into SCB->VTOR (0x2800 behind the Original's 10 KB bootloader, else 0; in the 0x0 alias,
 * like `flash_binary_end`, which is &_etext), and ends where firmwareEnd() below says, rounded up to a page.
 * Six native calls. On a firmware whose process.memory() has no flash fields, require() throws
 * `process.memory(): no flash fields`. */
var AT = (function () {
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
        var resetHandler = (134217728 /* Addr.FLASH_BASE */ | peek32(table + 4)) & -2, // bit 0 is the Thumb bit
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
        return (134217728 /* Addr.FLASH_BASE */ | sidata) == etext && sdata >>> 17 == 0x1000 && edata - sdata >= 0 &&
            edata - sdata < 0x20000 ? etext + edata - sdata : ((etext + PAGE - 1) & -PAGE) + PAGE;
    }
    var memory = process.memory(false), etext = 134217728 /* Addr.FLASH_BASE */ | memory.flash_binary_end, savedCode = memory.flash_code_start, table = 134217728 /* Addr.FLASH_BASE */ | peek32(3758157064 /* Addr.SCB_VTOR */), end, 
    // end of the documented main flash: F_SIZE Kbytes (checked when the driver loaded)
    flashEnd = 134217728 /* Addr.FLASH_BASE */ + peek16(536868832 /* Addr.F_SIZE */) * 1024;
    if (isNaN(memory.flash_binary_end + savedCode))
        throw err("process.memory()", "no flash fields");
    if (!(table < etext))
        table = 134217728 /* Addr.FLASH_BASE */;
    end = (firmwareEnd(table, etext) + PAGE - 1) & -PAGE;
    if (savedCode > flashEnd)
        savedCode = flashEnd;
    if (end > savedCode)
        end = savedCode;
    return [134217728 /* Addr.FLASH_BASE */, table, end, savedCode, flashEnd,
        process.env.BOARD == "ESPRUINOBOARD" && flashEnd == 0x08040000 ? 0x08060000 : flashEnd];
})();
/** The region names ("bootloader", "firmware", "free", "saved code", "undocumented") in address order, or with
 * `option` the options erase/write need in them ("allowBootloader", "allowFirmware", "" for the free region,
 * "allowSavedCode", "allowUndocumented"), followed by "erased", the one per-call option that is not a region's.
 * Split on each call on purpose: module-level arrays of them would stay in
 * RAM (more than 10 variables each on a 2756-variable Espruino 2v29 build). */
function regionNames(option) {
    return (option ? "allowBootloader,allowFirmware,,allowSavedCode,allowUndocumented,erased"
        : "bootloader,firmware,free,saved code,undocumented").split(",");
}
/** Throw unless `opts` is undefined or an object whose keys are option names: per-call options (allowBootloader,
 * allowFirmware, allowSavedCode, allowUndocumented, erased), or with `setup` the names in `settings` (then undefined is
 * refused too). A misspelt option would otherwise be ignored.
 * @throws Error `<op>: bad options <opts>` or `<op>: unknown option <key>`. */
function options(op, opts, setup) {
    if (opts !== undefined || setup) {
        if (!opts || typeof opts != "object")
            throw err(op, "bad options " + opts);
        for (var key in opts) {
            if (setup ? typeof settings[key] != "boolean" : regionNames(1).indexOf(key) < 0) {
                throw err(op, "unknown option " + key);
            }
        }
    }
}
/** Throw unless `length` bytes from `addr` lie in flash and every region they touch may be used: for erase/write
 * (`write` true) every region but the free one needs its option, in `opts` (or allowUndocumented set through
 * setup()); for reads only the undocumented region does.
 * @throws Error `<op> 0x<addr>: inside <region>, needs option <allow...>`, `outside flash`, for a write
 * `crosses into bank 2` (one operation drives one bank's registers, XL density), or an options() error. */
function guard(op, addr, length, opts, write) {
    var end = addr + length, option;
    options(op, opts);
    for (var i = 0, names = regionNames(1); i < 5; i++) {
        option = names[i];
        // [addr, end) and region i overlap (never for an empty region), and the region needs its option
        if (Math.max(addr, AT[i]) < Math.min(end, AT[i + 1]) && (write || i > 3) && option &&
            !(opts && opts[option]) && !settings[option]) {
            throw err(op, "inside " + regionNames()[i] + ", needs option " + option, addr);
        }
    }
    // the regions are contiguous from AT[0] (FLASH_BASE) to AT[5]
    if (addr < AT[0] || end > AT[5])
        throw err(op, "outside flash", addr);
    if (write && addr < 134742016 /* Addr.BANK2_START */ && end > 134742016 /* Addr.BANK2_START */)
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
/** Erase the page holding `addr` (any address in the page) so every byte reads 0xFF, and verify it.
 * Returns true (the built-in Flash.erasePage returns undefined; true lets the seed API's erase() be this same
 * function, which saves RAM on the board).
 * @param addr absolute byte address, e.g. 0x0802F000
 * @param opts allowFirmware / allowSavedCode / allowBootloader / allowUndocumented to touch those regions
 * @throws Error on a bad address, a protected region, WRPRTERR (write-protected page) or a byte not 0xFF after
 * (named with its address). Sequence: CR.PER, FLASH_AR, CR.STRT, then the read-back waits for BSY (PM0075, Page
 * Erase; a flash read while BSY stalls); 1 KB or 2 KB pages (RM0008, Tables 4-8); tERASE 20-40 ms (DS5792 Table 29).
 * Each page endures 10 000 erase cycles (DS5792 Table 30); a power cut during the erase leaves the page's contents
 * undefined (erase it again). */
function erasePage(addr, opts) {
    var op = "erasePage", start = int(op, addr) & -PAGE;
    guard(op, start, PAGE, opts, true);
    operate(op, start, function () { return diff(start, PAGE); });
    return true;
}
/** Write to flash. Three forms, told apart by the first argument:
 *  - write(data, addr[, opts]) (built-in Flash form): `data` is a String, Array of bytes, ArrayBuffer or any typed
 *    array / DataView (its BYTES are written, not its elements); `addr` any byte address. Odd edges are merged into
 *    half-words that are still 0xFFFF; every target half-word must read 0xFFFF (even one that already holds its new
 *    value: an F1 half-word is programmed once per erase, PM0075 FLASH_SR PGERR), checked before anything is
 *    written (two native calls) unless opts.erased says the caller knows it (then a half-word that is not erased
 *    fails with PGERR after the others were programmed). One poke16 programs the whole run (PM0075, Main Flash
 *    memory programming: half-words only), then the bytes are read back and compared. A write may not cross from bank 1 into bank 2 of an XL-density part.
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
        if (data < 134217728 /* Addr.FLASH_BASE */)
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
    // the blank pre-check, unless the caller vouches for it (opts.erased)
    i = opts && opts.erased ? -1 : diff(start, end - start);
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
    var op = "read";
    if (addr === undefined) {
        // seed form: `length` is the address
        if (int(op, length) & 3)
            throw err(op, "not 4-aligned", length);
        guard(op, length, 4);
        return peek32(length);
    }
    if (int(op, length, "length") >= 134217728 /* Addr.FLASH_BASE */) {
        throw err(op, "length " + length + " is an address? read(length, addr)");
    }
    guard(op, int(op, addr), length, opts);
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
    var op = "crc32";
    if (int(op, length, "length") >= 134217728 /* Addr.FLASH_BASE */) {
        throw err(op, "length " + length + " is an address? crc32(addr, length)");
    }
    guard(op, int(op, addr), length, opts);
    if (!E.CRC32)
        throw err(op, "E.CRC32 missing (SAVE_ON_FLASH build)");
    return E.CRC32(E.memoryArea(addr, length));
}
/** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
 * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
function isPageSafe(addr) {
    var op = "isPageSafe", start = int(op, addr) & -PAGE;
    guard(op, start, PAGE);
    return diff(start, PAGE) < 0;
}
/** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
 * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
 * non-integer address. */
function getPage(addr, opts) {
    var op = "getPage", start = int(op, addr) & -PAGE;
    options(op, opts);
    // only guard() errors mean "not a usable page"; Espruino 2v29 skips the catch when a property of an object
    // literal throws before a later property, so the call that may throw is kept out of the literal
    try {
        guard(op, start, PAGE, opts);
    }
    catch (e) {
        return undefined;
    }
    return { addr: start, length: PAGE };
}
/** Areas free for data, as [{addr, length}] (built-in Flash shape): from the first page after Espruino's firmware
 * image (its end read from the firmware's Reset_Handler literal pool when the module loaded, so it does not move
 * when you write there) to flash_code_start, plus 0x08040000-0x0805FFFF on the Original when
 * opts.allowUndocumented (or setup) allows it. */
function getFree(opts) {
    var free = [];
    options("getFree", opts);
    // the free region (2), and the undocumented one (4) when allowed
    for (var i = 2; i < 5; i += 2) {
        if (AT[i + 1] > AT[i] && (i < 4 || (opts && opts.allowUndocumented) || settings.allowUndocumented)) {
            free.push({ addr: AT[i], length: AT[i + 1] - AT[i] });
        }
    }
    return free;
}
/** The board's memory map: [{name, addr, length, allow}] in address order, with name "bootloader", "firmware",
 * "free", "saved code" or "undocumented"; `allow` is the option erase/write need there (none for "free"). */
function getMemoryMap() {
    var map = [];
    for (var i = 0; i < 5; i++) {
        if (AT[i + 1] > AT[i]) {
            map.push({ name: regionNames()[i], addr: AT[i], length: AT[i + 1] - AT[i],
                allow: regionNames(1)[i] || undefined });
        }
    }
    return map;
}
/** Module settings for later calls: `waitEachHalfWord` polls SR.BSY after every half-word store (for
 * APM32/GD32/CKS32 clones that drop a write issued while BSY; slower); `allowUndocumented` lets every call use
 * 0x08040000-0x0805FFFF on the Original. Options left out are set false.
 * @throws Error if `values` is not an object or has another key (e.g. a misspelt `waitEachHalfword`); the
 * settings are then unchanged. */
function setup(values) {
    options("setup", values, 1);
    for (var name in settings)
        settings[name] = !!values[name];
}

exports.crc32 = crc32;
exports.erase = erasePage;
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

} finally {
  E.setFlags({ pretokenise: pretokenise });
}
