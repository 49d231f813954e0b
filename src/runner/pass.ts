// What every run mode shares: loading resources with their errors logged, and
// processing one resource with its failure logged (never thrown).

import { readFileSync } from "node:fs";
import type { Backend } from "../backends/backend.ts";
import type { Config } from "../config/config.ts";
import { lineOfKey, ResourceError, type TemplateResource } from "../config/resource.ts";
import { type LoadedResources, loadResources } from "../config/resource_load.ts";
import type { Logger } from "../log/logger.ts";
import { type Outcome, type ProcessOptions, processResource } from "../resource/process.ts";
import { commandErrors } from "../resource/render.ts";
import { removeStaleStageFiles } from "../resource/stale_stage.ts";

export interface RunDeps {
  /** Use this backend instead of creating one from the config (tests, embedding). */
  backend?: Backend;
  /** Where -noop -diff output goes. Default process.stdout. */
  out?: (text: string) => void;
  /** getenv's environment for templates and the env backend. Default process.env. */
  env?: Record<string, string | undefined>;
  /**
   * Called after each processing of a resource with its outcome or error: the seam for a supervised
   * child process (start it after the first good render, signal it after an update).
   */
  onResult?: (resource: TemplateResource, result: Outcome | Error) => void;
}

/**
 * Loads resources, logging each warning and each error; errors are also returned. With `warned`
 * (interval mode, which reloads every pass), a warning already logged once is not repeated.
 */
export async function loadLogged(config: Config, log: Logger, warned?: Set<string>): Promise<LoadedResources> {
  const loaded = rejectBrokenCommands(await loadResources(config));
  if (!config.noop && !config.keepStageFile) await removeStaleStageFiles(loaded.resources.map((r) => r.dest), log);
  for (const w of loaded.warnings) {
    if (warned?.has(w)) continue;
    warned?.add(w);
    log.warning(w);
  }
  for (const e of loaded.errors) log.error(`Cannot load template resource ${e.message}`);
  return loaded;
}

/** Moves resources whose check_cmd or reload_cmd cannot render to the rejected, with file:line errors. */
function rejectBrokenCommands(loaded: LoadedResources): LoadedResources {
  const resources: TemplateResource[] = [];
  for (const r of loaded.resources) {
    const errors = commandErrors(r);
    if (errors.length === 0) {
      resources.push(r);
      continue;
    }
    const text = readTextOrEmpty(r.file);
    for (const e of errors) {
      loaded.errors.push(
        new ResourceError(r.file, lineOfKey(text, "template", e.key), e.key, `${e.key}: ${e.message}`),
      );
    }
    loaded.rejected.push(r);
  }
  return { ...loaded, resources };
}

function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

export function processOptions(config: Config, deps: RunDeps): ProcessOptions {
  return {
    noop: config.noop,
    diff: config.diff,
    syncOnly: config.syncOnly,
    keepStageFile: config.keepStageFile,
    out: deps.out,
    env: deps.env,
  };
}

/** Processes one resource; returns false (after logging the error) when it failed. */
export async function processLogged(
  r: TemplateResource,
  backend: Backend,
  config: Config,
  log: Logger,
  deps: RunDeps,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const outcome = await processResource(r, backend, log, processOptions(config, deps), signal);
    deps.onResult?.(r, outcome);
    return true;
  } catch (err) {
    // A fetch cut short by shutdown is not a failure worth reporting; a check that failed while
    // shutdown waited for it is.
    if (signal.aborted && causedBy(err, signal.reason)) return true;
    log.error((err as Error).message);
    deps.onResult?.(r, err as Error);
    return false;
  }
}

/** True when `err` is `reason` or has it somewhere in its `cause` chain. */
function causedBy(err: unknown, reason: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && depth < 10; depth++) {
    if (e === reason) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/** Serializes processing, so two resources never run their commands at the same time. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(() => {}, () => {});
    return result;
  }
}
