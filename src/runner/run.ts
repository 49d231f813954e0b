// The runner's entry point: builds the backend and the run context, then runs
// onetime, or bootstrap followed by watch or interval mode, until done or until
// the signal (SIGINT/SIGTERM) aborts.

import type { Backend } from "../backends/backend.ts";
import { createBackend } from "../backends/create.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import type { BuildInfo } from "../server/state.ts";
import type { BackoffOptions } from "./backoff.ts";
import { bootstrap } from "./bootstrap.ts";
import type { RunContext } from "./context.ts";
import { RunEvents } from "./events.ts";
import { EXIT } from "./exit_codes.ts";
import { runInterval } from "./interval.ts";
import { Mutex } from "./mutex.ts";
import { runOnetime } from "./onetime.ts";
import { startStatus, type StatusServer } from "./status.ts";
import { runWatch } from "./watch.ts";

export interface RunOptions {
  /** Use this backend instead of creating one from the config (tests, embedding). */
  backend?: Backend;
  /** Where -noop -diff output goes. Default process.stdout. */
  out?: (text: string) => void;
  /** getenv's environment for templates and the env backend. Default process.env. */
  env?: Record<string, string | undefined>;
  /** The emitter to report on (the supervisor and status server subscribe to it). Default a new one. */
  events?: RunEvents;
  /** Bootstrap retry timing (tests shorten it). Default 1 s doubling to 30 s. */
  bootstrapBackoff?: BackoffOptions;
  /** What /metrics reports as reconfd_build_info. Default "unknown" for each. */
  buildInfo?: BuildInfo;
}

/**
 * Runs confd's main loop per `config`; resolves with the exit code (0 ok, 1 failure). On abort, a
 * running resource is finished first (its commands are bounded by their timeouts), then 0.
 */
export async function runConfd(
  config: Config,
  log: Logger,
  signal: AbortSignal,
  opts: RunOptions = {},
): Promise<number> {
  const events = opts.events ?? new RunEvents();
  let backend: Backend;
  try {
    backend = opts.backend ?? await createBackend(config, { env: opts.env, observer: events.backendObserver(), log });
  } catch (err) {
    log.fatal((err as Error).message);
    return EXIT.failure;
  }
  const ctx: RunContext = { config, backend, log, signal, events, mutex: new Mutex(), out: opts.out, env: opts.env };
  let status: StatusServer | undefined;
  try {
    const started = await startStatus(ctx, opts.buildInfo);
    if (typeof started === "number") return started;
    status = started;
    if (config.onetime) return await runOnetime(ctx);
    const boot = await bootstrap(ctx, opts.bootstrapBackoff);
    if (typeof boot === "number") return boot;
    if (config.watch) return await runWatch(ctx, boot);
    return await runInterval(ctx, boot.warned);
  } finally {
    await status?.close();
    if (opts.backend === undefined) await backend.close();
  }
}
