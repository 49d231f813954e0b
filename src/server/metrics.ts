// /metrics: the status state as Prometheus families named reconfd_*. Labels are
// bounded: `resource` by the loaded resources, `outcome`, `op` and `why` by
// small fixed sets.

import { ExpositionWriter } from "./prometheus.ts";
import type { BuildInfo, ResultOutcome, StatusState } from "./state.ts";

const OUTCOMES: readonly ResultOutcome[] = ["updated", "in-sync", "noop", "failed"];

/** The exposition text for `state`. */
export function formatMetrics(state: StatusState, build: BuildInfo): string {
  const w = new ExpositionWriter();
  const resources = [...state.resources.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  w.family("reconfd_build_info", "gauge", "The version, commit and runtime of this reconfd (always 1).")
    .sample("reconfd_build_info", 1, { version: build.version, commit: build.commit, runtime: build.runtime });
  w.family("reconfd_start_time_seconds", "gauge", "When this reconfd started, in unix seconds.")
    .sample("reconfd_start_time_seconds", state.startedAt / 1000);
  w.family("reconfd_resources", "gauge", "Template resources loaded from conf.d by the last load.")
    .sample("reconfd_resources", state.resources.size);
  w.family("reconfd_resource_load_errors", "gauge", "Template resources the last load rejected.")
    .sample("reconfd_resource_load_errors", state.loadErrorCount);

  w.family("reconfd_renders_total", "counter", "Processings of a template resource, by outcome (failed: any phase).");
  for (const r of resources) {
    for (const outcome of OUTCOMES) {
      w.sample("reconfd_renders_total", r.counters.outcomes.get(outcome) ?? 0, { resource: r.name, outcome });
    }
  }
  const perResource = (name: string, help: string, pick: (c: typeof resources[number]) => number) => {
    w.family(name, "counter", help);
    for (const r of resources) w.sample(name, pick(r), { resource: r.name });
  };
  perResource("reconfd_render_errors_total", "Template executions that failed.", (r) => r.counters.renderErrors);
  perResource(
    "reconfd_check_failures_total",
    "check_cmd runs that failed (dest kept).",
    (r) => r.counters.checkFailures,
  );
  perResource("reconfd_reloads_total", "reload_cmd runs.", (r) => r.counters.reloads);
  perResource("reconfd_reload_failures_total", "reload_cmd runs that failed.", (r) => r.counters.reloadFailures);
  w.family(
    "reconfd_last_success_timestamp_seconds",
    "gauge",
    "When the resource last rendered successfully (dest in sync or updated), in unix seconds.",
  );
  for (const r of resources) {
    if (r.lastSuccessAt !== undefined) {
      w.sample("reconfd_last_success_timestamp_seconds", r.lastSuccessAt / 1000, { resource: r.name });
    }
  }

  w.family("reconfd_bootstrap_done", "gauge", "1 once every template resource rendered for the first time.")
    .sample("reconfd_bootstrap_done", state.bootstrapDone ? 1 : 0);
  w.family("reconfd_bootstrap_retries_total", "counter", "Bootstrap rounds that left a resource unrendered.")
    .sample("reconfd_bootstrap_retries_total", state.bootstrapRetries);
  w.family("reconfd_service_up", "gauge", "1 while the supervised service runs (0 also when none is configured).")
    .sample("reconfd_service_up", state.service.running ? 1 : 0);
  w.family("reconfd_service_starts_total", "counter", "Starts of the supervised service.")
    .sample("reconfd_service_starts_total", state.service.starts);
  w.family("reconfd_service_signals_total", "counter", "Signals sent to the supervised service, by reason.");
  for (const [why, n] of [...state.serviceSignals].sort()) w.sample("reconfd_service_signals_total", n, { why });
  w.family("reconfd_config_reloads_total", "counter", "Configuration reloads on SIGHUP, by result.")
    .sample("reconfd_config_reloads_total", state.configReloads.ok, { result: "ok" })
    .sample("reconfd_config_reloads_total", state.configReloads.failed, { result: "failed" });

  w.family("reconfd_backend_reconnects_total", "counter", "Reconnections to the backend.")
    .sample("reconfd_backend_reconnects_total", state.backendReconnects);
  w.family("reconfd_watch_events_total", "counter", "Key change events received from the backend's watch.")
    .sample("reconfd_watch_events_total", state.watchEvents);
  const ops = [...state.backendRequests.keys()].sort();
  w.family("reconfd_backend_request_duration_seconds", "histogram", "Backend request latency, by operation.");
  for (const op of ops) {
    w.histogram("reconfd_backend_request_duration_seconds", state.backendRequests.get(op)!.latency, { op });
  }
  w.family("reconfd_backend_request_errors_total", "counter", "Backend requests that failed, by operation.");
  for (const op of ops) w.sample("reconfd_backend_request_errors_total", state.backendRequests.get(op)!.errors, { op });
  return w.text();
}
