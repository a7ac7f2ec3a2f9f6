// End to end with the real tool (Debian stm32flash + socat; .ci/run installs them): the built STM32F1Bootloader
// module is called on the virtual Original through its console, the board's serial link is bridged to a pty, and
// stm32flash probes the chip, reads the whole flash, writes an image with verification and starts it with -g.
// Fails (no skip) when a tool is missing. Linux ptys force 8N1 (no parity), hence -m 8n1 (tools/rehearse-bootloader.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRehearsal, summary } from "../tools/rehearse-bootloader.js";

test("stm32flash: probe, read all flash, write + verify an image at 0x08002800, -g back to Espruino", { timeout: 300_000 }, async (t) => {
  const r = await startRehearsal();
  t.after(() => r.close());
  assert.match(r.console, /Entering the ST system bootloader/);
  assert.equal(r.board.cpu.lastRun.reason, "rom");

  const probe = await r.stm32flash([]);
  assert.equal(probe.code, 0, probe.out);
  assert.match(probe.out, /Version\s+: 0x22/);
  assert.match(probe.out, /Device ID\s+: 0x0414 \(STM32F10xxx High-density\)/);
  t.diagnostic(summary(probe.out).split("\n").filter((l) => /Version|Device ID/.test(l)).join("; "));

  const size = r.board.chip.flash.size;   // 384 KB: 256 KB documented + the 128 KB Espruino uses
  const dump = join(r.dir, "dump.bin");
  const read = await r.stm32flash(["-r", dump, "-S", `0x08000000:${size}`]);
  assert.equal(read.code, 0, summary(read.out));
  assert.deepEqual(readFileSync(dump), Buffer.from(r.board.flash()), "the dump is the board's flash");
  t.diagnostic(`read ${size} bytes`);

  const image = randomBytes(20000);
  const file = join(r.dir, "image.bin");
  writeFileSync(file, image);
  const before = r.board.flash();
  const write = await r.stm32flash(["-w", file, "-v", "-S", "0x08002800"]);
  assert.equal(write.code, 0, summary(write.out));
  assert.match(write.out, /Wrote and verified address 0x08007620 \(100\.00%\) Done/);
  const after = r.board.flash();
  assert.deepEqual(Buffer.from(after.slice(0x2800, 0x2800 + image.length)), image, "the image is in flash");
  assert.deepEqual(after.slice(0, 0x2800), before.slice(0, 0x2800), "the Espruino bootloader pages are untouched");
  const lastPage = (0x2800 + image.length + 2047) & ~2047;
  assert.ok(after.slice(0x2800 + image.length, lastPage).every((b) => b === 0xff), "the rest of the last written page is erased");
  assert.deepEqual(after.slice(lastPage), before.slice(lastPage), "pages after the image are untouched");
  t.diagnostic(`wrote and verified ${image.length} bytes at 0x08002800`);

  const go = await r.stm32flash(["-g", "0x08000000"]);
  assert.equal(go.code, 0, go.out);
  assert.match(go.out, /Starting execution at address 0x08000000... done/);
  assert.equal(r.board.systemBootloader, null, "Espruino runs again");
  assert.equal(r.board.eval("peek32(0x08002800)"), image.readUInt32LE(0), "Espruino sees the new flash");
});

test("without {confirm:true} the module refuses on the console and the board never enters the ROM", { timeout: 60_000 }, async () => {
  await assert.rejects(startRehearsal({ call: 'require("STM32F1Bootloader").enterSystemBootloader({})' }), /confirm:true/);
});
