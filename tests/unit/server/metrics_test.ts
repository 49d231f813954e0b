// /metrics: the exposition text for a state fed with runner events — counts per
// resource and outcome, failures by phase, histograms — escaping, and
// promtool's verdict on it.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatMetrics } from "../../../src/server/metrics.ts";
import { escapeLabelValue, ExpositionWriter, formatValue, Histogram } from "../../../src/server/prometheus.ts";
import { StatusState } from "../../../src/server/state.ts";
import { CONFDIR, promtoolCheck, resource, result } from "./fixture.ts";

const BUILD = { version: "0.1.0", commit: "abc123", runtime: "bun 1.4.5" };

/** The value of the sample `line` (name and labels as printed), or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(line + " "));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("Prometheus text format", () => {
  it("escapes backslash, double quote and newline in label values", () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  });

  it("prints special values as Prometheus reads them", () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 0.25, 3].map(formatValue), ["NaN", "+Inf", "-Inf", "0.25", "3"]);
  });

  it("a histogram has cumulative buckets, +Inf, _sum and _count", () => {
    const h = new Histogram([0.01, 0.1, 1]);
    for (const v of [0.005, 0.05, 0.05, 5]) h.observe(v);
    const text = new ExpositionWriter().family("x_seconds", "histogram", "X.").histogram("x_seconds", h, { op: "get" })
      .text();
    assert.equal(
      text,
      [
        "# HELP x_seconds X.",
        "# TYPE x_seconds histogram",
        'x_seconds_bucket{op="get",le="0.01"} 1',
        'x_seconds_bucket{op="get",le="0.1"} 3',
        'x_seconds_bucket{op="get",le="1"} 3',
        'x_seconds_bucket{op="get",le="+Inf"} 4',
        'x_seconds_sum{op="get"} 5.105',
        'x_seconds_count{op="get"} 4',
        "",
      ].join("\n"),
    );
  });
});

describe("formatMetrics", () => {
  function fed(): StatusState {
    const state = new StatusState({ serviceConfigured: true, confdir: CONFDIR });
    const a = resource("app.toml", { reloadCmd: "true" });
    const b = resource("nginx.toml", { checkCmd: "false" });
    state.apply({ type: "resources-loaded", resources: [a, b], errors: [] });
    state.apply({ type: "result", result: result(a, { durations: { render: 0.001, reload: 0.01 } }) });
    state.apply({
      type: "result",
      result: result(b, {
        outcome: undefined,
        error: new Error("Config check failed: exit status 1"),
        failedPhase: "check",
      }),
    });
    state.apply({
      type: "result",
      result: result(b, { outcome: undefined, error: new Error("template: x:1: boom"), failedPhase: "render" }),
    });
    state.apply({
      type: "result",
      result: result(a, { outcome: "in-sync", trigger: "watch", changedKeys: ["/app/db"] }),
    });
    state.apply({
      type: "result",
      result: result(a, {
        outcome: undefined,
        error: new Error("Reload command failed: exit status 2"),
        failedPhase: "reload",
        durations: { reload: 0.02 },
      }),
    });
    state.apply({ type: "backend-request", op: "get", seconds: 0.003, ok: true });
    state.apply({ type: "backend-request", op: "get", seconds: 0.2, ok: false });
    state.apply({ type: "backend-request", op: "watch", seconds: 0.0005, ok: true });
    state.apply({ type: "backend-reconnect", endpoint: "http://127.0.0.1:2379" });
    state.apply({ type: "watch-events", count: 3 });
    state.apply({ type: "watch-events", count: 2 });
    state.apply({ type: "bootstrap-retry", attempt: 1, delayMs: 1000, failing: [b.file] });
    state.apply({ type: "bootstrap-done" });
    state.apply({ type: "service-started", pid: 42, command: ["nginx"] });
    state.apply({ type: "service-signalled", signal: "SIGHUP", why: "reload" });
    state.apply({ type: "config-reloaded", ok: false, error: "bad" });
    return state;
  }

  it("counts per resource and outcome, failures by phase, backend activity, bootstrap and service state", () => {
    const text = formatMetrics(fed(), BUILD);
    const want: [string, number][] = [
      ['reconfd_build_info{version="0.1.0",commit="abc123",runtime="bun 1.4.5"}', 1],
      ["reconfd_resources", 2],
      ['reconfd_renders_total{resource="app.toml",outcome="updated"}', 1],
      ['reconfd_renders_total{resource="app.toml",outcome="in-sync"}', 1],
      ['reconfd_renders_total{resource="app.toml",outcome="failed"}', 1],
      ['reconfd_renders_total{resource="nginx.toml",outcome="failed"}', 2],
      ['reconfd_renders_total{resource="nginx.toml",outcome="updated"}', 0],
      ['reconfd_render_errors_total{resource="nginx.toml"}', 1],
      ['reconfd_check_failures_total{resource="nginx.toml"}', 1],
      ['reconfd_check_failures_total{resource="app.toml"}', 0],
      ['reconfd_reloads_total{resource="app.toml"}', 2],
      ['reconfd_reload_failures_total{resource="app.toml"}', 1],
      ["reconfd_bootstrap_done", 1],
      ["reconfd_bootstrap_retries_total", 1],
      ["reconfd_service_up", 1],
      ["reconfd_service_starts_total", 1],
      ['reconfd_service_signals_total{why="reload"}', 1],
      ['reconfd_config_reloads_total{result="failed"}', 1],
      ["reconfd_backend_reconnects_total", 1],
      ["reconfd_watch_events_total", 5],
      ['reconfd_backend_request_duration_seconds_bucket{op="get",le="0.005"}', 1],
      ['reconfd_backend_request_duration_seconds_bucket{op="get",le="0.25"}', 2],
      ['reconfd_backend_request_duration_seconds_count{op="get"}', 2],
      ['reconfd_backend_request_duration_seconds_bucket{op="watch",le="0.001"}', 1],
      ['reconfd_backend_request_errors_total{op="get"}', 1],
      ['reconfd_backend_request_errors_total{op="watch"}', 0],
    ];
    for (const [line, value] of want) assert.equal(sample(text, line), value, line);
    // Only successes set the last success time; nginx.toml never succeeded.
    assert.ok(sample(text, 'reconfd_last_success_timestamp_seconds{resource="app.toml"}')! > 1.7e9);
    assert.equal(sample(text, 'reconfd_last_success_timestamp_seconds{resource="nginx.toml"}'), undefined);
  });

  it("drops the series of a resource that is no longer loaded", () => {
    const state = fed();
    state.apply({ type: "resources-loaded", resources: [resource("app.toml")], errors: [] });
    const text = formatMetrics(state, BUILD);
    assert.ok(!text.includes("nginx.toml"));
    assert.equal(sample(text, 'reconfd_renders_total{resource="app.toml",outcome="updated"}'), 1);
  });

  it("promtool accepts the output, odd resource names included", (t) => {
    const state = fed();
    state.apply({
      type: "resources-loaded",
      resources: [resource('we"ird\\name\n.toml'), resource("sub/dir/é.toml")],
      errors: [],
    });
    state.apply({ type: "result", result: result(resource('we"ird\\name\n.toml')) });
    const text = formatMetrics(state, BUILD);
    assert.ok(text.includes('resource="we\\"ird\\\\name\\n.toml"'));
    const verdict = promtoolCheck(text);
    if (verdict === undefined) return t.skip("promtool is not installed (scripts/ci_deps installs it)");
    assert.ok(verdict.ok, verdict.output);
  });
});
