// The file backend: YAML/JSON/TOML files and directories, -filter, key prefix
// semantics, and watch through file system events (rename-over-file saves too).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileBackend } from "../../../src/backends/file.ts";

async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "reconfd-file-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe("file backend getValues", () => {
  it("flattens YAML, JSON and TOML files; later files win", async () => {
    const dir = await dataDir({
      "a.yaml": "services:\n  web:\n    - host: 10.0.0.1\n      port: 80\ndatabase:\n  host: a\n",
      "b.json": '{"database": {"host": "b", "port": 5432}}',
      "c.toml": "[flags]\ndebug = true\nratio = 0.5\n",
    });
    const b = new FileBackend({ paths: ["a.yaml", "b.json", "c.toml"].map((f) => join(dir, f)) });
    const got = await b.getValues(["/"]);
    assert.deepEqual(Object.fromEntries(got.values), {
      "/services/web/0/host": "10.0.0.1",
      "/services/web/0/port": "80",
      "/database/host": "b",
      "/database/port": "5432",
      "/flags/debug": "true",
      "/flags/ratio": "0.5",
    });
  });

  it("reads YAML scalars as confd's yaml.v2 does", async () => {
    const dir = await dataDir({
      "v.yaml": "app:\n  enabled: yes\n  disabled: off\n  mode: 0755\n  big: 9007199254740993\n  when: 2026-11-27\n",
    });
    const b = new FileBackend({ paths: [join(dir, "v.yaml")] });
    assert.deepEqual(Object.fromEntries((await b.getValues(["/app"])).values), {
      "/app/enabled": "true",
      "/app/disabled": "false",
      "/app/mode": "493",
      "/app/big": "9007199254740993",
      "/app/when": "2026-11-27",
    });
  });

  it("keeps only keys equal to or under a requested key", async () => {
    const dir = await dataDir({ "d.yaml": "db:\n  host: h\n  hostname: n\n  port: 1\n" });
    const b = new FileBackend({ paths: [join(dir, "d.yaml")] });
    assert.deepEqual(Object.fromEntries((await b.getValues(["/db/host", "/db/port"])).values), {
      "/db/host": "h",
      "/db/port": "1",
    });
  });

  it("reads directories recursively, filtered by name", async () => {
    const dir = await dataDir({ "x.yaml": "a: 1\n", "sub/y.yaml": "b: 2\n", "sub/z.txt": "c: 3\n" });
    const b = new FileBackend({ paths: [dir], filter: "*.yaml" });
    assert.deepEqual(Object.fromEntries((await b.getValues(["/"])).values), { "/a": "1", "/b": "2" });
  });

  it("reads a Kubernetes ConfigMap directory: symlinked files yes, the symlinked ..data directory no", async () => {
    const dir = await dataDir({ "..v1/d.yaml": "a: 1\n" });
    await symlink("..v1", join(dir, "..data"));
    await symlink("..data/d.yaml", join(dir, "d.yaml"));
    const b = new FileBackend({ paths: [dir] });
    assert.deepEqual(Object.fromEntries((await b.getValues(["/"])).values), { "/a": "1" });
  });

  it("names the file that does not parse", async () => {
    const dir = await dataDir({ "bad.yaml": "a: [1\n" });
    const b = new FileBackend({ paths: [join(dir, "bad.yaml")] });
    await assert.rejects(b.getValues(["/"]), new RegExp(`cannot parse ${dir}/bad\\.yaml`));
  });

  it("reads base-60-looking values and keys as strings, as yaml.v2 does", async () => {
    const dir = await dataDir({
      "t.yaml": "ports:\n  ssh: 2222:22\n  at: 10:30\n10:30: k\nnoon: 12:00:00\noct: 0o17\nhex: 0X1f\n",
    });
    const b = new FileBackend({ paths: [join(dir, "t.yaml")] });
    assert.deepEqual(Object.fromEntries((await b.getValues(["/"])).values), {
      "/ports/ssh": "2222:22",
      "/ports/at": "10:30",
      "/10:30": "k",
      "/noon": "12:00:00",
      "/oct": "15",
      "/hex": "31",
    });
  });

  it("reads JSON files with the same reader (a 20-digit integer is dropped as confd drops it)", async () => {
    const dir = await dataDir({ "n.json": '{"u": 12345678901234567890, "i": 1, "f": 1.0, "d": "x"}' });
    const b = new FileBackend({ paths: [join(dir, "n.json")] });
    assert.deepEqual(Object.fromEntries((await b.getValues(["/"])).values), { "/i": "1", "/f": "1", "/d": "x" });
  });

  const unreadable: [name: string, text: string | Uint8Array, where: string, reason: string][] = [
    ["an unclosed quote", 'db:\n  password: "hunter2-secret\n', "3:1", "missing closing character"],
    [
      "a value that is a mapping",
      "db:\n  password: hunter2: secret\n",
      "2:13",
      "mapping values are not allowed in this context",
    ],
    ["invalid UTF-8", new Uint8Array([0x61, 0x3a, 0x20, 0x68, 0x75, 0x6e, 0xff, 0xfe, 0x0a]), "1:7", "invalid UTF-8"],
    ["a control character", "password: hunter2\u0007secret\n", "1:18", "control characters are not allowed"],
  ];
  for (const [name, text, where, reason] of unreadable) {
    it(`names file:line:col for ${name}, on one line, without the file's text`, async () => {
      const dir = await dataDir({});
      await writeFile(join(dir, "bad.yaml"), text);
      const b = new FileBackend({ paths: [join(dir, "bad.yaml")] });
      const err = await b.getValues(["/"]).then(() => undefined, (e: Error) => e);
      assert.ok(err instanceof Error);
      assert.equal(err.message, `cannot parse ${dir}/bad.yaml:${where}: ${reason}`);
      assert.doesNotMatch(err.message, /hunter|secret|password/);
    });
  }

  it("names a TOML error's place without the TOML parser's code frame", async () => {
    const dir = await dataDir({ "bad.toml": 'password = "hunter2-secret\n' });
    const b = new FileBackend({ paths: [join(dir, "bad.toml")] });
    const err = await b.getValues(["/"]).then(() => undefined, (e: Error) => e);
    assert.ok(err instanceof Error);
    assert.match(err.message, new RegExp(`^cannot parse ${dir}/bad\\.toml:1:\\d+: [a-z ]+$`));
    assert.doesNotMatch(err.message, /hunter|secret|password/);
  });

  it("names a missing file", async () => {
    const b = new FileBackend({ paths: ["/nonexistent/data.yaml"] });
    await assert.rejects(b.getValues(["/"]), /cannot read \/nonexistent\/data\.yaml/);
  });
});

describe("file backend watch", () => {
  const saves: { name: string; save: (path: string, text: string) => Promise<void> }[] = [
    { name: "an in-place write", save: (path, text) => writeFile(path, text) },
    {
      name: "an editor's rename-over-file save",
      save: async (path, text) => {
        await writeFile(path + ".swp", text);
        await rename(path + ".swp", path);
      },
    },
  ];
  for (const s of saves) {
    it(`wakes on ${s.name}, twice in a row`, async () => {
      const dir = await dataDir({ "d.yaml": "a: 1\n" });
      const path = join(dir, "d.yaml");
      const b = new FileBackend({ paths: [path] });
      const ac = new AbortController();
      try {
        const first = (await b.watch(["/a"], 0n, ac.signal)).index;
        assert.ok(first > 0, "first wait returns at once");
        const next = b.watch(["/a"], first, ac.signal);
        await new Promise((r) => setTimeout(r, 30));
        await s.save(path, "a: 2\n");
        const second = (await next).index;
        assert.ok(second > first);
        assert.equal((await b.getValues(["/a"])).values.get("/a"), "2");
        const again = b.watch(["/a"], second, ac.signal);
        await new Promise((r) => setTimeout(r, 30));
        await s.save(path, "a: 3\n");
        assert.ok((await again).index > second);
      } finally {
        ac.abort();
        await b.close();
      }
    });
  }

  // A symlinked -file changes without any event for its own name in its own directory.
  const symlinkUpdates: {
    name: string;
    layout: (dir: string) => Promise<{ path: string; update: () => Promise<void> }>;
  }[] = [
    {
      name: "a Kubernetes ConfigMap update (the ..data link swapped, the old directory removed)",
      layout: async (dir) => {
        await mkdir(join(dir, "..v1"));
        await writeFile(join(dir, "..v1", "d.yaml"), "a: 1\n");
        await symlink("..v1", join(dir, "..data"));
        await symlink("..data/d.yaml", join(dir, "d.yaml"));
        const update = async () => {
          await mkdir(join(dir, "..v2"));
          await writeFile(join(dir, "..v2", "d.yaml"), "a: 2\n");
          await symlink("..v2", join(dir, "..data_tmp"));
          await rename(join(dir, "..data_tmp"), join(dir, "..data"));
          await rm(join(dir, "..v1"), { recursive: true });
        };
        return { path: join(dir, "d.yaml"), update };
      },
    },
    {
      name: "an in-place edit of a symlinked file's target in another directory",
      layout: async (dir) => {
        await mkdir(join(dir, "real"));
        await mkdir(join(dir, "etc"));
        await writeFile(join(dir, "real", "d.yaml"), "a: 1\n");
        await symlink(join(dir, "real", "d.yaml"), join(dir, "etc", "d.yaml"));
        return { path: join(dir, "etc", "d.yaml"), update: () => writeFile(join(dir, "real", "d.yaml"), "a: 2\n") };
      },
    },
  ];
  for (const c of symlinkUpdates) {
    it(`wakes on ${c.name}`, async () => {
      const { path, update } = await c.layout(await dataDir({}));
      const b = new FileBackend({ paths: [path] });
      const ac = new AbortController();
      try {
        const first = (await b.watch(["/a"], 0n, ac.signal)).index;
        assert.equal((await b.getValues(["/a"])).values.get("/a"), "1");
        const next = b.watch(["/a"], first, ac.signal);
        await new Promise((r) => setTimeout(r, 30));
        await update();
        const woke = await Promise.race([
          next.then(() => true, () => false),
          new Promise((r) => setTimeout(() => r(false), 1000)),
        ]);
        assert.equal(woke, true, "the watch woke");
        assert.equal((await b.getValues(["/a"])).values.get("/a"), "2");
      } finally {
        ac.abort();
        await b.close();
      }
    });
  }

  it("wakes during a burst that never goes quiet (the debounce is bounded)", async () => {
    const dir = await dataDir({ "d.yaml": "a: 0\n" });
    const path = join(dir, "d.yaml");
    const b = new FileBackend({ paths: [path] });
    const ac = new AbortController();
    let writing = true;
    try {
      const first = (await b.watch([], 0n, ac.signal)).index;
      const next = b.watch([], first, ac.signal);
      const burst = (async () => {
        for (let i = 1; writing; i++) {
          await writeFile(path, `a: ${i}\n`);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const woke = await Promise.race([
        next.then(() => true, () => false),
        new Promise((r) => setTimeout(() => r(false), 2000)),
      ]);
      writing = false;
      await burst;
      assert.equal(woke, true, "a watcher woke while the file kept changing");
    } finally {
      writing = false;
      ac.abort();
      await b.close();
    }
  });

  it("does not lose a change made between two waits", async () => {
    const dir = await dataDir({ "d.yaml": "a: 1\n" });
    const path = join(dir, "d.yaml");
    const b = new FileBackend({ paths: [path] });
    const ac = new AbortController();
    try {
      const first = (await b.watch([], 0n, ac.signal)).index;
      await writeFile(path, "a: 2\n");
      await new Promise((r) => setTimeout(r, 150));
      assert.ok((await b.watch([], first, ac.signal)).index > first);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("rejects with the abort reason", async () => {
    const dir = await dataDir({ "d.yaml": "a: 1\n" });
    const b = new FileBackend({ paths: [join(dir, "d.yaml")] });
    const ac = new AbortController();
    const first = (await b.watch([], 0n, ac.signal)).index;
    const p = b.watch([], first, ac.signal);
    ac.abort(new Error("bye"));
    await assert.rejects(p, /bye/);
    await b.close();
  });
});
