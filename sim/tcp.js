// Sockets only: serve one board's REPL (sim/repl.js) over TCP on 127.0.0.1, one client at a time, for the
// `espruino` CLI (`-p tcp://127.0.0.1:PORT`) or a telnet-style terminal. All protocol logic is in repl.js.
import net from "node:net";
import { openSerialPort } from "./serial-port.js";

/**
 * @typedef {object} REPLServer
 * @property {number} port        the TCP port actually listened on
 * @property {string} url         "tcp://127.0.0.1:PORT", as the CLI's -p option wants it
 * @property {function(string=): Promise<string>} close  stop listening and drop the client; resolves with the reason
 * @property {Promise<string>} closed  resolves with the reason once stopped ("closed", "idle", "lifetime", ...)
 */

/**
 * Serve `board` on 127.0.0.1. Bytes a client sends go to a fresh REPL on the board (the board itself, its RAM
 * and flash, persist across clients, like a board staying powered while the USB cable is re-plugged).
 * A second client while one is connected gets "Busy" and is disconnected.
 * @param {object} options
 * @param {object} options.board  a virtual board (sim/board.js createBoard) or anything REPL accepts
 * @param {number} [options.port]  TCP port; 0 (default) picks a free one
 * @param {string} [options.host]  default "127.0.0.1" (never listens on other interfaces unless told)
 * @param {number} [options.idleTimeoutMs]  stop after this long without a client or received data (default 120 000 ms;
 *   0 = never)
 * @param {number} [options.lifetimeMs]  stop after this long in any case (default 600 000 ms; 0 = never)
 * @param {function(string): void} [options.log]  diagnostics (connections, shutdown), default none
 * @param {function(): void} [options.onDisconnect]  called after a client has gone (e.g. to save the flash)
 * @returns {Promise<REPLServer>}
 */
export function serveREPL({ board, port = 0, host = "127.0.0.1", idleTimeoutMs = 120_000, lifetimeMs = 600_000,
  log = () => {}, onDisconnect = () => {} }) {
  let client = null, idleTimer = null, lifeTimer = null, resolveClosed, stopping = null;
  const closed = new Promise((resolve) => { resolveClosed = resolve; });

  const server = net.createServer((socket) => {
    if (client) {
      log(`refused a second client from ${socket.remoteAddress}:${socket.remotePort}`);
      socket.end("Busy: the virtual board serves one client at a time\r\n");
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    log(`client connected from ${socket.remoteAddress}:${socket.remotePort}`);
    // the board's serial link: the Espruino console, or the ST ROM bootloader's protocol (serial-port.js)
    const repl = openSerialPort({ board, write: (text) => { if (!socket.destroyed) socket.write(Buffer.from(text, "latin1")); } });
    armIdle();
    socket.on("data", (data) => {
      armIdle();
      try { repl.feed(data); } catch (e) { repl.repl.print(`Internal error in the virtual board: ${e && e.stack || e}`); }
    });
    socket.on("error", (e) => log(`client error: ${e.message}`));
    socket.on("close", () => {
      if (client === socket) client = null;
      log("client disconnected");
      try { onDisconnect(); } catch (e) { log(`after disconnect: ${e.message}`); }
      armIdle();
    });
  });

  /** (Re)start the idle timer. */
  function armIdle() {
    if (!idleTimeoutMs) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => close("idle"), idleTimeoutMs);
    idleTimer.unref?.();
  }

  /**
   * Stop: no new clients, drop the current one, release the port.
   * @param {string} [reason]
   * @returns {Promise<string>} the reason
   */
  function close(reason = "closed") {
    if (stopping) return stopping;
    clearTimeout(idleTimer);
    clearTimeout(lifeTimer);
    stopping = new Promise((resolve) => {
      if (client) client.destroy();
      server.close(() => { log(`stopped (${reason})`); resolveClosed(reason); resolve(reason); });
    });
    return stopping;
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const actual = server.address().port;
      if (lifetimeMs) { lifeTimer = setTimeout(() => close("lifetime"), lifetimeMs); lifeTimer.unref?.(); }
      armIdle();
      resolve({ port: actual, url: `tcp://${host}:${actual}`, close, closed });
    });
  });
}
