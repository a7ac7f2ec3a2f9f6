// The FlashKV benchmark (bench/flashkv.js) runs, its rows are sane, and README.md's "FlashKV speed" section is what it
// gives for the committed module (run `npm run bench` after changing the module).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readmeSection, runBench, spliceSection } from "../bench/flashkv.js";

const results = runBench();

test("rows for STM32F1Flash and the built-in Flash: writes, read, compaction, open(); counters consistent", () => {
  for (const flash of ["default", "builtin"]) {
    const rows = results.rows.filter((r) => r.flash === flash);
    assert.equal(rows.length, 7);
    const get = (n) => rows.find((r) => r.name.startsWith(n));
    assert.equal(get("write of a 4-byte").programs, 8, "a 16-byte record is 8 half-words");
    assert.equal(get("write of a 4-byte").erases, 0);
    assert.equal(get("read").programs + get("read").erases, 0);
    assert.equal(get("write that compacts").erases, 1, "one page erase per compaction");
    assert.ok(get("open() of a full store (2").readOnly, "open() leaves flash unchanged");
    assert.ok(get("write of a 500-byte").simulatedMs > 256 * 0.0525, "500 bytes take at least 256 x tPROG");
    if (flash === "default") {
      // issue 10 targets, with open()'s default flash object (STM32F1Flash, told the target is erased)
      assert.ok(get("write of a 32-byte").nativeCalls <= 10, "write of <= 32 bytes: <= 10 native calls");
      assert.ok(get("open() of a full store, module").nativeCalls <= 4 * 2, "open(): <= 4 native calls per page");
    }
  }
  assert.ok(results.soak.lifetime >= 2.5e6 && results.soak.value === results.soak.updates);
});

test("README.md's FlashKV speed section is what the benchmark gives for the committed module", () => {
  const md = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  assert.equal(spliceSection(md, readmeSection(results)), md);
  assert.equal(readFileSync(new URL("../bench/flashkv-README-section.md", import.meta.url), "utf8"), readmeSection(results));
});
