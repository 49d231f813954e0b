// Installing: where dest really is (symlinks written through, missing directory), and the rename.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { lstat, mkdir, mkdtemp, readFile, realpath, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installStageFile, resolveDest } from "../../../src/resource/install.ts";

describe("resolveDest", () => {
  it("returns a regular dest as an absolute path", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    assert.equal(await resolveDest(join(dir, "a.conf")), join(dir, "a.conf"));
  });

  it("follows a symlink to its target", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await mkdir(join(dir, "available"));
    await writeFile(join(dir, "available", "site"), "old");
    await mkdir(join(dir, "enabled"));
    await symlink("../available/site", join(dir, "enabled", "site"));
    assert.equal(await resolveDest(join(dir, "enabled", "site")), join(dir, "available", "site"));
  });

  it("follows a dangling symlink to where its target would be", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await symlink("target.conf", join(dir, "link.conf"));
    assert.equal(await resolveDest(join(dir, "link.conf")), join(dir, "target.conf"));
  });

  it("says when dest's directory does not exist", async () => {
    await assert.rejects(
      resolveDest("/nonexistent/reconfd/a.conf"),
      /cannot write \/nonexistent\/reconfd\/a\.conf: directory \/nonexistent\/reconfd does not exist/,
    );
  });
});

describe("installStageFile", () => {
  it("renames the stage file over dest", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-inst-"));
    await writeFile(join(dir, ".a1"), "new");
    await writeFile(join(dir, "a"), "old");
    assert.equal(await installStageFile(join(dir, ".a1"), join(dir, "a")), "rename");
    assert.equal(await readFile(join(dir, "a"), "utf8"), "new");
    await assert.rejects(lstat(join(dir, ".a1")), /ENOENT/);
  });
});
