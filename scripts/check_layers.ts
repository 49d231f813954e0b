// The import-layer gate (run by `npm test`): which folder of src/ may import
// which, so data keeps flowing one way (config -> backend -> store -> template
// -> stage file -> check -> install -> reload) and nothing reaches backwards.
// Also: only src/runtime/ may touch the runtime globals (Bun, Deno) and the
// `process` object. Prints every violation with file:line; exit 1 if any.
// Run: npx bun scripts/check_layers.ts (or npx deno run -A scripts/check_layers.ts).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";

/** For each folder under src/, the folders (or single files, "folder/file.ts") it may import. */
export const LAYERS: Record<string, readonly string[]> = {
  template: [],
  config: [],
  kv: ["template"],
  funcs: ["kv", "template"],
  log: ["config"],
  runtime: ["template"],
  backends: ["config", "kv", "log", "runtime", "template"],
  resource: ["config", "funcs", "kv", "log", "runtime", "template"],
  supervisor: ["config", "log", "runtime", "resource/exit_cleanup.ts", "runner/events.ts", "runner/exit_codes.ts"],
  server: [
    "config",
    "log",
    "runtime",
    "template/redact.ts",
    "resource/process.ts",
    "runner/events.ts",
    "runner/exit_codes.ts",
  ],
  runner: ["backends", "config", "funcs", "kv", "log", "resource", "runtime", "supervisor", "server", "template"],
  cli: ["backends", "config", "funcs", "kv", "log", "resource", "runner", "runtime", "server", "template"],
};

/** Folders whose files may use the `process` object and the Bun/Deno globals. */
const RUNTIME_FOLDERS = new Set(["runtime"]);

export interface Violation {
  file: string;
  line: number;
  message: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^"'`]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const PROCESS_USE =
  /\bimport\s+process\b|from\s+["']node:process["']|(?<![\w/.])process\.(?!ts["'])|\bglobalThis\.(Bun|Deno)\b|(?<![\w.])(Bun|Deno)\.[a-z]/;

/** Checks every .ts file under `srcDir`; returns the violations. */
export function checkLayers(srcDir: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of walk(srcDir)) {
    const rel = relative(srcDir, file);
    const folder = rel.split("/")[0];
    const allowed = LAYERS[folder];
    const lines = readFileSync(file, "utf8").split("\n");
    if (allowed === undefined) {
      violations.push({ file: rel, line: 1, message: `folder "${folder}" has no entry in LAYERS` });
      continue;
    }
    lines.forEach((text, i) => {
      const trimmed = text.trimStart();
      if (trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("/*")) return;
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        if (!spec.startsWith(".")) continue;
        const target = relative(srcDir, join(srcDir, rel, "..", spec));
        const [targetFolder] = target.split("/");
        if (target.startsWith("..") || targetFolder === folder) continue;
        if (!allowed.includes(targetFolder) && !allowed.includes(target)) {
          violations.push({ file: rel, line: i + 1, message: `${folder}/ may not import ${target}` });
        }
      }
      if (!RUNTIME_FOLDERS.has(folder) && PROCESS_USE.test(text)) {
        violations.push({
          file: rel,
          line: i + 1,
          message: "only src/runtime/ may use `process` or the Bun/Deno globals",
        });
      }
    });
  }
  return violations;
}

if (import.meta.main) {
  const root = new URL("../src/", import.meta.url).pathname;
  const violations = checkLayers(root);
  for (const v of violations) console.log(`src/${v.file}:${v.line}: ${v.message}`);
  console.log(violations.length === 0 ? "import layers: ok" : `import layers: ${violations.length} violations`);
  process.exit(violations.length === 0 ? 0 : 1);
}
