// The modules this project ships: every folder src/<Name>/ with an index.ts is built to modules/<Name>.js,
// modules/<Name>.min.js and modules/<Name>.d.ts (rollup.config.mjs, tools/build-dts.js). Used by the build, the
// Espruino checks, the build-sync test and the benchmark, so that a new module needs nothing but its folder.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Names of the shipped modules (folder names under src/ holding an index.ts), sorted. @returns {string[]} */
export function moduleNames() {
  return readdirSync(join(ROOT, "src"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, "src", d.name, "index.ts")))
    .map((d) => d.name)
    .sort();
}

/** The files built for one module, relative to the output folder. @param {string} name */
export const builtFiles = (name) => [`${name}.js`, `${name}.min.js`, `${name}.d.ts`];
