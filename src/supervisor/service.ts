// The supervised service: the -exec command (or the argv after --), started
// once bootstrap rendered every resource, signalled after an update of a
// resource without reload_cmd, sent the signals reconfd receives, stopped with
// the kill signal and timeout on shutdown. Its end ends reconfd, with its code.

import type { Logger } from "../log/logger.ts";
import type { RunEvents } from "../runner/events.ts";
import { EXIT } from "../runner/exit_codes.ts";
import { Child, type ChildExit, shellExitCode } from "./child.ts";

export interface ServiceOptions {
  /** The command: ["/bin/sh", "-c", exec] or the argv given after --. Required. */
  argv: readonly string[];
  /** Sent to stop the service. Default "SIGTERM". */
  killSignal?: NodeJS.Signals;
  /** Wait this long after killSignal before SIGKILL of the process group. Default 30 000. */
  killTimeoutMs?: number;
  /** Sent after an update of a resource that has no reload_cmd. Default none. */
  reloadSignal?: NodeJS.Signals;
  /** The child's environment. Default process.env. */
  env?: Record<string, string | undefined>;
  /** The child's standard streams. Default "inherit". */
  stdio?: "inherit" | "ignore";
  log: Logger;
  /** Where service-started, -signalled and -exited are reported. */
  events: RunEvents;
}

/** "1.5s" or "30s", for log lines. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

export class Service {
  readonly #opts: ServiceOptions;
  readonly #ended = new AbortController();
  #child: Child | undefined;
  #stopping: Promise<ChildExit> | undefined;
  #exit: ChildExit | undefined;

  constructor(opts: ServiceOptions) {
    this.#opts = opts;
  }

  /** Aborted once the service ended, for whatever reason (reconfd then stops too). */
  get ended(): AbortSignal {
    return this.#ended.signal;
  }

  /** True while the child runs. */
  get running(): boolean {
    return this.#child?.running ?? false;
  }

  /** Starts the child (once; later calls do nothing). */
  start(): void {
    if (this.#child !== undefined) return;
    const { argv, log, events } = this.#opts;
    const child = new Child({ argv, env: this.#opts.env, stdio: this.#opts.stdio });
    this.#child = child;
    if (child.pid !== undefined) {
      log.info(`Starting service (pid ${child.pid}): ${argv.join(" ")}`);
      events.emit({ type: "service-started", pid: child.pid, command: argv });
    }
    child.exited.then((exit) => this.#onExit(exit));
  }

  #onExit(exit: ChildExit): void {
    this.#exit = exit;
    const { log, events } = this.#opts;
    if (exit.error !== undefined) log.error(`Cannot start service ${this.#opts.argv[0]}: ${exit.error.message}`);
    else if (this.#stopping !== undefined) log.info(`Service stopped (${describe(exit)})`);
    else if (exit.exitCode === 0) log.info("Service exited with status 0; stopping");
    else log.error(`Service ended (${describe(exit)}); stopping`);
    events.emit({ type: "service-exited", code: exit.code, signal: exit.signal, exitCode: exit.exitCode });
    this.#ended.abort("service exited");
  }

  /** Sends `signal` to the service's process group, when it runs; `why` is reported. */
  #send(signal: NodeJS.Signals, why: "reload" | "forward" | "stop" | "kill"): boolean {
    if (this.#child === undefined || !this.#child.signal(signal)) return false;
    this.#opts.events.emit({ type: "service-signalled", signal, why });
    return true;
  }

  /** After `resourceFile` was updated: the reload signal, when one is set and the service runs. */
  reload(resourceFile: string): void {
    const signal = this.#opts.reloadSignal;
    if (signal === undefined || this.#stopping !== undefined || !this.running) return;
    if (this.#send(signal, "reload")) this.#opts.log.info(`Sent ${signal} to the service (${resourceFile} updated)`);
  }

  /** Passes on a signal reconfd received. */
  forward(signal: NodeJS.Signals): void {
    if (this.#send(signal, "forward")) this.#opts.log.debug(`Forwarded ${signal} to the service`);
    else this.#opts.log.debug(`Received ${signal}; the service is not running, ignored`);
  }

  /**
   * Stops the service (kill signal, then SIGKILL of the group after the timeout) and resolves with
   * how it ended; undefined when it never started. Safe to call more than once.
   */
  stop(): Promise<ChildExit | undefined> {
    const child = this.#child;
    if (child === undefined) return Promise.resolve(undefined);
    // It ended on its own: that is not a stop we asked for (its code passes through as it is).
    if (this.#stopping === undefined && !child.running) return child.exited;
    if (this.#stopping === undefined) {
      const { log } = this.#opts;
      const signal = this.#opts.killSignal ?? "SIGTERM";
      const timeoutMs = this.#opts.killTimeoutMs ?? 30_000;
      log.info(`Stopping service (pid ${child.pid}) with ${signal}`);
      this.#opts.events.emit({ type: "service-signalled", signal, why: "stop" });
      this.#stopping = child.stop(signal, timeoutMs, () => {
        log.warning(`Service did not stop within ${seconds(timeoutMs)} of ${signal}; killing its process group`);
        this.#opts.events.emit({ type: "service-signalled", signal: "SIGKILL", why: "kill" });
      });
    }
    return this.#stopping;
  }

  /**
   * Kills what the service left running in its process group (once the service itself ended), so
   * nothing of it outlives reconfd. Returns true when something was left.
   */
  killLeftovers(): boolean {
    return this.#child !== undefined && !this.#child.running && this.#child.killGroup();
  }

  /**
   * reconfd's exit code once the service ended: 0 when it stopped because we asked (it exited 0,
   * died of the kill signal, or exited 128 + its number as a shell reports it); otherwise its own
   * code (128 + signal number when killed, so 137 after the SIGKILL of a timed-out stop).
   */
  exitCode(): number {
    const exit = this.#exit;
    if (exit === undefined) return EXIT.failure;
    if (this.#stopping === undefined || exit.error !== undefined) return exit.exitCode;
    const killSignal = this.#opts.killSignal ?? "SIGTERM";
    const byKillSignal = shellExitCode(null, killSignal);
    return exit.exitCode === 0 || exit.exitCode === byKillSignal ? EXIT.ok : exit.exitCode;
  }
}

/** "exit status 3", "killed by SIGKILL", for log lines. */
function describe(exit: ChildExit): string {
  return exit.signal !== null ? `killed by ${exit.signal}, code ${exit.exitCode}` : `exit status ${exit.code}`;
}
