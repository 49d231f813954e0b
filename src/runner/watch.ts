// Watch mode: resources are loaded once; each waits on the backend for changes
// under its keys and is processed after each one (the first wait returns at
// once: the initial render). Processing is serialized across resources.

import { type Backend, sleep, waitForAbort, type WatchIndex } from "../backends/backend.ts";
import type { Config } from "../config/config.ts";
import type { TemplateResource } from "../config/resource.ts";
import { join } from "../kv/go_path.ts";
import type { Logger } from "../log/logger.ts";
import { loadLogged, Mutex, processLogged, type RunDeps } from "./pass.ts";

/** Pause after a failed wait before trying again (confd: 2 s). */
const WATCH_RETRY_MS = 2000;

async function watchResource(
  r: TemplateResource,
  backend: Backend,
  config: Config,
  log: Logger,
  signal: AbortSignal,
  deps: RunDeps,
  mutex: Mutex,
): Promise<void> {
  const keys = r.keys.map((k) => join(r.prefix, k));
  let last: WatchIndex = 0;
  while (!signal.aborted) {
    try {
      last = await backend.watch(keys, last, signal);
    } catch (err) {
      if (signal.aborted) break;
      log.error(`Watch error: ${(err as Error).message}`);
      await sleep(WATCH_RETRY_MS, signal).catch(() => {});
      continue;
    }
    // A resource queued behind a running one must not start once shutdown began.
    await mutex.run(() =>
      signal.aborted ? Promise.resolve(true) : processLogged(r, backend, config, log, deps, signal)
    );
  }
}

export async function runWatch(
  config: Config,
  backend: Backend,
  log: Logger,
  signal: AbortSignal,
  deps: RunDeps = {},
): Promise<number> {
  const loaded = await loadLogged(config, log);
  if (loaded.resources.length === 0) {
    if (loaded.errors.length > 0) return 1;
    // Nothing to watch: idle until told to stop, as a daemon should.
    await waitForAbort(signal).catch(() => {});
    return 0;
  }
  const mutex = new Mutex();
  await Promise.all(loaded.resources.map((r) => watchResource(r, backend, config, log, signal, deps, mutex)));
  return 0;
}
