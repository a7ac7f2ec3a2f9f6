/* FlashKV: power-loss-safe, wear-levelled key-value store in internal flash. Built from src/ - do not edit. */
var pretokenise = E.getFlags().pretokenise;
E.setFlags({ pretokenise: 1 });
try {

// The on-flash format of FlashKV. Little-endian; every field is a whole 32-bit word or lies inside one, so the store
// only ever programs whole 4-byte-aligned words into erased flash, which the built-in `Flash.write` of every
// Espruino board can do (on F1 a half-word is programmed once per erase, PM0075 sec. 2.3.3).
//
// A store is N >= 2 equal pages. Each page is erased before use and then holds:
//   page header (16 bytes, written LAST: it commits the page)
//     word 0  0x014B46 ("FK", format 1) | N << 24
//     word 1  generation: the page with the highest generation and a valid header is the active one
//     word 2  erase count of this page, this erase included
//     word 3  E.CRC32 of words 0-2 (a blank, torn or half-erased header never matches)
//   records, from byte 16, each 4-byte aligned, appended in order:
//     word 0  bits 0-4: key length - 1 (0..27), bit 5: DELETED (the key was erased), bits 6-7: 0,
//             bits 8-31: data length in bytes (0 when DELETED)
//     key bytes, data bytes, 0xFF padding up to a multiple of 4
//     last word: E.CRC32 of everything before it in the record (written last: it commits the record)
//   0xFF up to the end of the page.
// A record is 8 bytes plus its key and data rounded up to 4: a 4-byte value under a key of up to 4 chars takes 16.
/** Bytes of the page header. */
var HEADER = 16;
/** Low 24 bits of header word 0: "FK" and format version 1; the page count is in the top byte. */
var MAGIC = 0x014b46;
/** Longest key in characters (as Espruino's Storage). */
var MAX_KEY = 28;
/** Record header flag: the key was erased (a tombstone). */
var DELETED = 0x20;
/** The unsigned little-endian 32-bit word at byte `o` of `u`. */
function word(u, o) {
    return (u[o] | (u[o + 1] << 8) | (u[o + 2] << 16) | (u[o + 3] << 24)) >>> 0;
}
/** Bytes of a record with a key of `kl` chars and `dl` data bytes. */
function recordBytes(kl, dl) {
    return 8 + ((kl + dl + 3) & -4);
}

// The store: a RAM index built from the active page, appends, and compaction into an erased page.
// Power-loss rules (format.ts describes the bytes):
//  - a record counts only once its CRC word, written last, matches; open() checks the CRC of the last record of the
//    active page only, because a record is started only after the one before it was written and read back;
//  - anything unexpected after the last record (a torn record, bytes that are not 0xFF) stops appends: the next
//    write first compacts into another page. open() itself never erases or programs;
//  - compaction erases a page that is not the active one, copies the live records into it and commits it by writing
//    its header last, with the next generation. Until then the active page is untouched, so a cut at any instant
//    leaves either the old page (old contents) or the new one (new contents) active.
// Written for size too: the board keeps the module's code in RAM unless it is saved to flash.
/** An Error worded `FlashKV <op>: <msg>`. */
function err(op, msg) {
    return new Error("FlashKV " + op + ": " + msg);
}
/** `key` if it is a String of 1..28 chars (not "__proto__", not starting with "\xFF", which Espruino hides from
 * Object.keys), else throw `bad key`. */
function checkKey(op, key) {
    if (typeof key != "string" || !key || key.length > MAX_KEY || key == "__proto__" || key.charCodeAt(0) == 255) {
        throw err(op, "bad key " + key);
    }
    return key;
}
/** A record (format.ts) for `key` and the data bytes `d` (String, Uint8Array or Array of bytes), or a DELETED
 * record. Two native calls. */
function record(key, d, del) {
    var kl = key.length, dl = d.length, z = recordBytes(kl, dl), w = del ? kl - 1 | DELETED : kl - 1 | dl << 8, r = E.toUint8Array([w, w >> 8, w >> 16, w >>> 24], key, d, { data: 255, count: z - 4 - kl - dl });
    new Uint32Array(r.buffer)[(z >> 2) - 1] = E.CRC32(r.subarray(0, z - 4)); // little-endian, as flash
    return r;
}
/** Find the active page (the highest generation among valid headers) and index its records. Reads only:
 * 2 native calls per page (header and its CRC), 4 for the active page (page, as String, CRC of the last record,
 * blank check of the rest). */
function Store(flash, addr, pages, size, own) {
    var t = this, i, a, h, g, max = 0, u, img, o = HEADER, last = -1, w = 0, z = 0;
    t.flash = flash;
    t.addr = addr;
    t.pages = pages;
    t.size = size;
    t.own = own;
    t.act = -1;
    t.gen = t.used = t.end = 0;
    t.wear = [];
    t.keys = {};
    for (i = 0; i < pages; i++) {
        h = flash.read(HEADER, (a = addr + i * size));
        t.wear[i] = -1;
        if ((word(h, 0) & 0xffffff) == MAGIC && E.CRC32(h.subarray(0, 12)) == word(h, 12)) {
            if (h[3] != pages)
                throw err("open", "pages: " + h[3]);
            g = word(h, 4);
            if (t.act < 0 || g > t.gen) {
                t.act = a;
                t.gen = g;
            }
            max = Math.max(max, (t.wear[i] = word(h, 8)));
        }
    }
    for (i = 0; i < pages; i++)
        if (t.wear[i] < 0)
            t.wear[i] = max;
    if (t.act < 0)
        return;
    u = flash.read(size, t.act);
    img = E.toString(u);
    /** Index the record at offset `o` of the active page. */
    function add(o) {
        var w = word(u, o), kl = (w & 31) + 1;
        t.set(img.substr(o + 4, kl), w & DELETED ? -1 : o, recordBytes(kl, w >>> 8));
    }
    for (; o + 4 <= size && (w = word(u, o)) != 0xffffffff; o += z) {
        z = recordBytes((w & 31) + 1, w >>> 8);
        // bits 6-7 must be 0 and the key 1..28 chars (0xFFFFFFFF, erased, ends the loop)
        if ((w & 0xdf) >= MAX_KEY || o + z > size)
            break;
        // a record followed by another one was complete before the next one was started
        if (last >= 0)
            add(last);
        last = o;
    }
    // appends go on only after a last record that passes its CRC and nothing but 0xFF after it
    t.end = o + 4 > size || w == 0xffffffff ? (E.sum(u.subarray(o)) == 255 * (size - o) ? o : 0) : 0;
    if (last >= 0) {
        z = recordBytes((u[last] & 31) + 1, word(u, last) >>> 8) - 4;
        if (E.CRC32(u.subarray(last, last + z)) == word(u, last + z))
            add(last);
        else
            t.end = 0;
    }
}
Store.prototype = {
    /** Point `key` at the record of `z` bytes at offset `o`, or drop it (o < 0); keeps `used` up to date. */
    set: function (key, o, z) {
        var t = this;
        t.used -= (t.keys[key] >>> 16) << 2; // 0 for a missing key (undefined, or a function of Object.prototype)
        if (o < 0)
            delete t.keys[key];
        else {
            t.keys[key] = (o >> 2) | (z << 14);
            t.used += z;
        }
    },
    /** Program `d` at `a` with flash.write and, unless the flash object verifies itself, read it back. The store
     * writes only where it knows flash is erased (open() checked the rest of the page, or it erased the page), so it
     * tells STM32F1Flash to skip its blank pre-check (option `erased`: 2 native calls less); flash that is not erased
     * after all still fails the read-back.
     * @throws Error on a read-back mismatch, or what flash.write throws. */
    program: function (d, a) {
        var f = this.flash;
        f.write(d, a, this.own ? { erased: 1 } : undefined);
        if (!this.own && E.toString(f.read(d.length, a)) != E.toString(d))
            throw err("write", "read-back 0x" + a.toString(16));
    },
    /** Store the data bytes `d` under `key` (erase it when `del`): append a record to the active page; compact first
     * when it does not fit there, when the end of the page is not known to be blank, or when the append failed.
     * @throws Error `full` when the live records and this one exceed a page (nothing written). */
    put: function (op, key, d, del) {
        var t = this, z = recordBytes(key.length, d.length), o = t.end, r;
        if (t.used - ((t.keys[key] >>> 16) << 2) + (del ? 0 : z) > t.size - HEADER)
            throw err(op, key + ": full");
        // on firmware with Unicode strings a character may take several bytes: refuse what does not fit its length
        if ((r = record(key, d, del)).length != z)
            throw err(op, key + ": UTF-8");
        if (o && o + z <= t.size) {
            try {
                t.program(r, t.act + o);
                t.end = o + z;
                return t.set(key, del ? -1 : o, z);
            }
            catch (e) {
                t.end = 0; // what follows the last good record is unknown now: never append after it
            }
        }
        t.compact(key, del ? 0 : r);
    },
    /** Copy the live records, except `key`'s, plus `r` (if given) into the non-active page with the fewest erases
     * (the next in the ring on a tie): erase it, program the records, then the header with the next generation.
     * One page erase. @throws Error if the flash object throws or a read-back differs. */
    compact: function (key, r) {
        var t = this, f = t.flash, n = t.pages, P = t.size, A = t.act < 0 ? -1 : (t.act - t.addr) / P, D = -1, i, k, v, z, src, img = new Uint8Array(P), keys = {}, o = HEADER, d, h, ks;
        for (i = 1; i <= n; i++) {
            v = (A + i) % n;
            if (v != A && (D < 0 || t.wear[v] < t.wear[D]))
                D = v;
        }
        // Object.keys, not for-in: Espruino's for-in skips a property named "constructor"
        for (i = 0, ks = Object.keys(t.keys); i < ks.length; i++) {
            if ((k = ks[i]) == key)
                continue;
            v = (t.keys[k] & 0xffff) << 2;
            z = (t.keys[k] >>> 16) << 2;
            if (!src)
                src = f.read(P, t.act);
            img.set(src.subarray(v, v + z), o);
            keys[k] = (o >> 2) | (z << 14);
            o += z;
        }
        if (r) {
            img.set(r, o);
            keys[key] = (o >> 2) | (r.length << 14);
            o += r.length;
        }
        f.erasePage((d = t.addr + D * P));
        if (!t.own && E.sum(f.read(P, d)) != 255 * P)
            throw err("write", "erase 0x" + d.toString(16));
        if (o > HEADER)
            t.program(img.subarray(HEADER, o), d + HEADER);
        // the header, written last: [MAGIC | pages << 24, generation, erase count, CRC], little-endian as flash
        h = new Uint32Array([MAGIC | (n << 24), t.gen + 1, t.wear[D] + 1, 0]);
        h[3] = E.CRC32(new Uint8Array(h.buffer, 0, 12));
        t.program(new Uint8Array(h.buffer), d);
        t.act = d;
        t.gen++;
        t.wear[D]++;
        t.keys = keys;
        t.used = (t.end = o) - HEADER;
    },
    /** The value stored under `key` as a String, or undefined if there is none. Three native calls: the record,
     * its CRC, the String. @throws Error on a bad key, or a record that fails its CRC (flash corrupted). */
    read: function (key) {
        var t = this, v = t.keys[checkKey("read", key)], z, a, u, s;
        if (typeof v != "number")
            return undefined; // no such key (nor a function of Object.prototype: on Espruino
        // a function compares as 0, so `v >= 0` would not do)
        z = (v >>> 16) << 2;
        u = t.flash.read(z, (a = t.act + ((v & 0xffff) << 2)));
        s = E.toString(u);
        if (E.CRC32(u.subarray(0, z - 4)) != word(u, z - 4)) {
            throw err("read", key + ": CRC at 0x" + a.toString(16));
        }
        return s.substr(4 + key.length, word(u, 0) >>> 8);
    },
    /** JSON.parse of the value stored under `key`, or undefined if there is none.
     * @throws Error on a bad key, a corrupted record or a value that is not JSON. */
    readJSON: function (key) {
        var s = this.read(key);
        return s === undefined ? s : JSON.parse(s);
    },
    /** Store `data` (String, ArrayBuffer, typed array or DataView: its bytes; or an Array of bytes) under `key` and
     * return true once it is in flash: durable from then on, whatever happens to power. A power cut before that
     * leaves the previous value. @throws Error on a bad key or data, `full` (nothing changed), or a flash error. */
    write: function (key, data) {
        var op = "write", d = data, i;
        checkKey(op, key);
        if (Array.isArray(d)) {
            for (i = 0; i < d.length; i++)
                if (d[i] !== (d[i] & 255))
                    throw err(op, "bad data");
        }
        else if (typeof d != "string") {
            if (!d || !(d.byteLength >= 0))
                throw err(op, "bad data");
            d = new Uint8Array(d.buffer || d, d.byteOffset, d.byteLength);
        }
        this.put(op, key, d);
        return true;
    },
    /** Store JSON.stringify(value) under `key`, as write(). @throws Error as write(); `bad data` when
     * value has no JSON form (undefined, a function). */
    writeJSON: function (key, value) {
        return this.write(key, JSON.stringify(value));
    },
    /** Erase `key` (nothing happens if there is none). Durable once it returns. @throws Error on a bad key or a flash
     * error. */
    erase: function (key) {
        if (typeof this.keys[checkKey("erase", key)] == "number")
            this.put("erase", key, "", 1);
    },
    /** The stored keys, in no particular order. No flash access. */
    list: function () {
        return Object.keys(this.keys);
    },
    /** {pages, pageSize, used, free, erases}: bytes per page, bytes of the live records (what a compaction copies),
     * bytes still free for records, and the erase count of each page as kept in its header. */
    getStats: function () {
        var t = this;
        return { pages: t.pages, pageSize: t.size, used: t.used, free: t.size - HEADER - t.used, erases: t.wear.slice() };
    },
};

// FlashKV: a power-loss-safe, wear-levelled key-value store in internal flash (EEPROM emulation), with the names of
// Espruino's Storage: read, readJSON, write, writeJSON, erase, list, getStats.
//   var kv = require("FlashKV").open();      // or open({addr: 0x0803A000, pages: 2, flash: require("Flash")})
//   kv.write("boots", "42"); kv.read("boots"); kv.writeJSON("cfg", {rate: 10}); kv.readJSON("cfg"); kv.erase("boots");
// After a power cut at any instant, the next open() sees every write and erase that returned, the key being
// written at the cut holds its old or its new value, and every other key is unchanged. How (format.ts, store.ts):
// every record carries an E.CRC32 written last; a page is committed by its header, written last after a
// compaction into an erased page, and the newest committed page is never erased. open() only reads.
// The flash object is anything with the built-in Flash API; by default require("STM32F1Flash"), which verifies
// every write (the built-in Flash.write on F1 silently skips the rest of a write after one PGERR).
/** Open the store kept in `pages` flash pages from `addr`, reading what a previous session (or a power cut) left.
 * open() only reads flash: 2 native calls per page plus 4 (STM32F1Flash also reads the memory map on its first
 * call). Pages holding no store are erased at the first write, so give it pages holding nothing else. The default
 * `addr` is the last `pages` pages of flash.getFree()[0], which on Espruino ends where saved code begins
 * (process.memory().flash_code_start), so it stays where it is across reboots of the same firmware.
 * @param o {addr, pages, flash}, all optional: see OpenOptions
 * @throws Error `FlashKV open: <why>` on bad options (`unknown option <key>`: not addr, pages or flash; `bad addr`:
 *   not the start of a flash page; `bad pages`: not 2..255 equal pages in flash), no E.CRC32 (SAVE_ON_FLASH firmware), or `pages: N` (a store made with N pages). */
function open(o) {
    var op = "open", f, n, a, p, q, P, k;
    if (typeof (o = o || {}) != "object")
        throw err(op, "bad options");
    // a misspelt option (`adr`) would otherwise open the store somewhere else. Array indexOf: Espruino 2v29's
    // String indexOf also matches a needle that runs past the end (",addr,".indexOf(",x,") is 5; sim/string-search.js)
    for (k in o)
        if ("addr,pages,flash".split(",").indexOf(k) < 0)
            throw err(op, "unknown option " + k);
    if (!E.CRC32)
        throw err(op, "no E.CRC32");
    f = o.flash || require("STM32F1Flash");
    for (k in { getPage: 0, erasePage: 0, write: 0, read: 0 })
        if (!f || typeof f[k] != "function")
            throw err(op, "bad flash");
    n = o.pages === undefined ? 2 : o.pages;
    if (n !== (n & 255) || n < 2)
        throw err(op, "bad pages");
    a = o.addr;
    if (a === undefined) {
        p = f.getFree && f.getFree()[0];
        q = p && f.getPage(p.addr + p.length - 1);
        a = q && q.addr + q.length - n * q.length;
        if (!q || a < p.addr)
            throw err(op, "no free pages");
    }
    if (a !== a >>> 0 || !(p = f.getPage(a)) || p.addr !== a)
        throw err(op, "bad addr " + a);
    P = p.length;
    q = f.getPage(a + n * P - 1);
    if (!q || q.addr !== a + (n - 1) * P || q.length !== P || P & 3 || P > 0x10000)
        throw err(op, "bad pages");
    return new Store(f, a, n, P, !o.flash);
}

exports.open = open;

} finally {
  E.setFlags({ pretokenise: pretokenise });
}
