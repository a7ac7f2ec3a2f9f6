// src/<Name>/ (TypeScript, ES5) -> modules/<Name>.js (readable) and .min.js (what the CLI uploads), for every module
// folder tools/modules.js finds. Output options follow the Espruino platform notes (docs/ARCHITECTURE.md): CommonJS
// with declarations first and `exports.x = x` at the end (Espruino does not hoist), no "use strict", no __esModule
// marker, no Object.freeze.
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { dts } from "rollup-plugin-dts";
import { moduleNames } from "./tools/modules.js";

// STM32F1FLASH_OUT: where to write (default modules/); test/build-sync.test.js builds into a temp dir and compares.
const OUT = process.env.STM32F1FLASH_OUT || "modules";
// Espruino keeps a copy of the code of every function a module defines in RAM (2756 variables on the Original),
// unless the module is loaded from Storage, where the code stays in flash. With the interpreter's `pretokenise`
// flag set, that copy is tokenised (keywords, operators and small integers one byte each, no spaces; STM32F1Flash:
// 500 -> 462 JsVars on a 2756-variable 2v29 build): each module sets the flag while its body defines its functions
// and puts back the user's value afterwards, also when loading throws. (E.setFlags/E.getFlags: Espruino's
// src/jsflags.c; tokenising: jslNewTokenisedStringFromLexer in src/jslex.c.)
const intro = "var pretokenise = E.getFlags().pretokenise;\nE.setFlags({ pretokenise: 1 });\ntry {";
const outro = "} finally {\n  E.setFlags({ pretokenise: pretokenise });\n}";

const output = { intro, outro, format: "cjs", exports: "named", strict: false, esModule: false, freeze: false,
  generatedCode: { preset: "es5", constBindings: false, objectShorthand: false, arrowFunctions: false } };
/** First line of each module's .js: its own one-line summary, from the first comment line of src/<Name>/index.ts. */
const BANNERS = {
  STM32F1Flash: "STM32F1Flash: internal flash of STM32F1 Espruino boards (Espruino Original).",
  STM32F1Bootloader: "STM32F1Bootloader: enter the ST system-memory bootloader of an STM32F1 from JavaScript (experimental).",
  FlashKV: "FlashKV: power-loss-safe, wear-levelled key-value store in internal flash.",
};

export default moduleNames().flatMap((name) => [{
  input: `src/${name}/index.ts`,
  plugins: [typescript({ tsconfig: "./tsconfig.json", noEmitOnError: true, outDir: undefined })],
  output: [
    { ...output, file: `${OUT}/${name}.js`,
      banner: `/* ${BANNERS[name] || name + ":"} Built from src/ - do not edit. */` },
    { ...output, file: `${OUT}/${name}.min.js`,
      plugins: [terser({ ecma: 5, toplevel: true, compress: { hoist_funs: true, passes: 2 }, mangle: true,
        format: { comments: false, ascii_only: true } })] },
  ],
}, {
  // Declarations, bundled into one file; tools/build-dts.js wraps them in `declare module "<Name>"`.
  input: `src/${name}/index.ts`,
  plugins: [dts()],
  output: { file: `${OUT}/${name}.bundle.d.ts`, format: "es" },
}]);
