// src/ (TypeScript, ES5) -> modules/STM32F1Flash.js (readable) and .min.js (what the CLI uploads).
// Output options follow ../shared/reference/espruino-platform.md §7: CommonJS with declarations first and
// `exports.x = x` at the end (Espruino does not hoist), no "use strict", no __esModule marker, no Object.freeze.
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { dts } from "rollup-plugin-dts";

// STM32F1FLASH_OUT: where to write (default modules/); test/build-sync.test.js builds into a temp dir and compares.
const OUT = process.env.STM32F1FLASH_OUT || "modules";
const output = { format: "cjs", exports: "named", strict: false, esModule: false, freeze: false,
  generatedCode: { preset: "es5", constBindings: false, objectShorthand: false, arrowFunctions: false } };

export default [{
  input: "src/index.ts",
  plugins: [typescript({ tsconfig: "./tsconfig.json", noEmitOnError: true, outDir: undefined })],
  output: [
    { ...output, file: OUT + "/STM32F1Flash.js",
      banner: "/* STM32F1Flash: internal flash of STM32F1 Espruino boards (Espruino Original). Built from src/ - do not edit. */" },
    { ...output, file: OUT + "/STM32F1Flash.min.js",
      plugins: [terser({ ecma: 5, toplevel: true, compress: { hoist_funs: true, passes: 2 }, mangle: true,
        format: { comments: false, ascii_only: true } })] },
  ],
}, {
  // Declarations, bundled into one file; tools/build-dts.js wraps them in `declare module "STM32F1Flash"`.
  input: "src/index.ts",
  plugins: [dts()],
  output: { file: OUT + "/STM32F1Flash.bundle.d.ts", format: "es" },
}];
