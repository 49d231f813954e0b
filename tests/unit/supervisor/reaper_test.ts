// The orphan reaper's choice of zombies, read from a process table laid out
// like /proc (a temp directory of <pid>/stat files), and the waits it makes:
// only zombies whose parent is us, never a child the runtime waits for itself.
// Real reaping as PID 1 is tested end to end (tests/e2e/supervisor_test.ts).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { orphanZombies, Reaper } from "../../../src/supervisor/reaper.ts";
import { openLibc } from "../../../src/runtime/libc.ts";
import { CaptureLogger } from "../runner/capture_logger.ts";

/** A process table: pid -> [comm, state, ppid]. */
function procTable(entries: Record<number, [string, string, number]>): string {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-proc-"));
  for (const [pid, [comm, state, ppid]] of Object.entries(entries)) {
    mkdirSync(join(dir, pid));
    writeFileSync(join(dir, pid, "stat"), `${pid} (${comm}) ${state} ${ppid} ${pid} ${pid} 0 -1 4194560 0 0\n`);
  }
  mkdirSync(join(dir, "self"));
  writeFileSync(join(dir, "uptime"), "1.00 1.00\n");
  return dir;
}

const TABLE: Record<number, [string, string, number]> = {
  1: ["reconfd", "S", 0],
  7: ["sleep", "Z", 1], // an orphan, re-parented to us, exited
  8: ["sh) Z 1 (odd", "S", 1], // comm holding ") Z 1 (": still running
  9: ["sleep", "Z", 5], // someone else's zombie
  12: ["nginx", "Z", 1], // our own spawned child, not yet reaped by the runtime
  30: ["a b", "Z", 1], // an orphan with a space in its name
  31: ["sleep", "S", 1],
};

describe("orphanZombies", () => {
  it("lists zombies whose parent is us, minus the runtime's own children, in pid order", () => {
    const dir = procTable(TABLE);
    assert.deepEqual(orphanZombies(dir, 1, (pid) => pid === 12), [7, 30]);
    assert.deepEqual(orphanZombies(dir, 1, () => false), [7, 12, 30]);
    assert.deepEqual(orphanZombies(dir, 5, () => false), [9]);
  });

  it("skips a process that is gone between listing and reading, and a missing table", () => {
    const dir = procTable(TABLE);
    mkdirSync(join(dir, "40")); // no stat: it exited meanwhile
    assert.deepEqual(orphanZombies(dir, 1, () => false), [7, 12, 30]);
    rmSync(dir, { recursive: true });
    assert.deepEqual(orphanZombies(dir, 1, () => false), []);
  });
});

describe("Reaper", () => {
  it("waits for each orphaned zombie once per scan, never for the runtime's children", () => {
    const dir = procTable(TABLE);
    const waited: number[] = [];
    const reaper = new Reaper({
      libc: { waitpidNoHang: (pid) => (waited.push(pid), pid) },
      pid: 1,
      isOwn: (pid) => pid === 12,
      procDir: dir,
      log: new CaptureLogger(),
    });
    try {
      assert.equal(reaper.reapNow(), 2);
      assert.deepEqual(waited, [7, 30]);
      assert.equal(reaper.reaped, 2);
    } finally {
      reaper.stop();
    }
  });

  it("scans shortly after SIGCHLD, once for a burst, and stops listening on stop()", async () => {
    const dir = procTable(TABLE);
    const waited: number[] = [];
    const handlers = new Map<string, () => void>();
    const reaper = new Reaper({
      libc: { waitpidNoHang: (pid) => (waited.push(pid), 0) },
      pid: 1,
      isOwn: () => false,
      procDir: dir,
      settleMs: 10,
      intervalMs: 60_000,
      onSignal: (name, handler) => {
        handlers.set(name, handler);
        return () => handlers.delete(name);
      },
      log: new CaptureLogger(),
    });
    const sigchld = handlers.get("SIGCHLD");
    assert.ok(sigchld);
    sigchld();
    sigchld();
    sigchld();
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(waited, [7, 12, 30], "one scan for three signals");
    reaper.stop();
    assert.equal(handlers.size, 0);
  });

  it("opens libc through this runtime's FFI; waitpid of a pid that is not our child fails", async () => {
    const libc = await openLibc();
    assert.ok(libc, "bun:ffi or Deno.dlopen (the tests run with -A)");
    assert.equal(libc.waitpidNoHang(1), -1);
    assert.equal(typeof libc.isChildSubreaper(), "boolean");
  });
});
