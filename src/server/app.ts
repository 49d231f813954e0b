// The status server's routes, as a Hono app over a StatusState: /healthz,
// /readyz, /metrics, /v1/resources and the page at /. Transport-free: tests call
// app.request(), node_http.ts serves it.

import { Hono } from "hono/tiny";
import { formatMetrics } from "./metrics.ts";
import { renderPage } from "./page.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus.ts";
import { resourcesJson } from "./resources_json.ts";
import type { BuildInfo, StatusState } from "./state.ts";

/** Responses are live state: no cache may keep them. */
const NO_STORE = { "cache-control": "no-store" };

export function createStatusApp(state: StatusState, build: BuildInfo): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.text("ok\n", 200, NO_STORE));
  app.get("/readyz", (c) => {
    const r = state.readiness();
    return c.json(r, r.ready ? 200 : 503, NO_STORE);
  });
  app.get(
    "/metrics",
    (c) => c.body(formatMetrics(state, build), 200, { ...NO_STORE, "content-type": PROMETHEUS_CONTENT_TYPE }),
  );
  app.get("/v1/resources", (c) => c.json(resourcesJson(state.resources.values()), 200, NO_STORE));
  app.get("/", (c) => c.html(renderPage(state, build, state.readiness()), 200, NO_STORE));
  app.notFound((c) => c.text("404 page not found\n", 404));
  return app;
}
