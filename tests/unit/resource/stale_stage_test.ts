// Crash leftovers: stage files of a killed process are removed at start; fresh ones, other
// users' ones and look-alike names stay.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chown, mkdir, mkdtemp, readdir, realpath, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStageNameFor, removeStaleStageFiles } from "../../../src/resource/stale_stage.ts";
import { CaptureLogger } from "../runner/capture_logger.ts";
import { isRoot, skipUnless } from "../../helpers/skip.ts";

const HOUR_AGO = new Date(Date.now() - 3_600_000);

async function file(path: string, old: boolean): Promise<void> {
  await writeFile(path, "x");
  if (old) await utimes(path, HOUR_AGO, HOUR_AGO);
}

describe("isStageNameFor", () => {
  const cases: [string, string, boolean][] = [
    [".app.conf123", "app.conf", true],
    [".app.conf4294967295", "app.conf", true],
    [".app.conf", "app.conf", false],
    [".app.conf.bak", "app.conf", false],
    [".app.conf12a", "app.conf", false],
    ["app.conf123", "app.conf", false],
    [".app.conf2123", "app.conf2", true],
  ];
  for (const [name, base, want] of cases) {
    it(`${JSON.stringify(name)} ${want ? "is" : "is not"} a stage file of ${base}`, () => {
      assert.equal(isStageNameFor(name, base), want);
    });
  }
});

describe("removeStaleStageFiles", () => {
  it("removes old stage files of ours beside each dest and logs each; keeps the rest", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-stale-")));
    const dest = join(dir, "app.conf");
    await file(dest, true);
    await file(join(dir, ".app.conf111"), true); // stale: removed
    await file(join(dir, ".app.conf222"), false); // fresh: another process may be checking it
    await file(join(dir, ".app.conf.swp"), true); // not a stage name
    await file(join(dir, ".other.conf333"), true); // another dest's
    await mkdir(join(dir, ".app.conf444")); // not a file
    await utimes(join(dir, ".app.conf444"), HOUR_AGO, HOUR_AGO);
    const log = new CaptureLogger();
    const removed = await removeStaleStageFiles([dest], log);
    assert.deepEqual(removed, [join(dir, ".app.conf111")]);
    assert.deepEqual(
      (await readdir(dir)).sort(),
      [".app.conf.swp", ".app.conf222", ".app.conf444", ".other.conf333", "app.conf"],
    );
    assert.deepEqual(log.lines, [
      `INFO Removed stale stage file ${
        join(dir, ".app.conf111")
      } (left by a process that stopped before installing it)`,
    ]);
  });

  it("looks beside a symlinked dest's target too (where reconfd stages) and beside the link (where confd did)", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-stale-")));
    await mkdir(join(dir, "available"));
    await mkdir(join(dir, "enabled"));
    await file(join(dir, "available", "site"), false);
    await symlink("../available/site", join(dir, "enabled", "site"));
    await file(join(dir, "available", ".site1"), true);
    await file(join(dir, "enabled", ".site2"), true);
    const removed = await removeStaleStageFiles([join(dir, "enabled", "site")], new CaptureLogger());
    assert.deepEqual(removed.sort(), [join(dir, "available", ".site1"), join(dir, "enabled", ".site2")]);
  });

  it(
    "leaves another user's stage file",
    { skip: skipUnless(isRoot(), "another user's file needs root to make") },
    async () => {
      const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-stale-")));
      await file(join(dir, ".a.conf1"), true);
      await chown(join(dir, ".a.conf1"), 4242, 4242);
      assert.deepEqual(await removeStaleStageFiles([join(dir, "a.conf")], new CaptureLogger()), []);
    },
  );

  it("a dest whose directory is missing is skipped quietly", async () => {
    const log = new CaptureLogger();
    assert.deepEqual(await removeStaleStageFiles(["/nonexistent/reconfd/a.conf"], log), []);
    assert.deepEqual(log.lines, []);
  });
});
