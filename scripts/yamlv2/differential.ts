// Differential test of the data-file reader against confd's yaml.v2: random YAML-ish
// documents (keys, scalars of every kind, lists, flow collections, anchors, tags,
// comments, markers, odd indentation) go through scripts/yamlv2 (-stdin) and through
// flattenDataFile; any difference is printed. Needs Go and yaml.v2, so CI does not run it.
// Usage: npx bun scripts/yamlv2/differential.ts [documents] [seed]
//   (only documents whose first line is not indented: YAMLV2_SKIP_INDENTED=1)

import { spawnSync } from "node:child_process";
import { flattenDataFile } from "../../src/kv/data_file.ts";
let seed = Number(process.argv[3] ?? 7);
function next() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const rnd = (n: number) => Math.floor(next() * n);
const pick = <T>(a: T[]) => a[rnd(a.length)];
const scalars = [
  "x",
  "1",
  "-7",
  "0o17",
  "10:30",
  "yes",
  "~",
  "",
  "'q'",
  '"d"',
  "'it''s'",
  "a b",
  "a#b",
  "a #c",
  "1e3",
  ".5",
  "http://x:1/y",
  "-",
  "- x",
  "[a, b]",
  "{a: 1}",
  "&a x",
  "*a",
  "!!str 1",
  "a: b",
  "x:",
  "'unclosed",
  '"a\\tb"',
  "-x",
  "?x",
  ":x",
  "12345678901234567890",
  "0x_1f",
  "'a' #c",
  '"b"#c',
  "null",
  "NULL",
  "a  ",
  "é",
  "b\\",
  "#c",
  "|",
  ">-",
  "!!binary aGk=",
  "[a, {b: c}]",
  "{a: [1, 2], b: }",
  "&b {k: v}",
  "<<",
  "!!int 3",
  "!!float 2",
  "!foo x",
  "'a\\'",
  '"a\\/b"',
  "@x",
  "%x",
  "`x`",
  "1_000",
  "+1",
  "0b101",
  "2001-01-01",
  ".inf",
  "-.NaN",
  "0777",
  "08",
];
const keys = [
  "a",
  "b",
  "a",
  "10:30",
  "'k'",
  '"k k"',
  "yes",
  "~",
  "1",
  "-k",
  "<<",
  "a b",
  "k#",
  "0o17",
  '"a"',
  "x y ",
  "?k",
  ":k",
  "&x a",
  "*x",
  "!!str k",
  "? k",
  "[a]",
  "{b: 1}",
];
const jsonStrings = [
  '"x"',
  '""',
  '"a\\nb"',
  '"\\u00e9"',
  '"\\ud83d\\ude00"',
  '"\\/"',
  '"q\\"q"',
  '"tab\there"',
  '"10:30"',
  '"yes"',
];
const jsonNumbers = [
  "0",
  "-0",
  "1",
  "-7",
  "1.0",
  "1.5e3",
  "1E+2",
  "1e400",
  "12345678901234567890",
  "99999999999999999999",
  "0.1",
];
const ws = () => pick(["", " ", "\n  ", "\t", "\r\n", "  "]);

/** A random JSON value (sometimes with YAML-only oddities). */
function jsonValue(depth: number): string {
  const k = rnd(depth > 2 ? 3 : 5);
  if (k === 0) return pick(jsonStrings);
  if (k === 1) return pick(jsonNumbers);
  if (k === 2) return pick(["true", "false", "null"]);
  if (k === 3) return `[${ws()}${Array.from({ length: rnd(4) }, () => jsonValue(depth + 1)).join(`,${ws()}`)}${ws()}]`;
  const keys = ['"a"', '"b"', '"a"', '"k k"', '""', '"x/y"', pick(jsonStrings)];
  const pairs = Array.from({ length: rnd(4) }, () => `${pick(keys)}${pick(["", " "])}:${ws()}${jsonValue(depth + 1)}`);
  return `{${ws()}${pairs.join(`,${ws()}`)}${ws()}}`;
}

const docs: string[] = [];
for (let d = 0; d < Number(process.argv[2] ?? 4000) / 4; d++) {
  docs.push(pick(["", "\n", " "]) + `{${jsonValue(0).slice(1)}` + pick(["", "\n", " \n"]));
}
for (let d = 0; d < Number(process.argv[2] ?? 4000); d++) {
  const lines: string[] = [];
  const n = 1 + rnd(8);
  for (let i = 0; i < n; i++) {
    const ind = " ".repeat(pick([0, 0, 0, 2, 2, 4, 1, 3]));
    const kind = rnd(12);
    if (kind < 5) lines.push(`${ind}${pick(keys)}:${rnd(4) ? " " + pick(scalars) : ""}`);
    else if (kind < 8) {
      lines.push(`${ind}-${rnd(5) ? " " + (rnd(2) ? pick(scalars) : pick(keys) + ": " + pick(scalars)) : ""}`);
    } else if (kind < 9) lines.push(`${ind}# comment`);
    else if (kind < 10) lines.push(`${ind}${pick(scalars)}`);
    else if (kind < 11) lines.push(pick(["---", "...", "x: &a {k: 1}", "y: *a", "z:\n  <<: *a\n  k: 2"]));
    else lines.push("");
  }
  docs.push(lines.join(rnd(5) ? "\n" : "\r\n") + (rnd(3) ? "\n" : ""));
}
const r = spawnSync("go", ["run", "main.go", "-stdin"], {
  cwd: new URL(".", import.meta.url).pathname,
  input: JSON.stringify(docs),
  encoding: "utf8",
  maxBuffer: 1 << 28,
  env: {
    ...process.env,
    GOPATH: process.env.YAMLV2_GOPATH ?? "/usr/share/gocode",
    GO111MODULE: "off",
    GOCACHE: "/tmp/reconfd-yamlv2-gocache",
  },
});
if (r.status !== 0) throw new Error(r.stderr);
// One JSON entry per document, in order (see main.go).
const outs = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
let bad = 0, errs = 0, nsk = 0;
const kinds = new Map<string, number>();
for (let i = 0; i < docs.length; i++) {
  const want = outs[i];
  if (want.nonStringKey) {
    nsk++;
    continue;
  } // confd panics there
  const firstLine = docs[i].split(/\r?\n/).find((l) => l.trim() !== "" && !l.trim().startsWith("#")) ?? "";
  if (process.env.YAMLV2_SKIP_INDENTED && /^ /.test(firstLine)) continue;
  let got: Record<string, string> | string;
  try {
    got = Object.fromEntries(flattenDataFile("d.yaml", new TextEncoder().encode(docs[i])));
  } catch (e) {
    got = "ERROR " + (e as Error).message;
  }
  if (want.error) errs++;
  const ok = want.error ? typeof got === "string" : typeof got !== "string" &&
    JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(want.values ?? {}).sort());
  if (!ok) {
    bad++;
    const k = want.error
      ? "v2 error, we accept"
      : typeof got === "string"
      ? "we error: " + got.replace(/^ERROR d.yaml:\d+:\d+: /, "")
      : "values differ";
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    if (bad <= 25) {
      console.log(
        JSON.stringify(docs[i]),
        "\n  v2:",
        JSON.stringify(want.error ? "ERROR" : want.values),
        "\n  us:",
        JSON.stringify(got),
      );
    }
  }
}
console.log({ docs: docs.length, v2errors: errs, nonStringKey: nsk, bad }, kinds);
