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
import { err, FlashApi, Store } from "./store";

export { FlashApi };

/** Options of open(). */
export interface OpenOptions {
  /** address of the first page (page-aligned); default: the last `pages` pages of flash.getFree()[0] */
  addr?: number;
  /** number of pages, 2..255 (default 2) */
  pages?: number;
  /** an object with the built-in Flash API (getPage, erasePage, write, read); default require("STM32F1Flash") */
  flash?: FlashApi;
}

/** A key-value store returned by open(). Keys are Strings of 1..28 chars; values are bytes, read back as Strings. */
export interface FlashKV {
  /** The value stored under `key` as a String, or undefined. @throws Error on a bad key or a corrupted record. */
  read(key: string): string | undefined;
  /** JSON.parse(read(key)), or undefined if there is none. @throws Error on a value that is not JSON. */
  readJSON(key: string): any;
  /** Store the bytes of `data` (String, ArrayBuffer, typed array, DataView, Array of bytes) under `key`; returns
   * true once durable. @throws Error on bad input, `full` (nothing changed) or a flash error. */
  write(key: string, data: string | ArrayBuffer | ArrayBufferView | number[]): boolean;
  /** write(key, JSON.stringify(value)). */
  writeJSON(key: string, value: any): boolean;
  /** Erase `key` (durable once it returns; nothing happens if there is none). */
  erase(key: string): void;
  /** The stored keys. */
  list(): string[];
  /** Bytes per page, bytes of live records, bytes free for records, erase count of each page. */
  getStats(): { pages: number; pageSize: number; used: number; free: number; erases: number[] };
}

/** Open the store kept in `pages` flash pages from `addr`, reading what a previous session (or a power cut) left.
 * open() only reads flash: 2 native calls per page plus 4 (STM32F1Flash also reads the memory map on its first
 * call). Pages holding no store are erased at the first write, so give it pages holding nothing else. The default
 * `addr` is the last `pages` pages of flash.getFree()[0], which on Espruino ends where saved code begins
 * (process.memory().flash_code_start), so it stays where it is across reboots of the same firmware.
 * @param o {addr, pages, flash}, all optional: see OpenOptions
 * @throws Error `FlashKV open: <why>` on bad options (`unknown option <key>`: not addr, pages or flash; `bad addr`:
 *   not the start of a flash page; `bad pages`: not 2..255 equal pages in flash), no E.CRC32 (SAVE_ON_FLASH firmware), or `pages: N` (a store made with N pages). */
export function open(o?: OpenOptions): FlashKV {
  var op = "open", f: any, n: any, a: any, p: any, q: any, P: number, k: string;
  if (typeof (o = o || {}) != "object") throw err(op, "bad options");
  // a misspelt option (`adr`) would otherwise open the store somewhere else. Array indexOf: Espruino 2v29's
  // String indexOf also matches a needle that runs past the end (",addr,".indexOf(",x,") is 5; sim/string-search.js)
  for (k in o) if ("addr,pages,flash".split(",").indexOf(k) < 0) throw err(op, "unknown option " + k);
  if (!(E as any).CRC32) throw err(op, "no E.CRC32");
  f = o.flash || require("STM32F1Flash");
  for (k in { getPage: 0, erasePage: 0, write: 0, read: 0 }) if (!f || typeof f[k] != "function") throw err(op, "bad flash");
  n = o.pages === undefined ? 2 : o.pages;
  if (n !== (n & 255) || n < 2) throw err(op, "bad pages");
  a = o.addr;
  if (a === undefined) {
    p = f.getFree && f.getFree()[0];
    q = p && f.getPage(p.addr + p.length - 1);
    a = q && q.addr + q.length - n * q.length;
    if (!q || a < p.addr) throw err(op, "no free pages");
  }
  if (a !== a >>> 0 || !(p = f.getPage(a)) || p.addr !== a) throw err(op, "bad addr " + a);
  P = p.length;
  q = f.getPage(a + n * P - 1);
  if (!q || q.addr !== a + (n - 1) * P || q.length !== P || P & 3 || P > 0x10000) throw err(op, "bad pages");
  return new (Store as any)(f, a, n, P, !o.flash);
}
