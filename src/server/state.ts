// What the status server knows, built from the runner's events alone: each
// resource's last result and counters, bootstrap and service state, backend
// activity, and the last 50 events. Everything is bounded (per-resource maps
// follow the loaded resources; the event list is a ring). No value read from
// the backend ever gets here: results carry key names, outcomes, times, errors.

import type { Config } from "../config/config.ts";
import type { TemplateResource } from "../config/resource.ts";
import type { Outcome, Phase } from "../resource/process.ts";
import type { ResourceResult, RunEvent, Trigger } from "../runner/events.ts";
import { Histogram } from "./prometheus.ts";
import { redactValues } from "../template/redact.ts";

/** How many events the ring keeps. */
export const RECENT_EVENTS = 50;
/** Changed keys kept per result (the rest are counted). */
const MAX_KEYS = 20;
/** Error messages are cut to their first line and this many characters. */
const MAX_ERROR_CHARS = 300;
/** Load errors kept for display. */
const MAX_LOAD_ERRORS = 20;
/** Backend request latency buckets, seconds: a loopback read (~1 ms) to a slow cluster (10 s). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** What the binary is (reconfd_build_info). */
export interface BuildInfo {
  version: string;
  commit: string;
  runtime: string;
}

export type ResultOutcome = Outcome | "failed";

/** One processing of a resource, as shown: key names and outcome, never values. */
export interface ResultSummary {
  trigger: Trigger;
  /** Changed keys (at most MAX_KEYS) and how many there were. */
  changedKeys: string[];
  changedKeyCount: number;
  outcome: ResultOutcome;
  error: string | undefined;
  failedPhase: Phase | undefined;
  /** Seconds per phase that ran. */
  durations: Partial<Record<Phase, number>>;
  /** ms since the epoch. */
  startedAt: number;
  finishedAt: number;
}

export interface ResourceCounters {
  /** Processings by outcome (updated, in-sync, noop, failed). */
  outcomes: Map<ResultOutcome, number>;
  renderErrors: number;
  checkFailures: number;
  reloads: number;
  reloadFailures: number;
}

export interface ResourceState {
  /** The resource's name: its file's path under <confdir>/conf.d (the metrics' `resource` label). */
  name: string;
  resource: TemplateResource;
  last: ResultSummary | undefined;
  /** When it last succeeded (ms since the epoch). */
  lastSuccessAt: number | undefined;
  counters: ResourceCounters;
}

/** One line of the recent-events list. */
export interface RecentEvent {
  at: number;
  kind: RunEvent["type"];
  /** For results: the resource's name and the summary. */
  resource?: string;
  result?: ResultSummary;
  /** For other events: a one-line description. */
  text: string;
}

export interface BackendRequests {
  latency: Histogram;
  errors: number;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface StatusStateOptions {
  /** Whether a supervised service is configured (readiness then waits for it). */
  serviceConfigured: boolean;
  /** <confdir>, to name resources by their path under conf.d. */
  confdir: string;
  /** The backend's name, for the page. Default "". */
  backend?: string;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** `config` to StatusStateOptions. */
export function stateOptions(config: Config): StatusStateOptions {
  return {
    serviceConfigured: config.exec !== "" || config.derived.execArgv.length > 0,
    confdir: config.confdir,
    backend: config.backend,
  };
}

/** The first line, values redacted, of at most MAX_ERROR_CHARS characters. */
export function briefError(message: string): string {
  const line = redactValues(message.split("\n", 1)[0].trim());
  return line.length > MAX_ERROR_CHARS ? line.slice(0, MAX_ERROR_CHARS) + "…" : line;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export class StatusState {
  readonly serviceConfigured: boolean;
  readonly backend: string;
  readonly startedAt: number;
  readonly now: () => number;
  readonly #confDir: string;

  /** Resources of the last load, in load order, by name. */
  resources = new Map<string, ResourceState>();
  loaded = false;
  loadErrors: string[] = [];
  loadErrorCount = 0;

  bootstrapDone = false;
  bootstrapRetries = 0;
  /** The resources failing at the last bootstrap retry. */
  bootstrapFailing: string[] = [];

  service: {
    running: boolean;
    pid: number | undefined;
    startedAt: number | undefined;
    starts: number;
    exit: { code: number | null; signal: string | null } | undefined;
  } = { running: false, pid: undefined, startedAt: undefined, starts: 0, exit: undefined };
  /** Signals sent to the service, by why. */
  serviceSignals = new Map<string, number>();

  configReloads = { ok: 0, failed: 0 };
  backendReconnects = 0;
  watchEvents = 0;
  backendRequests = new Map<string, BackendRequests>();
  shuttingDown = false;

  /** The last RECENT_EVENTS events, oldest first. */
  recent: RecentEvent[] = [];

  constructor(opts: StatusStateOptions) {
    this.serviceConfigured = opts.serviceConfigured;
    this.backend = opts.backend ?? "";
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.#confDir = opts.confdir.replace(/\/+$/, "") + "/conf.d/";
  }

  /** The name a resource is shown and labelled by. */
  nameOf(r: TemplateResource): string {
    return r.file.startsWith(this.#confDir) ? r.file.slice(this.#confDir.length) : r.file;
  }

  /** Takes one runner event in. */
  apply(e: RunEvent): void {
    switch (e.type) {
      case "resources-loaded":
        return this.#loaded(e.resources, e.errors.map((err) => err.message));
      case "result":
        return this.#result(e.result);
      case "pass-done":
        return;
      case "bootstrap-done":
        this.bootstrapDone = true;
        this.bootstrapFailing = [];
        return this.#note(e.type, "bootstrap done: every template resource rendered");
      case "bootstrap-retry":
        this.bootstrapRetries++;
        this.bootstrapFailing = e.failing.slice(0, MAX_LOAD_ERRORS).map((f) => this.#fileName(f));
        return this.#note(
          e.type,
          `bootstrap attempt ${e.attempt}: ${e.failing.length} not rendered; retrying in ${seconds(e.delayMs)}`,
        );
      case "service-started":
        this.service = {
          running: true,
          pid: e.pid,
          startedAt: this.now(),
          starts: this.service.starts + 1,
          exit: undefined,
        };
        return this.#note(e.type, `service started (pid ${e.pid})`);
      case "service-signalled":
        this.serviceSignals.set(e.why, (this.serviceSignals.get(e.why) ?? 0) + 1);
        return this.#note(e.type, `service sent ${e.signal} (${e.why})`);
      case "service-exited":
        this.service = { ...this.service, running: false, exit: { code: e.code, signal: e.signal } };
        return this.#note(e.type, `service exited (${e.signal === null ? `code ${e.code}` : `signal ${e.signal}`})`);
      case "config-reloaded":
        if (e.ok) this.configReloads.ok++;
        else this.configReloads.failed++;
        return this.#note(
          e.type,
          e.ok ? "configuration reloaded" : `configuration reload failed: ${briefError(e.error ?? "")}`,
        );
      case "backend-request": {
        let r = this.backendRequests.get(e.op);
        if (r === undefined) this.backendRequests.set(e.op, r = { latency: new Histogram(LATENCY_BUCKETS), errors: 0 });
        r.latency.observe(e.seconds);
        if (!e.ok) r.errors++;
        return;
      }
      case "backend-reconnect":
        this.backendReconnects++;
        return this.#note(e.type, "backend reconnected");
      case "watch-events":
        this.watchEvents += e.count;
        return;
    }
  }

  /** Marks the process as stopping (readiness then fails). */
  shutdown(): void {
    this.shuttingDown = true;
  }

  readiness(): Readiness {
    if (this.shuttingDown) return { ready: false, reason: "shutting down" };
    if (!this.bootstrapDone) {
      if (!this.loaded) return { ready: false, reason: "bootstrap: loading template resources" };
      const total = this.resources.size;
      const pending = [...this.resources.values()].filter((s) => s.last === undefined || s.last.outcome === "failed");
      return {
        ready: false,
        reason: `bootstrap: ${pending.length} of ${total} template resource${total === 1 ? "" : "s"} not rendered yet`,
      };
    }
    if (this.serviceConfigured && !this.service.running) {
      const exit = this.service.exit;
      if (exit === undefined) return { ready: false, reason: "waiting for the service to start" };
      return {
        ready: false,
        reason: `the service exited (${exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`})`,
      };
    }
    return { ready: true };
  }

  #fileName(file: string): string {
    return file.startsWith(this.#confDir) ? file.slice(this.#confDir.length) : file;
  }

  #note(kind: RunEvent["type"], text: string, extra: Partial<RecentEvent> = {}): void {
    this.recent.push({ at: this.now(), kind, text, ...extra });
    if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
  }

  #loaded(resources: readonly TemplateResource[], errors: string[]): void {
    const before = [...this.resources.keys()].join("\n");
    const beforeErrors = this.loadErrors.join("\n");
    const next = new Map<string, ResourceState>();
    for (const r of resources) {
      const name = this.nameOf(r);
      const old = this.resources.get(name);
      next.set(name, old ? { ...old, resource: r } : newResourceState(name, r));
    }
    this.resources = next;
    this.loadErrors = errors.slice(0, MAX_LOAD_ERRORS).map(briefError);
    this.loadErrorCount = errors.length;
    // Interval mode reloads conf.d every pass: only a change is worth a line.
    const changed = !this.loaded || before !== [...next.keys()].join("\n") ||
      beforeErrors !== this.loadErrors.join("\n");
    this.loaded = true;
    if (changed) {
      const n = resources.length;
      this.#note(
        "resources-loaded",
        `${n} template resource${n === 1 ? "" : "s"} loaded` +
          (errors.length > 0 ? `, ${errors.length} with errors` : ""),
      );
    }
  }

  #result(r: ResourceResult): void {
    const name = this.nameOf(r.resource);
    let s = this.resources.get(name);
    if (s === undefined) {
      // A result always follows its load; guard the bound anyway.
      if (this.resources.size >= 10_000) return;
      this.resources.set(name, s = newResourceState(name, r.resource));
    }
    const summary = summarize(r, this.now());
    s.last = summary;
    if (summary.outcome !== "failed") s.lastSuccessAt = summary.finishedAt;
    const c = s.counters;
    c.outcomes.set(summary.outcome, (c.outcomes.get(summary.outcome) ?? 0) + 1);
    if (r.failedPhase === "render") c.renderErrors++;
    if (r.failedPhase === "check") c.checkFailures++;
    if (r.durations.reload !== undefined) c.reloads++;
    if (r.failedPhase === "reload") c.reloadFailures++;
    this.#note("result", "", { resource: name, result: summary });
  }
}

function newResourceState(name: string, resource: TemplateResource): ResourceState {
  return {
    name,
    resource,
    last: undefined,
    lastSuccessAt: undefined,
    counters: { outcomes: new Map(), renderErrors: 0, checkFailures: 0, reloads: 0, reloadFailures: 0 },
  };
}

function summarize(r: ResourceResult, now: number): ResultSummary {
  const keys = r.changedKeys ?? [];
  return {
    trigger: r.trigger,
    changedKeys: keys.slice(0, MAX_KEYS),
    changedKeyCount: keys.length,
    outcome: r.outcome ?? "failed",
    error: r.error === undefined ? undefined : briefError(r.error.message),
    failedPhase: r.failedPhase,
    durations: { ...r.durations },
    startedAt: r.startedAt,
    finishedAt: now,
  };
}
