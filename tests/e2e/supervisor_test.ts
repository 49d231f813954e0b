// The supervised service through the compiled binary (file backend): it starts
// only after the first render, its output passes through, signals reach it
// (SIGTERM as the kill signal, SIGUSR1 forwarded, SIGHUP as the reload signal),
// a child that ignores the kill signal is SIGKILLed after the timeout, its exit
// code is reconfd's, an argv after -- runs without a shell; and as PID 1 of a
// PID namespace, orphans left by the service and by commands are reaped.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { Daemon, ensureBinary, runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";
import { skipUnless } from "../helpers/skip.ts";

const TMPL = 'value={{getv "/app/value"}}\n';

/** A sandbox with one resource rendering /app/value into `dest`, and its data file (unless `data` is ""). */
function setup(data = "app:\n  value: one\n", extra = "") {
  const sb = new Sandbox();
  const dataFile = sb.path("data.yaml");
  if (data !== "") writeFileSync(dataFile, data);
  const dest = sb.path("t.conf");
  sb.resource({
    name: "t.toml",
    toml: `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n${extra}`,
    tmplName: "t.tmpl",
    tmpl: TMPL,
  });
  const args = (
    ...more: string[]
  ) => ["-watch", "-backend", "file", "-file", dataFile, "-confdir", sb.confdir, ...more];
  return { sb, dataFile, dest, args };
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");

/** A sh script that appends the name of each signal it traps to `file`, and exits 0 on TERM. */
function trapper(file: string, ready: string): string {
  return `trap 'echo HUP >> ${file}' HUP; trap 'echo USR1 >> ${file}' USR1; ` +
    `trap 'echo TERM >> ${file}; exit 0' TERM; : > ${ready}; while :; do sleep 0.05; done`;
}

describe("supervised service", () => {
  it("starts after the first render; its stdout and stderr pass through; its exit 0 is ours", async () => {
    const { dest, args } = setup();
    const r = await runReconfd(args("-exec", `cat ${dest}; echo to-stderr >&2`));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "value=one\n");
    assert.match(r.stderr, /^to-stderr$/m);
    assert.match(r.stderr, /INFO Starting service \(pid \d+\): \/bin\/sh -c cat /);
  });

  it("a bootstrap that fails first (data file missing) delays the service until it rendered", async () => {
    const { sb, dataFile, dest, args } = setup("");
    const seen = sb.path("seen");
    const d = new Daemon(args("-exec", `cat ${dest} > ${seen}; exec sleep 100`));
    try {
      await d.waitForLog(/Bootstrap attempt 1: 1 of 1 template resources not rendered/);
      assert.equal(existsSync(seen), false);
      writeFileSync(dataFile, "app:\n  value: late\n");
      await waitFor(() => read(seen) === "value=late\n", 15_000, () => d.stderr);
      assert.match(d.stderr, /Bootstrap done after \d+ attempts[\s\S]*Starting service/);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });

  it("SIGTERM: the service gets SIGTERM, reconfd exits 0, no stage file is left", async () => {
    const { sb, args } = setup();
    const signals = sb.path("signals");
    const ready = sb.path("ready");
    const d = new Daemon(args("-exec", trapper(signals, ready)));
    await waitFor(() => existsSync(ready), 10_000, () => d.stderr);
    assert.equal(await d.stop("SIGTERM"), 0, d.stderr);
    assert.equal(read(signals), "TERM\n");
    assert.match(d.stderr, /INFO Stopping service \(pid \d+\) with SIGTERM/);
    assert.deepEqual(sb.stageFiles(), []);
  });

  it("a service ignoring SIGTERM is SIGKILLed (its group) after -exec-kill-timeout; exit 137", async () => {
    const { sb, args } = setup();
    const ready = sb.path("ready");
    const d = new Daemon(args("-exec-kill-timeout", "1s", "-exec", `trap '' TERM; : > ${ready}; exec sleep 100`));
    await waitFor(() => existsSync(ready), 10_000, () => d.stderr);
    const started = Date.now();
    assert.equal(await d.stop("SIGTERM"), 137, d.stderr);
    assert.ok(Date.now() - started >= 950, `stopped after ${Date.now() - started} ms`);
    assert.match(d.stderr, /WARNING Service did not stop within 1s of SIGTERM; killing its process group/);
  });

  it("a second SIGTERM while the service ignores the first: reconfd exits at once, the service is killed", async () => {
    const { sb, args } = setup();
    const pidFile = sb.path("pid");
    const d = new Daemon(args("-exec", `trap '' TERM; echo $$ > ${pidFile}; exec sleep 100`));
    await waitFor(() => read(pidFile).endsWith("\n"), 10_000, () => d.stderr);
    const service = Number(read(pidFile));
    process.kill(d.child.pid!, "SIGTERM");
    await d.waitForLog(/Stopping service/);
    const started = Date.now();
    assert.equal(await d.stop("SIGTERM"), 0, d.stderr);
    assert.ok(Date.now() - started < 5000, "did not wait out the 30s kill timeout");
    await waitFor(
      () => {
        try {
          process.kill(service, 0);
          return readFileSync(`/proc/${service}/stat`, "utf8").includes(") Z ");
        } catch {
          return true;
        }
      },
      5000,
      () => `service ${service} still runs`,
    );
  });

  it("interval mode starts the service after the first pass too", async () => {
    const { sb, dest } = setup();
    const r = await runReconfd([
      "-interval",
      "60",
      "-backend",
      "file",
      "-file",
      sb.path("data.yaml"),
      "-confdir",
      sb.confdir,
      "-exec",
      `cat ${dest}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "value=one\n");
  });

  it("the service's exit code 3 is reconfd's", async () => {
    const { args } = setup();
    const r = await runReconfd(args("-exec", "exit 3"));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /ERROR Service ended \(exit status 3\); stopping/);
  });

  it("a service killed by SIGKILL from outside makes reconfd exit 137", async () => {
    const { sb, args } = setup();
    const pidFile = sb.path("pid");
    const d = new Daemon(args("-exec", `echo $$ > ${pidFile}; exec sleep 100`));
    await waitFor(() => read(pidFile).endsWith("\n"), 10_000, () => d.stderr);
    process.kill(Number(read(pidFile)), "SIGKILL");
    assert.equal(await d.exited, 137, d.stderr);
  });

  it("SIGUSR1 is forwarded to the service", async () => {
    const { sb, args } = setup();
    const signals = sb.path("signals");
    const ready = sb.path("ready");
    const d = new Daemon(args("-exec", trapper(signals, ready)));
    try {
      await waitFor(() => existsSync(ready), 10_000, () => d.stderr);
      process.kill(d.child.pid!, "SIGUSR1");
      await waitFor(() => read(signals) === "USR1\n", 10_000, () => d.stderr);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });

  it("SIGHUP reloads reconfd's configuration without restarting (or signalling) the service", async () => {
    const { sb, args } = setup();
    const signals = sb.path("signals");
    const ready = sb.path("ready");
    const added = sb.path("added.conf");
    const d = new Daemon(args("-exec", trapper(signals, ready)));
    try {
      await waitFor(() => existsSync(ready), 10_000, () => d.stderr);
      sb.resource({ name: "added.toml", toml: `[template]\nsrc = "t.tmpl"\ndest = "${added}"\nkeys = ["/app"]\n` });
      process.kill(d.child.pid!, "SIGHUP");
      await waitFor(() => read(added) === "value=one\n", 10_000, () => d.stderr);
      assert.equal(read(signals), "", "the service got no signal");
      assert.equal(d.stderr.match(/INFO Starting service/g)?.length, 1, "the service was started once");
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
    assert.equal(read(signals), "TERM\n");
  });

  it("-exec-reload-signal SIGHUP: sent after a data change updated dest, not at start", async () => {
    const { sb, dataFile, dest, args } = setup();
    const signals = sb.path("signals");
    const ready = sb.path("ready");
    const d = new Daemon(args("-exec-reload-signal", "SIGHUP", "-exec", trapper(signals, ready)));
    try {
      await waitFor(() => existsSync(ready), 10_000, () => d.stderr);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(read(signals), "", "no reload for the first render");
      writeFileSync(dataFile, "app:\n  value: two\n");
      await waitFor(() => read(signals) === "HUP\n", 10_000, () => d.stderr);
      assert.equal(read(dest), "value=two\n");
      assert.match(d.stderr, /INFO Sent SIGHUP to the service \(.*t\.toml updated\)/);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });

  it("an argv after -- runs without a shell: spaces, quotes and $ stay as they are", async () => {
    const { args } = setup();
    const arg = `daemon off; "quoted" 'single' $HOME`;
    const r = await runReconfd([...args(), "--", "printf", "%s|%s", "two words", arg]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `two words|${arg}`);
  });

  it("-exec with -onetime is refused (exit 1), nothing is started", async () => {
    const { sb, args } = setup();
    const marker = sb.path("started");
    const r = await runReconfd([...args("-onetime", "-exec", `touch ${marker}`)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /FATAL flag -exec: a supervised service .* needs watch or interval mode/);
    assert.equal(existsSync(marker), false);
  });
});

/** Processes whose parent is `ppid`, as "pid:state" (read from the host's /proc). */
function childrenOf(ppid: number): { pid: number; state: string }[] {
  const found: { pid: number; state: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(parent) === ppid) found.push({ pid: Number(name), state });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function unshareWorks(): string | undefined {
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"], { encoding: "utf8" });
  if (r.error) return `unshare not available: ${r.error.message}`;
  if (r.status !== 0) return `unshare --pid --fork --mount-proc not permitted here: ${r.stderr.trim()}`;
  return undefined;
}

describe("reaping as PID 1", () => {
  const why = unshareWorks();
  if (why !== undefined) console.log(`skipping the PID-namespace reaping test: ${why}`);

  it("reaps the orphans a service and reload commands leave, while check commands still work", {
    skip: skipUnless(why === undefined, `PID-namespace reaping: ${why}`),
  }, async () => {
    // Each reload leaves three orphans (double-forked sleeps); so does the service at start.
    const { dataFile, dest, args } = setup(
      "app:\n  value: one\n",
      `check_cmd = "test -s {{.src}}"\nreload_cmd = "for i in 1 2 3; do (sleep 0.1 &); done"\n`,
    );
    const orphans = "for i in 1 2 3; do (sleep 0.1 &); done";
    const child = spawn(
      "unshare",
      [
        "--pid",
        "--fork",
        "--mount-proc",
        ensureBinary(),
        ...args("-log-level", "debug", "-exec", `${orphans}; exec sleep 100`),
      ],
      {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CONFD_CONFIG_FILE: "/nonexistent/confd.toml" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (b) => (stderr += b));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    let reconfd = 0;
    try {
      await waitFor(() => /Starting service/.test(stderr), 15_000, () => stderr);
      // reconfd is PID 1 inside; outside, it is unshare's child.
      reconfd = childrenOf(child.pid!)[0]?.pid ?? 0;
      assert.ok(reconfd > 0, "found reconfd's host pid");
      for (const value of ["two", "three", "four"]) {
        writeFileSync(dataFile, `app:\n  value: ${value}\n`);
        await waitFor(() => read(dest) === `value=${value}\n`, 10_000, () => stderr);
      }
      // The sleeps end after 0.1 s; their zombies are re-parented to PID 1 and reaped within a scan.
      await waitFor(
        () => /Reaped \d+ orphaned process/.test(stderr) && childrenOf(reconfd).every((p) => p.state !== "Z"),
        10_000,
        () => `zombies left: ${JSON.stringify(childrenOf(reconfd))}\n${stderr}`,
      );
      const reaped = [...stderr.matchAll(/Reaped (\d+) orphaned process/g)].reduce((n, m) => n + Number(m[1]), 0);
      assert.ok(reaped >= 3, `reaped ${reaped}`);
      assert.doesNotMatch(stderr, /ERROR/);
    } finally {
      if (reconfd > 0) process.kill(reconfd, "SIGTERM");
      else child.kill("SIGKILL");
    }
    assert.equal(await exited, 0, stderr);
  });
});
