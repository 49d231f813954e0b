// Crash leftovers: a process killed (SIGKILL, OOM, power loss) between writing a stage file and
// installing it leaves `.<dest-name><digits>` beside dest. At start they are removed: only ours
// (same owner) and only old ones, so a stage file another process is still checking survives.

import { lstat, readdir, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { Logger } from "../log/logger.ts";
import { resolveDest } from "./install.ts";
import { effectiveUid, workingDirectory } from "../runtime/process_info.ts";

export interface StaleOptions {
  /** Only files last modified longer ago than this are removed. Default 60_000 (a minute). */
  minAgeMs?: number;
  /** Whose files are removed. Default: the effective uid. */
  uid?: number;
  /** The current time in ms. Default Date.now(). */
  now?: number;
}

/** Whether `name` is a stage file name for the file `base`: `.<base>` then digits only. */
export function isStageNameFor(name: string, base: string): boolean {
  return name.startsWith(`.${base}`) && /^\d+$/.test(name.slice(base.length + 1));
}

/**
 * Removes stale stage files of `dests`: beside each dest as written (where confd put them) and
 * beside the file it resolves to (where reconfd puts them). Logs each removal; returns the paths.
 */
export async function removeStaleStageFiles(
  dests: readonly string[],
  log: Logger,
  opts: StaleOptions = {},
): Promise<string[]> {
  const minAge = opts.minAgeMs ?? 60_000;
  const uid = opts.uid ?? effectiveUid();
  const now = opts.now ?? Date.now();
  const places = new Map<string, { dir: string; base: string }>();
  for (const dest of dests) {
    const abs = isAbsolute(dest) ? dest : join(workingDirectory(), dest);
    let target: string | undefined;
    try {
      target = resolveDest(dest);
    } catch {
      // Unresolvable (a missing directory, an untrusted link): only the path as written is searched.
    }
    for (const p of target === undefined ? [abs] : [abs, target]) {
      places.set(p, { dir: dirname(p), base: basename(p) });
    }
  }
  const removed: string[] = [];
  for (const { dir, base } of places.values()) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!isStageNameFor(name, base)) continue;
      const path = join(dir, name);
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile() || info.uid !== uid || now - info.mtimeMs < minAge) continue;
      try {
        await unlink(path);
        removed.push(path);
        log.info(`Removed stale stage file ${path} (left by a process that stopped before installing it)`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
          log.warning(`Cannot remove stale stage file ${path}: ${(err as Error).message}`);
        }
      }
    }
  }
  return removed;
}
