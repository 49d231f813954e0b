// The template engine as the binary ships it: scripts/build minifies the
// bundle (renamed identifiers, folded constants), so the conformance suite
// runs once more on a minified bundle of itself and the engine. A name the
// engine read from a function or class (`fn.name`) would break here, not only
// in a user's binary.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const root = new URL("../../", import.meta.url).pathname;
const bun = join(root, "node_modules", ".bin", "bun");
let dir = "";

before(() => {
  dir = mkdtempSync(join(tmpdir(), "reconfd-minified-"));
  // The harness finds its cases relative to itself: lay out the same tree.
  const conformance = join(dir, "tests", "conformance");
  mkdirSync(conformance, { recursive: true });
  symlinkSync(join(root, "tests", "conformance", "cases"), join(conformance, "cases"));
  symlinkSync(join(root, "tests", "conformance", "skip.json"), join(conformance, "skip.json"));
  symlinkSync(join(root, "tests", "golden"), join(dir, "tests", "golden"));
  const r = spawnSync(bun, [
    "build",
    "--minify",
    "--target=bun",
    "--format=esm",
    "--external=node:test",
    join(root, "tests", "conformance", "golden_test.ts"),
    "--outfile",
    join(conformance, "golden_min_test.js"),
  ], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the minified engine", () => {
  it("passes the conformance suite", async () => {
    const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(bun, ["test", "./tests/conformance/golden_min_test.js"], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (b) => (text += b));
      child.stderr.on("data", (b) => (text += b));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, text }));
    });
    const failures = out.text.split("\n").filter((l) => l.startsWith("(fail)"));
    assert.deepEqual(failures, []);
    assert.equal(out.code, 0, out.text.slice(-2000));
    const passed = Number(/^\s*(\d+) pass$/m.exec(out.text)?.[1] ?? 0);
    assert.ok(passed > 1000, `only ${passed} cases passed`);
  });
});
