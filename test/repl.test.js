// The Espruino REPL protocol of the virtual board (sim/repl.js) fed bytes directly, and its TCP wrapper
// (sim/tcp.js, sim/serve.js) over real sockets. What the `espruino` CLI needs: EspruinoTools core/serial.js,
// core/utils.js getEspruinoPrompt.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createBoard } from "../sim/index.js";
import { REPL, countBrackets, formatValue } from "../sim/repl.js";
import { serveREPL } from "../sim/tcp.js";
import { parseArgs as serveArgs } from "../sim/serve.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A REPL on a fresh virtual board; `take()` returns (and clears) what the board sent back. */
function console_(options = {}) {
  const board = createBoard(options);
  let out = "";
  const repl = new REPL({ board, write: (s) => { out += s; } });
  const take = () => { const s = out; out = ""; return s; };
  const send = (s) => { repl.feed(s); return take(); };
  return { board, repl, take, send };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("countBrackets skips strings, comments, regexes and template literals", () => {
  assert.equal(countBrackets("function f() {"), 1);
  assert.equal(countBrackets("function f() {\n return 1;\n}"), 0);
  assert.equal(countBrackets('var s = "{(["; var t = \'}\';'), 0);
  assert.equal(countBrackets("var a = 1; // {"), 0);
  assert.equal(countBrackets("/* { */ var a = [1, 2];"), 0);
  assert.equal(countBrackets("/* {"), 1000);
  assert.equal(countBrackets("var r = /[(]{/g.test(s);"), 0);
  assert.equal(countBrackets("var q = a / (b / c);"), 0);
  assert.equal(countBrackets("return /}/.test(x)"), 0);
  assert.equal(countBrackets("var t = `x ${ {a: 1}.a } {`;"), 0);
  assert.equal(countBrackets("var t = `open"), 1000);
  assert.ok(countBrackets("})") < 0);
});

test("formatValue prints like Espruino's =result", () => {
  assert.equal(formatValue(undefined), "undefined");
  assert.equal(formatValue(null), "null");
  assert.equal(formatValue(3.5), "3.5");
  assert.equal(formatValue("a\"b"), '"a\\"b"');
  assert.equal(formatValue(true), "true");
  assert.equal(formatValue([1, "x"]), '[ 1, "x" ]');
  assert.equal(formatValue({ a: 1, "b-c": [] }), '{ a: 1, "b-c": [ ] }');
  assert.equal(formatValue(new Uint8Array([1, 2])), "new Uint8Array([1, 2])");
  const long = formatValue({ aaaaaaaaaa: 1, bbbbbbbbbb: 2, cccccccccc: 3, dddddddddd: 4, eeeeeeeeee: 5, ffffffffff: 6 });
  assert.match(long, /^\{\n {2}aaaaaaaaaa: 1,\n/);
});

test("an empty line gives the > prompt without =undefined (as the real 2v29; the CLI waits for the >)", () => {
  const { send } = console_();
  const out = send("\n");
  assert.match(out, />$/);
  assert.doesNotMatch(out, /=undefined/);
  // the real 2v29 for Linux answers "\n" at the prompt with exactly this (jsiHandleNewLine prints no result for
  // an empty line); EspruinoTools' getEspruinoPrompt also accepts "\r\n=undefined\r\n>" from older firmware
  assert.equal(send("\n"), "\r\n>");
  assert.equal(send("  \n"), "  \r\n>", "blank after trimming: no result either");
  assert.equal(send("undefined\n"), "undefined\r\n=undefined\r\n>");
});

test("typed lines are echoed and their value printed", () => {
  const { send } = console_();
  send("\n");
  assert.equal(send("1+2\n"), "1+2\r\n=3\r\n>");
  assert.equal(send('"a"+1\n'), '"a"+1\r\n="a1"\r\n>');
  assert.equal(send("var o = {a: [1, 2]}; o\n"), "var o = {a: [1, 2]}; o\r\n={ a: [ 1, 2 ] }\r\n>");
});

test("DLE at the start of a line: no echo, no =result; print output still shown", () => {
  const { send } = console_();
  send("\n");
  assert.equal(send("\x10var x = 41;\n"), "");
  assert.equal(send("\x10print(x + 1)\n"), "42\r\n>");
  assert.equal(send("x\n"), "x\r\n=41\r\n>");
});

test("the process.env probe is answered as the CLI parses it", () => {
  const { send } = console_();
  send("\n");
  const out = send('\x10print("<","<<",JSON.stringify(process.env),">>",">")\n');
  const m = /< << (.*) >> >/.exec(out);
  assert.ok(m, out);
  const env = JSON.parse(m[1]);
  assert.equal(env.BOARD, "ESPRUINOBOARD");
  assert.match(env.VERSION, /^2v\d+/);
});

test("ESC LF is a newline inside the line; ESC [ n d is a line hint; brackets decide execution", () => {
  const { send, repl } = console_();
  send("\n");
  const before = repl.executed;
  send("\x10var a = 1;\x1b\nvar b = a + 1;\n");
  assert.equal(repl.executed, before + 1, "one execution for the two statements");
  send("\x10\x1b[12dfunction f(x) {\n");
  assert.equal(repl.executed, before + 1, "open bracket: waits");
  send("  return x * b; // }\n");
  send("}\n");
  assert.equal(repl.executed, before + 2);
  assert.match(send("f(3)\n"), /=6\r\n>$/);
  assert.match(send('var s = "(";\n'), /=undefined/, "a bracket inside a string does not hold the line");
  assert.equal(send("function g() {\n"), "function g() {\r\n:", "continuation prompt while brackets are open");
});

test("Ctrl-C clears the input line; backspace deletes", () => {
  const { send } = console_();
  send("\n");
  const out = send("1+\x03");
  assert.match(out, /\x08>$/, "input erased, prompt back");
  assert.match(send("2+2\n"), /=4\r\n>$/);
  assert.match(send("12\x08+1\n"), /=2\r\n>$/);
});

test("exceptions print Uncaught like Espruino", () => {
  const { send } = console_();
  send("\n");
  assert.match(send('throw new Error("boom")\n'), /Uncaught Error: boom\r\n>$/);
  assert.match(send("\x10nosuch()\n"), /Uncaught ReferenceError: nosuch is not defined/);
  assert.match(send('\x10require("NoSuchModule")\n'), /Uncaught Error: Module "NoSuchModule" not found/);
});

test("Modules.addCached with a String or a Function; print and console.log", () => {
  const { send } = console_();
  send("\n");
  send('\x10Modules.addCached("S", "exports.v = 42;");\n');
  send('\x10Modules.addCached("G",function(){exports.g = function () { return 7; };});\n');
  assert.match(send('require("S").v + require("G").g()\n'), /=49\r\n>$/);
  assert.match(send('\x10print("p", 1, [2]); console.log("c")\n'), /p 1 \[ 2 \]\r\nc\r\n>$/);
});

test("reset(): RAM cleared (variables, modules), flash kept, Espruino logo printed", () => {
  const { send, board } = console_();
  const addr = 0x0803a800;
  board.chip.flash.bytes[addr - 0x08000000] = 0x42; // as if written earlier
  send("\n");
  send('\x10var kept = 1; Modules.addCached("S", "exports.v = 1;");\n');
  const out = send("\x10reset();\n");
  assert.match(out, /espruino\.com/);
  assert.match(out, /2v\d+ \(c\)/);
  assert.match(send("typeof kept\n"), /="undefined"/);
  assert.match(send('\x10require("S")\n'), /Module "S" not found/);
  assert.match(send(`peek8(${addr})\n`), /=66\r\n>$/);
});

test("timers run on their own and the prompt comes back after their output", async () => {
  const { send, take } = console_();
  send("\n");
  send('\x10setTimeout(function () { print("later"); }, 20);\n');
  await sleep(80);
  assert.match(take(), /later\r\n>$/);
});

/** Connect to a port; resolves with helpers to send and to wait for output. */
function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let buf = "";
    s.on("data", (d) => { buf += d.toString("latin1"); });
    s.on("error", reject);
    s.on("connect", () => resolve({
      socket: s,
      send: (t) => s.write(Buffer.from(t, "latin1")),
      until: async (re, ms = 2000) => {
        for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (re.test(buf)) return buf;
        throw new Error(`timeout waiting for ${re}; got ${JSON.stringify(buf)}`);
      },
      closed: new Promise((r) => s.on("close", r)),
    }));
  });
}

test("TCP: one client at a time on 127.0.0.1, board state kept across clients, clean close", async () => {
  const board = createBoard();
  const server = await serveREPL({ board, port: 0 });
  assert.match(server.url, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  const a = await connect(server.port);
  a.send("\n");
  await a.until(/>$/);
  a.send("\x10var shared = 7;\n");
  const b = await connect(server.port);
  await b.until(/Busy/);
  await b.closed;
  a.socket.end();
  await a.closed;
  const c = await connect(server.port);
  c.send("shared\n");
  await c.until(/=7\r\n>$/);
  assert.equal(await server.close(), "closed");
  await c.closed;
  await assert.rejects(connect(server.port), /ECONNREFUSED/);
});

test("TCP: idle timeout and lifetime stop the server", async () => {
  const idle = await serveREPL({ board: createBoard(), port: 0, idleTimeoutMs: 50, lifetimeMs: 0 });
  assert.equal(await idle.closed, "idle");
  const life = await serveREPL({ board: createBoard(), port: 0, idleTimeoutMs: 0, lifetimeMs: 80 });
  const c = await connect(life.port);
  assert.equal(await life.closed, "lifetime");
  await c.closed;
});

test("node sim/serve.js prints its URL and stops on SIGTERM", async () => {
  const child = spawn(process.execPath, ["sim/serve.js", "--port", "0", "--lifetime", "20", "--quiet"], { cwd: ROOT });
  let out = "";
  child.stdout.on("data", (d) => { out += d; });
  for (const end = Date.now() + 5000; !/listening/.test(out) && Date.now() < end;) await sleep(20);
  const m = /^listening tcp:\/\/127\.0\.0\.1:(\d+)$/m.exec(out);
  assert.ok(m, out);
  const c = await connect(+m[1]);
  c.send("1+1\n");
  await c.until(/=2\r\n>$/);
  child.kill("SIGTERM");
  const code = await new Promise((r) => child.on("close", r));
  assert.equal(code, 0);
  assert.match(out, /virtual board stopped \(SIGTERM\)/);
});

test("node sim/serve.js: runs until told to stop by default; bad options are one line and exit 2", () => {
  const o = serveArgs([]);
  assert.equal(o.lifetimeMs, 0, "no lifetime unless given");
  assert.equal(o.idleTimeoutMs, 0, "no idle stop unless given");
  for (const [args, msg] of [
    [["--model", "f4"], /--model f4: unknown model/],
    [["--port"], /argument missing/],
    [["--port", "70000"], /--port needs a number 0\.\.65535/],
    [["--idle", "soon"], /--idle needs a number/],
    [["--flash"], /argument missing/],
    [["extra"], /Unexpected argument 'extra'/],
  ]) {
    const r = spawnSync(process.execPath, ["sim/serve.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 10_000 });
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, msg, args.join(" "));
    assert.match(r.stderr, /^usage: node sim\/serve\.js/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test("a console attached after the board started shows what it printed before (boot code), then the prompt", () => {
  const board = createBoard();
  board.eval("E.setBootCode('print(\"hello from boot code\")')");
  board.powerCycle();
  let out = "";
  const repl = new REPL({ board, write: (s) => { out += s; } });
  repl.feed("\n");
  assert.match(out, /^hello from boot code\r\n/);
});

test("the logo follows reset() but not load() of saved code (as jsiSemiInit prints it only when nothing was loaded)", () => {
  const { send } = console_();
  send("\n");
  assert.match(send("reset()\n"), /\|_\| espruino\.com/);
  send("var kept = 42; save()\n");
  const out = send("load()\n");
  assert.doesNotMatch(out, /espruino\.com/);
  assert.match(out, /Loading \d+ bytes from flash\.\.\./);
  assert.match(send("kept\n"), /=42/);
});
