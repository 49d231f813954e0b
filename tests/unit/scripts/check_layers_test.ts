// The import-layer gate finds backward imports and runtime use outside
// src/runtime/, with file:line, on a small tree made for the test.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { checkLayers } from "../../../scripts/check_layers.ts";

describe("check_layers", () => {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-layers-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };

  it("reports a backward import, process use and an unknown folder; accepts allowed ones", () => {
    file("template/exec.ts", 'import { x } from "../runner/pass.ts";\n');
    file("kv/store.ts", 'import { y } from "../template/value.ts";\n// process.env in a comment is fine\n');
    file("resource/stage.ts", 'import { z } from "./install.ts";\nconst e = process.env.HOME;\n');
    file(
      "server/app.ts",
      'import type { RunEvent } from "../runner/events.ts";\nimport { p } from "../runner/pass.ts";\n',
    );
    file("nowhere/a.ts", "export const a = 1;\n");
    file("runtime/runtime.ts", 'import process from "node:process";\nexport const pid = process.pid;\n');
    const got = checkLayers(dir).map((v) => `${v.file}:${v.line}: ${v.message}`).sort();
    assert.deepEqual(got, [
      'nowhere/a.ts:1: folder "nowhere" has no entry in LAYERS',
      "resource/stage.ts:2: only src/runtime/ may use `process` or the Bun/Deno globals",
      "server/app.ts:2: server/ may not import runner/pass.ts",
      "template/exec.ts:1: template/ may not import runner/pass.ts",
    ]);
  });
});
