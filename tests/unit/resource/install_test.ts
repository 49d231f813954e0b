// Installing: where dest really is (symlinks written through, missing directory), and the rename.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, chown, lchown, lstat, mkdir, mkdtemp, readFile, realpath, symlink, writeFile } from "node:fs/promises";
import process from "node:process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installStageFile, resolveDest, writeInPlace } from "../../../src/resource/install.ts";
import { skipUnless } from "../../helpers/skip.ts";

describe("resolveDest", () => {
  it("returns a regular dest as an absolute path", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    assert.equal(resolveDest(join(dir, "a.conf")), join(dir, "a.conf"));
  });

  it("follows a symlink to its target", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await mkdir(join(dir, "available"));
    await writeFile(join(dir, "available", "site"), "old");
    await mkdir(join(dir, "enabled"));
    await symlink("../available/site", join(dir, "enabled", "site"));
    assert.equal(resolveDest(join(dir, "enabled", "site")), join(dir, "available", "site"));
  });

  it("follows a dangling symlink to where its target would be", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await symlink("target.conf", join(dir, "link.conf"));
    assert.equal(resolveDest(join(dir, "link.conf")), join(dir, "target.conf"));
  });

  it("says when dest's directory does not exist", () => {
    assert.throws(
      () => resolveDest("/nonexistent/reconfd/a.conf"),
      /cannot write \/nonexistent\/reconfd\/a\.conf: directory \/nonexistent does not exist/,
    );
  });

  it("takes .. after a symlink as the kernel does: lnk/../a.conf is beside lnk's target", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await mkdir(join(dir, "real", "deep"), { recursive: true });
    await symlink(join(dir, "real", "deep"), join(dir, "lnk"));
    assert.equal(resolveDest(join(dir, "lnk") + "/../a.conf"), join(dir, "real", "a.conf"));
  });

  it("refuses a dest whose directories do not all exist, even when a .. would step back out", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    assert.throws(
      () => resolveDest(`${dir}/nodir/../a.conf`),
      { message: `cannot write ${dir}/nodir/../a.conf: directory ${dir}/nodir does not exist` },
    );
    await writeFile(join(dir, "file"), "");
    assert.throws(() => resolveDest(`${dir}/file/a.conf`), { message: /: \S+\/file is not a directory$/ });
    assert.throws(() => resolveDest(`${dir}/..`), { message: /is a directory$/ });
  });

  it("reports a symlink loop", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await symlink("b", join(dir, "a"));
    await symlink("a", join(dir, "b"));
    assert.throws(() => resolveDest(join(dir, "a")), /too many levels of symbolic links/);
  });
});

describe("resolveDest trusts a dest symlink as protected_symlinks would", () => {
  const root = process.geteuid?.() === 0;
  const skip = skipUnless(root, "links owned by another user need root to make");

  /** dir (mode dirMode, owner dirUid) holding link -> target, the link owned by linkUid. */
  async function layout(dirMode: number, dirUid: number, linkUid: number) {
    const base = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    const dir = join(base, "d");
    await mkdir(dir);
    await chmod(dir, dirMode);
    await chown(dir, dirUid, 0);
    await writeFile(join(base, "target.conf"), "old");
    await symlink(join(base, "target.conf"), join(dir, "link.conf"));
    await lchown(join(dir, "link.conf"), linkUid, 0);
    return { link: join(dir, "link.conf"), target: join(base, "target.conf"), dir };
  }

  const cases: { name: string; dirMode: number; dirUid: number; linkUid: number; euid: number; error?: RegExp }[] = [
    { name: "a link of ours in a directory of ours is followed", dirMode: 0o755, dirUid: 0, linkUid: 0, euid: 0 },
    {
      name: "a link of the directory's owner is followed (root's link, we run as 1000)",
      dirMode: 0o755,
      dirUid: 0,
      linkUid: 0,
      euid: 1000,
    },
    {
      name: "a link of a third user is refused, even in a directory that is not sticky",
      dirMode: 0o775,
      dirUid: 0,
      linkUid: 4242,
      euid: 0,
      error:
        /through the symlink \S+link\.conf: it is owned by uid 4242, neither the effective uid 0 nor \S+'s owner \(uid 0\)/,
    },
    {
      name: "a link in a sticky world-writable directory (/tmp) is refused",
      dirMode: 0o1777,
      dirUid: 0,
      linkUid: 4242,
      euid: 0,
      error: /it lies in \S+, which is sticky and world-writable/,
    },
    {
      name: "even our own link in a sticky world-writable directory is refused",
      dirMode: 0o1777,
      dirUid: 0,
      linkUid: 0,
      euid: 0,
      error: /sticky and world-writable/,
    },
  ];
  for (const c of cases) {
    it(c.name, { skip }, async () => {
      const { link, target } = await layout(c.dirMode, c.dirUid, c.linkUid);
      if (c.error) assert.throws(() => resolveDest(link, { euid: c.euid }), { message: c.error });
      else assert.equal(resolveDest(link, { euid: c.euid }), target);
    });
  }

  it("each link a dest link leads to is checked too", { skip }, async () => {
    const base = await realpath(await mkdtemp(join(tmpdir(), "reconfd-inst-")));
    await mkdir(join(base, "pub"), { mode: 0o1777 });
    await chmod(join(base, "pub"), 0o1777);
    await symlink(join(base, "pub", "hop"), join(base, "link.conf"));
    await symlink("/etc/shadow-not-really", join(base, "pub", "hop"));
    await lchown(join(base, "pub", "hop"), 4242, 0);
    assert.throws(() => resolveDest(join(base, "link.conf"), { euid: 0 }), /symlink \S+\/pub\/hop: it lies in/);
  });

  it("a link to a directory on the way (not at dest) is not checked, as the kernel", { skip }, async () => {
    const { dir } = await layout(0o1777, 0, 4242);
    await mkdir(join(dir, "sub"));
    await symlink(join(dir, "sub"), join(dir, "dirlink"));
    await lchown(join(dir, "dirlink"), 4242, 0);
    assert.equal(resolveDest(join(dir, "dirlink", "x.conf"), { euid: 0 }), join(dir, "sub", "x.conf"));
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

describe("writeInPlace (the bind-mounted dest path)", () => {
  const cases: { name: string; old: string; next: string }[] = [
    { name: "a longer content extends the file", old: "short\n", next: "a much longer content\n".repeat(50) },
    { name: "a shorter content cuts the file to its length", old: "a much longer content\n".repeat(50), next: "x\n" },
    { name: "an equal length overwrites", old: "aaaa", next: "bbbb" },
    { name: "an empty content empties the file", old: "old", next: "" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = await mkdtemp(join(tmpdir(), "reconfd-inst-"));
      const target = join(dir, "a.conf");
      await writeFile(target, c.old);
      const ino = (await lstat(target)).ino;
      await writeInPlace(target, new TextEncoder().encode(c.next), { mode: 0o640 });
      assert.equal(await readFile(target, "utf8"), c.next);
      const info = await lstat(target);
      assert.equal(info.ino, ino, "the same file, written in place");
      assert.equal(info.mode & 0o7777, 0o640);
    });
  }

  it("refuses a symlink (dest is resolved before; a link appearing since is not followed)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-inst-"));
    await writeFile(join(dir, "victim"), "precious");
    await symlink(join(dir, "victim"), join(dir, "a.conf"));
    await assert.rejects(writeInPlace(join(dir, "a.conf"), new Uint8Array([1])), /cannot write \S+ in place: .*ELOOP/);
    assert.equal(await readFile(join(dir, "victim"), "utf8"), "precious");
  });
});
