// GET /v1/resources: each resource's definition (files, keys, prefix, no
// values) and its last result, as JSON with ISO 8601 times.

import type { ResourceState, ResultSummary } from "./state.ts";

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function result(r: ResultSummary | undefined) {
  if (r === undefined) return null;
  return {
    outcome: r.outcome,
    trigger: r.trigger,
    changedKeys: r.changedKeys,
    changedKeyCount: r.changedKeyCount,
    error: r.error ?? null,
    failedPhase: r.failedPhase ?? null,
    durations: r.durations,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}

/** The JSON body: `{ resources: [...] }`, sorted by name. */
export function resourcesJson(states: Iterable<ResourceState>) {
  const list = [...states].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    resources: list.map((s) => ({
      name: s.name,
      file: s.resource.file,
      src: s.resource.src,
      dest: s.resource.dest,
      prefix: s.resource.prefix,
      keys: s.resource.keys,
      lastResult: result(s.last),
      lastSuccessAt: iso(s.lastSuccessAt),
    })),
  };
}
