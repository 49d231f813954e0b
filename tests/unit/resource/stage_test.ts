// Stage files: name pattern, final mode regardless of umask, owner, clear errors, nothing left behind.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { writeStageFile } from "../../../src/resource/stage.ts";
import { isRoot, skipUnless } from "../../helpers/skip.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("writeStageFile", () => {
  for (const mode of [0o600, 0o644, 0o755, 0o640, 0o4755, 0o2755, 0o1777]) {
    it(`creates .<base><digits> next to dest with mode 0${mode.toString(8)} and the content`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
      const dest = join(dir, "app.conf");
      const path = await writeStageFile(dest, bytes("hello\n"), { mode });
      assert.equal(dirname(path), dir);
      assert.match(basename(path), /^\.app\.conf\d+$/);
      assert.equal((await stat(path)).mode & 0o7777, mode);
      assert.equal(await readFile(path, "utf8"), "hello\n");
    });
  }

  it("applies the mode even when the umask would narrow it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
    const old = process.umask(0o077);
    try {
      const path = await writeStageFile(join(dir, "x"), bytes("x"), { mode: 0o664 });
      assert.equal((await stat(path)).mode & 0o7777, 0o664);
    } finally {
      process.umask(old);
    }
  });

  it("applies the owner when asked (as root)", { skip: skipUnless(isRoot(), "chown needs root") }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
    const path = await writeStageFile(join(dir, "x"), bytes("x"), { mode: 0o600, uid: 65534, gid: 65534 });
    const info = await stat(path);
    assert.equal(info.uid, 65534);
    assert.equal(info.gid, 65534);
  });

  it("says the directory does not exist", async () => {
    await assert.rejects(
      writeStageFile("/nonexistent/dir/app.conf", bytes("x"), { mode: 0o644 }),
      /cannot create stage file for \/nonexistent\/dir\/app\.conf: directory \/nonexistent\/dir does not exist/,
    );
  });

  it("leaves nothing behind when the owner cannot be set", {
    skip: skipUnless(!isRoot(), "root can chown anything (the non-root case)"),
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
    await assert.rejects(writeStageFile(join(dir, "x"), bytes("x"), { mode: 0o600, uid: 0 }), /cannot set owner/);
    assert.deepEqual(await readdir(dir), []);
  });
});
