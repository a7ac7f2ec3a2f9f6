// Needs Debian's binutils-arm-none-eabi (.ci/run installs it): GNU as re-assembles
// src/STM32F1Bootloader/enter-system-bootloader.S for ARMv6-M (-mcpu=cortex-m0: any Thumb-2-only instruction is an
// error) and the bytes must equal routine.ts and the routine inside both built modules. Fails (no skip) without the
// assembler.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assemble, sha256, shippedBase64 } from "../tools/assemble-bootloader.js";
import { BOOTLOADER_BUILDS, shippedRoutine } from "../test/bootloader-helpers.js";

test("GNU as (-mcpu=cortex-m0) turns enter-system-bootloader.S into exactly the shipped bytes", () => {
  const bytes = assemble();
  assert.equal(shippedBase64(), bytes.toString("base64"), "src/STM32F1Bootloader/routine.ts");
  for (const build of BOOTLOADER_BUILDS) assert.deepEqual(shippedRoutine(build), bytes, `modules/${build}`);
  console.log(`# routine: ${bytes.length} bytes, sha256 ${sha256(bytes)}`);
});

test("the same source with one Thumb-2-only instruction (movw) is refused for ARMv6-M", async () => {
  const { writeFileSync, readFileSync, mkdtempSync, rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const { SOURCE } = await import("../tools/assemble-bootloader.js");
  const dir = mkdtempSync(join(tmpdir(), "asm-"));
  try {
    const bad = join(dir, "bad.S");
    writeFileSync(bad, readFileSync(SOURCE, "utf8").replace("movs    r2, #0\n", "movw    r2, #0\n"));
    assert.throws(() => assemble(bad), /movw|selected processor does not support/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
