// Comparing a candidate with dest: confd's difference lines, in confd's order.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { compareWithDest, md5 } from "../../../src/resource/compare.ts";
import { fileModeString } from "../../../src/resource/file_mode.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const uid = process.geteuid?.() ?? 0;
const gid = process.getegid?.() ?? 0;

async function destWith(text: string, mode: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "reconfd-cmp-"));
  const dest = join(dir, "d.conf");
  await writeFile(dest, text);
  await chmod(dest, mode);
  return dest;
}

describe("compareWithDest", () => {
  it("a missing dest is changed, with no detail lines, mode 0644 by default", () => {
    const cmp = compareWithDest("/nonexistent/reconfd/d.conf", {
      content: bytes("x"),
      mode: undefined,
      uid,
      gid,
    });
    assert.equal(cmp.changed, true);
    assert.deepEqual(cmp.differences, []);
    assert.equal(cmp.mode, 0o644);
  });

  it("identical content, mode and owner is in sync", async () => {
    const dest = await destWith("same\n", 0o640);
    const cmp = compareWithDest(dest, { content: bytes("same\n"), mode: 0o640, uid, gid });
    assert.equal(cmp.changed, false);
    assert.deepEqual(cmp.differences, []);
  });

  it("an unset mode keeps dest's current mode", async () => {
    const dest = await destWith("same\n", 0o600);
    const cmp = compareWithDest(dest, { content: bytes("same\n"), mode: undefined, uid, gid });
    assert.equal(cmp.changed, false);
    assert.equal(cmp.mode, 0o600);
  });

  it("logs uid, gid, mode and md5 differences in confd's order", async () => {
    const dest = await destWith("old\n", 0o600);
    const cmp = compareWithDest(dest, { content: bytes("new\n"), mode: 0o644, uid: uid + 1, gid: gid + 1 });
    assert.deepEqual(cmp.differences, [
      `${dest} has UID ${uid} should be ${uid + 1}`,
      `${dest} has GID ${gid} should be ${gid + 1}`,
      `${dest} has mode -rw------- should be -rw-r--r--`,
      `${dest} has md5sum 814fa5ca98406a903e22b43d9b610105 should be 9cd599a3523898e6a12e13ec787da50a`,
    ]);
    assert.equal(new TextDecoder().decode(cmp.current), "old\n");
  });

  it("follows a symlinked dest", async () => {
    const target = await destWith("same\n", 0o644);
    const link = target + ".link";
    await symlink(target, link);
    const cmp = compareWithDest(link, { content: bytes("same\n"), mode: 0o644, uid, gid });
    assert.equal(cmp.changed, false);
  });
});

describe("fileModeString", () => {
  const cases: [number, string][] = [
    [0o644, "-rw-r--r--"],
    [0o600, "-rw-------"],
    [0o755, "-rwxr-xr-x"],
    [0o4755, "urwxr-xr-x"],
    [0o1777, "trwxrwxrwx"],
    [0, "----------"],
  ];
  for (const [mode, want] of cases) {
    it(`0${mode.toString(8)} prints ${want}`, () => assert.equal(fileModeString(mode), want));
  }

  it("md5 is the hex digest confd logs (fixed strings, not the function under test)", () => {
    assert.equal(md5(bytes("")), "d41d8cd98f00b204e9800998ecf8427e");
    assert.equal(md5(bytes("old\n")), "814fa5ca98406a903e22b43d9b610105");
  });

  for (
    const [mode, text] of [[0o4755, "urwxr-xr-x"], [0o2755, "grwxr-xr-x"], [0o1777, "trwxrwxrwx"], [
      0o6755,
      "ugrwxr-xr-x",
    ]] as const
  ) {
    it(`a dest with special bits 0${mode.toString(8)} is in sync only with them, and says ${text}`, async () => {
      const dest = await destWith("same\n", mode);
      const same = compareWithDest(dest, { content: bytes("same\n"), mode, uid, gid });
      assert.equal(same.changed, false);
      assert.equal(same.mode, mode);
      const plain = compareWithDest(dest, { content: bytes("same\n"), mode: 0o755, uid, gid });
      assert.equal(plain.changed, true);
      assert.deepEqual(plain.differences, [`${dest} has mode ${text} should be -rwxr-xr-x`]);
      // An unset mode keeps dest's, special bits included.
      assert.equal(compareWithDest(dest, { content: bytes("x"), mode: undefined, uid, gid }).mode, mode);
    });
  }
});
