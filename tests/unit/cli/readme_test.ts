// The README's flag and variable reference stays complete: every flag and
// every CONFD_* variable the code defines is documented there.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CONFD_FLAGS } from "../../../src/cli/confd_flags.ts";
import { SETTINGS } from "../../../src/config/settings.ts";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

describe("README reference", () => {
  for (const flag of CONFD_FLAGS) {
    it(`documents -${flag.name}`, () => assert.match(readme, new RegExp(`\`-${flag.name}[\` ]`)));
  }
  for (const s of SETTINGS) {
    it(`documents ${s.env}`, () => assert.ok(readme.includes(s.env)));
  }
  it("documents CONFD_CONFIG_FILE", () => assert.ok(readme.includes("CONFD_CONFIG_FILE")));
});
