// The runner's typed events: what the supervisor and the status server
// subscribe to (resources loaded, each resource's result record, a pass done,
// bootstrap done, backend activity). Nothing in src/resource/ knows about them.

import type { BackendObserver, WatchIndex } from "../backends/backend.ts";
import type { ResourceError, TemplateResource } from "../config/resource.ts";
import type { Outcome, Phase } from "../resource/process.ts";

/** What started a processing of a resource. */
export type Trigger = "initial" | "bootstrap-retry" | "watch" | "interval" | "reconcile" | "retry" | "reload";

/** The record of one processing of one resource. */
export interface ResourceResult {
  resource: TemplateResource;
  trigger: Trigger;
  /** Keys whose change triggered it (bounded list); undefined when not known or not a change. */
  changedKeys: readonly string[] | undefined;
  /** What happened to dest; undefined when it failed. */
  outcome: Outcome | undefined;
  /** The failure (its message is what was logged), and the phase it happened in. */
  error: Error | undefined;
  failedPhase: Phase | undefined;
  /** The backend index the values were read at (undefined when the read failed). */
  snapshotIndex: WatchIndex | undefined;
  /** When processing started (ms since the epoch). */
  startedAt: number;
  /** Seconds spent in each phase that ran. */
  durations: Partial<Record<Phase, number>>;
}

export type RunEvent =
  | { type: "resources-loaded"; resources: readonly TemplateResource[]; errors: readonly ResourceError[] }
  | { type: "result"; result: ResourceResult }
  | { type: "pass-done"; trigger: Trigger; total: number; failed: number }
  | { type: "bootstrap-done" }
  | { type: "bootstrap-retry"; attempt: number; delayMs: number; failing: readonly string[] }
  | { type: "service-started"; pid: number; command: readonly string[] }
  | { type: "service-signalled"; signal: string; why: "reload" | "forward" | "stop" | "kill" }
  | { type: "service-exited"; code: number | null; signal: string | null; exitCode: number }
  | { type: "config-reloaded"; ok: boolean; error?: string }
  | { type: "backend-request"; op: "get" | "watch" | "auth" | "status"; seconds: number; ok: boolean }
  | { type: "backend-reconnect"; endpoint: string }
  | { type: "watch-events"; count: number };

export type RunEventListener = (event: RunEvent) => void;

/** A small synchronous emitter; a listener that throws is dropped from nothing and breaks nothing. */
export class RunEvents {
  readonly #listeners = new Set<RunEventListener>();

  /** Subscribes; returns the unsubscribe function. */
  on(listener: RunEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: RunEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A subscriber's bug must not stop the runner.
      }
    }
  }

  /** The backend hooks, turned into events on this emitter. */
  backendObserver(): BackendObserver {
    return {
      request: (op, seconds, ok) => this.emit({ type: "backend-request", op, seconds, ok }),
      reconnect: (endpoint) => this.emit({ type: "backend-reconnect", endpoint }),
      watchEvents: (count) => this.emit({ type: "watch-events", count }),
    };
  }
}
