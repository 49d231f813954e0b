// The compiled binary refusing what is unsafe in a template resource: a src outside templates/,
// a dest the shell would interpret pasted into a shell command, untrusted dest symlinks; and
// staying safe under load: command output kept bounded, argv commands without a shell,
// stage files of a killed process removed (in-place writes: resource_test.ts).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { BINARY, Daemon, runReconfd, Sandbox } from "./helpers/reconfd.ts";
import { skipUnless } from "../helpers/skip.ts";

const TMPL = 'value={{getv "/app/value"}}\n';
const DATA = "app:\n  value: new\n";

/** A sandbox with data.yaml and one resource t.toml writing `dest` (default out/t.conf) with `extra` lines. */
function setup(extra = "", dest?: string) {
  const sb = new Sandbox();
  mkdirSync(sb.path("out"), { recursive: true });
  const target = dest ?? sb.path("out", "t.conf");
  sb.write("data.yaml", DATA);
  sb.resource({
    name: "t.toml",
    toml: `[template]\nsrc = "t.tmpl"\ndest = ${JSON.stringify(target)}\nkeys = ["/app"]\n${extra}`,
    tmplName: "t.tmpl",
    tmpl: TMPL,
  });
  const args = ["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir];
  return { sb, dest: target, args };
}

/** Peak resident memory (VmHWM, in MB) of a running process, polled until it exits. */
async function peakRssMb(daemon: Daemon): Promise<number> {
  let peak = 0;
  let done = false;
  daemon.exited.then(() => (done = true));
  while (!done) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, "utf8"));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // exited between the checks
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return peak;
}

describe("command output", () => {
  it("300 MB of check_cmd output: memory stays bounded, the last 64 KiB are logged quoted, the drop is said", async () => {
    const { sb, dest, args } = setup(
      `check_cmd = "head -c 300000000 /dev/zero; printf '\\\\033[31mLAST'; exit 1"\n`,
    );
    const d = new Daemon(args);
    // Unbounded capture would take ~10 GB and minutes here: never leave such a process behind.
    const guard = setTimeout(() => d.child.kill("SIGKILL"), 30_000);
    const peak = await peakRssMb(d);
    const code = await d.exited;
    clearTimeout(guard);
    assert.equal(code, 1, d.stderr.slice(-2000));
    assert.ok(peak < 200, `peak RSS ${peak.toFixed(0)} MB`);
    assert.match(d.stderr, /ERROR output: 299934473 bytes dropped, the last part follows/);
    assert.match(d.stderr, /ERROR "(\\x00)+\\x1b\[31mLAST"\n/);
    assert.ok(d.stderr.length < 400_000, `log is ${d.stderr.length} bytes`);
    assert.ok(!d.stderr.includes("\x00") && !d.stderr.includes("\x1b"), "no raw control character reaches the log");
    assert.match(d.stderr, /ERROR Config check failed: exit status 1/);
    assert.equal(existsSync(dest), false);
    assert.deepEqual(sb.stageFiles(sb.path("out")), []);
  });
});

describe("check_cmd / reload_cmd as an argv array", () => {
  it("runs each element as one argument, without a shell; .src and .dest are templates there too", async () => {
    const sb0 = new Sandbox();
    const dir = sb0.path("a dir; with $(shell) 'chars'");
    mkdirSync(dir);
    const { sb, dest, args } = setup(
      `check_cmd = ["cp", "{{.src}}", "${sb0.path("checked")}"]\nreload_cmd = ["touch", "{{.dest}}.reloaded"]\n`,
      `${dir}/t.conf`,
    );
    const r = await runReconfd([...args, "-log-level", "debug"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(dest, "utf8"), "value=new\n");
    assert.equal(readFileSync(sb0.path("checked"), "utf8"), "value=new\n");
    assert.ok(existsSync(`${dest}.reloaded`));
    assert.match(r.stderr, /DEBUG Running "touch" ".*\.reloaded"/);
    assert.deepEqual(sb.stageFiles(dir), []);
  });

  it("an empty array or a non-string element is a load error with file:line", async () => {
    const { args } = setup(`check_cmd = []\nreload_cmd = ["x", 1]\n`);
    const r = await runReconfd(args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR Cannot load template resource \S+\/t\.toml:5: key "check_cmd" is an empty array/);
    assert.match(
      r.stderr,
      /ERROR Cannot load template resource \S+\/t\.toml:6: key "reload_cmd" must be a string or an array of strings/,
    );
  });
});

describe("src must lie under templates/", () => {
  const escape = `[template]\nsrc = "../../etc/passwd"\ndest = "/tmp/reconfd-never-written"\n`;

  it("a src climbing out of templates/ with .. is refused at load, with file:line; nothing is written", async () => {
    const sb = new Sandbox();
    sb.write("data.yaml", DATA);
    sb.resource({ name: "t.toml", toml: escape });
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ERROR Cannot load template resource \S+\/t\.toml:2: key "src" \("\.\.\/\.\.\/etc\/passwd"\) leads outside the templates directory/,
    );
    assert.equal(existsSync("/tmp/reconfd-never-written"), false);
  });

  it("reconfd check reports it too (and does not read the file as a template)", async () => {
    const sb = new Sandbox();
    sb.resource({ name: "t.toml", toml: escape });
    const r = await runReconfd(["check", "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /\/t\.toml:2: key "src" \("\.\.\/\.\.\/etc\/passwd"\) leads outside the templates directory/,
    );
    assert.doesNotMatch(r.stdout, /passwd,|Unable to process/);
    assert.match(r.stdout, /1 problem\n$/);
  });

  it("an absolute src stays under templates/, as in confd", async () => {
    const { sb, dest, args } = setup();
    sb.resource({
      name: "t.toml",
      toml: `[template]\nsrc = "/t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n`,
    });
    const r = await runReconfd(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(dest, "utf8"), "value=new\n");
  });
});

describe("a dest the shell would interpret, pasted into a shell command", () => {
  it("is refused at load with file:line: the injected command never runs", async () => {
    const sb0 = new Sandbox();
    const marker = sb0.path("PWNED");
    const { sb, dest, args } = setup(
      `reload_cmd = "echo {{.dest}}"\n`,
      sb0.path(`a.conf;touch ${marker};.conf`),
    );
    const r = await runReconfd(args);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ERROR Cannot load template resource \S+\/t\.toml:5: reload_cmd: \{\{\.dest\}\} is pasted as is into a \/bin\/sh command, but dest ".+" holds characters the shell would interpret \(";" " "\)/,
    );
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(dest), false);
    assert.deepEqual(sb.stageFiles(sb0.dir), []);
  });

  it("{{.src}} counts too (the stage file lies beside dest), and reconfd check reports it", async () => {
    const sb0 = new Sandbox();
    mkdirSync(sb0.path("my dir"));
    const { sb } = setup(`check_cmd = "nginx -t -c {{.src}}"\n`, sb0.path("my dir", "t.conf"));
    const r = await runReconfd(["check", "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /\/t\.toml:5: check_cmd: \{\{\.src\}\} is pasted as is into a \/bin\/sh command, but the stage file "\S+\/my dir\/\.t\.conf\d+" holds characters the shell would interpret \(" "\)/,
    );
  });

  it("a plain dest linking into a directory the shell would interpret is refused when processed", async () => {
    const sb0 = new Sandbox();
    mkdirSync(sb0.path("my;dir"));
    const { sb, dest, args } = setup(`check_cmd = "test -s {{.src}}"\n`);
    symlinkSync(sb0.path("my;dir", "t.conf"), dest);
    const r = await runReconfd(args);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ERROR \{\{\.src\}\} is pasted as is into a \/bin\/sh command, but the stage file "\S+\/my;dir\/\.t\.conf\d+"/,
    );
    assert.equal(existsSync(sb0.path("my;dir", "t.conf")), false);
    assert.deepEqual(sb.stageFiles(sb0.path("my;dir")), []);
  });

  it("a string command that uses neither path, or a dest of plain characters, runs", async () => {
    const sb0 = new Sandbox();
    mkdirSync(sb0.path("odd;dir"));
    const { dest, args } = setup(`reload_cmd = "true"\n`, sb0.path("odd;dir", "t.conf"));
    const r = await runReconfd(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(dest, "utf8"), "value=new\n");
  });
});

const isRoot = process.geteuid?.() === 0;
const mountable = isRoot &&
  spawnSync("sh", ["-c", "d=$(mktemp -d) && mount -t tmpfs -o size=16k tmpfs $d && umount $d"]).status === 0;

describe("a symlinked dest", () => {
  it("a link owned by another user is refused: its target untouched, the link kept, exit 1", {
    skip: skipUnless(isRoot, "a link owned by another user needs root to make"),
  }, async () => {
    const { sb, dest, args } = setup();
    const target = sb.write("victim.conf", "precious\n");
    symlinkSync(target, dest);
    lchownSync(dest, 4242, 4242);
    const r = await runReconfd(args);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ERROR refusing to write \S+\/out\/t\.conf through the symlink \S+\/out\/t\.conf: it is owned by uid 4242, neither the effective uid 0 nor \S+\/out's owner \(uid 0\)/,
    );
    assert.equal(readFileSync(target, "utf8"), "precious\n");
    assert.ok(lstatSync(dest).isSymbolicLink());
    assert.deepEqual(sb.stageFiles(sb.path("out")), []);
    assert.deepEqual(sb.stageFiles(), []);
  });

  it("a link in a sticky world-writable directory is refused", async () => {
    const { sb, dest, args } = setup();
    chmodSync(sb.path("out"), 0o1777);
    const target = sb.write("victim.conf", "precious\n");
    symlinkSync(target, dest);
    const r = await runReconfd(args);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ERROR refusing to write \S+ through the symlink \S+: it lies in \S+\/out, which is sticky and world-writable/,
    );
    assert.equal(readFileSync(target, "utf8"), "precious\n");
    assert.ok(lstatSync(dest).isSymbolicLink());
  });

  it("lnk/../t.conf is the file beside the link's target, as a reader of that path gets it", async () => {
    const sb0 = new Sandbox();
    mkdirSync(sb0.path("real", "deep"), { recursive: true });
    symlinkSync(sb0.path("real", "deep"), sb0.path("lnk"));
    const { args } = setup("", `${sb0.path("lnk")}/../t.conf`);
    const r = await runReconfd(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(sb0.path("real", "t.conf"), "utf8"), "value=new\n");
    assert.equal(existsSync(sb0.path("t.conf")), false);
  });

  it("a dest through a directory that does not exist is refused, even with a .. after it", async () => {
    const sb0 = new Sandbox();
    const { args } = setup("", `${sb0.path("nodir")}/../t.conf`);
    const r = await runReconfd(args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR cannot write \S+\/nodir\/\.\.\/t\.conf: directory \S+\/nodir does not exist/);
    assert.equal(existsSync(sb0.path("t.conf")), false);
  });
});

describe("stage files a killed process left", () => {
  it("are removed at start (old ones of ours, each logged); a fresh one stays", async () => {
    const { sb, args } = setup();
    const hourAgo = new Date(Date.now() - 3_600_000);
    const stale = sb.write("out/.t.conf12345", "half-written secret");
    utimesSync(stale, hourAgo, hourAgo);
    const fresh = sb.write("out/.t.conf67890", "another process is checking me");
    const r = await runReconfd(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`INFO Removed stale stage file ${stale.replaceAll(".", "\\.")} \\(left by a process`),
    );
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(fresh), true);
  });

  for (const flag of ["-noop", "-keep-stage-file"]) {
    it(`${flag} removes nothing`, async () => {
      const { sb, args } = setup();
      const hourAgo = new Date(Date.now() - 3_600_000);
      const stale = sb.write("out/.t.conf12345", "x");
      utimesSync(stale, hourAgo, hourAgo);
      const r = await runReconfd([...args, flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(existsSync(stale), true);
    });
  }
});

describe("a slim image without /bin/sh (the binary alone in a chroot)", () => {
  const canChroot = mountable && spawnSync("which", ["chroot", "ldd"]).status === 0;
  it("a string command is a load error with file:line; an argv command runs", {
    skip: skipUnless(canChroot, "the chroot test needs root, mount, chroot and ldd"),
  }, () => {
    const sb = new Sandbox();
    const root = sb.path("root");
    mkdirSync(join(root, "proc"), { recursive: true });
    mkdirSync(join(root, "out"));
    copyFileSync(BINARY, join(root, "reconfd"));
    chmodSync(join(root, "reconfd"), 0o755);
    const libs = spawnSync("ldd", [BINARY], { encoding: "utf8" }).stdout.match(/\/\S+/g) ?? [];
    for (const lib of libs) {
      mkdirSync(join(root, dirname(lib)), { recursive: true });
      copyFileSync(lib, join(root, lib));
    }
    writeFileSync(join(root, "data.yaml"), DATA);
    mkdirSync(join(root, "confdir", "conf.d"), { recursive: true });
    mkdirSync(join(root, "confdir", "templates"));
    writeFileSync(join(root, "confdir", "templates", "t.tmpl"), TMPL);
    const resource = (name: string, cmd: string) =>
      writeFileSync(
        join(root, "confdir", "conf.d", `${name}.toml`),
        `[template]\nsrc = "t.tmpl"\ndest = "/out/${name}.conf"\nkeys = ["/app"]\nreload_cmd = ${cmd}\n`,
      );
    resource("shell", `"kill -HUP 1"`);
    resource("argv", `["/reconfd", "-version"]`);
    // What a container runtime provides even in a scratch image: /proc and /dev/null.
    mkdirSync(join(root, "dev"));
    assert.equal(spawnSync("mknod", ["-m", "666", join(root, "dev", "null"), "c", "1", "3"]).status, 0);
    assert.equal(spawnSync("mount", ["-t", "proc", "proc", join(root, "proc")]).status, 0);
    try {
      const r = spawnSync(
        "chroot",
        [root, "/reconfd", "-onetime", "-backend", "file", "-file", "/data.yaml", "-confdir", "/confdir"],
        {
          encoding: "utf8",
          env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin", CONFD_CONFIG_FILE: "/nonexistent" },
        },
      );
      assert.equal(r.status, 1, `${r.error ?? ""} ${r.stderr}`);
      assert.match(
        r.stderr,
        /ERROR Cannot load template resource \/confdir\/conf\.d\/shell\.toml:5: reload_cmd: a string command runs with \/bin\/sh, which does not exist here; write it as an array/,
      );
      assert.equal(existsSync(join(root, "out", "shell.conf")), false);
      assert.equal(readFileSync(join(root, "out", "argv.conf"), "utf8"), "value=new\n");
      assert.match(r.stderr, /INFO Target config \/out\/argv\.conf has been updated/);
    } finally {
      spawnSync("umount", [join(root, "proc")]);
    }
  });
});
