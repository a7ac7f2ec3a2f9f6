/**
 * Espruino's Storage file system in the saved-code area of the virtual flash, in Espruino's own on-flash format
 * (Espruino 2v29 src/jsflash.c, src/jsflash.h, src/jswrap_storage.c), read and written through the firmware's
 * flash functions (sim/jshardware.js), so every FPEC rule holds (a half-word is programmed once per erase; deleting
 * a file writes 0x0000 over programmed bytes, which F1 allows).
 *
 * Format (STM32: JSF_ALIGNMENT 4, JSF_WORD_UNSET 0xFFFFFFFF):
 *   file = header (32 bytes) + data, the next header at the following 4-aligned address;
 *   header = uint32 size (bits 0-23: data length in bytes, bits 24-31: flags) + 28-byte name, 0-padded;
 *   flags: 0 normal, 64 StorageFile chunk, 128 compressed (`.varimg`), 32 file-name table (not listed);
 *   a deleted ("replaced") file has its first 4 name bytes set to 0; a header whose size is 0 or 0xFFFFFFFF, or
 *   whose file would run past the end of the area, ends the files of a page: the search goes on at the next page
 *   (a file may span pages); new files go to the first hole big enough; when none is, the area is compacted
 *   (live files copied down over the deleted ones) and the search repeated.
 * What is not modelled: StorageFile (`Storage.open`), the file-name table, the RAM cache of file addresses,
 * and the page-by-page swap buffer of the firmware's compaction (the result is the same layout).
 */
export const HEADER_SIZE = 32;
export const NAME_LENGTH = 28;
const ALIGN = 4;
const WORD_UNSET = 0xffffffff;
export const FLAGS = { NONE: 0, FILENAME_TABLE: 32, STORAGEFILE: 64, COMPRESSED: 128 };

const align = (n) => (n + ALIGN - 1) & ~(ALIGN - 1);

/** An error the API turns into an Espruino `Error` of the board's realm. */
export class StorageError extends Error {}

/**
 * jsfNameFromString: a file name as its 28 stored bytes (longer names are cut, as jsvGetString into the
 * 29-byte buffer does; characters are stored as their low byte).
 * @param {string} name @returns {Uint8Array}
 */
export function nameBytes(name) {
  const b = new Uint8Array(NAME_LENGTH);
  for (let i = 0; i < Math.min(name.length, NAME_LENGTH); i++) b[i] = name.charCodeAt(i) & 0xff;
  return b;
}

/** jsfVarFromName: stored name bytes up to the first 0. @param {Uint8Array} b @returns {string} */
export function nameString(b) {
  let s = "";
  for (let i = 0; i < b.length && b[i]; i++) s += String.fromCharCode(b[i]);
  return s;
}

const sameName = (a, b) => a.every((x, i) => x === b[i]);

/**
 * The Storage area of one board: [start, end) of the saved-code area (process.memory().flash_code_start to the
 * end of flash_length on the STM32 boards).
 */
export class Storage {
  /**
   * @param {import("./jshardware.js").FlashHAL} hal
   * @param {number} start  first byte (page-aligned)
   * @param {number} end  end (exclusive)
   * @param {function(string): void} [print]  console messages of the firmware ("Compacting...")
   */
  constructor(hal, start, end, print = () => {}) {
    this.hal = hal;
    this.start = start;
    this.end = end;
    this.print = print;
  }

  // ----------------------------------------------------------------------------------------- headers and walking

  /** Read the header at `addr`: {addr, size (raw word), name (28 bytes)}. */
  header(addr) {
    const b = this.hal.read(addr, HEADER_SIZE);
    return { addr, size: (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0, name: b.subarray(4) };
  }

  /** jsfGetFileHeader validity: size neither 0 nor unset, and the file ends inside the area. */
  valid(h) {
    return h.size !== WORD_UNSET && h.size !== 0 && h.addr + HEADER_SIZE + fileSize(h) <= this.end;
  }

  /** jsfGetAddressOfNextPage: the page after the one holding `addr`, or 0 past the area. */
  nextPage(addr) {
    const p = this.hal.getPage(addr);
    if (!p) return 0;
    const next = p.addr + p.length;
    return next >= this.end ? 0 : next;
  }

  /**
   * jsfGetNextFileHeader: the header after `h`, {next, valid}; with `all`, a page that has no more headers is
   * left for the next page (the page after may start with a header).
   */
  nextHeader(h, all) {
    const addr = align(h.addr + fileSize(h) + HEADER_SIZE);
    if (addr < h.addr || addr + HEADER_SIZE > this.end) return null;
    let n = this.header(addr);
    if (this.valid(n)) return n;
    if (!all) return { ...n, invalid: true };
    const page = this.nextPage(addr);
    if (!page) return null;
    n = this.header(page);
    return this.valid(n) ? n : { ...n, invalid: true };
  }

  /** Every valid header from `from` (all pages), in flash order. */
  *headers(from = this.start, all = true) {
    let h = this.header(from);
    if (!this.valid(h)) return;
    while (h && !h.invalid) {
      yield h;
      h = this.nextHeader(h, all);
    }
  }

  /** jsfGetSpaceLeftInPage: bytes from `addr` to the next page, or to the end if the next page holds no file. */
  spaceLeftInPage(addr) {
    const p = this.hal.getPage(addr);
    if (!p) return 0;
    let next = p.addr + p.length;
    if (next < this.end && !this.valid(this.header(next))) next = this.end;
    return next - addr;
  }

  // ----------------------------------------------------------------------------------------------- queries

  /**
   * jsfFindFile: the live file called `name`.
   * @param {string} name @returns {{addr: number, data: number, size: number, flags: number, name: Uint8Array}|null}
   */
  find(name) {
    const want = nameBytes(name);
    for (const h of this.headers()) {
      if (sameName(h.name, want) && h.name.some((b, i) => i < 4 && b)) return describe(h);
    }
    return null;
  }

  /**
   * jsfReadFile: `length` bytes (<= 0: all) from `offset` of file `name`, clipped to the file; undefined if absent.
   * @returns {Uint8Array|undefined}
   */
  read(name, offset = 0, length = 0) {
    const f = this.find(name);
    if (!f) return undefined;
    if (offset < 0) offset = 0;
    if (length <= 0) length = f.size;
    if (offset > f.size) offset = f.size;
    if (offset + length > f.size) length = f.size - offset;
    return length <= 0 ? new Uint8Array(0) : this.hal.read(f.data + offset, length);
  }

  /**
   * jsfListFiles: names of the live files (flags 0, 64 (only its first chunk "name\1" ... ) or 128), in flash order.
   * @param {{containing?: number, notContaining?: number}} [o]
   * @returns {string[]}
   */
  list({ containing = 0, notContaining = 0 } = {}) {
    const out = [];
    for (const h of this.headers()) {
      if (!isRealFile(h)) continue;
      const flags = h.size >>> 24;
      if (notContaining & flags) continue;
      if (containing && !(containing & flags)) continue;
      let name = nameString(h.name);
      if (flags & FLAGS.STORAGEFILE) {
        if (!name.endsWith("\x01")) continue;
        if (containing & FLAGS.STORAGEFILE) name = name.slice(0, -1);
      }
      out.push(name);
    }
    return out;
  }

  /**
   * jsfGetStorageStats(start, allPages=true): {total, free, fileBytes, fileCount, trashBytes, trashCount,
   * firstPageWithErasedFiles} in bytes; free = bytes after the last file.
   */
  stats() {
    const s = { fileBytes: 0, fileCount: 0, trashBytes: 0, trashCount: 0, total: this.end - this.start, free: 0,
      firstPageWithErasedFiles: 0 };
    let last = this.start, unbroken = this.start;
    for (const h of this.headers()) {
      const p = this.hal.getPage(h.addr);
      if (p && p.addr === h.addr) unbroken = p.addr;
      const n = align(fileSize(h)) + HEADER_SIZE;
      last = h.addr + n;
      if (h.name.some((b, i) => i < 4 && b)) { s.fileBytes += n; s.fileCount++; }
      else {
        s.trashBytes += n; s.trashCount++;
        if (!s.firstPageWithErasedFiles) s.firstPageWithErasedFiles = unbroken;
      }
    }
    s.free = this.end - last;
    return s;
  }

  /**
   * jsfIsStorageValid(JSFSTT_NORMAL), run at the first boot: follow the chain of files (a page without more files
   * goes on at the next page); valid when the header where it stops is erased (all 0xFF) or the area is full.
   * With no file at the start, the whole area must read 0xFF. An invalid area is erased at boot ("Storage is
   * corrupt.", jsiSemiInit in src/jsinteractive.c).
   * @returns {boolean}
   */
  isValid() {
    let last = this.header(this.start);
    if (!this.valid(last)) {
      return isErasedHeader(last) && this.hal.read(this.start, this.end - this.start).every((b) => b === 0xff);
    }
    for (;;) {
      const addr = align(last.addr + fileSize(last) + HEADER_SIZE);
      if (addr < last.addr) return false;
      if (addr + HEADER_SIZE > this.end) return addr <= this.end;   // no room for another header: full, fine
      let n = this.header(addr);
      if (this.valid(n)) { last = n; continue; }
      const page = this.nextPage(addr);
      if (!page) return isErasedHeader(n);
      n = this.header(page);
      if (this.valid(n)) { last = n; continue; }
      return isErasedHeader(n);
    }
  }

  // ----------------------------------------------------------------------------------------------- changes

  /** jsfEraseFileInternal: write 0 over the first 4 name bytes of the header at `f.addr`. */
  eraseFileAt(f) {
    this.hal.write([0, 0, 0, 0], f.addr + 4);
  }

  /** jsfEraseFile: delete `name`; false if absent. */
  erase(name) {
    const f = this.find(name);
    if (!f) return false;
    this.eraseFileAt(f);
    return true;
  }

  /** jsfEraseAll: erase every page of the area. */
  eraseAll() {
    this.hal.erasePages(this.start, this.end - this.start);
  }

  /**
   * _jsfCreateFile: write the header of a new file of `size` bytes at the first hole with room (compacting once if
   * there is none but compaction would make room). Does not delete an older file of the same name.
   * @returns {{addr: number, data: number, size: number, flags: number}|null} null: no room
   */
  create(name, size, flags) {
    const required = align(size) + HEADER_SIZE;
    let compacted = false;
    for (;;) {
      let addr = this.start, free = 0, trash = 0, found = 0;
      do {
        let h = this.header(addr);
        if (this.valid(h)) {
          for (;;) {
            if (!h.name.some((b, i) => i < 4 && b)) trash += fileSize(h);
            const n = this.nextHeader(h, false);
            if (!n) { addr = 0; break; }
            addr = n.addr;
            if (n.invalid) break;
            h = n;
          }
        }
        if (!addr) break;
        const space = this.spaceLeftInPage(addr);
        free += space;
        if (space < required) addr = this.nextPage(addr);
        else found = addr;
      } while (addr && !found);
      if (found) {
        const hdr = new Uint8Array(HEADER_SIZE);
        const word = (size | (flags << 24)) >>> 0;
        hdr[0] = word & 0xff; hdr[1] = (word >>> 8) & 0xff; hdr[2] = (word >>> 16) & 0xff; hdr[3] = word >>> 24;
        hdr.set(nameBytes(name), 4);
        this.hal.write(hdr, found);
        return { addr: found, data: found + HEADER_SIZE, size, flags };
      }
      if (compacted || required >= free + trash) return null;
      compacted = true;
      if (!this.compact()) return null;
    }
  }

  /**
   * jsfWriteFile: write `bytes` at `offset` of file `name` (a new file of `size` bytes, or bytes.length, when
   * offset is 0: an existing file with other contents is deleted first; the same contents are not rewritten).
   * @param {string} name @param {Uint8Array} bytes @param {number} flags @param {number} offset @param {number} size
   * @throws {StorageError} Espruino's messages ("Can't create zero length file", "Unable to find or create file",
   *   "Too much data for file size", "File already written with different data")
   */
  write(name, bytes, flags = 0, offset = 0, size = 0) {
    if (offset < 0 || size < 0) return false;
    if (!size) size = bytes.length;
    if (!size) throw new StorageError("Can't create zero length file");
    let f = this.find(name);
    if ((!f && offset === 0) ||
        (f && offset === 0 && (flags !== f.flags || size !== f.size || !this.isErased(f.data, size)))) {
      if (f && offset === 0 && size === f.size && flags === f.flags && bytes.length === size &&
          this.hal.read(f.data, size).every((b, i) => b === bytes[i])) return true;   // "files Equal"
      if (f) this.eraseFileAt(f);
      f = this.create(name, size, flags);
    }
    if (!f) throw new StorageError("Unable to find or create file");
    if (offset + bytes.length > f.size) throw new StorageError("Too much data for file size");
    if (!this.isErased(f.data + offset, bytes.length)) throw new StorageError("File already written with different data");
    this.hal.writeAligned(bytes, f.data + offset);
    return true;
  }

  /** jsfIsErased */
  isErased(addr, length) {
    return this.hal.read(addr, length).every((b) => b === 0xff);
  }

  /**
   * jsfCompact: copy the live files from the first page holding a deleted file down over the deleted ones
   * (headers and 4-aligned data, in order, packed), erase what is left. Prints "Compacting..." as the firmware.
   * @returns {boolean} whether there was anything to free
   */
  compact() {
    const st = this.stats();
    if (!st.trashBytes) return false;
    this.print("Compacting... ");
    const from = st.firstPageWithErasedFiles;
    const files = [];
    let lastEnd = from;
    for (const h of this.headers()) {
      const n = align(fileSize(h)) + HEADER_SIZE;
      if (h.addr < from) continue;
      lastEnd = h.addr + n;
      if (isRealFile(h)) files.push(this.hal.read(h.addr, n));
    }
    // erase from the first page with trash to the page holding the last byte used, then write back packed
    this.hal.erasePages(from, lastEnd - from);
    let at = from;
    for (const f of files) { this.hal.write(f, at); at += f.length; }
    this.print("\n");
    return true;
  }
}

/** Data length in bytes from a header. */
export const fileSize = (h) => h.size & 0x00ffffff;

/** jsfIsRealFile: not deleted, and flags 0, 64 or 128. */
function isRealFile(h) {
  const flags = h.size >>> 24;
  return h.name.some((b, i) => i < 4 && b) &&
    (flags === FLAGS.NONE || flags === FLAGS.STORAGEFILE || flags === FLAGS.COMPRESSED);
}

const isErasedHeader = (h) => h.size === WORD_UNSET && h.name.every((b) => b === 0xff);

/** A found file as {addr (header), data, size, flags, name}. */
function describe(h) {
  return { addr: h.addr, data: h.addr + HEADER_SIZE, size: fileSize(h), flags: h.size >>> 24, name: h.name };
}
