// What a render costs on each of renderTemplate's two paths: on the main thread (every render
// that finishes within INLINE_RENDER_MS) and in the worker (a slower one, after its first
// INLINE_RENDER_MS), for the classic upstream template over 10 and 10,000 keys: the worker's
// start, then medians of runs.
// Run: npx bun scripts/bench_render.ts   (or npx deno run -A scripts/bench_render.ts; compiled:
// npx bun build --compile scripts/bench_render.ts src/resource/render_worker.ts --outfile /tmp/bench_render)

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KVStore } from "../src/kv/store.ts";
import { renderTemplate } from "../src/resource/render.ts";

const dir = mkdtempSync(join(tmpdir(), "reconfd-bench-"));
const src = join(dir, "upstream.tmpl");
writeFileSync(src, 'upstream web {\n{{range getvs "/services/web/*"}}    server {{.}};\n{{end}}}\n');

function store(n: number): KVStore {
  const pairs: [string, string][] = [];
  for (let i = 0; i < n; i++) pairs.push([`/services/web/node${i}`, `10.0.${i >> 8}.${i & 255}:80`]);
  return new KVStore(pairs);
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

// The first render in a worker pays for starting it (the worker is then kept for the next).
const t0 = performance.now();
await renderTemplate(src, store(10), { inlineMs: 0 });
console.log(`first render in a worker (starts it): ${(performance.now() - t0).toFixed(2)} ms`);

for (const n of [10, 10_000]) {
  const s = store(n);
  const inline = await median(20, () => renderTemplate(src, s));
  const worker = await median(10, () => renderTemplate(src, s, { inlineMs: 0 }));
  console.log(
    `${String(n).padStart(6)} keys   main thread ${inline.toFixed(2)} ms   worker ${worker.toFixed(2)} ms (reused)`,
  );
}
rmSync(dir, { recursive: true, force: true });
