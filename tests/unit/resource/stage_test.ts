// Stage files: name pattern, final mode regardless of umask, owner, a name already taken never
// reused nor followed, large content whole, clear errors, nothing left behind.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { mkdtemp, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
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

  it("never reuses nor follows a name already taken (a symlink planted at the first name tried)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
    const victim = join(dir, "victim");
    await writeFile(victim, "untouched");
    await symlink(victim, join(dir, ".app.conf1"));
    // The stage name's digits, made predictable: 1 (taken), then 2.
    const random = crypto.getRandomValues;
    let next = 1;
    crypto.getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
      (array as unknown as Uint32Array)[0] = next++;
      return array;
    };
    let path: string;
    try {
      path = await writeStageFile(join(dir, "app.conf"), bytes("new"), { mode: 0o644 });
    } finally {
      crypto.getRandomValues = random;
    }
    assert.equal(path, join(dir, ".app.conf2"));
    assert.equal(await readFile(path, "utf8"), "new");
    assert.equal(await readFile(victim, "utf8"), "untouched");
    assert.equal(await readlink(join(dir, ".app.conf1")), victim);
  });

  it("writes content of many megabytes whole", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
    const content = new Uint8Array(8 << 20);
    for (let i = 0; i < content.length; i++) content[i] = i % 251;
    const path = await writeStageFile(join(dir, "big"), content, { mode: 0o600 });
    assert.ok(Buffer.from(content).equals(await readFile(path)));
  });

  it("leaves nothing behind when the owner cannot be set (a uid beyond 32 bits, refused even to root)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-stage-"));
    await assert.rejects(
      writeStageFile(join(dir, "x"), bytes("x"), { mode: 0o600, uid: 2 ** 32 }),
      new RegExp(`^StageError: cannot write stage file ${dir}/\\.x\\d+ for ${dir}/x: cannot set owner 4294967296:-1: `),
    );
    assert.deepEqual(await readdir(dir), []);
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
