// Command-line parsing shared by tools/upload.js and tools/test-device.js: node:util parseArgs (strict: unknown
// options, a missing or ambiguous value are errors) plus value checks, so that every mistake ends in one clear
// line and exit code 2 instead of a stack trace or a silent run on the virtual board.
import { parseArgs } from "node:util";
import { FIRMWARE } from "../sim/board.js";

/** Virtual board models (sim/board.js). */
export const MODELS = Object.keys(FIRMWARE);

/** A mistake on the command line: `message` is one line for the user; the caller prints the usage and exits 2. */
export class UsageError extends Error {
  constructor(message) { super(message); this.name = "UsageError"; }
}

/**
 * node:util parseArgs in strict mode, its errors turned into UsageError with the text after the error code.
 * @param {string[]} args
 * @param {object} options  parseArgs `options`
 * @param {boolean} [allowPositionals]
 * @returns {{values: object, positionals: string[]}}
 */
export function parse(args, options, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    if (typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) throw new UsageError(e.message.split("\n")[0]);
    throw e;
  }
}

/**
 * A number option: finite, >= min. Undefined stays undefined.
 * @param {string} name  option name for the message, e.g. "--timeout"
 * @param {string|undefined} text
 * @param {{min?: number, unit?: string}} [o]
 * @returns {number|undefined}
 */
export function numberOption(name, text, { min = 0, unit = "seconds" } = {}) {
  if (text === undefined) return undefined;
  const n = text.trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${name} needs a number of ${unit} >= ${min}, got "${text}"`);
  return n;
}

/**
 * --port: a serial device path or tcp://host:port.
 * @param {string|undefined} text
 * @returns {string|undefined}
 */
export function portOption(text) {
  if (text === undefined) return undefined;
  if (text.trim() === "") throw new UsageError("--port needs a serial device (e.g. /dev/ttyACM0) or tcp://host:port");
  if (/^tcp:/i.test(text)) {
    const m = /^tcp:\/\/([^:/\s]+):(\d+)$/.exec(text);
    if (!m || +m[2] < 1 || +m[2] > 65535) throw new UsageError(`--port ${text}: expected tcp://host:port with a port 1-65535`);
  }
  return text;
}

/**
 * --model: one of the virtual board models; only without --port (a real board is what it is).
 * @param {string|undefined} text
 * @param {string|undefined} port
 * @returns {string}
 */
export function modelOption(text, port) {
  if (text === undefined) return "original";
  if (!MODELS.includes(text)) throw new UsageError(`--model ${text}: unknown virtual board (use ${MODELS.join(", ")})`);
  if (port) throw new UsageError("--model selects the virtual board; it cannot be combined with --port");
  return text;
}

/**
 * Run `main(argv)`; a UsageError prints `<tool>: <message>` and the usage on stderr and exits 2.
 * @template T
 * @param {string} tool @param {string} usage @param {function(): T} fn
 * @returns {T}
 */
export function orExit(tool, usage, fn) {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${tool}: ${e.message}\n${usage}`);
    process.exit(2);
  }
}
