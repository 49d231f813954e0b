// What a forced exit (a second SIGINT/SIGTERM while a resource runs) must not leave behind:
// the process groups of running check/reload commands and of the supervised service (they
// run detached, so no terminal signal reaches them) and stage files not yet installed or
// removed. The tracked pids are also the children the runtime waits for itself, which the
// orphan reaper (src/supervisor/reaper.ts) must leave alone.

import { unlinkSync } from "node:fs";
import { onProcessExit, sendSignal } from "../runtime/process_info.ts";

const groups = new Set<number>();
const stages = new Set<string>();
let hooked = false;

/** Runs synchronously inside process.exit(): only sync calls work there. */
function onExit(): void {
  for (const pid of groups) {
    try {
      sendSignal(-pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  }
  for (const path of stages) {
    try {
      unlinkSync(path);
    } catch {
      // Already renamed or removed.
    }
  }
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  onProcessExit(onExit);
}

/** Kills the process group led by `pid` if the process exits first; call the result once it is over. */
export function killGroupOnExit(pid: number): () => void {
  hook();
  groups.add(pid);
  return () => groups.delete(pid);
}

/** True while `pid` leads a tracked group: a child spawned through node:child_process, not yet reaped. */
export function isTracked(pid: number): boolean {
  return groups.has(pid);
}

/** Removes the stage file `path` if the process exits first; call the result once it is settled. */
export function removeOnExit(path: string): () => void {
  hook();
  stages.add(path);
  return () => stages.delete(path);
}
