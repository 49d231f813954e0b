// Watch mode: after bootstrap, each resource waits on the backend's change feed
// for a change under its keys after the snapshot it last rendered, waits out a
// burst (-wait, or the backend's settle time), and is processed again; changes
// that arrive meanwhile wake it right after, so the final file always matches
// the final state. Processing is serialized across resources. With -interval
// set explicitly, every resource is also reconciled each interval.

import { sleep, waitForAbort, type WatchIndex, type WatchWake } from "../backends/backend.ts";
import type { TemplateResource } from "../config/resource.ts";
import { Backoff, formatDelay } from "./backoff.ts";
import type { Bootstrapped } from "./bootstrap.ts";
import type { RunContext } from "./context.ts";
import type { ResourceResult } from "./events.ts";
import { EXIT } from "./exit_codes.ts";
import { intervalSeconds } from "./interval.ts";
import { fullKeys, processLogged, runPass } from "./pass.ts";

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

async function watchResource(ctx: RunContext, r: TemplateResource, initial: ResourceResult | undefined) {
  const { log, signal } = ctx;
  const keys = fullKeys(r);
  let since: WatchIndex = initial?.snapshotIndex ?? 0n;
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
    let result = await ctx.mutex.run(() =>
      signal.aborted ? Promise.resolve(undefined) : processLogged(ctx, r, "watch", wake.changed)
    );
    // The backend could not be read: retry until it answers (the change is still to be rendered).
    while (result !== undefined && result.failedPhase === "fetch" && !signal.aborted) {
      await sleep(fetchBackoff.next(), signal).catch(() => {});
      result = await ctx.mutex.run(() =>
        signal.aborted ? Promise.resolve(undefined) : processLogged(ctx, r, "retry", wake.changed)
      );
    }
    fetchBackoff.reset();
    if (result === undefined) break;
    // Watch from what was read, not from the wake: a change during processing wakes us again.
    since = result.snapshotIndex ?? wake.index;
  }
}

/** Full passes every interval (only when -interval was set explicitly along with -watch). */
async function reconcile(ctx: RunContext, resources: readonly TemplateResource[]): Promise<void> {
  const seconds = intervalSeconds(ctx);
  while (!ctx.signal.aborted) {
    await sleep(seconds * 1000, ctx.signal).catch(() => {});
    if (ctx.signal.aborted) break;
    await runPass(ctx, resources, "reconcile");
  }
}

export async function runWatch(ctx: RunContext, boot: Bootstrapped): Promise<number> {
  const byResource = new Map(boot.results.map((res) => [res.resource, res]));
  const loops = boot.resources.map((r) => watchResource(ctx, r, byResource.get(r)));
  if (ctx.config.derived.intervalSet) loops.push(reconcile(ctx, boot.resources));
  // Nothing to watch: idle until told to stop, as a daemon should.
  if (loops.length === 0) await waitForAbort(ctx.signal).catch(() => {});
  await Promise.all(loops);
  return EXIT.ok;
}
