// Wrap each module's bundled declarations (<out>/<Name>.bundle.d.ts, made by rollup-plugin-dts) as an ambient
// module, so a TypeScript app gets types from `require("<Name>")`: <out>/<Name>.d.ts. <out> is $STM32F1FLASH_OUT or
// modules/, as in rollup.config.mjs.
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { moduleNames } from "./modules.js";

const out = process.env.STM32F1FLASH_OUT || "modules";
for (const name of moduleNames()) {
  const bundle = join(out, `${name}.bundle.d.ts`);
  const body = readFileSync(bundle, "utf8")
    .replace(/^declare /gm, "") // `declare` is implied inside `declare module` (TS1038)
    .trim()
    .split("\n")
    .map((line) => (line ? "  " + line : line))
    .join("\n");
  unlinkSync(bundle);
  writeFileSync(join(out, `${name}.d.ts`),
    `// Types for require("${name}"). Built from src/ by \`npm run build\` - do not edit.\n` +
    `declare module "${name}" {\n` + body + "\n}\n");
}
