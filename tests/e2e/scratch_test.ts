// The `FROM scratch` image without Docker: scripts/rootfs lays out the root the
// Dockerfile ships (the glibc binary and exactly the libraries `ldd` lists),
// the test mounts /proc in it as a container runtime would, and runs the
// binary there with chroot. Needs root (mount, chroot); skipped with the
// reason printed otherwise.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { ensureBinary, waitFor } from "./helpers/reconfd.ts";
import { EtcdServer } from "../helpers/etcd_server.ts";
import { skipUnless } from "../helpers/skip.ts";

const repo = new URL("../../", import.meta.url).pathname;
/** The binary's path inside the root, as in the Dockerfile's ENTRYPOINT. */
const ENTRYPOINT = "/usr/local/bin/reconfd";
/** The environment Docker gives a scratch container. */
const CONTAINER_ENV = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

/** Why this machine cannot run the test (not root, mount or chroot refused), or undefined. */
function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (mount -t proc, chroot)";
  const probe = mkdtempSync(join(tmpdir(), "reconfd-proc-probe-"));
  try {
    const m = spawnSync("mount", ["-t", "proc", "proc", probe], { encoding: "utf8" });
    if (m.status !== 0) return `mount -t proc is not permitted here: ${(m.stderr || String(m.error)).trim()}`;
    spawnSync("umount", [probe]);
    const c = spawnSync("chroot", ["/", "/bin/true"], { encoding: "utf8" });
    if (c.status !== 0) return `chroot is not permitted here: ${(c.stderr || String(c.error)).trim()}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  return undefined;
}

const why = skipReason();
const skip = skipUnless(why === undefined, `FROM scratch chroot: ${why}`);

/** Absolute paths of the shared libraries `ldd` lists for `binary` (the vDSO has none). */
function lddPaths(binary: string): string[] {
  const r = spawnSync("ldd", [binary], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").flatMap((line) => /(?:=> |^\s*)(\/\S+)/.exec(line)?.[1] ?? []);
}

/** Every file under `dir`, as absolute paths inside it ("/usr/local/bin/reconfd"). */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => "/" + relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function isMounted(path: string): boolean {
  return readFileSync("/proc/mounts", "utf8").split("\n").some((line) => line.split(" ")[1] === path);
}

let root = "";

/** Runs `fn` with proc mounted on ROOT/proc, and always unmounts it. */
async function withProc<T>(fn: () => T | Promise<T>): Promise<T> {
  const proc = join(root, "proc");
  const m = spawnSync("mount", ["-t", "proc", "proc", proc], { encoding: "utf8" });
  assert.equal(m.status, 0, `mount -t proc proc ${proc}: ${m.stderr}`);
  try {
    return await fn();
  } finally {
    // A lazy unmount as a fallback: a process still holding /proc/self/exe must not leave it mounted.
    if (spawnSync("umount", [proc]).status !== 0) spawnSync("umount", ["-l", proc]);
  }
}

/** Runs the binary inside the root, as `docker run IMAGE args...` would. */
function inRoot(args: string[]): SpawnSyncReturns<string> {
  return spawnSync("chroot", [root, ENTRYPOINT, ...args], { encoding: "utf8", env: CONTAINER_ENV, timeout: 30_000 });
}

describe("the binary in an empty root (the FROM scratch image)", { skip }, () => {
  let libraries: string[] = [];

  before(() => {
    const binary = ensureBinary();
    libraries = lddPaths(binary);
    root = mkdtempSync(join(tmpdir(), "reconfd-scratch-"));
    const r = spawnSync("bash", [join(repo, "scripts", "rootfs"), root, binary], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    mkdirSync(join(root, "proc")); // the mount point; a container runtime makes its own
  });

  after(() => {
    if (root === "") return;
    // Never remove a tree with proc still mounted in it.
    assert.ok(!isMounted(join(root, "proc")), `${root}/proc is still mounted`);
    rmSync(root, { recursive: true, force: true });
  });

  it("holds only the binary and the libraries ldd lists, at their own paths", () => {
    assert.ok(libraries.some((p) => p.endsWith("/libc.so.6")), `ldd lists no libc: ${libraries}`);
    assert.deepEqual(filesIn(root), [...libraries, ENTRYPOINT].sort());
  });

  it("cannot start without /proc (a container runtime mounts it)", () => {
    const r = inRoot(["-version"]);
    assert.notEqual(r.status, 0, "started without /proc: the mount in these tests proves nothing");
  });

  it("-version runs with /proc mounted", async () => {
    const r = await withProc(() => inRoot(["-version"]));
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^reconfd \d+\.\d+\.\d+ \(commit [0-9a-f]{12}(-dirty)?, bun \d+\.\d+\.\d+\)\n$/);
  });

  it("renders a file-backend template resource (no commands: scratch has no /bin/sh)", async () => {
    writeFileSync(join(root, "data.yaml"), "app:\n  name: web\n  servers:\n    a: 10.0.0.1:80\n    b: 10.0.0.2:80\n");
    mkdirSync(join(root, "confd", "conf.d"), { recursive: true });
    mkdirSync(join(root, "confd", "templates"), { recursive: true });
    mkdirSync(join(root, "out"));
    writeFileSync(
      join(root, "confd", "conf.d", "web.toml"),
      '[template]\nsrc = "web.tmpl"\ndest = "/out/web.conf"\nkeys = ["/app"]\nmode = "0640"\n',
    );
    writeFileSync(
      join(root, "confd", "templates", "web.tmpl"),
      'upstream {{getv "/app/name"}} {\n{{range getvs "/app/servers/*"}}  server {{.}};\n{{end}}}\n',
    );
    const r = await withProc(() =>
      inRoot(["-onetime", "-backend", "file", "-file", "/data.yaml", "-confdir", "/confd"])
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /INFO Target config \/out\/web\.conf has been updated\n/);
    assert.doesNotMatch(r.stderr, /ERROR|FATAL/);
    assert.equal(
      readFileSync(join(root, "out", "web.conf"), "utf8"),
      "upstream web {\n  server 10.0.0.1:80;\n  server 10.0.0.2:80;\n}\n",
    );
    assert.equal(statSync(join(root, "out", "web.conf")).mode & 0o777, 0o640);
  });

  it("runs the repository's nginx example with -sync-only (its commands need a shell)", async () => {
    cpSync(join(repo, "templates", "nginx"), join(root, "nginx"), { recursive: true });
    mkdirSync(join(root, "tmp"));
    const r = await withProc(() =>
      inRoot(["-onetime", "-backend", "file", "-file", "/nginx/services.yaml", "-confdir", "/nginx", "-sync-only"])
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Target config \/tmp\/reconfd-nginx\.conf has been updated/);
    assert.match(
      readFileSync(join(root, "tmp", "reconfd-nginx.conf"), "utf8"),
      /upstream web \{\n\s+server 10\.0\.0\.1:8080; # app1\n\s+server 10\.0\.0\.2:8080; # app2\n\s+\}/,
    );
  });

  it("follows etcd (-backend etcdv3 -watch): the lazily loaded gRPC client runs in the empty root", async () => {
    const etcd = await new EtcdServer().start();
    try {
      await etcd.put("/web/servers/a", "10.0.0.1:80");
      mkdirSync(join(root, "etcdconf", "conf.d"), { recursive: true });
      mkdirSync(join(root, "etcdconf", "templates"), { recursive: true });
      writeFileSync(
        join(root, "etcdconf", "conf.d", "web.toml"),
        '[template]\nsrc = "web.tmpl"\ndest = "/out/etcd.conf"\nkeys = ["/web/servers"]\n',
      );
      writeFileSync(
        join(root, "etcdconf", "templates", "web.tmpl"),
        '{{range getvs "/web/servers/*"}}server {{.}};\n{{end}}',
      );
      mkdirSync(join(root, "out"), { recursive: true });
      const dest = join(root, "out", "etcd.conf");
      const read = () => (existsSync(dest) ? readFileSync(dest, "utf8") : "");
      await withProc(async () => {
        const args = ["-watch", "-backend", "etcdv3", "-node", etcd.endpoint, "-confdir", "/etcdconf"];
        const child = spawn("chroot", [root, ENTRYPOINT, ...args], {
          env: CONTAINER_ENV,
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (b) => (stderr += b));
        const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
        try {
          await waitFor(() => read() === "server 10.0.0.1:80;\n", 15_000, () => stderr);
          await etcd.put("/web/servers/b", "10.0.0.2:80");
          await waitFor(() => read() === "server 10.0.0.1:80;\nserver 10.0.0.2:80;\n", 15_000, () => stderr);
        } finally {
          if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGTERM");
        }
        assert.equal(await exited, 0, stderr);
      });
    } finally {
      await etcd.destroy();
    }
  });
});
