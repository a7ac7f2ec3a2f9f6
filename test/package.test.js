// npm conventions a fresh clone relies on: the LICENSE file matches package.json, and package-lock.json pins exactly
// the devDependencies package.json names (what `npm ci` installs; .ci/run and the README quick start use npm).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const read = (f) => readFileSync(new URL(`../${f}`, import.meta.url), "utf8");

test("LICENSE is the full text of the license package.json names (MPL-2.0)", () => {
  const pkg = JSON.parse(read("package.json"));
  assert.equal(pkg.license, "MPL-2.0");
  const text = read("LICENSE");
  assert.match(text, /^Mozilla Public License Version 2\.0\n/);
  assert.match(text, /Exhibit B - "Incompatible With Secondary Licenses" Notice/);
  assert.ok(text.split("\n").length > 370, "the whole license, not a pointer to it");
});

test("package-lock.json pins every devDependency at the version package.json names", () => {
  const pkg = JSON.parse(read("package.json"));
  const lock = JSON.parse(read("package-lock.json"));
  assert.equal(lock.lockfileVersion, 3);
  assert.deepEqual(lock.packages[""].devDependencies, pkg.devDependencies);
  for (const [name, version] of Object.entries(pkg.devDependencies)) {
    assert.equal(lock.packages[`node_modules/${name}`]?.version, version, name);
  }
});
