// Runs check_cmd / reload_cmd in its own process group: a string through `/bin/sh -c`, an argv
// array directly. Output is captured bounded (only its last 64 KiB are kept), and the group is
// killed when the command outlives its timeout (a timed-out command counts as failed).

import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { decodeGoBytes } from "../template/go_bytes.ts";
import { killGroupOnExit } from "./exit_cleanup.ts";
import { sendSignal } from "../runtime/process_info.ts";

/** A rendered command: shell text for `/bin/sh -c`, or an argv run without a shell. */
export type CommandLine = string | readonly string[];

export interface CommandResult {
  /** True when the command exited 0 within its timeout. */
  ok: boolean;
  /** The last `outputLimit` bytes of stdout and stderr, interleaved in arrival order (Go bytes). */
  output: string;
  /** How many bytes of output came before `output` and were dropped. */
  dropped: number;
  /** Why it failed, in Go's words (`exit status 3`, `signal: killed`), or a timeout note. */
  error?: string;
}

export interface CommandOptions {
  /** Kill the process group after this many ms. */
  timeoutMs: number;
  /** Working directory. Default: ours. */
  cwd?: string;
  /** Bytes of output to keep (the last ones). Default OUTPUT_LIMIT (64 KiB). */
  outputLimit?: number;
  /** The shell for the string form. Default SHELL ("/bin/sh"). */
  shell?: string;
}

/** The shell that runs the string form of a command. */
export const SHELL = "/bin/sh";

/** Output kept per command run: its last 64 KiB. */
export const OUTPUT_LIMIT = 64 * 1024;

/** How long to wait for the pipes to drain after the command exited (a daemon it started may hold them). */
const DRAIN_MS = 200;

function formatTimeout(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The last `limit` bytes of a stream of chunks; memory stays below limit + one chunk. */
class OutputTail {
  #chunks: Uint8Array[] = [];
  #held = 0;
  #total = 0;
  constructor(readonly limit: number) {}
  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#held += chunk.length;
    this.#total += chunk.length;
    while (this.#chunks.length > 1 && this.#held - this.#chunks[0].length >= this.limit) {
      this.#held -= (this.#chunks.shift() as Uint8Array).length;
    }
  }
  /** The kept bytes and how many came before them. */
  result(): { bytes: Uint8Array; dropped: number } {
    const all = Buffer.concat(this.#chunks);
    const bytes = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    return { bytes, dropped: this.#total - bytes.length };
  }
}

export function runCommand(cmd: CommandLine, opts: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const tail = new OutputTail(opts.outputLimit ?? OUTPUT_LIMIT);
    let timedOut = false;
    let settled = false;
    const streams: Readable[] = [];
    // detached: an own process group, so a timeout kills the command's children too.
    const child = typeof cmd === "string"
      // One pipe for both streams, as Go's CombinedOutput gives confd: two pipes would let
      // stdout and stderr arrive in either order. The shell joins them on a line of its own
      // before cmd (so its own syntax errors are captured too; they count cmd's lines from 2).
      ? spawn(opts.shell ?? SHELL, ["-c", `exec 2>&1\n${cmd}`], {
        cwd: opts.cwd,
        detached: true,
        stdio: ["ignore", "pipe", "ignore"],
      })
      // Without a shell nothing can join them: two pipes, read as their data arrives.
      : spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    for (const s of [child.stdout, child.stderr]) {
      if (s === null) continue;
      streams.push(s);
      s.on("data", (b: Buffer) => tail.push(b));
    }
    const untrack = child.pid === undefined ? () => {} : killGroupOnExit(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) sendSignal(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, opts.timeoutMs);
    const finish = (result: Omit<CommandResult, "output" | "dropped">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      for (const s of streams) s.destroy();
      const { bytes, dropped } = tail.result();
      resolve({ ...result, output: decodeGoBytes(bytes), dropped });
    };
    child.on("error", (err) => finish({ ok: false, error: err.message }));
    child.on("exit", (code, sig) => {
      // The command is done: what it left running (a daemon a reload started) is not ours to kill.
      untrack();
      const done = () => {
        if (timedOut) finish({ ok: false, error: `timed out after ${formatTimeout(opts.timeoutMs)}, killed` });
        else if (code === 0) finish({ ok: true });
        else if (code !== null) finish({ ok: false, error: `exit status ${code}` });
        else finish({ ok: false, error: `signal: ${sig === "SIGKILL" ? "killed" : String(sig)}` });
      };
      let open = streams.filter((s) => !s.readableEnded).length;
      if (open === 0) done();
      for (const s of streams) {
        if (!s.readableEnded) s.once("end", () => --open === 0 && done());
      }
      setTimeout(done, DRAIN_MS).unref?.();
    });
  });
}
