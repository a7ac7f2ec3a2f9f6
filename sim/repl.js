// The Espruino REPL (console) protocol of the virtual board, without sockets: bytes in, bytes out.
// Modelled on Espruino's src/jsinteractive.c (jsiHandleChar, jsiHandleNewLine, jsiCountBracketsInInput,
// jsiConsoleRemoveInputLine/jsiReturnInputLine) to the extent the `espruino` CLI and the Web IDE rely on it
// (EspruinoTools core/serial.js and core/utils.js getEspruinoPrompt, as the pinned CLI 0.1.67 uses them):
//   - `>` prompt, returned when the board is idle; `:` continuation prompt for unbalanced input
//   - echo of typed characters; DLE (0x10) at the start of a line: no echo and no `=result` for that line
//   - ESC LF (Alt-Enter): newline inside the input line; `ESC [ n d`: line-number hint; other ESC sequences ignored
//   - a line executes when its brackets balance (strings, comments, regexes and template literals skipped)
//   - Ctrl-C clears the input line; backspace/DEL deletes; CR, LF or CR LF end a line
//   - `=result` printed like Espruino (`=undefined`, numbers, quoted strings, objects JSON-ish)
//   - `Uncaught Error: ...` for exceptions; `echo(0|1)`
//   - the logo after `reset()`: the board itself clears RAM (a new interpreter context, modules and timers gone)
//     and keeps flash; the REPL notices the new context and prints the logo, as Espruino does (not after a start
//     that loaded saved code, e.g. load(): the board's takeBanner() says so)
//   - what the board printed before a console was attached (boot code, onInit) is shown first, as the Original
//     moves output made before USB came up to the USB console (jsiOneSecondAfterStartup)
// The board is anything with eval(code) and a `context` that reset() replaces (sim/board.js); setOutput(fn) is
// used when present. Timers run on the board's own (host) timers: their output arrives between feeds, and the
// prompt is given back after it.

const DLE = 0x10, ESC = 0x1b, CTRL_C = 0x03, BS = 0x08, DEL = 0x7f, CR = 0x0d, LF = 0x0a, TAB = 0x09;

/** Espruino's start-up logo (jsiInit), printed after reset(). */
const LOGO = [
  " ____                 _ ",
  "|  __|___ ___ ___ _ _|_|___ ___ ",
  "|  __|_ -| . |  _| | | |   | . |",
  "|____|___|  _|_| |___|_|_|_|___|",
  "         |_| espruino.com",
];

// ---------------------------------------------------------------------------------------------------------
// Bracket counting (jsiCountBracketsInInput): > 0 means "wait for more input"

const REGEX_AFTER_WORDS = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
  "case", "do", "else", "yield", "await"]);

/**
 * Count open minus closed brackets in `code`, skipping strings, comments, regex and template literals, the way
 * Espruino's lexer does. An unfinished block comment or template literal counts as 1000 (still open).
 * @param {string} code
 * @returns {number} 0 when balanced, > 0 when more input is needed, < 0 when a bracket closes too early
 */
export function countBrackets(code) {
  let depth = 0, i = 0, prev = ""; // prev: last significant token class ("word", "value", "op")
  const n = code.length;
  while (i < n) {
    const c = code[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") { i++; continue; }
    if (c === "/" && code[i + 1] === "/") { while (i < n && code[i] !== "\n") i++; continue; }
    if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      if (end < 0) return 1000;
      i = end + 2; continue;
    }
    if (c === "'" || c === '"') { // an unterminated string ends at the end of the line (a syntax error later)
      i++;
      while (i < n && code[i] !== c && code[i] !== "\n") i += code[i] === "\\" ? 2 : 1;
      i++; prev = "value"; continue;
    }
    if (c === "`") {
      i++;
      let tplDepth = 0;
      while (i < n && !(code[i] === "`" && tplDepth === 0)) {
        if (code[i] === "\\") { i += 2; continue; }
        if (code[i] === "$" && code[i + 1] === "{") { tplDepth++; i += 2; continue; }
        if (code[i] === "}" && tplDepth > 0) tplDepth--;
        i++;
      }
      if (i >= n) return 1000;
      i++; prev = "value"; continue;
    }
    if (c === "/" && prev !== "value") { // a regex literal: skip to its closing slash (outside a class)
      i++;
      let inClass = false;
      while (i < n && code[i] !== "\n" && (inClass || code[i] !== "/")) {
        if (code[i] === "\\") i++;
        else if (code[i] === "[") inClass = true;
        else if (code[i] === "]") inClass = false;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(code[i])) i++;
      prev = "value"; continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_$.]/.test(code[j]) && !(code[j] === "." && !/\d/.test(c))) j++;
      const word = code.slice(i, j);
      prev = REGEX_AFTER_WORDS.has(word) ? "op" : "value";
      i = j; continue;
    }
    if (c === "(" || c === "[" || c === "{") { depth++; prev = "op"; }
    else if (c === ")" || c === "]" || c === "}") {
      depth--; prev = "value";
      if (depth < 0) return depth; // closing bracket before opening: execute (and fail) like Espruino
    } else prev = "op";
    i++;
  }
  return depth;
}

// ---------------------------------------------------------------------------------------------------------
// Result formatting (jsfPrintJSON with JSON_LIMIT | JSON_SOME_NEWLINES | JSON_PRETTY | JSON_DROP_QUOTES)

const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Format a value the way Espruino prints `=result` and objects in print(): numbers and booleans plain,
 * strings double-quoted, arrays `[ 1, 2 ]`, objects `{ a: 1, "b-c": 2 }`, typed arrays `new Uint8Array([1, 2])`,
 * functions as their source. Objects longer than one line are split over lines with 2-space indents.
 * @param {*} value  a value from the board's context (any realm)
 * @param {number} [indent]  current indent, in spaces
 * @returns {string}
 */
export function formatValue(value, indent = 0, seen = []) {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  const t = typeof value;
  if (t === "number") return Object.is(value, -0) ? "0" : String(value);
  if (t === "boolean") return String(value);
  if (t === "string") return JSON.stringify(value);
  if (t === "function") {
    const src = Function.prototype.toString.call(value);
    return /\{\s*\[native code\]\s*\}$/.test(src) ? `function () { [native code] }` : src;
  }
  if (t !== "object") return String(value);
  if (seen.includes(value)) return "...";
  const kind = tag(value);
  if (/^(Uint|Int|Float)(8|16|32|64)(Clamped)?Array$/.test(kind)) {
    return `new ${kind}([${Array.prototype.join.call(value, ", ")}])`;
  }
  if (kind === "ArrayBuffer") return `new ArrayBuffer(${value.byteLength})`;
  if (kind === "Error" || (typeof value.message === "string" && (value.type || value.name))) {
    return errorText(value);
  }
  const inner = seen.concat([value]);
  const pad = " ".repeat(indent + 2);
  let items, open, close;
  if (Array.isArray(value)) {
    items = Array.prototype.map.call(value, (v) => formatValue(v, indent + 2, inner));
    open = "["; close = "]";
  } else {
    items = Object.keys(value).map((k) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${formatValue(value[k], indent + 2, inner)}`);
    open = "{"; close = "}";
  }
  if (!items.length) return `${open} ${close}`;
  const flat = `${open} ${items.join(", ")} ${close}`;
  if (flat.length + indent <= 72 && !flat.includes("\n")) return flat;
  return `${open}\n${items.map((s) => pad + s).join(",\n")}\n${" ".repeat(indent)}${close}`;
}

/**
 * The text Espruino prints after `Uncaught ` for a thrown value: `Error: msg` for Error objects (Espruino errors
 * carry `.type`, Node ones `.name`), the text itself for thrown strings, else the formatted value.
 * @param {*} e
 * @returns {string}
 */
export function errorText(e) {
  if (typeof e === "string") return e;
  if (e && typeof e === "object" && typeof e.message === "string") {
    const type = e.type || e.name || "Error";
    const msg = e.message.length ? e.message : "";
    return msg ? `${type}: ${msg}` : type;
  }
  return formatValue(e);
}

// ---------------------------------------------------------------------------------------------------------
// The REPL

/**
 * The Espruino console of one board: feed it the bytes a terminal (or the `espruino` CLI) sends, and it writes
 * back what an Espruino board would. Synchronous: each call to feed() runs the complete lines it contains, then
 * idles (timers, prompt). Output text uses CR LF line ends, as Espruino does.
 */
export class REPL {
  /**
   * @param {object} options
   * @param {{eval: function(string, string=): *, context: object, setOutput?: function(function(string): void): void}}
   *   options.board  the virtual board (sim/board.js) or a stand-in
   * @param {function(string): void} options.write  receives console output (a "binary" string: one char per byte)
   * @param {string} [options.version]  firmware version shown in the reset() banner (default: process.env.VERSION)
   * @param {boolean} [options.banner]  print the banner now, as a board does at power-on (default false)
   */
  constructor({ board, write, version, banner = false }) {
    const earlier = Array.isArray(board.output) && !board.outFn ? board.output.splice(0) : [];
    this.board = board;
    this.write = write;
    this.version = version;
    this.inputLine = "";       // text of the current input line (may contain "\n" from ESC LF / open brackets)
    this.echo = true;          // echo(0|1)
    this.echoOffForLine = false; // JSIS_ECHO_OFF_FOR_LINE: set by DLE at the start of a line
    this.inputLineRemoved = true; // true when the prompt is not on screen (jsiReturnInputLine will print it)
    this.state = "none";       // escape-sequence state: none | esc | csi | ss3
    this.csi = "";             // parameters collected after ESC [
    this.hadCR = false;        // ignore the LF of a CR LF pair
    this.lineHint = undefined; // last `ESC [ n d` line number
    this.executed = 0;         // number of lines executed (for tests and diagnostics)
    this.busy = false;         // inside feed(): output is followed by idle() anyway
    this.idleQueued = false;   // an idle() is scheduled after output from a timer
    this.attach();
    if (earlier.length) this.print(earlier.join("\n"));
    if (banner) this.printBanner();
  }

  /** Route the board's print()/console.log output to this console and install echo(). */
  attach() {
    if (typeof this.board.setOutput === "function") this.board.setOutput((text) => this.print(text));
    const ctx = this.board.context;
    this.ctx = ctx;
    if (ctx && typeof ctx.echo !== "function") {
      const repl = this;
      ctx.echo = function echo(on) { repl.echo = !!on; };
    }
  }

  /**
   * After a command or timer: if the board's interpreter context was replaced (reset(), E.reboot()), print the
   * logo as Espruino does once a reset completes, and hook the new context up again.
   */
  checkReset() {
    if (this.board.context === this.ctx) return;
    this.attach();
    if (typeof this.board.takeBanner !== "function" || this.board.takeBanner()) this.printBanner();
  }

  /** Whether typed characters are shown: jsiEcho(). */
  get echoing() { return this.echo && !this.echoOffForLine; }

  /** Send text to the terminal, converting lone "\n" to "\r\n". @param {string} text */
  out(text) { if (text) this.write(text.replace(/\r?\n/g, "\r\n")); }

  /**
   * Output from the running program (print, console.log, errors): remove the prompt first, like
   * jsiConsoleRemoveInputLine, then print. A missing final newline is added (print() always ends a line).
   * @param {string} text
   */
  print(text) {
    this.removeInputLine();
    this.out(text.endsWith("\n") ? text : text + "\n");
    if (!this.busy && !this.idleQueued) { // output from a timer: idle (prompt back) once it is done
      this.idleQueued = true;
      setImmediate(() => { this.idleQueued = false; if (!this.busy) this.idle(); });
    }
  }

  /** jsiConsoleRemoveInputLine: erase the prompt and input line from the terminal (back to column 0). */
  removeInputLine() {
    if (this.inputLineRemoved) return;
    this.inputLineRemoved = true;
    if (!this.echoing) return;
    const n = this.inputLine.length - (this.inputLine.lastIndexOf("\n") + 1); // chars on the last line
    this.write("\x08".repeat(n) + " ".repeat(n) + "\x08".repeat(n) + "\x08"); // blank them, back over ">"
  }

  /** jsiReturnInputLine: show the prompt (and any pending input) again if it was removed. */
  returnInputLine() {
    if (!this.inputLineRemoved) return;
    this.inputLineRemoved = false;
    if (this.echoing) this.write(">" + this.inputLine.replace(/\n/g, "\r\n:"));
  }

  /**
   * Feed bytes received from the terminal. Runs every complete line, then idles (timers, prompt).
   * @param {Buffer|Uint8Array|string} data  a string is taken one char per byte ("binary"/latin1)
   */
  feed(data) {
    const s = typeof data === "string" ? data : Buffer.from(data).toString("latin1");
    this.busy = true;
    try {
      for (let i = 0; i < s.length; i++) this.handleChar(s.charCodeAt(i));
    } finally {
      this.busy = false;
    }
    this.idle();
  }

  /** One idle-loop pass (jsiIdle): a reset done by a timer, then give the prompt back. */
  idle() {
    this.checkReset();
    this.returnInputLine();
  }

  /** @param {number} ch one byte */
  handleChar(ch) {
    if (this.state === "esc") {
      this.state = "none";
      if (ch === LF || ch === CR) this.newLine(false); // Alt-Enter: newline without executing
      else if (ch === 0x5b) { this.state = "csi"; this.csi = ""; }
      else if (ch === 0x4f) this.state = "ss3";
      return;
    }
    if (this.state === "csi") {
      if ((ch >= 0x30 && ch <= 0x3f)) { this.csi += String.fromCharCode(ch); return; } // parameters
      this.state = "none";
      if (ch === 0x64 /* d */ && /^\d+$/.test(this.csi)) this.lineHint = parseInt(this.csi, 10);
      return; // cursor keys, delete, home/end... are not modelled
    }
    if (this.state === "ss3") { this.state = "none"; return; }
    if (ch === LF && this.hadCR) { this.hadCR = false; return; }
    this.hadCR = false;
    if (ch === 0) return;
    if (ch === ESC) { this.state = "esc"; return; }
    if (ch === CTRL_C) { this.clearInputLine(); return; }
    if (ch === 21 /* Ctrl-U */) { this.clearInputLine(); return; }
    if (ch === DLE && this.inputLine.length === 0) { this.echoOffForLine = true; return; }
    if (ch === BS || ch === DEL) { this.backspace(); return; }
    if (ch === CR || ch === LF) { this.hadCR = ch === CR; this.newLine(true); return; }
    if (ch >= 32 || ch === TAB) {
      const text = ch === TAB ? "    " : String.fromCharCode(ch);
      this.returnInputLine();
      this.inputLine += text;
      if (this.echoing) this.write(text);
    }
  }

  /** Ctrl-C / Ctrl-U while idle: forget the input line (jsiClearInputLine); the prompt comes back at idle. */
  clearInputLine() {
    this.removeInputLine();
    this.inputLine = "";
    this.echoOffForLine = false;
    this.state = "none";
  }

  /** Backspace / DEL at the end of the input line. */
  backspace() {
    if (!this.inputLine.length) return;
    const removed = this.inputLine[this.inputLine.length - 1];
    this.inputLine = this.inputLine.slice(0, -1);
    if (this.echoing && !this.inputLineRemoved && removed !== "\n") this.write("\x08 \x08");
  }

  /**
   * End of an input line (jsiHandleNewLine): execute if `execute` and the brackets balance, else keep the
   * newline in the input line and show the `:` continuation prompt.
   * @param {boolean} execute  false for ESC LF
   */
  newLine(execute) {
    if (!execute || countBrackets(this.inputLine) > 0) {
      if (this.echoing && !this.inputLineRemoved) this.write("\r\n:");
      this.inputLine += "\n";
      return;
    }
    if (this.echoing && !this.inputLineRemoved) this.write("\r\n");
    if (!this.echoOffForLine) this.inputLineRemoved = true;
    const code = this.inputLine.replace(/\s+$/, "");
    const showResult = this.echoing;
    this.inputLine = "";
    this.execute(code, showResult);
    this.echoOffForLine = false;
  }

  /**
   * Run one line on the board and print `=result` or `Uncaught ...`.
   * @param {string} code
   * @param {boolean} showResult  false for DLE lines
   */
  execute(code, showResult) {
    this.executed++;
    const hint = this.lineHint;
    this.lineHint = undefined;
    let value, failed = false;
    try {
      value = this.board.eval(code, hint ? `line ${hint}` : "REPL");
    } catch (e) {
      failed = true;
      this.print(`Uncaught ${errorText(e)}`);
    }
    // an empty line (after trimming) executes but prints no result (jsiHandleNewLine: `!isEmpty`)
    if (!failed && showResult && code !== "") this.print("=" + formatValue(value));
    this.checkReset();
  }

  /** Print Espruino's logo and version line. */
  printBanner() {
    let version = this.version;
    if (!version) {
      try { version = this.board.eval("process.env.VERSION", "banner"); } catch (e) { version = "2v29"; }
    }
    this.print(LOGO.join("\n") + `\n ${version || "2v29"} (c) 2025 G.Williams\n`);
  }
}
