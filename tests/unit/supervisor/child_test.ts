// The supervised child with real sh and sleep processes: exit codes in the
// shell's convention, a program that does not exist, signals to the whole
// process group, the kill signal then SIGKILL of the group after the timeout.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Child, shellExitCode } from "../../../src/supervisor/child.ts";

const sh = (script: string) => new Child({ argv: ["/bin/sh", "-c", script], stdio: "ignore" });

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** True while `pid` runs (a zombie waiting for its new parent to reap it counts as ended). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("shellExitCode", () => {
  const cases: { name: string; code: number | null; signal: NodeJS.Signals | null; want: number }[] = [
    { name: "an exit status is itself", code: 3, signal: null, want: 3 },
    { name: "exit 0 is 0", code: 0, signal: null, want: 0 },
    { name: "SIGKILL is 137", code: null, signal: "SIGKILL", want: 137 },
    { name: "SIGTERM is 143", code: null, signal: "SIGTERM", want: 143 },
    { name: "SIGHUP is 129", code: null, signal: "SIGHUP", want: 129 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(shellExitCode(c.code, c.signal), c.want));
});

describe("Child", () => {
  it("passes the exit status through", async () => {
    const child = sh("exit 3");
    assert.ok(child.pid !== undefined);
    assert.deepEqual(await child.exited, { code: 3, signal: null, exitCode: 3 });
    assert.equal(child.running, false);
  });

  it("reports a kill by SIGKILL as 137", async () => {
    const child = sh("kill -KILL $$");
    assert.deepEqual(await child.exited, { code: null, signal: "SIGKILL", exitCode: 137 });
  });

  it("runs an argv without a shell: an argument keeps its spaces and quotes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconfd-child-"));
    const out = join(dir, "out");
    const arg = `daemon off; "quoted" 'single' $HOME`;
    const child = new Child({ argv: ["/bin/sh", "-c", 'printf %s "$1" > "$2"', "sh", arg, out], stdio: "ignore" });
    assert.equal((await child.exited).exitCode, 0);
    assert.equal(readFileSync(out, "utf8"), arg);
  });

  it("a program that does not exist ends with 127 and the error, never starts", async () => {
    const child = new Child({ argv: ["/nonexistent/reconfd-test-program"], stdio: "ignore" });
    assert.equal(child.pid, undefined);
    assert.equal(child.running, false);
    const exit = await child.exited;
    assert.equal(exit.exitCode, 127);
    assert.match(exit.error?.message ?? "", /ENOENT/);
  });

  it("runs in its own process group, which signal() reaches as a whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconfd-child-"));
    const pidFile = join(dir, "grandchild");
    // The shell waits on a grandchild; a signal to the group ends both.
    const child = sh(`sleep 100 & echo $! > ${pidFile}; wait`);
    await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").endsWith("\n"));
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    assert.ok(alive(grandchild));
    assert.equal(child.signal("SIGTERM"), true);
    assert.deepEqual(await child.exited, { code: null, signal: "SIGTERM", exitCode: 143 });
    await until(() => !alive(grandchild));
    assert.equal(child.signal("SIGTERM"), false, "no signal once it ended");
  });

  it("stop: the kill signal is enough for a child that honours it", async () => {
    const child = sh("trap 'exit 0' TERM; while :; do sleep 0.05; done");
    await new Promise((r) => setTimeout(r, 100));
    let timedOut = false;
    const exit = await child.stop("SIGTERM", 5000, () => (timedOut = true));
    assert.equal(exit.exitCode, 0);
    assert.equal(timedOut, false);
  });

  it("stop: a child ignoring the kill signal gets SIGKILL (whole group) after the timeout", async () => {
    const child = sh("trap '' TERM; while :; do sleep 0.05; done");
    await new Promise((r) => setTimeout(r, 100));
    let timedOut = false;
    const started = Date.now();
    const exit = await child.stop("SIGTERM", 300, () => (timedOut = true));
    assert.ok(Date.now() - started >= 290, "waited out the timeout");
    assert.equal(timedOut, true);
    assert.deepEqual(exit, { code: null, signal: "SIGKILL", exitCode: 137 });
  });

  it("killGroup ends what the leader left running in its group", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconfd-child-"));
    const pidFile = join(dir, "left");
    const child = sh(`sleep 100 & echo $! > ${pidFile}`);
    assert.equal((await child.exited).exitCode, 0);
    const left = Number(readFileSync(pidFile, "utf8"));
    assert.ok(alive(left));
    assert.equal(child.killGroup(), true);
    await until(() => !alive(left));
  });
});
