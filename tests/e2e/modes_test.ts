// Run modes from the compiled binary: watch with the file backend (edits are
// followed), interval picking up a new conf.d file, and SIGTERM during a slow
// reload_cmd (the command finishes, exit 0, no stage file left); a second SIGTERM
// during a hung check_cmd (its process group is killed, no stage file left).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { Daemon, Sandbox, waitFor } from "./helpers/reconfd.ts";
import process from "node:process";

const TMPL = 'value={{getv "/app/value"}}\n';

function resourceToml(dest: string, extra = ""): string {
  return `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n${extra}`;
}

function fileContent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

describe("run modes", () => {
  it("watch: renders at start, then follows edits of the data file (also rename-over saves)", async () => {
    const sb = new Sandbox();
    const data = sb.write("data.yaml", "app:\n  value: one\n");
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    sb.resource({ name: "t.toml", toml: resourceToml(dest), tmplName: "t.tmpl", tmpl: TMPL });
    const d = new Daemon(["-watch", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    try {
      await waitFor(() => fileContent(dest) === "value=one\n", 10_000, () => d.stderr);
      writeFileSync(data, "app:\n  value: two\n");
      await waitFor(() => fileContent(dest) === "value=two\n", 10_000, () => d.stderr);
      writeFileSync(data + ".tmp", "app:\n  value: three\n");
      renameSync(data + ".tmp", data);
      await waitFor(() => fileContent(dest) === "value=three\n", 10_000, () => d.stderr);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
    assert.deepEqual(sb.stageFiles(sb.path("out")), []);
  });

  it("watch: SIGHUP re-reads conf.d (a new resource renders); SIGHUP during bootstrap does not end it", async () => {
    const sb = new Sandbox();
    const data = sb.path("data.yaml");
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    const added = sb.path("out", "added.conf");
    sb.resource({ name: "t.toml", toml: resourceToml(dest), tmplName: "t.tmpl", tmpl: TMPL });
    const d = new Daemon(["-watch", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    try {
      await d.waitForLog(/Bootstrap attempt 1:/);
      process.kill(d.child.pid!, "SIGHUP");
      await d.waitForLog(/Captured SIGHUP before the first render/);
      writeFileSync(data, "app:\n  value: one\n");
      await waitFor(() => fileContent(dest) === "value=one\n", 10_000, () => d.stderr);
      sb.resource({ name: "added.toml", toml: resourceToml(added) });
      process.kill(d.child.pid!, "SIGHUP");
      await waitFor(() => fileContent(added) === "value=one\n", 10_000, () => d.stderr);
      assert.match(d.stderr, /INFO Reloaded the configuration: 2 template resources/);
      writeFileSync(data, "app:\n  value: two\n");
      await waitFor(() => fileContent(added) === "value=two\n" && fileContent(dest) === "value=two\n", 10_000);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0, d.stderr);
    }
  });

  it("watch: the env backend renders once at start (confd renders nothing)", async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    sb.resource({ name: "t.toml", toml: resourceToml(dest), tmplName: "t.tmpl", tmpl: TMPL });
    const d = new Daemon(["-watch", "-backend", "env", "-confdir", sb.confdir], { env: { APP_VALUE: "from-env" } });
    try {
      await waitFor(() => fileContent(dest) === "value=from-env\n", 10_000, () => d.stderr);
    } finally {
      assert.equal(await d.stop("SIGINT"), 0);
    }
  });

  it("interval: re-reads conf.d each pass and picks up a new resource", async () => {
    const sb = new Sandbox();
    const data = sb.write("data.yaml", "app:\n  value: one\n");
    mkdirSync(sb.path("out"));
    const first = sb.path("out", "first.conf");
    const second = sb.path("out", "second.conf");
    sb.resource({ name: "a.toml", toml: resourceToml(first), tmplName: "t.tmpl", tmpl: TMPL });
    const d = new Daemon(["-interval", "1", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    try {
      await waitFor(() => fileContent(first) === "value=one\n", 10_000, () => d.stderr);
      sb.resource({ name: "b.toml", toml: resourceToml(second) });
      await waitFor(() => fileContent(second) === "value=one\n", 10_000, () => d.stderr);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });

  it("SIGTERM during a slow reload_cmd: the command finishes, exit 0, no stage file", async () => {
    const sb = new Sandbox();
    const data = sb.write("data.yaml", "app:\n  value: one\n");
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    const marker = sb.path("reloaded");
    sb.resource({
      name: "t.toml",
      toml: resourceToml(dest, `reload_cmd = "echo started; sleep 1; echo done > ${marker}"\n`),
      tmplName: "t.tmpl",
      tmpl: TMPL,
    });
    const d = new Daemon([
      "-interval",
      "60",
      "-log-level",
      "debug",
      "-backend",
      "file",
      "-file",
      data,
      "-confdir",
      sb.confdir,
    ]);
    await d.waitForLog(/DEBUG Running echo started/);
    const started = Date.now();
    const code = await d.stop("SIGTERM");
    assert.equal(code, 0, d.stderr);
    assert.ok(Date.now() - started >= 500, "the process waited for the reload command");
    assert.equal(fileContent(marker), "done\n");
    assert.equal(fileContent(dest), "value=one\n");
    assert.deepEqual(sb.stageFiles(sb.path("out")), []);
    assert.match(d.stderr, /Target config \S+ has been updated/);
  });

  it("a second SIGTERM during a hung check_cmd: the command's process group is killed, no stage file", async () => {
    const sb = new Sandbox();
    const data = sb.write("data.yaml", "app:\n  value: one\n");
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    const pidFile = sb.path("sleep.pid");
    sb.resource({
      name: "t.toml",
      toml: resourceToml(dest, `check_cmd = "sleep 30 & echo $! > ${pidFile}; wait"\n`),
      tmplName: "t.tmpl",
      tmpl: TMPL,
    });
    const d = new Daemon(["-interval", "60", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    await waitFor(() => (fileContent(pidFile) ?? "").endsWith("\n"), 10_000, () => d.stderr);
    const pid = Number(fileContent(pidFile));
    if (d.child.pid !== undefined) process.kill(d.child.pid, "SIGTERM");
    await d.waitForLog(/Captured terminated/);
    assert.equal(await d.stop("SIGTERM"), 0, d.stderr);
    // Gone, or a zombie waiting for a reaper: either way no longer running.
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    await waitFor(() => !running(), 2_000, () => `the check command's sleep (pid ${pid}) still runs`);
    assert.deepEqual(sb.stageFiles(sb.path("out")), []);
    assert.equal(fileContent(dest), undefined);
  });
});
