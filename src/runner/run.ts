// The runner's entry point: builds the backend and runs onetime, interval or
// watch mode until done or until the signal (SIGINT/SIGTERM) aborts.

import type { Backend } from "../backends/backend.ts";
import { createBackend } from "../backends/create.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { runInterval } from "./interval.ts";
import { runOnetime } from "./onetime.ts";
import type { RunDeps } from "./pass.ts";
import { runWatch } from "./watch.ts";

export type { RunDeps };

/**
 * Runs confd's main loop per `config`; resolves with the exit code (0 ok, 1 failure). On abort, a
 * running resource is finished first (its commands are bounded by their timeouts), then 0.
 */
export async function runConfd(config: Config, log: Logger, signal: AbortSignal, deps: RunDeps = {}): Promise<number> {
  let backend: Backend;
  try {
    backend = deps.backend ?? createBackend(config, { env: deps.env });
  } catch (err) {
    log.fatal((err as Error).message);
    return 1;
  }
  try {
    if (config.onetime) return await runOnetime(config, backend, log, signal, deps);
    if (config.watch) return await runWatch(config, backend, log, signal, deps);
    return await runInterval(config, backend, log, signal, deps);
  } finally {
    if (deps.backend === undefined) await backend.close();
  }
}
