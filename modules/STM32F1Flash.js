/* STM32F1Flash: internal flash of STM32F1 Espruino boards (Espruino Original). Built from src/ - do not edit. */
// STM32F1 embedded flash and FPEC: register addresses and bits, with PM0075 / RM0008 names.
// Source: ../shared/reference/stm32f1-flash-controller.md sec. 1-sec. 2 (RM0008 Tables 4-8, PM0075 sec. 3, CMSIS stm32f103xe.h).
// Constants only.
/** Main flash base address (RM0008 sec. 3.3.3); aliased at 0x00000000 when booting from flash. */
var FLASH_BASE = 0x08000000;
/** FPEC register block (RM0008 Table 8). Bank 2 registers of XL-density parts sit at +BANK2 (sec. 2.9). */
var FPEC = 0x40022000;
/** Offset from bank-1 to bank-2 registers: KEYR2 0x44, SR2 0x4C, CR2 0x50, AR2 0x54 (sec. 2.9). */
var BANK2 = 0x40;
/** FLASH_KEYR offset: write KEY1 then KEY2 to clear CR.LOCK (sec. 3). */
var KEYR = 0x04;
/** FLASH_SR offset: BSY (r), PGERR/WRPRTERR/EOP (rc_w1) (sec. 2.4). */
var SR = 0x0c;
/** FLASH_CR offset, directly after SR: peek32(SR, 2) reads both, poke32(SR, [sr, cr, ar]) writes SR, CR, AR (sec. 2.1). */
var CR = 0x10;
/** SR.BSY: operation in progress (sec. 2.4). */
var SR_BSY = 0x01;
/** SR.PGERR: programmed a half-word that was not 0xFFFF (sec. 2.4). */
var SR_PGERR = 0x04;
/** SR.WRPRTERR: program/erase of a write-protected page (sec. 2.4). */
var SR_WRPRTERR = 0x10;
/** SR.EOP: end of a successful operation (sec. 2.4, sec. 4.7). */
var SR_EOP = 0x20;
/** The write-1-to-clear flags, cleared before each operation. */
var SR_FLAGS = SR_EOP | SR_WRPRTERR | SR_PGERR;
/** CR.PG: half-word programming chosen; never cleared by hardware (sec. 2.5, sec. 8 #5). */
var CR_PG = 0x01;
/** CR.PER: page erase chosen; never cleared by hardware. */
var CR_PER = 0x02;
/** CR.STRT: start the erase (set-only). */
var CR_STRT = 0x40;
/** CR.LOCK: write 1 to lock; cleared only by the KEY1, KEY2 sequence (sec. 3). */
var CR_LOCK = 0x80;
/** FPEC unlock keys (CMSIS FLASH_KEY1/FLASH_KEY2, PM0075 sec. 2.3.1). */
var KEY1 = 0x45670123;
var KEY2 = 0xcdef89ab;
/** F_SIZE: flash size in Kbytes, 16-bit (RM0008 sec. 30.1.1). */
var F_SIZE = 0x1ffff7e0;
/** DBGMCU_IDCODE: DEV_ID in bits 11:0 (0x412 low, 0x410 medium, 0x414 high, 0x418 connectivity, 0x430 XL density). */
var DBGMCU_IDCODE = 0xe0042000;
/** Start of bank 2 on XL-density parts (sec. 1.1). */
var BANK2_START = 0x08080000;

// FPEC driver: the register sequences of PM0075 sec. 3 (unlock), sec. 4.1 (half-word programming) and sec. 4.3
// (page erase), as described in ../shared/reference/stm32f1-flash-controller.md. No policy and no address checks
// here: src/memory-map.ts decides what may be touched.
//
// `b` below is the register block of a bank: FPEC, or FPEC + BANK2 for bank 2 of XL-density parts (sec. 2.9).
// Shape of every operation (cf. ST HAL: wait, set PG/PER, act, wait, clear the mode bit even on failure):
//   begin   peek32(SR, 2) reads SR and CR in one call; if CR.LOCK, KEY1 then KEY2 (never keys while unlocked:
//           a wrong or repeated sequence locks the FPEC until reset, sec. 3.2); then ONE poke32(SR, [flags, cr, ar])
//           clears SR.EOP/PGERR/WRPRTERR (write 1s, sec. 2.4), writes CR (PG or PER, which also clears the other
//           mode bit) and, for an erase, FLASH_AR.
//   act     erase: CR.PER|STRT. Program: one poke16 for all half-words (genuine ST parts stall a flash write while
//           BSY, sec. 5.2), or one half-word at a time with a BSY wait between (`waitEachHalfWord`, for clones that
//           drop such writes).
//   verify  by reading flash back: a flash read stalls until BSY clears (sec. 5.1), so the read is also the wait.
//           SR is read only when the read-back is wrong, to name the cause (PGERR, WRPRTERR, LOCK).
//   end     one CR write: LOCK (clears PG/PER and locks, sec. 2.5 rule 3), or 0 while the caller holds the FPEC
//           open with unlock().
/** Driver settings, changed through setup(), keyed by option name: `waitEachHalfWord` polls SR.BSY after every
 * half-word store; `allowUndocumented` opens 0x08040000-0x0805FFFF of the Original to every call. */
var settings = { waitEachHalfWord: false, allowUndocumented: false };
/** Truthy while the caller holds the FPEC open with unlock(): operations then leave CR.LOCK clear. */
var held = 0;
/** The cause named when CR.LOCK stays set: a wrong key sequence locks the FPEC until reset (PM0075 sec. 3). */
var LOCKED = "FPEC locked until reset";
/** Format an address as 0x plus 8 upper-case hex digits. */
function hex(a) {
    return "0x" + ("0000000" + (a >>> 0).toString(16)).slice(-8).toUpperCase();
}
/** An Error worded `<op> 0x<addr>: <msg>`, or `<op>: <msg>` without an address. */
function err(op, msg, addr) {
    return new Error(op + (addr >= 0 ? " " + hex(addr) : "") + ": " + msg);
}
/** Poll FLASH_SR of bank `b` until BSY clears, at most 1e5 reads (about 4 s at 40 us a call; tERASE is 40 ms at
 * most, DS5792 Table 29). Returns the last SR value.
 * @throws Error if BSY never clears. */
function waitBsy(b) {
    for (var n = 0, s; (s = peek32(b + SR)) & SR_BSY;)
        if (++n > 1e5)
            throw err("FLASH_SR", "BSY stuck", b + SR);
    return s;
}
/** Write KEY1 then KEY2 to FLASH_KEYR of bank `b` (PM0075 sec. 3). Only call it while CR.LOCK is set. */
function keys(b) {
    poke32(b + KEYR, KEY1);
    poke32(b + KEYR, KEY2);
}
/** One operation on bank `b` (begin, act, verify, end as above): with `hw`, program those half-words from even address `a` (CR.PG; PM0075 sec. 2.3.3:
 * only half-word stores program); without, erase the page at `a` (CR.PER, FLASH_AR, CR.STRT, PM0075 sec. 2.3.4).
 * Then `check()` reads flash back (which also waits for BSY, sec. 5.1) and returns the first wrong address or -1.
 * Ends with CR = LOCK (which also clears PG/PER), or CR = 0 while held by unlock(), failures included.
 * @throws Error `<op> <first wrong address>: <cause found in SR/CR> (reads 0x<byte>)`, after waiting for BSY and
 * clearing the SR flags. */
function operate(b, op, a, check, hw) {
    // begin: wait for BSY (CR/AR writes are ignored while BSY, controller spec sec. 5.3), unlock if CR.LOCK, then
    // clear the SR flags and write CR (and FLASH_AR) in one call
    var r = peek32(b + SR, 2);
    if (r[0] & SR_BSY)
        waitBsy(b);
    if (r[1] & CR_LOCK)
        keys(b);
    poke32(b + SR, hw ? [SR_FLAGS, CR_PG] : [SR_FLAGS, CR_PER, a]);
    try {
        if (!hw)
            poke32(b + CR, CR_PER | CR_STRT);
        else if (settings.waitEachHalfWord) {
            for (var i = 0; i < hw.length; i++) {
                poke16(a + 2 * i, hw[i]);
                waitBsy(b);
            }
        }
        else
            poke16(a, hw);
        var x = check(), s, c;
        if (x >= 0) {
            s = waitBsy(b);
            c = peek32(b + CR);
            poke32(b + SR, SR_FLAGS);
            throw err(op, (c & CR_LOCK ? LOCKED : s & SR_WRPRTERR ? "write-protected (WRPRTERR)" :
                s & SR_PGERR ? "not erased (PGERR)" : "read-back mismatch") + " (reads 0x" + peek8(x).toString(16) + ")", x);
        }
    }
    finally {
        poke32(b + CR, held ? 0 : CR_LOCK);
    }
}
/** Unlock bank `b` if CR.LOCK is set and hold it open until release().
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075 sec. 3). */
function hold(b) {
    if (peek32(b + CR) & CR_LOCK) {
        keys(b);
        if (peek32(b + CR) & CR_LOCK)
            throw err("unlock", LOCKED, b + CR);
    }
    held = 1;
}
/** Stop holding the FPEC open and lock bank `b`: wait for BSY (CR writes are ignored while BSY), CR = LOCK. */
function release(b) {
    held = 0;
    waitBsy(b);
    poke32(b + CR, CR_LOCK);
}

// Geometry of the chip (read at run time) and the board's memory map (from process.memory()), with the guards
// that keep the bootloader, Espruino and saved code safe.
// Sources: ../shared/reference/espruino-platform.md sec. 1-sec. 2, stm32f1-flash-controller.md sec. 1.
var G, M;
/** Page size (bytes) and bank-2 start (or 0) of the chip, set by geometry(). */
var PAGE, BANK2_AT;
/** The option of the undocumented region: the only one that reads need too, and that setup() can set for all calls. */
var UNDOC = "allowUndocumented";
/** Read F_SIZE (Kbytes) and DBGMCU_IDCODE once. Pages are 1 KB on low/medium density (and value line) and 2 KB
 * on high, connectivity and XL density (RM0008 sec. 3.3.3). DBGMCU_IDCODE reads 0 from user code on some F1
 * revisions (errata): then parts above 128 KB are taken as 2 KB pages. Throws on an implausible F_SIZE. */
function geometry() {
    if (!G) {
        var kb = peek16(F_SIZE), id = peek32(DBGMCU_IDCODE) & 0xfff, k = { 0x410: 1, 0x412: 1, 0x420: 1, 0x414: 2, 0x418: 2, 0x428: 2, 0x430: 2 }[id] || (kb > 128 ? 2 : 1);
        if (!(kb >= 16 && kb <= 1024))
            throw err("F_SIZE", "reads " + kb + ", not an STM32F1", F_SIZE);
        G = { addr: FLASH_BASE, length: kb * 1024, pageSize: PAGE = k * 1024, pages: kb / k, devId: id,
            bank2: BANK2_AT = id == 0x430 ? BANK2_START : 0, writeAlign: 2, eraseValue: 255 };
    }
    return G;
}
/** FPEC register block for `addr` (after geometry()): FPEC + BANK2 for XL bank 2 (KEYR2/SR2/CR2/AR2), else FPEC. */
function bankOf(addr) {
    return BANK2_AT && addr >= BANK2_AT ? FPEC + BANK2 : FPEC;
}
/** Most bytes read back by one native call: keeps the temporary copies of a long write small (the Original has
 * 2756 variables of RAM; peek8 and E.toString copy what they read). */
var CHUNK = 2048;
/** True when `len` (even) bytes from `addr` all read 0xFF: two native calls (peek8 with a count, E.sum over its
 * bytes) per CHUNK. */
function blank(addr, len) {
    for (var i = 0, n; i < len; i += n) {
        if (E.sum(peek8(addr + i, n = Math.min(CHUNK, len - i))) != 255 * n)
            return false;
    }
    return true;
}
/** The board's memory map, computed once: bootloader, firmware, free, saved code (and, on the Espruino Original,
 * the undocumented 0x08040000-0x0805FFFF). `flash_binary_end` is an alias address on bootloader boards: the
 * firmware ends at 0x08000000 | flash_binary_end, and the page after the one holding it is free only if blank
 * (the .data image follows _etext). Throws if process.memory() has no flash fields. */
function memoryMap() {
    if (!M) {
        var end = FLASH_BASE + geometry().length, p = PAGE, m = process.memory(false), e = m.flash_binary_end, c = m.flash_code_start;
        if (isNaN(e + c))
            throw err("process.memory()", "no flash fields");
        var boot = e < FLASH_BASE ? FLASH_BASE + 0x2800 : FLASH_BASE, fw = ((FLASH_BASE | e) + p - 1) & -p;
        if (fw < c && !blank(fw, p))
            fw += p;
        if (c > end)
            c = end;
        if (fw > c)
            fw = c;
        M = [];
        var add = function (name, a, z, allow) {
            if (z > a)
                M.push({ name: name, addr: a, length: z - a, allow: allow });
        };
        add("bootloader", FLASH_BASE, boot, "allowBootloader");
        add("firmware", boot, fw, "allowFirmware");
        add("free", fw, c);
        add("saved code", c, end, "allowSavedCode");
        if (process.env.BOARD == "ESPRUINOBOARD" && end == 0x08040000)
            add("undocumented", end, 0x08060000, UNDOC);
    }
    return M;
}
/** True when option `flag` is unset (no option needed) or set in `opts` (or allowUndocumented through setup()). */
function allowed(flag, opts) {
    return !flag || (opts && opts[flag]) || settings[flag];
}
/** Throw unless `len` bytes from `addr` lie in flash and every region they touch may be used by `op`.
 * `write` is false for reads: then only the undocumented region needs its flag. */
function guard(op, addr, len, opts, write) {
    var z = addr + len, e = 0;
    memoryMap().forEach(function (r) {
        var a = r.addr;
        e = a + r.length;
        if (addr < e && z > a && (write || r.allow == UNDOC) && !allowed(r.allow, opts)) {
            throw err(op, "inside " + r.name + " " + hex(a) + "-" + hex(e - 1) + ", needs option " + r.allow, addr);
        }
    });
    // the regions are contiguous from FLASH_BASE to the last one's end
    if (addr < FLASH_BASE || z > e)
        throw err(op, "outside flash", addr);
}

// STM32F1Flash: read, erase and write the internal flash of STM32F1 Espruino boards (the Espruino Original,
// STM32F103RCT6). Two APIs on one object:
//  - the 2014 EspruinoDocs module's: unlock(), lock(), erase(addr), write(addr, word), read(addr), isPageSafe(addr)
//  - Espruino's built-in `Flash` module's: getPage(addr), getFree(), erasePage(addr), write(data, addr),
//    read(length, addr)
// write() and read() tell the two apart by their arguments: write(number, number) is the word form, write(data,
// addr) needs a String, Array, ArrayBuffer or typed array; read(addr) has one argument, read(length, addr) two.
// Lock rule: every call that erases or programs leaves the FPEC locked (CR.LOCK set, PG/PER clear), failures
// included, unless the caller holds it open with unlock() until lock().
/** Throw unless `v` is an integer 0..0xFFFFFFFF (an address or a length in bytes; a length also not 0); returns it.
 * The error reads `<op>: bad <what> <v>`, `what` being "addr" unless given. */
function int(op, v, what) {
    if (v !== v >>> 0 || (what && !v))
        throw err(op, "bad " + (what || "addr") + " " + v);
    return v;
}
/** int() for a 4-aligned address (the seed API's word forms). */
function aligned(op, v) {
    if (int(op, v) & 3)
        throw err(op, "not 4-aligned", v);
    return v;
}
/** The page holding `addr`, after guard(op) for the whole page (PAGE bytes). */
function page(op, addr, opts, write) {
    var p = int(op, addr) & -(geometry(), PAGE);
    guard(op, p, PAGE, opts, write);
    return p;
}
/** A plain copy (what JSON can hold) of `v`, so callers cannot change the module's state. */
function copy(v) {
    return JSON.parse(JSON.stringify(v));
}
/** The first address in [a, a + n) (n even) whose byte differs from `e` (or from 0xFF without `e`), or -1. Two
 * native calls per CHUNK bytes when all match (E.memoryArea and E.toString, or peek8 and E.sum), one more to find
 * the address otherwise. */
function diff(a, n, e) {
    for (var i = 0, k, got, j; i < n; i += k) {
        k = Math.min(CHUNK, n - i);
        if (!(e ? E.memoryArea(a + i, k) == E.toString(e.subarray(i, i + k)) : blank(a + i, k))) {
            for (got = peek8(a + i, k), j = 0; got[j] == (e ? e[i + j] : 255); j++)
                ;
            return a + i + j;
        }
    }
    return -1;
}
/** Program the half-words `hw` at even address `s`, where flash now holds `cur` (undefined: all 0xFFFF). Every
 * half-word must hold its value already (skipped) or 0xFFFF, checked for all before anything is written. Each run
 * to program is one operation (split at the start of XL bank 2: each bank has its own KEYR/SR/CR/AR), verified by
 * `verify(a, i, j)` for half-words i..j-1 at `a` (first wrong address or -1). Leaves the FPEC locked unless held. */
function put(op, s, hw, cur, verify) {
    var k = BANK2_AT > s ? (BANK2_AT - s) >> 1 : 0, runs = cur ? [] : [0, hw.length], i;
    if (cur) {
        for (i = 0; i < hw.length; i++) {
            if (cur[i] != hw[i]) {
                if (cur[i] != 0xffff)
                    throw err(op, "not erased (reads 0x" + cur[i].toString(16) + ")", s + 2 * i);
                if (runs[runs.length - 1] == i)
                    runs[runs.length - 1]++;
                else
                    runs.push(i, i + 1);
            }
        }
    }
    var go = function (i, j) {
        if (i < k && j > k)
            go(i, k), i = k;
        var a = s + 2 * i;
        operate(bankOf(a), op, a, function () { return verify(a, i, j); }, hw.subarray(i, j));
    };
    for (i = 0; i < runs.length; i += 2)
        go(runs[i], runs[i + 1]);
}
/** Call `f` with the register block of bank 1, then of bank 2 on XL density. */
function banks(f) {
    f(FPEC);
    if (geometry().bank2)
        f(FPEC + BANK2);
}
/** Unlock the FPEC (KEY1, KEY2 into FLASH_KEYR, only if CR.LOCK is set; both banks on XL density) and hold it
 * open: later erase/write calls then leave it unlocked until lock(). Not needed for single calls, which unlock
 * and lock by themselves.
 * @throws Error if CR.LOCK stays set (a wrong key sequence earlier locks the FPEC until reset, PM0075 sec. 3). */
function unlock() {
    banks(hold);
}
/** Lock the FPEC: CR = LOCK, which also clears CR.PG/PER (PM0075 sec. 3, controller spec sec. 2.5), and stop holding it
 * open. Waits for SR.BSY to clear first. */
function lock() {
    banks(release);
}
/** Erase the page holding `addr` (any address in the page) so every byte reads 0xFF, and verify it.
 * Built-in Flash API shape: returns undefined.
 * @param addr absolute byte address, e.g. 0x0802F000
 * @param opts allowFirmware / allowSavedCode / allowBootloader / allowUndocumented to touch those regions
 * @throws Error on a bad address, a protected region, WRPRTERR (write-protected page) or a byte not 0xFF after
 * (named with its address). Sequence: CR.PER, FLASH_AR, CR.STRT, then the read-back waits for BSY (PM0075 sec.
 * 2.3.4, sec. 5.1); 1 KB or 2 KB pages (RM0008 sec. 3.3.3); tERASE 20-40 ms (DS5792 Table 29). */
function erasePage(addr, opts) {
    var op = "erasePage", p = page(op, addr, opts, true);
    operate(bankOf(p), op, p, function () { return diff(p, PAGE); });
}
/** Seed API: erase the page holding `addr`, as erasePage(); returns true. */
function erase(addr, opts) {
    erasePage(addr, opts);
    return true;
}
/** Write to flash. Two forms, told apart by the type of the first argument:
 *  - write(data, addr[, opts]) (built-in Flash form): `data` is a String, Array of bytes, ArrayBuffer or any typed
 *    array / DataView (its BYTES are written, not its elements); `addr` any byte address. Odd edges are merged into
 *    half-words that are still 0xFFFF; every target half-word must be 0xFFFF or already hold its new value, checked
 *    before anything is written. One poke16 programs the whole run (PM0075 sec. 2.3.3: half-words only), then the bytes
 *    are read back and compared.
 *  - write(addr, word[, opts]) (seed form): a 32-bit word at a 4-aligned address, as two half-word programs, low
 *    half first; `word` may be given signed (0xCAFEBABE|0) or unsigned.
 * @throws Error on a bad argument, a protected region (opts: allowFirmware / allowSavedCode / allowBootloader /
 *   allowUndocumented), a target not erased, PGERR, WRPRTERR or a read-back mismatch, naming the address.
 * A number as `data` is taken as the word form's address. */
function write(a, b, opts) {
    var op = "write", u, img, i, n, s, len, w;
    if (typeof a == "number") {
        // seed form: the two half-words of the word, low first
        aligned(op, a);
        if (b !== b >>> 0 && b !== (b | 0))
            throw err(op, "bad word " + b, a);
        guard(op, a, 4, opts, true);
        w = b >>> 0;
        i = peek32(a);
        put(op, a, new Uint16Array([w & 0xffff, w >>> 16]), [i & 0xffff, i >>> 16], function () {
            return peek32(a) == w ? -1 : a;
        });
        return;
    }
    if (Array.isArray(a)) {
        for (i = 0; i < a.length; i++)
            if (a[i] !== (a[i] & 255))
                throw err(op, "bad byte data[" + i + "]");
    }
    else if (typeof a != "string" && !(a && a.byteLength >= 0))
        throw err(op, "bad data");
    // the bytes of a String, Array, ArrayBuffer or any view of one
    u = typeof a == "string" ? E.toUint8Array(a) : new Uint8Array(a.buffer || a, a.byteOffset, a.byteLength);
    n = u.length;
    s = int(op, b) & -2;
    len = ((b + n + 1) & -2) - s;
    if (!n)
        throw err(op, "no data", b);
    guard(op, b, n, opts, true);
    // the half-word image: the data, padded with 0xFF at odd edges
    img = u;
    if (s != b || n & 1 || u.byteOffset & 1) {
        img = new Uint8Array(len);
        img.fill(255);
        img.set(u, b - s);
    }
    put(op, s, new Uint16Array(img.buffer, img.byteOffset, len >> 1), blank(s, len) ? 0 : new Uint16Array(peek8(s, len).buffer), function (a, i, j) {
        return diff(a, 2 * (j - i), img.subarray(2 * i, 2 * j));
    });
}
/** Read flash. Two forms, told apart by whether `addr` is given (not by arguments.length: in Espruino it is never
 * smaller than the number of declared parameters):
 *  - read(length, addr[, opts]) (built-in Flash form): `length` bytes from byte address `addr` as a Uint8Array (one peek8).
 *  - read(addr) (seed form): the unsigned 32-bit word at 4-aligned `addr`.
 * @throws Error on a bad argument or a range outside flash (the undocumented 0x08040000-0x0805FFFF of the Original
 *   needs setup({allowUndocumented: true})). */
function read(a, b, opts) {
    if (b === undefined) {
        guard("read", aligned("read", a), 4);
        return peek32(a);
    }
    int("read", a, "length");
    guard("read", int("read", b), a, opts);
    // peek8 with a count of 1 returns a number, not an array
    return a == 1 ? new Uint8Array([peek8(b)]) : peek8(b, a);
}
/** True when the whole page holding `addr` reads 0xFF (erased), so it can be written without erasing.
 * Two native calls: peek8 of the page, E.sum over its bytes. @throws Error on a bad address or outside flash. */
function isPageSafe(addr) {
    return blank(page("isPageSafe", addr), PAGE);
}
/** The page holding `addr` as {addr, length} (bytes), or undefined outside flash (built-in Flash shape). The
 * undocumented region of the Original counts only with opts.allowUndocumented or setup(). @throws Error on a
 * non-integer address. */
function getPage(addr, opts) {
    int("getPage", addr);
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
    var r = [];
    memoryMap().forEach(function (m) {
        if (!m.allow || (m.allow == UNDOC && allowed(UNDOC, opts)))
            r.push({ addr: m.addr, length: m.length });
    });
    return r;
}
/** The board's memory map: [{name, addr, length, allow}] with name "bootloader", "firmware", "free",
 * "saved code" or "undocumented"; `allow` is the option erase/write need there. */
function getMemoryMap() {
    return copy(memoryMap());
}
/** Chip geometry read from F_SIZE (0x1FFFF7E0) and DBGMCU_IDCODE (0xE0042000): see Info. */
function getInfo() {
    return copy(geometry());
}
/** Module settings; returns them. `waitEachHalfWord`: poll SR.BSY after every half-word store (for APM32/GD32/CKS32
 * clones that drop a write issued while BSY; slower). `allowUndocumented`: use 0x08040000-0x0805FFFF on the
 * Original in every call. */
function setup(o) {
    if (!o || typeof o != "object")
        throw err("setup", "bad options " + o);
    for (var k in settings)
        settings[k] = !!o[k];
    return copy(settings);
}

exports.erase = erase;
exports.erasePage = erasePage;
exports.getFree = getFree;
exports.getInfo = getInfo;
exports.getMemoryMap = getMemoryMap;
exports.getPage = getPage;
exports.isPageSafe = isPageSafe;
exports.lock = lock;
exports.read = read;
exports.setup = setup;
exports.unlock = unlock;
exports.write = write;
