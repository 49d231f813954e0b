// Runs check_cmd / reload_cmd: `/bin/sh -c CMD` in its own process group, stdout
// and stderr captured together through one pipe, killed with its whole group when it outlives
// its timeout (a timed-out command counts as failed).

import { spawn } from "node:child_process";
import process from "node:process";
import { killGroupOnExit } from "./exit_cleanup.ts";

export interface CommandResult {
  /** True when the command exited 0 within its timeout. */
  ok: boolean;
  /** stdout and stderr, interleaved in arrival order. */
  output: string;
  /** Why it failed, in Go's words (`exit status 3`, `signal: killed`), or a timeout note. */
  error?: string;
}

export interface CommandOptions {
  /** Kill the process group after this many ms. */
  timeoutMs: number;
  /** Working directory. Default: ours. */
  cwd?: string;
}

/** How long to wait for the pipes to drain after the shell exited (a daemon it started may hold them). */
const DRAIN_MS = 200;

function formatTimeout(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function runCommand(cmd: string, opts: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    // One pipe for both streams, as Go's CombinedOutput gives confd: two pipes would let
    // stdout and stderr arrive in either order. The shell joins them on a line of its own
    // before cmd (so its own syntax errors are captured too; they count cmd's lines from 2).
    const child = spawn("/bin/sh", ["-c", `exec 2>&1\n${cmd}`], {
      cwd: opts.cwd,
      detached: true, // own process group, so a timeout kills the shell's children too
      stdio: ["ignore", "pipe", "ignore"],
    });
    const untrack = child.pid === undefined ? () => {} : killGroupOnExit(child.pid);
    child.stdout.on("data", (b: Buffer) => chunks.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, opts.timeoutMs);
    const finish = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      resolve(result);
    };
    child.on("error", (err) => finish({ ok: false, output: "", error: err.message }));
    child.on("exit", (code, sig) => {
      // The shell is done: what it left running (a daemon a reload started) is not ours to kill.
      untrack();
      const done = () => {
        const output = Buffer.concat(chunks).toString("utf8");
        if (timedOut) finish({ ok: false, output, error: `timed out after ${formatTimeout(opts.timeoutMs)}, killed` });
        else if (code === 0) finish({ ok: true, output });
        else if (code !== null) finish({ ok: false, output, error: `exit status ${code}` });
        else finish({ ok: false, output, error: `signal: ${sig === "SIGKILL" ? "killed" : String(sig)}` });
      };
      if (child.stdout.readableEnded) done();
      else child.stdout.once("end", done);
      setTimeout(() => {
        child.stdout.destroy();
        done();
      }, DRAIN_MS).unref?.();
    });
  });
}
