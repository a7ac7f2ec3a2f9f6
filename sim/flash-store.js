/**
 * NOR backing store of the main flash (controller spec §1.1): erased value 0xFF (half-word 0xFFFF),
 * page-granular erase, half-word programming. It knows nothing about registers or timing: the FPEC
 * model (fpec-model.js) decides *whether* a program/erase happens, this store only applies it.
 *
 * Offsets are bytes from the start of main flash (0x0800_0000). Little-endian.
 */
export class FlashStore {
  /**
   * @param {object} o
   * @param {number} o.size       bytes of physically existing main flash (e.g. 393216 on the Original with hidden flash)
   * @param {number} o.pageSize   bytes per page (1024 or 2048)
   * @param {number} [o.base=0x08000000] bus address of offset 0
   */
  constructor({ size, pageSize, base = 0x08000000 }) {
    if (size % pageSize) throw new TypeError("FlashStore: size must be a multiple of pageSize");
    this.base = base;
    this.size = size;
    this.pageSize = pageSize;
    this.pageCount = size / pageSize;
    /** the cells; erased = 0xFF (§8 #1) */
    this.bytes = new Uint8Array(size).fill(0xff);
    /** erase cycles per page (wear); datasheet endurance N_END = 10 kcycles (§6) */
    this.eraseCounts = new Uint32Array(this.pageCount);
    /** half-word programs per page since its last erase */
    this.programCounts = new Uint32Array(this.pageCount);
  }

  /** @param {number} offset byte offset @returns {number} page index */
  pageOf(offset) { return Math.floor(offset / this.pageSize); }

  /** @param {number} offset @returns {boolean} */
  contains(offset) { return offset >= 0 && offset < this.size; }

  /** @param {number} offset @returns {number} byte */
  read8(offset) { return this.bytes[offset]; }

  /** @param {number} offset even byte offset @returns {number} half-word */
  read16(offset) { return this.bytes[offset] | (this.bytes[offset + 1] << 8); }

  /**
   * Store a half-word as the FPEC does at the end of tPROG (§4.1): the cell can only lose 1-bits,
   * except that 0x0000 is always stored. The FPEC has already checked old == 0xFFFF or data == 0.
   * @param {number} offset even byte offset
   * @param {number} value 16-bit data
   */
  program16(offset, value) {
    if (this.onApply?.("program", offset, value)) return; // sim/power-cut.js: a cut or a weak page decides the cells
    const old = this.read16(offset);
    const v = value === 0 ? 0 : (old & value);
    this.bytes[offset] = v & 0xff;
    this.bytes[offset + 1] = (v >>> 8) & 0xff;
    this.programCounts[this.pageOf(offset)]++;
  }

  /**
   * Erase one page to 0xFF (§4.3) and count the cycle.
   * @param {number} page page index
   */
  erasePage(page) {
    if (this.onApply?.("erase", page)) return; // sim/power-cut.js
    const start = page * this.pageSize;
    this.bytes.fill(0xff, start, start + this.pageSize);
    this.eraseCounts[page]++;
    this.programCounts[page] = 0;
  }

  /**
   * Test/setup helper (not a bus operation): copy raw bytes into the store.
   * @param {number} offset byte offset
   * @param {ArrayLike<number>} data bytes
   */
  load(offset, data) { this.bytes.set(data, offset); }

  /** @returns {boolean} true if every byte of the page is 0xFF */
  isPageBlank(page) {
    const start = page * this.pageSize;
    for (let i = start; i < start + this.pageSize; i++) if (this.bytes[i] !== 0xff) return false;
    return true;
  }

  /** @returns {Uint8Array} a copy of all cells */
  snapshot() { return this.bytes.slice(); }
}
