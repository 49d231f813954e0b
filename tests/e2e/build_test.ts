// The binary under test is the one the tree builds: its -version commit is
// HEAD's, and a source file edited after the build makes the e2e helper
// rebuild it (tests/e2e/helpers/reconfd.ts ensureBinary), so a stale binary
// is never tested.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BINARY,
  binaryCommit,
  BUILD_INPUTS,
  ensureBinary,
  filesNewerThan,
  headCommit,
  staleReason,
} from "./helpers/reconfd.ts";

let dir = "";
before(() => {
  ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "reconfd-build-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the binary under test", () => {
  it("-version names HEAD's commit (12-digit short hash, -dirty allowed)", () => {
    const built = binaryCommit(BINARY);
    assert.match(built ?? "", /^[0-9a-f]{12}(-dirty)?$/, `no commit in ${BINARY} -version`);
    assert.equal(built?.replace(/-dirty$/, ""), headCommit(), `${BINARY} was not built from HEAD`);
  });

  it("is current: nothing it is built from changed since", () => {
    assert.equal(staleReason(BINARY), undefined);
  });

  it("is stale when main.ts or a file under src/ is newer than it", () => {
    const old = join(dir, "old-binary");
    writeFileSync(old, "");
    utimesSync(old, new Date(0), new Date(0));
    assert.match(staleReason(old) ?? "", /\/main\.ts is newer than it$/);
    assert.ok(BUILD_INPUTS.some((p) => p.endsWith("/src")), "src/ is a build input");
  });

  it("finds files newer than a time, however deep", () => {
    const t = Date.now() - 60_000;
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "backends", "etcd"), { recursive: true });
    for (const [rel, offset] of [["a.ts", -10_000], ["backends/b.ts", -1], ["backends/etcd/c.ts", 10_000]] as const) {
      writeFileSync(join(tree, rel), "");
      utimesSync(join(tree, rel), new Date(t + offset), new Date(t + offset));
    }
    assert.deepEqual(filesNewerThan([tree], t), [join(tree, "backends", "etcd", "c.ts")]);
    assert.deepEqual(filesNewerThan([tree, join(dir, "missing")], t + 20_000), []);
    assert.equal(filesNewerThan([tree], t - 20_000).length, 3);
  });
});
