// The firmware's end, read from the firmware (SCB->VTOR -> vector table -> Reset_Handler -> literal pool:
// _sidata, _sdata, _edata), so getFree() does not move when the user writes the first free page.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILDS, boardWith, moduleSource } from "./helpers.js";

const plain = (v) => JSON.parse(JSON.stringify(v));

/** Power-cycle the board (RAM and modules lost, flash kept) and load the module again. */
function powerCycle(board, build) {
  board.reset();
  board.addModule("STM32F1Flash", moduleSource(build));
  return board.require("STM32F1Flash");
}

const ceil = (a, p) => Math.ceil(a / p) * p;

for (const build of BUILDS) {
  describe(`${build}: the firmware end comes from Reset_Handler's literal pool`, () => {
    for (const [model, page, etext] of [["original", 2048, 0x0802e7a0], ["medium", 1024, 0x080168a0],
      ["connectivity", 2048, 0x080168a0], ["xl", 2048, 0x0804fe40]]) {
      for (const dataImageSize of [0x10, 0x200, 0x900]) {
        test(`${model}, .data image of ${dataImageSize} bytes: free from the page after it`, () => {
          const { f } = boardWith(build, { model, dataImageSize });
          const free = f.getFree()[0].addr;
          assert.equal(free, ceil(etext + dataImageSize, page));
          const fw = plain(f.getMemoryMap()).find((r) => r.name == "firmware");
          assert.equal(fw.addr + fw.length, free);
        });
      }
    }

    test("writing the first free page and resetting leaves getFree() unchanged (also with a 16-byte .data image)", () => {
      for (const dataImageSize of [0x10, 0x200]) {
        const { board, f } = boardWith(build, { dataImageSize });
        const before = plain(f.getFree());
        f.write("boot counter: 1", before[0].addr);
        assert.deepEqual(plain(f.getFree()), before);
        const g = powerCycle(board, build);
        assert.deepEqual(plain(g.getFree()), before, "same free area after the reset");
        assert.equal(g.isPageSafe(before[0].addr), false);
        assert.equal(String.fromCharCode(...g.read(15, before[0].addr)), "boot counter: 1", "the data is readable");
        g.erasePage(before[0].addr); // and it is still ours: no allowFirmware needed
        g.write("boot counter: 2", before[0].addr);
        assert.deepEqual(plain(powerCycle(board, build).getFree()), before);
      }
    });

    test("the bootloader region is where SCB->VTOR says the firmware's vector table is", () => {
      const { f } = boardWith(build);
      assert.deepEqual(plain(f.getMemoryMap()).slice(0, 2).map((r) => [r.name, r.addr, r.length]),
        [["bootloader", 0x08000000, 0x2800], ["firmware", 0x08002800, 0x0802f000 - 0x08002800]]);
      const { f: g } = boardWith(build, { model: "medium" });
      assert.equal(plain(g.getMemoryMap())[0].name, "firmware", "VTOR = 0: no bootloader");
    });

    describe("fallback when the pattern is not found: the .data image is assumed to fit in the next page", () => {
      test("a firmware built with another startup file (no literal-pool pattern)", () => {
        const { board, f } = boardWith(build, { startup: "none", dataImageSize: 0x10 });
        const free = f.getFree()[0].addr;
        assert.equal(free, 0x0802f000, "page of _etext (0x0802E000) + the next page, although 0x0802E800 is blank");
        f.write("x", free);
        assert.equal(powerCycle(board, build).getFree()[0].addr, free, "independent of what was written");
        const { f: m } = boardWith(build, { model: "medium", startup: "none", dataImageSize: 0x10 });
        assert.equal(m.getFree()[0].addr, 0x08017000);
      });

      test("a pattern that does not describe this firmware (VTOR pointing at the bootloader's table) is ignored", () => {
        // the map is read when the module loads: VTOR is changed before
        const { f } = boardWith(build, { dataImageSize: 0x10 }, (board) => board.eval("poke32(0xE000ED08, 0)"));
        assert.equal(f.getFree()[0].addr, 0x0802f000, "the bootloader's _sidata is not _etext: fallback");
      });

      test("an implausible _sdata/_edata (not in SRAM) is ignored", () => {
        const { f } = boardWith(build, { dataImageSize: 0x10 }, (board) => {
          // the literal pool of Reset_Handler: _estack, _sidata, _sdata, _edata, ... at +0x34
          const pool = board.layout.resetHandler + 0x34;
          // _sdata = 0x30000000, _edata = 0x30000010: a 16-byte difference, but not RAM
          board.chip.flash.bytes.set([0, 0, 0, 0x30, 0x10, 0, 0, 0x30], pool + 8 - 0x08000000);
        });
        assert.equal(f.getFree()[0].addr, 0x0802f000);
      });
    });

    test("loading reads geometry and memory map in a fixed number of native calls; the first call reads none", () => {
      let f, board;
      ({ board, f } = boardWith(build, {}, (b) => b.resetCounters()));
      // E.getFlags, E.setFlags (set pretokenise), F_SIZE; process.memory, SCB_VTOR, F_SIZE, reset vector,
      // Reset_Handler (one peek16 of 38 half-words); E.setFlags (pretokenise back)
      assert.deepEqual(board.counters.calls, { "E.getFlags": 1, "E.setFlags": 2, peek16: 3, peek32: 2,
        "process.memory": 1 });
      board.resetCounters();
      f.getFree();
      f.getMemoryMap();
      assert.equal(board.counters.nativeCalls, 0);
    });
  });
}
