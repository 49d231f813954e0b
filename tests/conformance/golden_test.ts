// Conformance harness: renders every case in tests/conformance/cases/*.json
// with reconfd's engine and compares the output, or the error text, byte for
// byte with tests/golden/*.json, which real Go 1.19 text/template and the
// oracle's confd functions produced (scripts/conformance/generate; see the
// header of scripts/conformance/main.go for both file formats).
// tests/conformance/skip.json lists cases whose Go behaviour cannot be
// reproduced, each with its reason; they show up as skipped, never hidden.
//
// Adding a case: append it to the right cases/<area>.json (name unique in the
// file, saying the behaviour), run `bash scripts/conformance/generate` (needs
// Go 1.19; CI does not), and commit the case file with its golden file.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Template } from "../../src/template/template.ts";
import { fromJSON } from "../../src/template/value.ts";
import { KVStore } from "../../src/kv/store.ts";
import { confdFuncs } from "../../src/funcs/confd.ts";

type MissingKey = "default" | "invalid" | "zero" | "error";

interface Case {
  name: string;
  template: string;
  data?: unknown;
  kv?: Record<string, string>;
  funcs?: "confd" | "none";
  env?: Record<string, string>;
  missingkey?: MissingKey;
  delims?: [string, string];
}

interface Golden {
  name: string;
  output?: string;
  error?: string;
}

interface Skip {
  file: string;
  name: string;
  reason: string;
}

const casesDir = fileURLToPath(new URL("./cases/", import.meta.url));
const goldenDir = fileURLToPath(new URL("../golden/", import.meta.url));
const skipFile = fileURLToPath(new URL("./skip.json", import.meta.url));

function readJSON<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
}

const caseFiles = jsonFiles(casesDir);
const goldenFiles = jsonFiles(goldenDir);
const skips = readJSON<Skip[]>(skipFile);
const skipReason = new Map(skips.map((s) => [`${s.file}\u0000${s.name}`, s.reason]));

/** What the engine did with a case: its output, or the text of the error it threw. */
type Outcome = { output: string } | { error: string };

/**
 * Renders a case. `directCallDepth` 0 runs the whole template on the executor's heap
 * trampoline (the walkers used for deeply nested template calls), so both sets of walkers
 * are held to Go's results.
 */
function render(c: Case, directCallDepth?: number): Outcome {
  try {
    const funcs = c.funcs === "none"
      ? undefined
      : confdFuncs(new KVStore(Object.entries(c.kv ?? {})), { env: c.env ?? {} });
    const tmpl = Template.parse("t.tmpl", c.template, {
      funcs,
      leftDelim: c.delims?.[0],
      rightDelim: c.delims?.[1],
    });
    const data = fromJSON(c.data);
    return { output: tmpl.execute(data, { missingkey: c.missingkey, directCallDepth }) };
  } catch (e) {
    // Anything but an Error (or an Error that is not the engine's) is a bug;
    // its text will not match Go's, and the assertion shows what it was.
    return { error: e instanceof Error ? e.message : `non-Error thrown: ${String(e)}` };
  }
}

function describeOutcome(o: Outcome): string {
  return "output" in o ? `output ${JSON.stringify(o.output)}` : `error ${JSON.stringify(o.error)}`;
}

describe("conformance tables", () => {
  it("every case table has a golden file and every golden file a case table", () => {
    assert.deepEqual(goldenFiles, caseFiles);
  });

  for (const file of caseFiles) {
    it(`${file}: golden entries match the cases one to one, in order`, () => {
      const cases = readJSON<Case[]>(casesDir + file);
      const names = cases.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, "case names must be unique");
      const golden = goldenFiles.includes(file) ? readJSON<Golden[]>(goldenDir + file) : [];
      assert.deepEqual(
        golden.map((g) => g.name),
        names,
        "stale golden file: run scripts/conformance/generate",
      );
    });
  }

  it("every skip entry names an existing case and gives a reason", () => {
    for (const s of skips) {
      assert.ok(s.reason.trim() !== "", `skip ${s.file} ${s.name} has no reason`);
      assert.ok(caseFiles.includes(s.file), `skip names unknown file ${s.file}`);
      const cases = readJSON<Case[]>(casesDir + s.file);
      assert.ok(cases.some((c) => c.name === s.name), `skip names unknown case ${s.file}: ${s.name}`);
    }
  });
});

for (const file of caseFiles) {
  if (!goldenFiles.includes(file)) continue;
  const cases = readJSON<Case[]>(casesDir + file);
  const golden = new Map(readJSON<Golden[]>(goldenDir + file).map((g) => [g.name, g]));
  describe(`conformance ${file}`, () => {
    for (const c of cases) {
      const expected = golden.get(c.name);
      if (expected === undefined) continue; // reported by the one-to-one test above
      const reason = skipReason.get(`${file}\u0000${c.name}`);
      if (reason !== undefined) {
        it.skip(`${c.name} (skipped: ${reason})`, () => {});
        continue;
      }
      it(c.name, () => {
        const want: Outcome = expected.error !== undefined
          ? { error: expected.error }
          : { output: expected.output ?? "" };
        for (const [walkers, depth] of [["direct", undefined], ["trampolined", 0]] as const) {
          const got = render(c, depth);
          const mismatch = `${walkers} walkers, template ${JSON.stringify(c.template)}: want ${
            describeOutcome(want)
          }, got ${describeOutcome(got)}`;
          if ("error" in want) {
            assert.ok("error" in got, mismatch);
            assert.equal(got.error, want.error, mismatch);
          } else {
            assert.ok("output" in got, mismatch);
            assert.equal(got.output, want.output, mismatch);
          }
        }
      });
    }
  });
}
