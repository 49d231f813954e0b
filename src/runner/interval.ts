// Interval mode (the default): after bootstrap, sleep -interval seconds,
// re-read conf.d and process every resource, until the signal aborts. Errors
// are logged, never fatal.

import { sleep } from "../backends/backend.ts";
import type { RunContext } from "./context.ts";
import { EXIT } from "./exit_codes.ts";
import { loadLogged, runPass } from "./pass.ts";

/** The interval in seconds; confd busy-loops on 0, one second keeps the intent without burning a core. */
export function intervalSeconds(ctx: RunContext): number {
  const seconds = ctx.config.interval;
  if (seconds > 0) return seconds;
  ctx.log.warning(`interval ${seconds} is not positive: using 1 second`);
  return 1;
}

/** Runs passes every interval; `warned` holds the load warnings already logged (by bootstrap). */
export async function runInterval(ctx: RunContext, warned: Set<string>): Promise<number> {
  const seconds = intervalSeconds(ctx);
  while (!ctx.signal.aborted) {
    await sleep(seconds * 1000, ctx.signal).catch(() => {});
    if (ctx.signal.aborted) break;
    const loaded = await loadLogged(ctx, warned);
    await runPass(ctx, loaded.resources, "interval");
  }
  return EXIT.ok;
}
