// Watch mode: after bootstrap, each resource waits on the backend's change feed
// for a change under its keys after the snapshot it last rendered, waits out a
// burst (-wait, or the backend's settle time), and is processed again; changes
// that arrive meanwhile wake it right after, so the final file always matches
// the final state. Processing is serialized across resources. With -interval
// set explicitly, every resource is also reconciled each interval. A reload
// request (SIGHUP) re-reads the configuration and restarts every resource's loop.

import { sleep, waitForAbort, type WatchIndex, type WatchWake } from "../backends/backend.ts";
import type { TemplateResource } from "../config/resource.ts";
import { Backoff, formatDelay } from "../backends/backoff.ts";
import type { Bootstrapped } from "./bootstrap.ts";
import type { RunContext } from "./context.ts";
import type { ResourceResult, Trigger } from "./events.ts";
import { EXIT } from "./exit_codes.ts";
import { intervalSeconds } from "./interval.ts";
import { fullKeys, processLogged, runPass } from "./pass.ts";
import { onReload, reloadConfiguration } from "./reload.ts";

/** Changed keys listed per wake, at most (the feed bounds its lists too). */
const MAX_CHANGED_KEYS = 100;

/** Quiet time and longest wait after a first change, in ms. */
function settleWindow(ctx: RunContext): { quietMs: number; maxMs: number } {
  const wait = ctx.config.derived.wait;
  if (wait) return { quietMs: wait.minMs, maxMs: wait.maxMs };
  const quietMs = ctx.backend.settleMs;
  return { quietMs, maxMs: quietMs * 10 };
}

function mergeWakes(a: WatchWake, b: WatchWake): WatchWake {
  const index = a.index > b.index ? a.index : b.index;
  if (a.changed === undefined || b.changed === undefined) return { index };
  const changed = [...new Set([...a.changed, ...b.changed])].sort().slice(0, MAX_CHANGED_KEYS);
  return { index, changed };
}

/** Waits on the feed for at most `ms`; undefined when nothing came. */
async function watchFor(
  ctx: RunContext,
  keys: string[],
  since: WatchIndex,
  ms: number,
): Promise<WatchWake | undefined> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await Promise.race([
      ctx.backend.watch(keys, since, stop.signal),
      sleep(ms, stop.signal).then(() => undefined),
    ]);
  } finally {
    stop.abort("settled");
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

/** After a first wake, gathers the burst: returns once keys were quiet `quietMs`, or `maxMs` after the first. */
async function settle(ctx: RunContext, keys: string[], first: WatchWake): Promise<WatchWake> {
  const { quietMs, maxMs } = settleWindow(ctx);
  if (quietMs <= 0) return first;
  const deadline = Date.now() + maxMs;
  let wake = first;
  while (!ctx.signal.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await watchFor(ctx, keys, wake.index, Math.min(quietMs, left)).catch(() => undefined);
    if (next === undefined) break;
    wake = mergeWakes(wake, next);
  }
  return wake;
}

/**
 * Watches one resource until `signal` (shutdown, or this loop being replaced by a reload) aborts.
 * Without an initial result it processes the resource first (trigger `first`).
 */
async function watchResource(
  ctx: RunContext,
  r: TemplateResource,
  initial: ResourceResult | undefined,
  signal: AbortSignal,
  first: Trigger = "watch",
) {
  const { log } = ctx;
  const keys = fullKeys(r);
  let since: WatchIndex = initial?.snapshotIndex ?? 0n;
  let trigger: Trigger = initial ? "watch" : first;
  const watchBackoff = new Backoff();
  const fetchBackoff = new Backoff();
  while (!signal.aborted) {
    let wake: WatchWake;
    try {
      wake = await ctx.backend.watch(keys, since, signal);
      watchBackoff.reset();
    } catch (err) {
      if (signal.aborted) break;
      const delay = watchBackoff.next();
      log.error(`Watch error: ${(err as Error).message}; retrying in ${formatDelay(delay)}`);
      await sleep(delay, signal).catch(() => {});
      continue;
    }
    wake = await settle(ctx, keys, wake);
    // A resource queued behind a running one must not start once shutdown began.
    const why = trigger;
    trigger = "watch";
    let result = await ctx.mutex.run(() =>
      signal.aborted ? Promise.resolve(undefined) : processLogged(ctx, r, why, wake)
    );
    // The backend could not be read: retry until it answers (the change is still to be rendered).
    while (result !== undefined && result.failedPhase === "fetch" && !signal.aborted) {
      await sleep(fetchBackoff.next(), signal).catch(() => {});
      result = await ctx.mutex.run(() =>
        signal.aborted ? Promise.resolve(undefined) : processLogged(ctx, r, "retry", wake)
      );
    }
    fetchBackoff.reset();
    if (result === undefined) break;
    // Watch from what was read, not from the wake: a change during processing wakes us again.
    since = result.snapshotIndex ?? wake.index;
  }
}

/** The running watch loops, replaced as a whole when the configuration is reloaded. */
class WatchSet {
  #resources: TemplateResource[] = [];
  #stop = new AbortController();
  #loops: Promise<void>[] = [];

  get resources(): readonly TemplateResource[] {
    return this.#resources;
  }

  /** Stops the current loops (a resource being processed finishes) and starts one per resource. */
  async replace(
    ctx: RunContext,
    resources: TemplateResource[],
    initial: ReadonlyMap<TemplateResource, ResourceResult>,
    first: Trigger,
  ): Promise<void> {
    this.#stop.abort("reload");
    await Promise.all(this.#loops);
    this.#stop = new AbortController();
    const signal = AbortSignal.any([ctx.signal, this.#stop.signal]);
    this.#resources = resources;
    this.#loops = resources.map((r) => watchResource(ctx, r, initial.get(r), signal, first));
  }

  /** Resolves when the loops end (shutdown). */
  async settled(ctx: RunContext): Promise<void> {
    await waitForAbort(ctx.signal).catch(() => {});
    await Promise.all(this.#loops);
  }
}

/** Full passes every interval (only when -interval was set explicitly along with -watch). */
async function reconcile(ctx: RunContext, set: WatchSet): Promise<void> {
  const seconds = intervalSeconds(ctx);
  while (!ctx.signal.aborted) {
    await sleep(seconds * 1000, ctx.signal).catch(() => {});
    if (ctx.signal.aborted) break;
    await runPass(ctx, set.resources, "reconcile");
  }
}

export async function runWatch(ctx: RunContext, boot: Bootstrapped): Promise<number> {
  const set = new WatchSet();
  await set.replace(ctx, boot.resources, new Map(boot.results.map((res) => [res.resource, res])), "watch");
  const unsubscribe = onReload(ctx, async () => {
    const loaded = await reloadConfiguration(ctx);
    if (loaded) await set.replace(ctx, loaded.resources, new Map(), "reload");
  });
  try {
    const reconciling = ctx.config.derived.intervalSet ? reconcile(ctx, set) : Promise.resolve();
    await set.settled(ctx);
    await reconciling;
  } finally {
    unsubscribe();
  }
  return EXIT.ok;
}
