// Interval mode (the default): after bootstrap, sleep -interval seconds,
// re-read conf.d and process every resource, until the signal aborts. Errors
// are logged, never fatal. A reload request (SIGHUP) re-reads confd.toml and
// runs a pass at once.

import { sleep } from "../backends/backend.ts";
import type { RunContext } from "./context.ts";
import { EXIT } from "./exit_codes.ts";
import { loadLogged, runPass } from "./pass.ts";
import { onReload, reloadConfiguration } from "./reload.ts";

/** The interval in seconds; confd busy-loops on 0, one second keeps the intent without burning a core. */
export function intervalSeconds(ctx: RunContext): number {
  const seconds = ctx.config.interval;
  if (seconds > 0) return seconds;
  ctx.log.warning(`interval ${seconds} is not positive: using 1 second`);
  return 1;
}

/** Runs passes every interval; `warned` holds the load warnings already logged (by bootstrap). */
export async function runInterval(ctx: RunContext, warned: Set<string>): Promise<number> {
  let wake = new AbortController();
  let reloaded = false;
  const unsubscribe = onReload(ctx, async () => {
    if (await reloadConfiguration(ctx)) {
      reloaded = true;
      wake.abort("reload");
    }
  });
  let seconds = intervalSeconds(ctx);
  try {
    while (!ctx.signal.aborted) {
      await sleep(seconds * 1000, AbortSignal.any([ctx.signal, wake.signal])).catch(() => {});
      if (ctx.signal.aborted) break;
      const trigger = reloaded ? "reload" : "interval";
      if (reloaded) seconds = intervalSeconds(ctx);
      reloaded = false;
      wake = new AbortController();
      const loaded = await loadLogged(ctx, warned);
      await runPass(ctx, loaded.resources, trigger);
    }
  } finally {
    unsubscribe();
  }
  return EXIT.ok;
}
