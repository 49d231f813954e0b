// Template engine benchmark: parse and execute timed separately (ns/op) with heap growth
// per op as a rough allocation figure, for the nginx upstream template over 10 and 10,000
// store keys and a 500-line template with nested ranges, printf and maps. Then data files:
// 100,000-key YAML, JSON and TOML maps read as the file backend reads them, beside confd's
// own time (gopkg.in/yaml.v2 through scripts/yamlv2) when Go and yaml.v2 are installed.
// Run: npx bun scripts/bench.ts   (or: npx deno run -A scripts/bench.ts)

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { confdFuncs } from "../src/funcs/confd.ts";
import { flattenDataFile } from "../src/kv/data_file.ts";
import { parseYamlV2 } from "../src/kv/yaml_v2.ts";
import { KVStore } from "../src/kv/store.ts";
import { Template } from "../src/template/template.ts";
import { fromJSON, type FuncMap, GoSlice, GoStruct, structType, type Value } from "../src/template/value.ts";

interface Case {
  name: string;
  text: string;
  funcs?: FuncMap;
  data: Value;
}

const NGINX = `upstream web {
{{- range gets "/services/web/*"}}
    server {{.Value}}; # {{base .Key}}
{{- end}}
}
{{range $i, $host := getvs "/services/web/*"}}{{if lt $i 3}}# first: {{$host}}
{{end}}{{end -}}
`;

/** The classic confd upstream: one getvs, one line per server. */
const NGINX_CLASSIC = `upstream web {
{{range getvs "/services/web/*"}}    server {{.}};
{{end}}}
`;

function servicePairs(n: number): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    pairs.push([`/services/web/node${String(i).padStart(5, "0")}`, `10.0.${i >> 8}.${i & 255}:80`]);
  }
  return pairs;
}

function nginxCase(n: number): Case {
  return {
    name: `nginx upstream, ${n} keys`,
    text: NGINX,
    funcs: confdFuncs(new KVStore(servicePairs(n))),
    data: null,
  };
}

function nginxClassicCase(n: number): Case {
  const funcs = confdFuncs(new KVStore(servicePairs(n)));
  return { name: `classic getvs upstream, ${n} keys`, text: NGINX_CLASSIC, funcs, data: null };
}

/** The same upstream block ranging over pairs given as data: the engine without the store. */
function nginxDataCase(n: number): Case {
  const kvpair = structType("memkv.KVPair");
  const items: Value[] = [];
  for (let i = 0; i < n; i++) {
    const key = `/services/web/node${String(i).padStart(5, "0")}`;
    items.push(new GoStruct(kvpair, new Map([["Key", key], ["Value", `10.0.${i >> 8}.${i & 255}:80`]])));
  }
  const text = `upstream web {
{{- range .}}
    server {{.Value}}; # {{.Key}}
{{- end}}
}
`;
  return { name: `nginx upstream, ${n} pairs as data`, text, data: new GoSlice(structType("memkv.KVPairs"), items) };
}

/** A 500-line template: 50 copies of a 10-line section using nested ranges, printf and maps. */
function bigCase(): Case {
  const section = (i: number) =>
    `# section ${i}
{{- range $name, $svc := .services}}
server_${i}_{{$name}} {
  {{- range $j, $port := $svc.ports}}
  listen {{printf "%s:%d" $svc.host (index $.ints $j)}}; # {{$port}}
  {{- end}}
  {{with $svc.tags}}tags {{range .}}{{.}} {{end}}{{else}}no tags{{end}}
  weight {{if gt (len $svc.ports) 1}}{{printf "%.2f" $svc.weight}}{{else}}1{{end}};
}
{{- end}}
`;
  const text = Array.from({ length: 50 }, (_, i) => section(i)).join("");
  const services: Record<string, unknown> = {};
  for (let s = 0; s < 5; s++) {
    services[`svc${s}`] = { host: `10.1.0.${s}`, ports: [80, 443, 8080], tags: s % 2 ? ["a", "b"] : [], weight: s / 3 };
  }
  const data = fromJSON({ services });
  // `ints` holds Go ints, which printf %d needs (JSON numbers are float64).
  if (data !== null && typeof data === "object" && "entries" in data && data.entries instanceof Map) {
    data.entries.set("ints", fromIntList([1, 2, 3]));
  }
  return { name: "500-line template, nested ranges", text, data };
}

function fromIntList(xs: number[]): Value {
  const v = fromJSON(xs);
  if (v !== null && typeof v === "object" && "items" in v) {
    for (let i = 0; i < xs.length; i++) v.items[i] = BigInt(xs[i] as number);
  }
  return v;
}

function gc(): void {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun) g.Bun.gc(true);
  else g.gc?.();
}

/** Median heap growth of single runs, each started right after a forced GC. */
function heapPerOp(fn: () => unknown): number {
  const deltas: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    fn();
    deltas.push(Math.max(0, process.memoryUsage().heapUsed - h0));
  }
  return deltas.sort((a, b) => a - b)[2] as number;
}

/** Times fn: returns ns/op, and heap bytes/op as a rough allocation figure. */
function measure(fn: () => unknown, minMs = 300): { nsPerOp: number; bytesPerOp: number; ops: number } {
  // Warm up until the JIT has settled (the first case would otherwise pay for it).
  for (const w0 = performance.now(); performance.now() - w0 < 150;) fn();
  const bytesPerOp = heapPerOp(fn);
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    ops++;
    t = performance.now();
  }
  return { nsPerOp: ((t - t0) * 1e6) / ops, bytesPerOp, ops };
}

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function fmtBytes(b: number): string {
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(1)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${b.toFixed(0)} B`;
}

const cases = [
  nginxClassicCase(10),
  nginxClassicCase(10_000),
  nginxCase(10),
  nginxCase(10_000),
  nginxDataCase(10_000),
  bigCase(),
];
const rows: string[][] = [["case", "phase", "time/op", "heap/op", "ops", "output"]];
for (const c of cases) {
  const opts = c.funcs ? { funcs: c.funcs } : {};
  const tmpl = Template.parse("bench.tmpl", c.text, opts);
  const out = tmpl.execute(c.data);
  const p = measure(() => Template.parse("bench.tmpl", c.text, opts));
  const e = measure(() => tmpl.execute(c.data));
  rows.push([c.name, "parse", fmtNs(p.nsPerOp), fmtBytes(p.bytesPerOp), String(p.ops), ""]);
  rows.push([c.name, "execute", fmtNs(e.nsPerOp), fmtBytes(e.bytesPerOp), String(e.ops), `${out.length} chars`]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
console.log(`runtime: ${runtime}`);
for (const r of rows) {
  console.log(r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  "));
}
if (runtime === "bun") {
  // JSC updates heapUsed only when it collects, so small allocations read as 0 B.
  console.log("note: under bun, heap/op only shows growth seen at GC time; run under deno for allocation figures");
}

/** Median of three timed runs after one warm-up, in ms. */
function medianMs(fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1] as number;
}

/** confd's time for `file` (yaml.Unmarshal + nodeWalk, median of three), or "" without Go and yaml.v2. */
function confdMs(file: string): string {
  const dir = new URL("./yamlv2/", import.meta.url).pathname;
  const r = spawnSync("go", ["run", "main.go", "-time", file], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GOPATH: process.env.YAMLV2_GOPATH ?? "/usr/share/gocode",
      GO111MODULE: "off",
      GOFLAGS: "",
      GOCACHE: process.env.GOCACHE ?? join(tmpdir(), "reconfd-yamlv2-gocache"),
    },
  });
  return r.status === 0 ? `${Number(r.stdout.split(" ")[0]).toFixed(0)} ms` : "";
}

const N = 100_000;
const dataDir = mkdtempSync(join(tmpdir(), "reconfd-bench-"));
const lines = Array.from({ length: N }, (_, i) => `key${i}: value${i}\n`).join("");
const dataCases: { name: string; file: string; text: string; read: (bytes: Uint8Array) => unknown; confd: boolean }[] =
  [
    {
      name: `YAML map of ${N} keys`,
      file: "keys.yaml",
      text: lines,
      read: (b) => flattenDataFile("keys.yaml", b),
      confd: true,
    },
    {
      name: `the same, full YAML reader (no fast path)`,
      file: "keys.yaml",
      text: lines,
      read: (b) => parseYamlV2(new TextDecoder().decode(b), { fastPath: false }),
      confd: false,
    },
    {
      name: `JSON map of ${N} keys`,
      file: "keys.json",
      text: JSON.stringify(Object.fromEntries(Array.from({ length: N }, (_, i) => [`key${i}`, `value${i}`])), null, 2),
      read: (b) => flattenDataFile("keys.json", b),
      confd: true,
    },
    {
      name: `TOML table of ${N} keys`,
      file: "keys.toml",
      text: Array.from({ length: N }, (_, i) => `key${i} = "value${i}"\n`).join(""),
      read: (b) => flattenDataFile("keys.toml", b),
      confd: false,
    },
  ];
const dataRows: string[][] = [["data file", "reconfd", "confd (yaml.v2)"]];
for (const c of dataCases) {
  const path = join(dataDir, c.file);
  writeFileSync(path, c.text);
  const bytes = new TextEncoder().encode(c.text);
  dataRows.push([c.name, `${medianMs(() => c.read(bytes)).toFixed(0)} ms`, c.confd ? confdMs(path) : ""]);
}
rmSync(dataDir, { recursive: true, force: true });
const dataWidths = dataRows[0]!.map((_, i) => Math.max(...dataRows.map((r) => r[i]!.length)));
console.log("");
for (const r of dataRows) {
  console.log(r.map((cell, i) => (i >= 1 ? cell.padStart(dataWidths[i]!) : cell.padEnd(dataWidths[i]!))).join("  "));
}
