// Interval mode (the default): re-read conf.d, process every resource, sleep
// -interval seconds, until the signal aborts. Errors are logged, never fatal.

import { type Backend, sleep } from "../backends/backend.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { loadLogged, processLogged, type RunDeps } from "./pass.ts";

export async function runInterval(
  config: Config,
  backend: Backend,
  log: Logger,
  signal: AbortSignal,
  deps: RunDeps = {},
): Promise<number> {
  let seconds = config.interval;
  if (!(seconds > 0)) {
    // confd busy-loops on 0; one second keeps the intent without burning a core.
    log.warning(`interval ${seconds} is not positive: using 1 second`);
    seconds = 1;
  }
  const warned = new Set<string>();
  while (!signal.aborted) {
    const loaded = await loadLogged(config, log, warned);
    for (const r of loaded.resources) {
      if (signal.aborted) break;
      await processLogged(r, backend, config, log, deps, signal);
    }
    await sleep(seconds * 1000, signal).catch(() => {});
  }
  return 0;
}
