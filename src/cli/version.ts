// What `-version` and `reconfd version` print: version, commit and runtime.
// The commit is baked in by scripts/build (`bun build --define
// RECONFD_COMMIT=...`); a run from source has no build and says "dev".

import { runtimeDescription } from "../runtime/runtime.ts";

/** Kept equal to package.json's version (a unit test checks). */
export const VERSION = "0.1.0";

declare const RECONFD_COMMIT: string | undefined;

/** The git commit the binary was built from, or "dev". */
export function commit(): string {
  return typeof RECONFD_COMMIT === "string" && RECONFD_COMMIT !== "" ? RECONFD_COMMIT : "dev";
}

/** `reconfd 0.1.0 (commit 1a2b3c4, bun 1.4.5)`, newline included. */
export function versionLine(): string {
  return `reconfd ${VERSION} (commit ${commit()}, ${runtimeDescription()})\n`;
}
