// Shared fixtures for the status server tests: template resources and result
// records as the runner emits them, and promtool (Prometheus' own parser) when installed.

import { spawnSync } from "node:child_process";
import type { TemplateResource } from "../../../src/config/resource.ts";
import type { ResourceResult } from "../../../src/runner/events.ts";

export const CONFDIR = "/etc/confd";

export function resource(name: string, extra: Partial<TemplateResource> = {}): TemplateResource {
  return {
    file: `${CONFDIR}/conf.d/${name}`,
    src: `${CONFDIR}/templates/${name.replace(/\.toml$/, ".tmpl")}`,
    dest: `/etc/app/${name.replace(/\.toml$/, ".conf")}`,
    keys: ["/app/db", "/app/port"],
    prefix: "/",
    mode: undefined,
    uid: undefined,
    gid: undefined,
    checkCmd: "",
    reloadCmd: "",
    checkTimeoutMs: 60_000,
    reloadTimeoutMs: 60_000,
    renderTimeoutMs: 60_000,
    ...extra,
  };
}

export function result(r: TemplateResource, extra: Partial<ResourceResult> = {}): ResourceResult {
  return {
    resource: r,
    trigger: "initial",
    changedKeys: undefined,
    outcome: "updated",
    error: undefined,
    failedPhase: undefined,
    snapshotIndex: 1n,
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    durations: { fetch: 0.001, render: 0.002 },
    ...extra,
  };
}

/** promtool's verdict on an exposition text, or undefined when promtool is not installed. */
export function promtoolCheck(text: string): { ok: boolean; output: string } | undefined {
  const r = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (r.error !== undefined) return undefined;
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}
