// The compiled binary processing one template resource: every row of confd's
// outcome table (dest missing, identical, mode/owner differ, noop, sync-only,
// check fails, reload fails, missing key), plus stage-file hygiene, secrets,
// symlinks, a missing directory, a full disk, a bind-mounted dest (also on a full disk) and
// per-resource load errors.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  watch,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { BINARY, runReconfd, Sandbox } from "./helpers/reconfd.ts";
import { isRoot, skipUnless } from "../helpers/skip.ts";

const TMPL = 'value={{getv "/app/value"}}\n';
const DATA = "app:\n  value: new\n";

interface Case {
  name: string;
  /** Extra [template] lines (mode, check_cmd, ...); CMDLOG is replaced by the command log path. */
  toml?: string;
  tmpl?: string;
  /** Pre-existing dest. */
  dest?: { content: string; mode: number; uid?: number };
  flags?: string[];
  want: {
    code: number;
    /** dest content afterwards (null: must not exist). */
    dest: string | null;
    mode?: number;
    uid?: number;
    /** dest must be the very same file (inode and mtime). */
    untouched?: boolean;
    /** Lines the commands appended to the command log, in order. */
    commands: string[];
    log?: RegExp[];
    notLog?: RegExp[];
    stdout?: RegExp;
  };
}

const COMMANDS = `check_cmd = "echo check >> CMDLOG"\nreload_cmd = "echo reload >> CMDLOG"\n`;

const cases: Case[] = [
  {
    name: "dest missing: created with mode 0644, check then reload",
    toml: COMMANDS,
    want: {
      code: 0,
      dest: "value=new\n",
      mode: 0o644,
      commands: ["check", "reload"],
      log: [/INFO Target config \S+ out of sync/, /INFO Target config \S+ has been updated/],
    },
  },
  {
    name: "identical: untouched, no commands, nothing logged at info",
    toml: `mode = "0644"\n${COMMANDS}`,
    dest: { content: "value=new\n", mode: 0o644 },
    want: { code: 0, dest: "value=new\n", untouched: true, commands: [], notLog: [/out of sync/, /has been updated/] },
  },
  {
    name: "only the mode differs: replaced, commands run",
    toml: `mode = "0644"\n${COMMANDS}`,
    dest: { content: "value=new\n", mode: 0o600 },
    want: {
      code: 0,
      dest: "value=new\n",
      mode: 0o644,
      commands: ["check", "reload"],
      log: [/INFO \S+ has mode -rw------- should be -rw-r--r--/, /out of sync/],
    },
  },
  ...([[0o4755, "urwxr-xr-x"], [0o2755, "grwxr-xr-x"], [0o1777, "trwxrwxrwx"]] as const).flatMap(([mode, text]) => [
    {
      name: `mode 0${mode.toString(8)}: the special bits are applied to dest (confd dropped them)`,
      toml: `mode = "0${mode.toString(8)}"\n${COMMANDS}`,
      dest: { content: "value=new\n", mode: 0o755 },
      want: {
        code: 0,
        dest: "value=new\n",
        mode,
        commands: ["check", "reload"],
        log: [new RegExp(`INFO \\S+ has mode -rwxr-xr-x should be ${text}`)],
      },
    },
    {
      name: `mode 0${mode.toString(8)}: a dest that has them is in sync`,
      toml: `mode = "0${mode.toString(8)}"\n${COMMANDS}`,
      dest: { content: "value=new\n", mode },
      want: { code: 0, dest: "value=new\n", mode, untouched: true, commands: [] },
    },
  ]),
  {
    name: "the owner differs: replaced and chowned back",
    toml: `mode = "0644"\n${COMMANDS}`,
    dest: { content: "value=new\n", mode: 0o644, uid: 65534 },
    want: {
      code: 0,
      dest: "value=new\n",
      uid: 0,
      commands: ["check", "reload"],
      log: [/INFO \S+ has UID 65534 should be 0/],
    },
  },
  {
    name: "noop with -diff: untouched, no commands, a diff on stdout",
    toml: COMMANDS,
    dest: { content: "value=old\n", mode: 0o644 },
    flags: ["-noop", "-diff"],
    want: {
      code: 0,
      dest: "value=old\n",
      untouched: true,
      commands: [],
      log: [
        /INFO \S+ has md5sum [0-9a-f]{32} should be [0-9a-f]{32}/,
        /WARNING Noop mode enabled\. \S+ will not be modified/,
      ],
      stdout: /^--- \S+\tcurrent\n\+\+\+ \S+\trendered\n@@ -1,1 \+1,1 @@\n-value=old\n\+value=new\n$/,
    },
  },
  {
    name: "sync-only: replaced, no commands",
    toml: COMMANDS,
    dest: { content: "value=old\n", mode: 0o644 },
    flags: ["-sync-only"],
    want: { code: 0, dest: "value=new\n", commands: [], log: [/out of sync/, /has been updated/] },
  },
  {
    name: "check_cmd fails: dest untouched, reload not run, output logged, exit 1",
    toml: `check_cmd = "echo check >> CMDLOG; echo bad-config; exit 3"\nreload_cmd = "echo reload >> CMDLOG"\n`,
    dest: { content: "value=old\n", mode: 0o644 },
    want: {
      code: 1,
      dest: "value=old\n",
      untouched: true,
      commands: ["check"],
      log: [/ERROR "bad-config\\n"/, /ERROR Config check failed: exit status 3/],
      notLog: [/has been updated/],
    },
  },
  {
    name: "reload_cmd fails: dest replaced, error logged, exit 1",
    toml: `check_cmd = "echo check >> CMDLOG"\nreload_cmd = "echo reload >> CMDLOG; echo no-reload >&2; exit 7"\n`,
    dest: { content: "value=old\n", mode: 0o644 },
    want: {
      code: 1,
      dest: "value=new\n",
      commands: ["check", "reload"],
      log: [/ERROR "no-reload\\n"/, /ERROR Reload command failed: exit status 7/],
      notLog: [/has been updated/],
    },
  },
  {
    name: "a missing key: dest untouched, no commands, exit 1",
    toml: COMMANDS,
    tmpl: 'value={{getv "/app/nokey"}}\n',
    dest: { content: "value=old\n", mode: 0o644 },
    want: {
      code: 1,
      dest: "value=old\n",
      untouched: true,
      commands: [],
      log: [
        /ERROR template: t\.tmpl:1:\d+: executing "t\.tmpl" at <getv "\/app\/nokey">: error calling getv: key does not exist: \/app\/nokey/,
      ],
    },
  },
  {
    name: "a check that outlives check_timeout is killed and fails",
    toml: `check_cmd = "echo check >> CMDLOG; sleep 5"\ncheck_timeout = "300ms"\n`,
    dest: { content: "value=old\n", mode: 0o644 },
    want: {
      code: 1,
      dest: "value=old\n",
      untouched: true,
      commands: ["check"],
      log: [/ERROR Config check failed: timed out after 300ms, killed/],
    },
  },
  {
    name: "check_cmd and reload_cmd see {{.src}} (the stage file) and {{.dest}}",
    toml: `check_cmd = "cat {{.src}} >> CMDLOG"\nreload_cmd = "echo {{.dest}} >> CMDLOG"\n`,
    want: { code: 0, dest: "value=new\n", commands: ["value=new", "DEST"] },
  },
];

function setup(c: Pick<Case, "toml" | "tmpl" | "dest">) {
  const sb = new Sandbox();
  const dest = sb.path("out", "t.conf");
  mkdirSync(sb.path("out"));
  const cmdlog = sb.path("commands.log");
  sb.write("data.yaml", DATA);
  sb.resource({
    name: "t.toml",
    toml: `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n${
      (c.toml ?? "").replaceAll("CMDLOG", cmdlog)
    }`,
    tmplName: "t.tmpl",
    tmpl: c.tmpl ?? TMPL,
  });
  if (c.dest) {
    writeFileSync(dest, c.dest.content);
    chmodSync(dest, c.dest.mode);
    if (c.dest.uid !== undefined) chownSync(dest, c.dest.uid, 0);
  }
  const args = ["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir];
  return { sb, dest, cmdlog, args };
}

describe("processing a template resource (outcome table)", () => {
  for (const c of cases) {
    // A dest owned by someone else can only be made (and chowned back) by root.
    const skip = c.dest?.uid === undefined ? false : skipUnless(isRoot(), "a dest owned by another user needs root");
    it(c.name, { skip }, async () => {
      const { sb, dest, cmdlog, args } = setup(c);
      const before = existsSync(dest) ? statSync(dest) : undefined;
      const r = await runReconfd([...args, ...(c.flags ?? [])]);
      assert.equal(r.code, c.want.code, r.stderr);
      if (c.want.dest === null) assert.equal(existsSync(dest), false);
      else assert.equal(readFileSync(dest, "utf8"), c.want.dest);
      const after = statSync(dest);
      if (c.want.mode !== undefined) assert.equal(after.mode & 0o7777, c.want.mode);
      if (c.want.uid !== undefined) assert.equal(after.uid, c.want.uid);
      if (c.want.untouched) {
        assert.equal(after.ino, before?.ino, "an untouched dest keeps its inode");
        assert.equal(after.mtimeMs, before?.mtimeMs, "an untouched dest keeps its mtime");
      }
      const commands = existsSync(cmdlog) ? readFileSync(cmdlog, "utf8").trim().split("\n") : [];
      assert.deepEqual(commands, c.want.commands.map((l) => (l === "DEST" ? dest : l)));
      for (const re of c.want.log ?? []) assert.match(r.stderr, re);
      for (const re of c.want.notLog ?? []) assert.doesNotMatch(r.stderr, re);
      if (c.want.stdout) assert.match(r.stdout, c.want.stdout);
      else assert.equal(r.stdout, "");
      assert.deepEqual(sb.stageFiles(sb.path("out")), [], "no stage file is left behind");
    });
  }

  it("-keep-stage-file keeps the checked stage file after a failed check", async () => {
    const { sb, args } = setup({ toml: `check_cmd = "exit 3"\n`, dest: { content: "value=old\n", mode: 0o644 } });
    const r = await runReconfd([...args, "-keep-stage-file"]);
    assert.equal(r.code, 1);
    const kept = sb.stageFiles(sb.path("out"));
    assert.equal(kept.length, 1);
    assert.match(kept[0], /^\.t\.conf\d+$/);
    assert.match(r.stderr, new RegExp(`INFO Keeping staged file: \\S+/${kept[0].replaceAll(".", "\\.")}`));
    assert.equal(readFileSync(sb.path("out", kept[0]), "utf8"), "value=new\n");
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it("-noop -diff is colored on a terminal (a pseudo-terminal from script -qc), plain when piped", {
    skip: skipUnless(hasScript, "script(1) is not installed"),
  }, async () => {
    const { args } = setup({ dest: { content: "value=old\n", mode: 0o644 } });
    const argv = [BINARY, ...args, "-noop", "-diff"];
    const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    const tty = spawnSync("script", ["-qc", `${quoted} 2>/dev/null`, "/dev/null"], { encoding: "utf8" });
    assert.equal(tty.status, 0, tty.stderr);
    assert.ok(tty.stdout.includes("\x1b[31m-value=old\x1b[0m"), JSON.stringify(tty.stdout));
    assert.ok(tty.stdout.includes("\x1b[32m+value=new\x1b[0m"), JSON.stringify(tty.stdout));
    const piped = await runReconfd([...args, "-noop", "-diff"]);
    assert.match(piped.stdout, /^-value=old$/m);
    assert.ok(!piped.stdout.includes("\x1b["), JSON.stringify(piped.stdout));
  });

  it("a secret (mode 0600) is never readable by others, not even as a stage file", async () => {
    const { sb, cmdlog, args } = setup({ toml: `mode = "0600"\ncheck_cmd = "stat -c %a {{.src}} >> CMDLOG"\n` });
    const seen: number[] = [];
    const w = watch(sb.path("out"), (_e, name) => {
      try {
        seen.push(lstatSync(join(sb.path("out"), String(name))).mode & 0o777);
      } catch {
        // gone already
      }
    });
    try {
      const r = await runReconfd(args);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      w.close();
    }
    assert.deepEqual(readFileSync(cmdlog, "utf8"), "600\n");
    assert.equal(statSync(sb.path("out", "t.conf")).mode & 0o777, 0o600);
    assert.ok(seen.length > 0, "the watcher saw the files");
    for (const m of seen) assert.equal(m & 0o077, 0, `a file had mode 0${m.toString(8)}`);
  });

  it("a symlinked dest is written through: the link stays, its target gets the content", async () => {
    const { sb, dest, args } = setup({});
    mkdirSync(sb.path("available"));
    writeFileSync(sb.path("available", "t.conf"), "value=old\n");
    symlinkSync(sb.path("available", "t.conf"), dest);
    const r = await runReconfd(args);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(dest).isSymbolicLink());
    assert.equal(readFileSync(sb.path("available", "t.conf"), "utf8"), "value=new\n");
    assert.deepEqual(sb.stageFiles(sb.path("available")), []);
  });

  it("a dest directory that does not exist is a clear error", async () => {
    const sb = new Sandbox();
    sb.write("data.yaml", DATA);
    const dest = sb.path("nodir", "t.conf");
    sb.resource({
      name: "t.toml",
      toml: `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n`,
      tmplName: "t.tmpl",
      tmpl: TMPL,
    });
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`ERROR cannot write ${dest}: directory ${sb.path("nodir")} does not exist`));
  });

  const mountable =
    spawnSync("sh", ["-c", "d=$(mktemp -d) && mount -t tmpfs -o size=16k tmpfs $d && umount $d"]).status === 0;
  const fullDisks: { name: string; mountOpts: string; bigRender: boolean; error: RegExp }[] = [
    {
      name: "a full disk (16k tmpfs)",
      mountOpts: "size=16k",
      bigRender: true,
      error: /cannot write stage file \S+ for \S+: .*ENOSPC|no space left on device/i,
    },
    {
      name: "a read-only directory (ro tmpfs)",
      mountOpts: "ro,size=16k",
      bigRender: false,
      error: /cannot create stage file for \S+: .*(EROFS|read-only file system)/i,
    },
  ];
  for (const fd of fullDisks) {
    it(`${fd.name}: clear error, dest untouched, no stage file`, {
      skip: skipUnless(mountable, "mount -t tmpfs is not permitted here (needs root)"),
    }, async () => {
      const { sb, dest, args } = setup({
        tmpl: fd.bigRender ? '{{range seq 1 4000}}{{getv "/app/value"}} padding padding\n{{end}}' : TMPL,
      });
      writeFileSync(sb.path("old.conf"), "value=old\n");
      const out = sb.path("out");
      assert.equal(spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", out]).status, 0);
      try {
        writeFileSync(dest, "value=old\n");
        if (fd.mountOpts.startsWith("ro")) assert.equal(spawnSync("mount", ["-o", "remount,ro", out]).status, 0);
        const r = await runReconfd(args);
        assert.equal(r.code, 1);
        assert.match(r.stderr, fd.error);
        assert.equal(readFileSync(dest, "utf8"), "value=old\n");
        assert.deepEqual(sb.stageFiles(out), []);
      } finally {
        spawnSync("umount", [out]);
      }
    });
  }

  it("a bind-mounted dest (rename gives EBUSY) is written in place", {
    skip: skipUnless(mountable, "mount is not permitted here (needs root)"),
  }, async () => {
    const { sb, dest, args } = setup({});
    const backing = sb.write("backing.conf", "value=old\n");
    writeFileSync(dest, "");
    assert.equal(spawnSync("mount", ["--bind", backing, dest]).status, 0);
    try {
      const r = await runReconfd([...args, "-log-level", "debug"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /DEBUG Rename failed - target is likely a mount\. Trying to write instead/);
      assert.equal(readFileSync(dest, "utf8"), "value=new\n");
      assert.equal(readFileSync(backing, "utf8"), "value=new\n");
      assert.deepEqual(sb.stageFiles(sb.path("out")), []);
    } finally {
      spawnSync("umount", [dest]);
    }
  });

  /** Mounts a tmpfs of `size` on `dir`; returns its unmount. */
  function tmpfs(dir: string, size: string): () => void {
    mkdirSync(dir, { recursive: true });
    assert.equal(spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status, 0);
    return () => spawnSync("umount", [dir]);
  }

  it("a bind-mounted dest on a full disk keeps its old content whole (confd left it cut short)", {
    skip: skipUnless(mountable, "mount is not permitted here (needs root)"),
  }, async () => {
    const { sb, dest, args } = setup({ tmpl: '{{range seq 1 1000}}{{getv "/app/value"}} padding padding\n{{end}}' });
    const unmountDisk = tmpfs(sb.path("disk"), "32k");
    const old = "old line\n".repeat(1000); // 9000 bytes: three pages of the eight
    const backing = sb.write("disk/backing.conf", old);
    writeFileSync(sb.path("disk", "filler"), new Uint8Array(16 * 1024));
    writeFileSync(dest, "");
    assert.equal(spawnSync("mount", ["--bind", backing, dest]).status, 0);
    try {
      const r = await runReconfd(args);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(readFileSync(dest, "utf8"), old);
      assert.match(r.stderr, /ERROR cannot write \S+ in place, left unchanged: .*(ENOSPC|no space left)/i);
      assert.deepEqual(sb.stageFiles(sb.path("out")), []);
    } finally {
      spawnSync("umount", [dest]);
      unmountDisk();
    }
  });

  it(
    "a bind-mounted dest: a shorter rendering is cut to its length; mode and owner are applied, so the next pass is in sync",
    {
      skip: skipUnless(mountable, "mount is not permitted here (needs root)"),
    },
    async () => {
      const { sb, dest, args } = setup({ toml: `mode = "0600"\nuid = 0\ngid = 0\n` });
      const backing = sb.write("backing.conf", "a much longer old content than the new one\n");
      chmodSync(backing, 0o644);
      chownSync(backing, 4242, 4242);
      writeFileSync(dest, "");
      assert.equal(spawnSync("mount", ["--bind", backing, dest]).status, 0);
      try {
        const r = await runReconfd(args);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(readFileSync(backing, "utf8"), "value=new\n");
        const st = statSync(backing);
        assert.equal(st.mode & 0o7777, 0o600);
        assert.deepEqual([st.uid, st.gid], [0, 0]);
        const again = await runReconfd(args);
        assert.equal(again.code, 0, again.stderr);
        assert.doesNotMatch(again.stderr, /out of sync|has mode/);
      } finally {
        spawnSync("umount", [dest]);
      }
    },
  );

  it("load errors are per resource: all reported with file:line, the good one still runs, exit 1", async () => {
    const sb = new Sandbox();
    sb.write("data.yaml", DATA);
    mkdirSync(sb.path("out"));
    const good = sb.path("out", "good.conf");
    sb.resource({
      name: "a-bad.toml",
      toml: `[template]\nsrc = "t.tmpl"\ndest = "${sb.path("out", "a")}"\nownr = "root"\n`,
    });
    sb.resource({
      name: "b-good.toml",
      toml: `[template]\nsrc = "t.tmpl"\ndest = "${good}"\nkeys = ["/app"]\n`,
      tmplName: "t.tmpl",
      tmpl: TMPL,
    });
    sb.resource({ name: "c-syntax.toml", toml: `[template]\nsrc = "t.tmpl\n` });
    sb.resource({
      name: "d-parse.toml",
      toml: `[template]\nsrc = "broken.tmpl"\ndest = "${sb.path("out", "d")}"\n`,
      tmplName: "broken.tmpl",
      tmpl: "{{if}}",
    });
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.equal(readFileSync(good, "utf8"), "value=new\n");
    assert.match(
      r.stderr,
      /ERROR Cannot load template resource \S+\/a-bad\.toml:4: unknown key "ownr" in \[template\]/,
    );
    assert.match(r.stderr, /ERROR Cannot load template resource \S+\/c-syntax\.toml:2:\d+: invalid TOML/);
    assert.match(
      r.stderr,
      /ERROR Unable to process template \S+\/broken\.tmpl, template: broken\.tmpl:1: missing value for if/,
    );
  });

  it("writes the template's bytes unchanged, also those that are not UTF-8 (a Latin-1 template)", async () => {
    const sb = new Sandbox();
    sb.write("data.yaml", DATA);
    const dest = sb.path("latin1.conf");
    sb.resource({ name: "t.toml", toml: `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n` });
    writeFileSync(sb.path("confdir", "templates", "t.tmpl"), new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...readFileSync(dest)], [0x63, 0x61, 0x66, 0xe9, 0x0a]);
    // In sync on the next pass: the comparison sees the same bytes.
    const again = await runReconfd([
      "-onetime",
      "-backend",
      "file",
      "-file",
      sb.path("data.yaml"),
      "-confdir",
      sb.confdir,
    ]);
    assert.doesNotMatch(again.stderr, /out of sync/);
  });

  it("a reload_cmd holding another tool's template is a load error with file:line and a hint; dest untouched", async () => {
    const sb = new Sandbox();
    sb.write("data.yaml", DATA);
    const dest = sb.path("out.conf");
    const marker = sb.path("ran");
    sb.resource({
      name: "t.toml",
      toml:
        `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\ncheck_cmd = "touch ${marker}"\nreload_cmd = "docker ps --format '{{.ID}}'"\n`,
      tmplName: "t.tmpl",
      tmpl: TMPL,
    });
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ERROR Cannot load template resource \S+\/t\.toml:6: reload_cmd: template: reloadcmd:1:\d+: executing "reloadcmd" at <\.ID>: map has no entry for key "ID" \(only \{\{\.src\}\} and \{\{\.dest\}\} exist; write a literal \{\{ as \{\{"\{\{"\}\}\)/,
    );
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(marker), false);
    assert.deepEqual(sb.stageFiles(), []);
  });
});
