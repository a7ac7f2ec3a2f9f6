// Preloaded into the `espruino` CLI by tools/upload.js (`node -r ./tools/cli-guard.cjs ...`): blocks every
// http/https request, so that the CLI can never fall back to a network module URL (which serves the old,
// deprecated STM32F1Flash) or fetch board JSON. A blocked request is reported on stderr with the marker
// "[cli-guard] blocked network request:" (tools/upload.js turns it into a failure) and throws.
// Deliberately does NOT set globalThis.fs: that would re-enable the CLI's local-modules plugin, which loads
// the unminified .js and walks up parent folders; modules come from --config MODULE_URL=<modules dir> only.
"use strict";
const MARKER = "[cli-guard] blocked network request:";

for (const scheme of ["http", "https"]) {
  const mod = require(scheme);
  for (const fn of ["request", "get"]) {
    mod[fn] = function blocked(target) {
      const url = typeof target === "string" ? target
        : target && target.href ? target.href
        : `${scheme}://${(target && (target.host || target.hostname)) || "?"}${(target && target.path) || ""}`;
      process.stderr.write(`${MARKER} ${url}\n`);
      throw new Error(`network access is disabled for uploads (${url})`);
    };
  }
}
