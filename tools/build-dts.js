// Wrap the bundled declarations (<out>/STM32F1Flash.bundle.d.ts, made by rollup-plugin-dts) as an ambient module,
// so a TypeScript app gets types from `require("STM32F1Flash")`: <out>/STM32F1Flash.d.ts. <out> is
// $STM32F1FLASH_OUT or modules/, as in rollup.config.mjs.
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = process.env.STM32F1FLASH_OUT || "modules";
const bundle = join(out, "STM32F1Flash.bundle.d.ts");
const body = readFileSync(bundle, "utf8")
  .replace(/^declare /gm, "") // `declare` is implied inside `declare module` (TS1038)
  .trim()
  .split("\n")
  .map((line) => (line ? "  " + line : line))
  .join("\n");
unlinkSync(bundle);
writeFileSync(join(out, "STM32F1Flash.d.ts"),
  "// Types for require(\"STM32F1Flash\"). Built from src/ by `npm run build` - do not edit.\n" +
  "declare module \"STM32F1Flash\" {\n" + body + "\n}\n");
