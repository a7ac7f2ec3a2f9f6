/**
 * `require("Storage")` of the virtual board: the subset of Espruino 2v29's src/jswrap_storage.c that programs use,
 * over the Storage area model (sim/storage.js). Each function is one counted native call.
 *   read(name[, offset[, length]])  -> String of the bytes, or undefined (the board returns a memory-mapped String)
 *   readJSON(name[, noExceptions])  -> parsed value (Espruino's liberal JSON: unquoted keys, \xXX escapes), undefined
 *   readArrayBuffer(name)           -> ArrayBuffer or undefined
 *   write(name, data[, offset[, size]]) -> true; an object is written as (standard) JSON; errors as Espruino's
 *   writeJSON(name, data)           -> true; Espruino's compact JSON (keys unquoted when they are identifiers)
 *   erase(name), eraseAll(), list([regex[, {sf}]]), getFree(), getStats(), compact()
 * Not on SAVE_ON_FLASH builds (the medium model): readJSON, readArrayBuffer, writeJSON, getFree, getStats, compact.
 * Not modelled: open() (StorageFile), hash(), optimise(), debug().
 */
import { StorageError, FLAGS } from "./storage.js";
import { bytesOf, latin1, toInt32 } from "./espruino.js";

const typeName = (v) => Object.prototype.toString.call(v).slice(8, -1);

/**
 * The bytes Storage.write stores for `data` (JSV_GET_AS_CHAR_ARRAY, src/jsvar.h): a String one byte per character;
 * a typed array as many raw bytes from its start as it has ELEMENTS (jsvGetDataPointer gives the view's `length`,
 * so a Uint16Array of 2 elements stores its first 2 bytes, as the built-in Flash.write does); an ArrayBuffer its
 * bytes; an Array one byte per element (nested arrays flattened); a number or boolean one byte.
 * @returns {Uint8Array}
 */
export function dataBytes(data) {
  if (typeof data === "string") return bytesOf(data);
  if (ArrayBuffer.isView(data)) {
    const n = Math.min(data.length ?? data.byteLength, data.byteLength);
    return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + n));
  }
  if (typeName(data) === "ArrayBuffer") return new Uint8Array(data.slice(0));
  const out = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "number" || typeof v === "boolean") out.push(toInt32(v) & 0xff);
    else if (typeof v === "string") for (let i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 0xff);
  };
  walk(data);
  return Uint8Array.from(out);
}

const ID = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string as Espruino's %q prints it (jsvGetString with escapes): \n \r \t \" \\ and \xXX below 32 / from 127. */
function quote(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 32 || (c >= 127 && c < 256)) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 256) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/**
 * writeJSON's text: jsfGetJSON with JSON_DROP_QUOTES | JSON_IGNORE_FUNCTIONS | JSON_NO_UNDEFINED |
 * JSON_ARRAYBUFFER_AS_ARRAY | JSON_NO_NAN | JSON_ALLOW_TOJSON (src/jswrap_storage.c, src/jswrap_json.c): keys that
 * are identifiers or integers without quotes, functions and undefined members left out, NaN as null.
 * @returns {string|undefined}
 */
export function espruinoJSON(v) {
  if (v && typeof v.toJSON === "function") v = v.toJSON();
  if (v === null || v === undefined) return v === null ? "null" : undefined;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return quote(v);
  if (typeof v === "function") return undefined;
  if (ArrayBuffer.isView(v) || typeName(v) === "ArrayBuffer") {
    const a = ArrayBuffer.isView(v) ? Array.from(v) : Array.from(new Uint8Array(v));
    return "[" + a.map((x) => espruinoJSON(x)).join(",") + "]";
  }
  if (Array.isArray(v)) return "[" + Array.prototype.map.call(v, (x) => espruinoJSON(x) ?? "null").join(",") + "]";
  const parts = [];
  for (const k of Object.keys(v)) {
    const s = espruinoJSON(v[k]);
    if (s === undefined) continue;
    parts.push(`${ID.test(k) || /^-?\d+$/.test(k) ? k : quote(k)}:${s}`);
  }
  return "{" + parts.join(",") + "}";
}

/**
 * Espruino's liberal JSON parse (jswrap_json_parse_liberal: JSON plus unquoted keys, single quotes, \xXX).
 * @param {string} text
 * @param {function(): object} newObject @param {function(): Array} newArray  of the board's realm
 * @returns {*} @throws {SyntaxError}
 */
export function parseLiberal(text, newObject, newArray) {
  let i = 0;
  const fail = (what) => { throw new SyntaxError(`Got ${i < text.length ? JSON.stringify(text[i]) : "EOF"} expected ${what}`); };
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const str = () => {
    const q = text[i++];
    let out = "";
    while (i < text.length && text[i] !== q) {
      let c = text[i++];
      if (c === "\\") {
        c = text[i++];
        const esc = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0" }[c];
        if (esc !== undefined) out += esc;
        else if (c === "x") { out += String.fromCharCode(parseInt(text.substr(i, 2), 16)); i += 2; }
        else if (c === "u") { out += String.fromCharCode(parseInt(text.substr(i, 4), 16)); i += 4; }
        else out += c;
      } else out += c;
    }
    if (text[i] !== q) fail("end of string");
    i++;
    return out;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const o = newObject();
      ws();
      if (text[i] === "}") { i++; return o; }
      for (;;) {
        ws();
        let k;
        if (text[i] === '"' || text[i] === "'") k = str();
        else {
          const m = /^[A-Za-z0-9_$-]+/.exec(text.slice(i));
          if (!m) fail("a key");
          k = m[0]; i += k.length;
        }
        ws();
        if (text[i++] !== ":") { i--; fail("':'"); }
        o[k] = value();
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return o; }
        fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const a = newArray();
      ws();
      if (text[i] === "]") { i++; return a; }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return a; }
        fail("',' or ']'");
      }
    }
    if (c === '"' || c === "'") return str();
    const m = /^(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0x[0-9a-fA-F]+|true|false|null|undefined|NaN|Infinity|-Infinity)/.exec(text.slice(i));
    if (!m) fail("a value");
    i += m[0].length;
    return { true: true, false: false, null: null, undefined: undefined }[m[0]] ?? Number(m[0]);
  };
  const v = value();
  ws();
  if (i < text.length) fail("end of input");
  return v;
}

/**
 * The Storage library object for one runtime.
 * @param {import("./espruino.js").EspruinoRuntime} rt
 * @param {import("./storage.js").Storage} storage
 * @returns {object} board-realm object
 */
export function storageModule(rt, storage) {
  const R = rt.R;
  const S = new R.Object();
  const saveOnFlash = !!rt.features.saveOnFlash;
  const fileName = (name) => String(name);
  /** Storage errors become board Errors. */
  const guard = (fn) => (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof StorageError) throw rt.error(e.message);
      throw e;
    }
  };
  const def = (name, fn, full = false) => { if (!(full && saveOnFlash)) S[name] = rt.native(`Storage.${name}`, guard(fn)); };

  def("read", (name, offset, length) => {
    const b = storage.read(fileName(name), toInt32(offset), toInt32(length));
    return b === undefined ? undefined : latin1(b);
  });
  def("readJSON", (name, noExceptions) => {
    const b = storage.read(fileName(name));
    if (b === undefined) return undefined;
    try {
      return parseLiberal(latin1(b), () => new R.Object(), () => new R.Array());
    } catch (e) {
      if (noExceptions) return undefined;
      throw rt.error(e.message, "SyntaxError");
    }
  }, true);
  def("readArrayBuffer", (name) => {
    const b = storage.read(fileName(name));
    if (b === undefined) return undefined;
    const ab = new R.ArrayBuffer(b.length);
    new R.Uint8Array(ab).set(b);
    return ab;
  }, true);
  def("write", (name, data, offset, size) => {
    let bytes, off = toInt32(offset), sz = toInt32(size);
    if (data !== null && typeof data === "object" && !Array.isArray(data) && !ArrayBuffer.isView(data) &&
        typeName(data) !== "ArrayBuffer") {
      // jswrap_json_stringify with the default flags: standard JSON, non-ASCII as \uXXXX (unlike writeJSON)
      bytes = bytesOf(JSON.stringify(data).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")));
      off = 0; sz = 0;
    } else bytes = dataBytes(data);
    return storage.write(fileName(name), bytes, FLAGS.NONE, off, sz);
  });
  def("writeJSON", (name, data) => storage.write(fileName(name), bytesOf(espruinoJSON(data) ?? ""), FLAGS.NONE, 0, 0), true);
  def("erase", (name) => { storage.erase(fileName(name)); });
  def("eraseAll", () => { storage.eraseAll(); });
  def("list", (regex, filter) => {
    const o = {};
    if (filter && typeof filter === "object" && "sf" in filter) {
      if (filter.sf) o.containing = FLAGS.STORAGEFILE; else o.notContaining = FLAGS.STORAGEFILE;
    }
    let names = storage.list(o);
    if (regex !== undefined) names = names.filter((n) => { const m = String.prototype.match.call(n, regex); return m !== null && m !== undefined; });
    return rt.toCtx(names);
  });
  def("getFree", () => storage.stats().free, true);
  def("getStats", () => {
    const s = storage.stats();
    return rt.toCtx({ totalBytes: s.total, freeBytes: s.free, fileBytes: s.fileBytes, fileCount: s.fileCount,
      trashBytes: s.trashBytes, trashCount: s.trashCount });
  }, true);
  def("compact", () => { storage.compact(); }, true);
  S.open = () => { throw rt.error("Storage.open (StorageFile) is not modelled by the virtual board"); };
  return S;
}
