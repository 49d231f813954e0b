// One child process under supervision, after consul-template's child package:
// started in its own process group (a new session, so a terminal's Ctrl-C
// reaches it only through us), stdio passed through unchanged, signalled as a
// group, stopped with a kill signal and, when that is not enough within the
// timeout, SIGKILL of the whole group. Its end is reported in the shell's
// convention: the exit status, or 128 + the number of the signal that killed it.

import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:os";
import { killGroupOnExit } from "../resource/exit_cleanup.ts";
import { exitCodeForSignal } from "../runner/exit_codes.ts";
import { liveEnvironment, sendSignal } from "../runtime/process_info.ts";

export interface ChildOptions {
  /** The program and its arguments, run without a shell (the program is looked up in PATH). Required. */
  argv: readonly string[];
  /** The child's environment. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Standard streams. Default "inherit": the child reads and writes ours directly. */
  stdio?: "inherit" | "ignore";
}

/** How a child ended. */
export interface ChildExit {
  /** Its exit status when it exited; null when a signal killed it or it never started. */
  code: number | null;
  /** The signal that killed it; null otherwise. */
  signal: NodeJS.Signals | null;
  /** The shell's number for it: code, 128 + signal number, 127 (not found) or 126 (could not run). */
  exitCode: number;
  /** Why it could not be started. */
  error?: Error;
}

/** The shell's number for a child that ended with `code` or was killed by `signal`. */
export function shellExitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal === null ? undefined : constants.signals[signal];
  return n === undefined ? 1 : exitCodeForSignal(n);
}

function startFailure(error: Error): ChildExit {
  // The shell's words for it: 127 when the program does not exist, 126 when it cannot run.
  const notFound = (error as NodeJS.ErrnoException).code === "ENOENT";
  return { code: null, signal: null, exitCode: notFound ? 127 : 126, error };
}

export class Child {
  /** The child's pid, which is also its process group id; undefined when it could not start. */
  readonly pid: number | undefined;
  /** Resolves once the child ended (or failed to start); never rejects. */
  readonly exited: Promise<ChildExit>;
  #running = false;

  constructor(opts: ChildOptions) {
    let proc: ChildProcess | undefined;
    let failure: Error | undefined;
    try {
      proc = spawn(opts.argv[0], opts.argv.slice(1), {
        env: opts.env ?? liveEnvironment(),
        stdio: opts.stdio ?? "inherit",
        detached: true, // setsid: its own process group, which signal() and kill() address as a whole
      });
    } catch (err) {
      failure = err as Error;
    }
    this.pid = proc?.pid;
    // A forced exit (a second SIGTERM) kills the whole group; the reaper leaves the pid to the runtime.
    const untrack = this.pid === undefined ? () => {} : killGroupOnExit(this.pid);
    this.#running = this.pid !== undefined;
    this.exited = new Promise((resolve) => {
      if (proc === undefined) return resolve(startFailure(failure ?? new Error("spawn failed")));
      proc.once("error", (err) => {
        // Only a failed start ends it here; an error signalling a live child is not an exit.
        if (this.pid !== undefined) return;
        resolve(startFailure(err));
      });
      proc.once("exit", (code, signal) => {
        this.#running = false;
        untrack();
        resolve({ code, signal, exitCode: shellExitCode(code, signal) });
      });
    });
  }

  /** True from a successful start until the child exited. */
  get running(): boolean {
    return this.#running;
  }

  /** Sends `signal` to the child's process group; false when it is not running (or already gone). */
  signal(signal: NodeJS.Signals): boolean {
    if (!this.#running || this.pid === undefined) return false;
    try {
      sendSignal(-this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * SIGKILL to the whole process group, also after the leader exited (what it left behind).
   * Returns false when nothing of the group was left.
   */
  killGroup(): boolean {
    if (this.pid === undefined) return false;
    try {
      sendSignal(-this.pid, "SIGKILL");
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stops the child: `signal` to its group, then after `timeoutMs` SIGKILL to the group (calling
   * `onTimeout` first, for a log line). Resolves with how it ended; at once when it is not running.
   */
  async stop(signal: NodeJS.Signals, timeoutMs: number, onTimeout: () => void = () => {}): Promise<ChildExit> {
    if (!this.signal(signal)) return await this.exited;
    const timer = setTimeout(() => {
      onTimeout();
      this.killGroup();
    }, timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
