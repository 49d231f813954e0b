// The one place that wires supervision into a run (run.ts calls supervise()
// and, once the runner returned, finish()): the service starts on
// bootstrap-done, gets the reload signal on updates of resources without
// reload_cmd, receives the forwarded signals, and is stopped on shutdown; its
// end stops the runner. As PID 1 (or a subreaper), orphans are reaped meanwhile.

import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { isTracked } from "../resource/exit_cleanup.ts";
import type { Libc } from "../runtime/libc.ts";
import type { RunEvents } from "../runner/events.ts";
import { Reaper } from "./reaper.ts";
import { Service } from "./service.ts";
import { pid as ownPid } from "../runtime/runtime.ts";

/**
 * Signals passed on to the service as they are. SIGINT and SIGTERM stop it instead (with
 * -exec-kill-signal, then SIGKILL after -exec-kill-timeout). SIGHUP is reconfd's own (reloading
 * its configuration) and is never forwarded: subscribe to it with the same `onSignal` hook.
 */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

/** What supervision needs of the process, passed in from the runtime (main.ts via CliIO). */
export interface ProcessHooks {
  /** Subscribes to a process signal; returns the unsubscribe. Default: none (no forwarding, no SIGCHLD). */
  onSignal?: (name: NodeJS.Signals, handler: () => void) => () => void;
  /** libc through the runtime's FFI, for reaping. Default: none (no reaping). */
  loadLibc?: () => Promise<Libc | undefined>;
  /** Our pid (reaping happens as PID 1 or as a subreaper). Default process.pid. */
  pid?: number;
}

export interface SuperviseOptions extends ProcessHooks {
  config: Config;
  log: Logger;
  events: RunEvents;
  /** Aborted on SIGINT/SIGTERM: stops the service. */
  signal: AbortSignal;
  /** The service's environment. Default process.env. */
  env?: Record<string, string | undefined>;
  /** The service's standard streams. Default "inherit". */
  stdio?: "inherit" | "ignore";
}

export interface Supervision {
  /** The runner's signal: aborted on shutdown, or when the service ended on its own. */
  signal: AbortSignal;
  /**
   * Once the runner returned `runnerCode`: stops the service if it still runs, waits for it, stops
   * reaping. Resolves with reconfd's exit code: the runner's when no service ran, else the service's.
   */
  finish(runnerCode: number): Promise<number>;
}

/** The service's command: `/bin/sh -c EXEC`, or the argv given after `--`; undefined when none. */
export function serviceArgv(config: Config): string[] | undefined {
  if (config.derived.execArgv.length > 0) return [...config.derived.execArgv];
  if (config.exec.trim() !== "") return ["/bin/sh", "-c", config.exec];
  return undefined;
}

/** A reaper when we are PID 1 or a child subreaper (watch and interval mode); undefined otherwise. */
async function startReaper(opts: SuperviseOptions): Promise<Reaper | undefined> {
  const { config, log, loadLibc } = opts;
  if (config.onetime || loadLibc === undefined) return undefined;
  const pid = opts.pid ?? ownPid();
  const libc = await loadLibc().catch(() => undefined);
  if (libc === undefined) {
    if (pid === 1) log.warning("Running as PID 1 without FFI (libc): orphaned processes will not be reaped");
    return undefined;
  }
  if (pid !== 1 && !libc.isChildSubreaper()) return undefined;
  if (opts.signal.aborted) return undefined;
  log.debug(`Reaping orphaned processes (${pid === 1 ? "PID 1" : "child subreaper"})`);
  return new Reaper({ libc, pid, isOwn: isTracked, onSignal: opts.onSignal, log });
}

/** Sets up the service (when -exec or an argv after -- names one) and reaping; see Supervision. */
export function supervise(opts: SuperviseOptions): Supervision {
  const { config, log, events, signal } = opts;
  const reaper = startReaper(opts);
  const argv = serviceArgv(config);
  if (argv === undefined) {
    return {
      signal,
      finish: async (code) => {
        (await reaper)?.stop();
        return code;
      },
    };
  }
  const service = new Service({
    argv,
    killSignal: config.execKillSignal as NodeJS.Signals,
    killTimeoutMs: config.derived.execKillTimeoutMs,
    reloadSignal: config.execReloadSignal === "" ? undefined : config.execReloadSignal as NodeJS.Signals,
    env: opts.env,
    stdio: opts.stdio,
    log,
    events,
  });
  const unsubscribe = [
    events.on((e) => {
      // Bootstrap emits bootstrap-done only when not shutting down; results before it need no reload.
      if (e.type === "bootstrap-done" && !signal.aborted) service.start();
      // A resource with reload_cmd reloads through it (the pipeline ran it).
      if (e.type === "result" && e.result.outcome === "updated" && e.result.resource.reloadCmd === "") {
        service.reload(e.result.resource.file);
      }
    }),
    // Subscribed before the service starts, so an early SIGUSR1 is ignored rather than fatal.
    ...FORWARDED_SIGNALS.map((name) => opts.onSignal?.(name, () => service.forward(name)) ?? (() => {})),
  ];
  const onShutdown = () => void service.stop();
  signal.addEventListener("abort", onShutdown, { once: true });
  return {
    signal: AbortSignal.any([signal, service.ended]),
    async finish(runnerCode) {
      const exit = await service.stop();
      signal.removeEventListener("abort", onShutdown);
      for (const off of unsubscribe) off();
      if (exit !== undefined && service.killLeftovers()) log.debug("Killed what the service left in its process group");
      (await reaper)?.stop();
      return exit === undefined ? runnerCode : service.exitCode();
    },
  };
}
