// The -noop -diff output.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { unifiedDiff } from "../../../src/resource/diff.ts";

describe("unifiedDiff", () => {
  it("prints a plain unified diff from dest to the rendering", () => {
    const d = unifiedDiff("/etc/a.conf", "a\nb\n", "a\nc\n", false);
    assert.match(d, /^--- \/etc\/a\.conf\tcurrent\n\+\+\+ \/etc\/a\.conf\trendered\n@@ -1,2 \+1,2 @@\n a\n-b\n\+c$/);
  });

  it("colors for a terminal", () => {
    const d = unifiedDiff("/etc/a.conf", "b\n", "c\n", true);
    assert.ok(d.includes("\x1b[31m-b\x1b[0m"));
    assert.ok(d.includes("\x1b[32m+c\x1b[0m"));
  });
});
