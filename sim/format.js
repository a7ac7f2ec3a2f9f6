/**
 * Approximation of how Espruino prints values with print()/console.log(): strings raw at top level,
 * objects as `{ "a": 1 }`, arrays as `[ 1, 2 ]`, typed arrays as `new Uint8Array([1, 2])`.
 * @param {any} v @param {number} [depth] @returns {string}
 */
export function formatValue(v, depth = 0) {
  const t = Object.prototype.toString.call(v).slice(8, -1);
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "string") return depth ? JSON.stringify(v) : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return String(v);
  if (t === "Error" || v instanceof Error || (typeof v === "object" && typeof v.message === "string" && "stack" in v))
    return `${v.name || "Error"}: ${v.message}`;
  if (depth > 8) return "...";
  if (Array.isArray(v)) return v.length ? `[ ${Array.prototype.map.call(v, (x) => formatValue(x, depth + 1)).join(", ")} ]` : "[  ]";
  if (ArrayBuffer.isView(v)) return `new ${t}([${Array.prototype.join.call(v, ", ")}])`;
  if (t === "ArrayBuffer") return `new Uint8Array([${new Uint8Array(v).join(", ")}]).buffer`;
  const keys = Object.keys(v);
  if (!keys.length) return "{ }";
  return `{ ${keys.map((k) => `${JSON.stringify(k)}: ${formatValue(v[k], depth + 1)}`).join(", ")} }`;
}

/** An address or register value as 0x plus 8 upper-case hex digits. @param {number} v @returns {string} */
export const hex = (v) => "0x" + (v >>> 0).toString(16).toUpperCase().padStart(8, "0");
