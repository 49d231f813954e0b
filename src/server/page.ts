// GET /: the operator's status page, rendered on the server as one HTML
// document with inline CSS and no script: readiness, bootstrap and service
// state, each resource's last result, and the recent events. Every string that
// reaches the page goes through escapeHtml.

import type { Phase } from "../resource/process.ts";
import type { BuildInfo, Readiness, RecentEvent, ResourceState, ResultSummary, StatusState } from "./state.ts";

/** Seconds between automatic reloads of the page (a meta refresh, not a script). */
const REFRESH_SECONDS = 10;
const PHASES: readonly Phase[] = ["fetch", "render", "compare", "stage", "check", "install", "reload"];

/** Text safe anywhere in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `1.2 ms`, `340 ms`, `2.5 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 0.01) return `${(seconds * 1000).toFixed(1)} ms`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(1)} s`;
}

/** `12s ago`, `5m ago`, `3h ago`, `2d ago`. */
function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

/** A time as `HH:MM:SS` (UTC), the full date in its tooltip. */
function time(ms: number): string {
  const full = iso(ms);
  return `<time datetime="${full}" title="${full}">${full.slice(11, 19)}</time>`;
}

function badge(text: string, tone: "ok" | "warn" | "bad" | "idle"): string {
  return `<span class="badge ${tone}">${escapeHtml(text)}</span>`;
}

function outcomeBadge(r: ResultSummary): string {
  if (r.outcome === "failed") return badge(`${r.failedPhase ?? "render"} failed`, "bad");
  return badge(r.outcome, r.outcome === "updated" ? "ok" : "idle");
}

function durations(r: ResultSummary): string {
  const parts = PHASES.filter((p) => r.durations[p] !== undefined && p !== "compare" && p !== "stage")
    .map((p) => `${p} ${formatDuration(r.durations[p]!)}`);
  return escapeHtml(parts.join(" · "));
}

function changedKeys(r: ResultSummary): string {
  if (r.changedKeyCount === 0) return "";
  const more = r.changedKeyCount - r.changedKeys.length;
  return r.changedKeys.map((k) => `<code>${escapeHtml(k)}</code>`).join(" ") +
    (more > 0 ? ` <span class="muted">and ${more} more</span>` : "");
}

function card(title: string, value: string, detail: string): string {
  return `<div class="card"><div class="card-title">${escapeHtml(title)}</div>` +
    `<div class="card-value">${value}</div><div class="muted">${detail}</div></div>`;
}

function summaryCards(state: StatusState, now: number): string {
  const n = state.resources.size;
  const failing = [...state.resources.values()].filter((s) => s.last?.outcome === "failed").length;
  const bootstrap = state.bootstrapDone ? card("Bootstrap", badge("done", "ok"), "every resource rendered") : card(
    "Bootstrap",
    badge("in progress", "warn"),
    escapeHtml(`${state.bootstrapRetries} retr${state.bootstrapRetries === 1 ? "y" : "ies"} so far`),
  );
  const svc = state.service;
  const service = !state.serviceConfigured
    ? card("Service", badge("none", "idle"), "no -exec configured")
    : svc.running
    ? card("Service", badge("running", "ok"), escapeHtml(`pid ${svc.pid} · started ${ago(svc.startedAt!, now)}`))
    : svc.exit
    ? card(
      "Service",
      badge("exited", "bad"),
      escapeHtml(svc.exit.signal === null ? `exit code ${svc.exit.code}` : `signal ${svc.exit.signal}`),
    )
    : card("Service", badge("not started", "warn"), "starts after bootstrap");
  const resources = card(
    "Resources",
    `${n}`,
    escapeHtml(
      `${failing} failing` + (state.loadErrorCount > 0 ? ` · ${state.loadErrorCount} rejected by the last load` : ""),
    ),
  );
  const backend = card(
    "Backend",
    escapeHtml(state.backend || "—"),
    escapeHtml(
      `${state.watchEvents} watch event${state.watchEvents === 1 ? "" : "s"} · ` +
        `${state.backendReconnects} reconnect${state.backendReconnects === 1 ? "" : "s"}`,
    ),
  );
  return `<section class="cards">${bootstrap}${service}${resources}${backend}</section>`;
}

function resourceRow(s: ResourceState, now: number): string {
  const r = s.resource;
  const keys = r.keys.map((k) => `<code>${escapeHtml(k)}</code>`).join(" ") +
    (r.prefix === "/" ? "" : `<div class="muted">under <code>${escapeHtml(r.prefix)}</code></div>`);
  const last = s.last;
  const result = last === undefined
    ? `<td colspan="3" class="muted">not processed yet</td>`
    : `<td>${outcomeBadge(last)}<div class="muted small">${escapeHtml(last.trigger)} · ${time(last.finishedAt)} (${
      ago(last.finishedAt, now)
    })</div></td><td class="small">${durations(last)}</td><td class="small">${changedKeys(last)}</td>`;
  const success = s.lastSuccessAt === undefined ? `<span class="muted">never</span>` : ago(s.lastSuccessAt, now);
  const error = last?.error === undefined
    ? ""
    : `<tr class="error-row"><td colspan="6"><span class="error">${escapeHtml(last.error)}</span></td></tr>`;
  return `<tr><td><strong>${escapeHtml(s.name)}</strong><div class="muted small">${
    escapeHtml(r.src.split("/").pop() ?? r.src)
  } → ${escapeHtml(r.dest)}</div></td><td class="small">${keys}</td>` +
    `${result}<td class="small">${success}</td></tr>${error}`;
}

function resourcesTable(state: StatusState, now: number): string {
  const rows = [...state.resources.values()].map((s) => resourceRow(s, now)).join("");
  const errors = state.loadErrors.length === 0
    ? ""
    : `<ul class="load-errors">${state.loadErrors.map((e) => `<li class="error">${escapeHtml(e)}</li>`).join("")}</ul>`;
  const body = rows === ""
    ? `<p class="muted">${state.loaded ? "No template resources in conf.d." : "Loading template resources…"}</p>`
    : `<table><thead><tr><th>Resource</th><th>Keys</th><th>Last result</th><th>Durations</th><th>Changed keys</th>` +
      `<th>Last success</th></tr></thead><tbody>${rows}</tbody></table>`;
  return `<section><h2>Template resources</h2>${body}${errors}</section>`;
}

function eventRow(e: RecentEvent): string {
  if (e.result !== undefined) {
    const r = e.result;
    const detail = [
      changedKeys(r),
      durations(r),
      r.error === undefined ? "" : `<span class="error">${escapeHtml(r.error)}</span>`,
    ].filter((x) => x !== "").join("<br>");
    return `<tr><td class="small">${time(e.at)}</td><td>${outcomeBadge(r)}</td><td>${escapeHtml(e.resource ?? "")}` +
      `<div class="muted small">${escapeHtml(r.trigger)}</div></td><td class="small">${detail}</td></tr>`;
  }
  return `<tr><td class="small">${time(e.at)}</td><td>${badge(e.kind, "idle")}</td><td></td>` +
    `<td class="small">${escapeHtml(e.text)}</td></tr>`;
}

function eventsTable(state: StatusState): string {
  if (state.recent.length === 0) return `<section><h2>Recent events</h2><p class="muted">None yet.</p></section>`;
  const rows = [...state.recent].reverse().map(eventRow).join("");
  return `<section><h2>Recent events <span class="muted small">(newest first, last ${state.recent.length})</span></h2>` +
    `<table><thead><tr><th>Time (UTC)</th><th>Event</th><th>Resource</th><th>Detail</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></section>`;
}

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 32px;display:flex;align-items:center;gap:16px}
header h1{font-size:20px;margin:0}
header .meta{margin-left:auto;text-align:right}
main{padding:20px 32px;max-width:1400px}
h2{font-size:16px;margin:24px 0 8px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card-title{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card-value{font-size:20px;font-weight:600;margin:4px 0}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line);border-radius:8px;overflow:hidden}
th{white-space:nowrap;text-align:left;font-size:12px;color:var(--muted);font-weight:600;background:#fafbfc;padding:8px 12px;border-bottom:1px solid var(--line)}
td{padding:7px 12px;border-top:1px solid #eaeef2;vertical-align:top}
tr.error-row td{border-top:none;padding-top:0}
td code{white-space:nowrap}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eff2f5;border-radius:4px;padding:1px 5px;overflow-wrap:anywhere}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:2px 10px;border:1px solid}
.badge.ok{color:var(--ok);border-color:#aceebb;background:#dafbe1}
.badge.warn{color:var(--warn);border-color:#f5e0a0;background:#fff8c5}
.badge.bad{color:var(--bad);border-color:#ffcecb;background:#ffebe9}
.badge.idle{color:var(--muted);border-color:var(--line);background:#f6f8fa}
.muted{color:var(--muted)}
.small{font-size:12px}
.error{color:var(--bad);font:12px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.load-errors{background:#fff;border:1px solid #ffcecb;border-radius:8px;padding:8px 28px}
footer{padding:8px 32px 24px;color:var(--muted);font-size:12px}
footer a{color:#0969da;margin-right:12px}
`;

/** The whole page. */
export function renderPage(state: StatusState, build: BuildInfo, readiness: Readiness): string {
  const now = state.now();
  const ready = readiness.ready ? badge("ready", "ok") : badge("not ready", "warn");
  const reason = readiness.ready ? "" : `<span class="muted">${escapeHtml(readiness.reason)}</span>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}"><title>reconfd status</title><style>${CSS}</style></head>
<body><header><h1>reconfd</h1>${ready}${reason}<div class="meta small muted">${
    escapeHtml(`${build.version} · commit ${build.commit} · ${build.runtime}`)
  }<br>started ${time(state.startedAt)} UTC (${ago(state.startedAt, now)})</div></header>
<main>${summaryCards(state, now)}${resourcesTable(state, now)}${eventsTable(state)}</main>
<footer><a href="/metrics">/metrics</a><a href="/v1/resources">/v1/resources</a><a href="/readyz">/readyz</a>` +
    `<a href="/healthz">/healthz</a>refreshes every ${REFRESH_SECONDS}s</footer>
</body></html>
`;
}
