// The serial link of the virtual board: what a host on the other end of the wire talks to. While the CPU runs
// Espruino it is the Espruino console (repl.js); while it runs the ST system bootloader (board.systemBootloader,
// entered through E.nativeCall, sim/native-call.js) the same link carries the AN3155 bootloader protocol
// (st-rom-bootloader.js), until its Go command or a reset starts Espruino again. The link stands for both the
// Original's USB console and a USB-serial adapter on USART1 (A9/A10), which real hardware would need for the ROM.
import { REPL } from "./repl.js";

/**
 * Open the serial link of `board`.
 * @param {object} options
 * @param {import("./board.js").Board} options.board
 * @param {function(string): void} options.write  receives bytes for the host (a string, one char per byte)
 * @returns {{feed: function((Buffer|Uint8Array|string)): void, repl: REPL}} feed: bytes from the host
 */
export function openSerialPort({ board, write }) {
  const inRom = () => !!board.systemBootloader;
  // Espruino's console output stops when the CPU leaves it (anything queued after the jump is lost)
  const repl = new REPL({ board, write: (text) => { if (!inRom()) write(text); } });
  let wasInRom = inRom();
  return {
    repl,
    feed(data) {
      if (inRom()) {
        wasInRom = true;
        board.systemBootloader.feed(typeof data === "string" ? Buffer.from(data, "latin1") : data, write);
        return;
      }
      if (wasInRom) { wasInRom = false; repl.inputLine = ""; }   // Espruino started again: a fresh input line
      // bytes after the command that entered the ROM in the same chunk are lost (board.eval refuses them), as on
      // the Original, where the console is USB and the ROM listens on USART1
      repl.feed(data);
    },
  };
}
