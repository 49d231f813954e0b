// The runner's entry point: builds the backend and the run context, then runs
// onetime, or bootstrap followed by watch or interval mode, until done or until
// the signal (SIGINT/SIGTERM) aborts or the supervised service ends.

import type { Backend } from "../backends/backend.ts";
import { createBackend } from "../backends/create.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { type ProcessHooks, supervise } from "../supervisor/supervise.ts";
import type { BuildInfo } from "../server/state.ts";
import type { BackoffOptions } from "../backends/backoff.ts";
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
  /** Reads the configuration again, for reloads (SIGHUP). Default: reloads are not possible. */
  reloadConfig?: () => Promise<Config>;
  /** Subscribes to reload requests (SIGHUP); returns the unsubscribe function. Default none. */
  onReloadRequest?: (handler: () => void) => () => void;
  /** Signal subscription and libc for the supervised service and reaping. Default: none of either. */
  processHooks?: ProcessHooks;
  /** What /metrics reports as reconfd_build_info. Default "unknown" for each. */
  buildInfo?: BuildInfo;
}

async function runModes(ctx: RunContext, opts: RunOptions): Promise<number> {
  if (ctx.config.onetime) return await runOnetime(ctx);
  const boot = await bootstrap(ctx, opts.bootstrapBackoff);
  if (typeof boot === "number") return boot;
  if (ctx.config.watch) return await runWatch(ctx, boot);
  return await runInterval(ctx, boot.warned);
}

/**
 * Runs confd's main loop per `config`; resolves with the exit code (0 ok, 1 failure; with a
 * supervised service, the service's). On abort, a running resource is finished first (its commands
 * are bounded by their timeouts), then 0.
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
  // The service (-exec) starts on bootstrap-done; its end stops the runner, its code is ours.
  const supervision = supervise({ config, log, events, signal, env: opts.env, ...opts.processHooks });
  const ctx: RunContext = {
    config,
    backend,
    log,
    signal: supervision.signal,
    events,
    mutex: new Mutex(),
    out: opts.out,
    env: opts.env,
    reloadConfig: opts.reloadConfig,
    onReloadRequest: opts.onReloadRequest,
  };
  let status: StatusServer | undefined;
  try {
    // The status server answers /healthz from before bootstrap on.
    const started = await startStatus(ctx, opts.buildInfo);
    if (typeof started === "number") return await supervision.finish(started);
    status = started;
    return await supervision.finish(await runModes(ctx, opts));
  } finally {
    await status?.close();
    if (opts.backend === undefined) await backend.close();
  }
}
