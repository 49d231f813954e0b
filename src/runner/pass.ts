// What every run mode shares: loading resources with their errors logged,
// processing one resource (read its keys from the backend, hand the snapshot to
// the pipeline) into a result record that is logged and emitted, never thrown,
// and one pass over every resource.

import { readFileSync } from "node:fs";
import type { WatchWake } from "../backends/backend.ts";
import { lineOfKey, ResourceError, type TemplateResource } from "../config/resource.ts";
import { type LoadedResources, loadResources } from "../config/resource_load.ts";
import { join } from "../kv/go_path.ts";
import { type Phase, ProcessError, type ProcessOptions, processResource } from "../resource/process.ts";
import { commandErrors } from "../resource/render.ts";
import { removeStaleStageFiles } from "../resource/stale_stage.ts";
import { redactValues } from "../template/redact.ts";
import type { RunContext } from "./context.ts";
import type { ResourceResult, Trigger } from "./events.ts";

/**
 * Loads resources, logging each warning and each error; errors are also returned. With `warned`
 * (interval mode, which reloads every pass), a warning already logged once is not repeated.
 */
export async function loadLogged(ctx: RunContext, warned?: Set<string>): Promise<LoadedResources> {
  const { config, log } = ctx;
  const loaded = rejectBrokenCommands(await loadResources(config), !config.syncOnly && !config.noop);
  if (!config.noop && !config.keepStageFile) await removeStaleStageFiles(loaded.resources.map((r) => r.dest), log);
  for (const w of loaded.warnings) {
    if (warned?.has(w)) continue;
    warned?.add(w);
    log.warning(w);
  }
  for (const e of loaded.errors) log.error(`Cannot load template resource ${e.message}`);
  ctx.events.emit({ type: "resources-loaded", resources: loaded.resources, errors: loaded.errors });
  return loaded;
}

/** Moves resources whose check_cmd or reload_cmd cannot render to the rejected, with file:line errors. */
function rejectBrokenCommands(loaded: LoadedResources, runs: boolean): LoadedResources {
  const resources: TemplateResource[] = [];
  for (const r of loaded.resources) {
    const errors = commandErrors(r, { runs });
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

export function processOptions(ctx: RunContext): ProcessOptions {
  const { config } = ctx;
  return {
    noop: config.noop,
    diff: config.diff,
    syncOnly: config.syncOnly,
    keepStageFile: config.keepStageFile,
    out: ctx.out,
    env: ctx.env,
  };
}

/** The full keys of a resource (each key joined under its prefix). */
export function fullKeys(r: TemplateResource): string[] {
  return r.keys.map((k) => join(r.prefix, k));
}

/**
 * Processes one resource: reads its keys, then runs the pipeline on that snapshot. Never throws:
 * a failure is logged (confd's ERROR line) and recorded in the result, which is also emitted.
 */
export async function processLogged(
  ctx: RunContext,
  r: TemplateResource,
  trigger: Trigger,
  wake?: WatchWake,
): Promise<ResourceResult> {
  const changedKeys = wake?.changed;
  const { log, signal } = ctx;
  const durations: Partial<Record<Phase, number>> = {};
  const result: ResourceResult = {
    resource: r,
    trigger,
    changedKeys,
    outcome: undefined,
    error: undefined,
    failedPhase: undefined,
    snapshotIndex: undefined,
    startedAt: Date.now(),
    durations,
  };
  try {
    log.debug("Retrieving keys from store");
    log.debug(`Key prefix set to ${r.prefix}`);
    const start = performance.now();
    let snapshot;
    try {
      // After a change the backend may answer from what its watch holds (as recent as the wake);
      // every other read (first, reload, retry, reconcile) asks the server.
      const wokenAt = trigger === "watch" ? wake?.index : undefined;
      snapshot = await ctx.backend.getValues(fullKeys(r), signal, { wokenAt });
    } catch (err) {
      throw new ProcessError(r.file, "fetch", (err as Error).message, { cause: err });
    } finally {
      durations.fetch = (performance.now() - start) / 1000;
    }
    result.snapshotIndex = snapshot.index;
    result.outcome = await processResource(
      r,
      snapshot.values,
      log,
      { ...processOptions(ctx), timings: durations },
      signal,
    );
  } catch (err) {
    result.error = err as Error;
    result.failedPhase = err instanceof ProcessError ? err.phase : "render";
    // A fetch cut short by shutdown is not a failure worth reporting; a check that failed while
    // shutdown waited for it is.
    if (signal.aborted && causedBy(err, signal.reason)) return result;
    // Bootstrap retries sum their failures up in one line per round (see bootstrap.ts).
    // Go's wording may quote a backend value in a template error: never in a log line.
    const message = redactValues((err as Error).message);
    if (trigger === "bootstrap-retry") log.debug(message);
    else log.error(message);
  }
  ctx.events.emit({ type: "result", result });
  return result;
}

/** True when the result is a success (dest matches the render, or -noop compared it). */
export function succeeded(result: ResourceResult): boolean {
  return result.outcome !== undefined;
}

/**
 * One pass over `resources` (one at a time, under the context's lock; none starts once shutdown
 * began). Emits pass-done; returns the results of the resources processed.
 */
export async function runPass(
  ctx: RunContext,
  resources: readonly TemplateResource[],
  trigger: Trigger,
): Promise<ResourceResult[]> {
  const results: ResourceResult[] = [];
  for (const r of resources) {
    if (ctx.signal.aborted) break;
    const result = await ctx.mutex.run(() =>
      ctx.signal.aborted ? Promise.resolve(undefined) : processLogged(ctx, r, trigger)
    );
    if (result) results.push(result);
  }
  const failed = results.filter((r) => !succeeded(r)).length;
  ctx.events.emit({ type: "pass-done", trigger, total: results.length, failed });
  return results;
}

/** True when `err` is `reason` or has it somewhere in its `cause` chain. */
function causedBy(err: unknown, reason: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && depth < 10; depth++) {
    if (e === reason) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}
