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
export var HEADER = 16;
/** Low 24 bits of header word 0: "FK" and format version 1; the page count is in the top byte. */
export var MAGIC = 0x014b46;
/** Longest key in characters (as Espruino's Storage). */
export var MAX_KEY = 28;
/** Record header flag: the key was erased (a tombstone). */
export var DELETED = 0x20;

/** The unsigned little-endian 32-bit word at byte `o` of `u`. */
export function word(u: Uint8Array, o: number): number {
  return (u[o] | (u[o + 1] << 8) | (u[o + 2] << 16) | (u[o + 3] << 24)) >>> 0;
}

/** Bytes of a record with a key of `kl` chars and `dl` data bytes. */
export function recordBytes(kl: number, dl: number): number {
  return 8 + ((kl + dl + 3) & ~3);
}
