// Reaping orphans as PID 1 (or as a child subreaper): processes whose parent
// died are re-parented to us, and their zombies pile up unless we wait for
// them. A blanket waitpid(-1) would steal the exit status of the children the
// runtime waits for itself (the service, check and reload commands) and could
// hang a command, so the reaper waits for exactly the zombies that are ours and
// that the runtime does not know: found in /proc, on SIGCHLD and periodically.

import { readdirSync, readFileSync } from "node:fs";
import type { Logger } from "../log/logger.ts";
import type { Libc } from "../runtime/libc.ts";

export interface ReaperOptions {
  /** waitpid through the runtime's FFI. Required. */
  libc: Pick<Libc, "waitpidNoHang">;
  /** Our pid (the parent of the zombies to reap). Required. */
  pid: number;
  /** True for a child the runtime waits for itself (spawned through node:child_process). Required. */
  isOwn: (pid: number) => boolean;
  /** Subscribes to SIGCHLD; returns the unsubscribe. Default: none (the periodic scan only). */
  onSignal?: (name: NodeJS.Signals, handler: () => void) => () => void;
  /** Scan this often, in ms. Default 5000. */
  intervalMs?: number;
  /** Scan this long after a SIGCHLD, so a burst of exits costs one scan. Default 50. */
  settleMs?: number;
  /** Where the process table is. Default "/proc". */
  procDir?: string;
  log: Logger;
}

/** State and parent of the process `/proc/<pid>/stat` describes; undefined when it is gone. */
function readStat(procDir: string, pid: string): { state: string; ppid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`${procDir}/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0], ppid: Number(fields[1]) };
}

/** Zombies whose parent is `parent` and that `isOwn` does not claim, in pid order. */
export function orphanZombies(procDir: string, parent: number, isOwn: (pid: number) => boolean): number[] {
  const found: number[] = [];
  let names: string[];
  try {
    names = readdirSync(procDir);
  } catch {
    return found;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (isOwn(pid)) continue;
    const stat = readStat(procDir, name);
    if (stat?.state === "Z" && stat.ppid === parent) found.push(pid);
  }
  return found.sort((a, b) => a - b);
}

export class Reaper {
  readonly #opts: ReaperOptions;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #unsubscribe: () => void;
  #pending: ReturnType<typeof setTimeout> | undefined;
  /** Zombies reaped so far. */
  reaped = 0;

  /** Starts scanning (periodically, and after each SIGCHLD). */
  constructor(opts: ReaperOptions) {
    this.#opts = opts;
    this.#timer = setInterval(() => this.reapNow(), opts.intervalMs ?? 5000);
    this.#unsubscribe = opts.onSignal?.("SIGCHLD", () => this.#soon()) ?? (() => {});
  }

  #soon(): void {
    if (this.#pending !== undefined) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.reapNow();
    }, this.#opts.settleMs ?? 50);
  }

  /** One scan: waits for each orphaned zombie; returns how many were reaped. */
  reapNow(): number {
    const { libc, pid, isOwn, procDir = "/proc", log } = this.#opts;
    let count = 0;
    for (const zombie of orphanZombies(procDir, pid, isOwn)) {
      if (libc.waitpidNoHang(zombie) === zombie) count++;
    }
    if (count > 0) log.debug(`Reaped ${count} orphaned process${count === 1 ? "" : "es"}`);
    this.reaped += count;
    return count;
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#pending !== undefined) clearTimeout(this.#pending);
    this.#unsubscribe();
  }
}
