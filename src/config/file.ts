// Reads confd.toml into a settings layer. Keys match case-insensitively, as in
// confd (BurntSushi's TOML decoder); unlike confd, unknown keys and wrong types
// are errors that name the file, the line and the key. A file with a
// [template] table is a template resource passed where confd.toml belongs
// (the classic CoreOS tutorial does this); it is reported, not parsed as settings.

import { readFileSync } from "node:fs";
import { parse, TomlError } from "smol-toml";
import type { ConfigProblem } from "./errors.ts";
import { topLevelKeyLines } from "./key_lines.ts";
import { IGNORED_TOML_KEYS, type Layer, type Setting, SETTINGS, type SettingValue } from "./settings.ts";

export type ConfigFileResult =
  /** No file at the path: defaults apply (confd skips it silently too). */
  | { kind: "missing" }
  /** The file is a template resource: process just it. */
  | { kind: "resource" }
  /** Settings read, with each field's origin (`file:line`) and the problems found. */
  | { kind: "settings"; layer: Layer; origins: Map<string, string>; problems: ConfigProblem[] };

const BY_TOML_KEY = new Map<string, Setting>(SETTINGS.flatMap((s) => s.toml.map((k) => [k, s] as const)));

/** Edit distance (insert, delete, substitute), for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The canonical key closest to a misspelt one, if any is within two edits. */
function closestKey(lower: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const setting of SETTINGS) {
    for (const key of setting.toml) {
      const distance = editDistance(lower, key);
      if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: setting.toml[0], distance };
    }
  }
  return best?.key;
}

/** How a TOML value is described in "got ..." messages. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null || value === undefined) return "nothing";
  // Integers arrive as bigint (see parseConfigText), so a number is always a TOML float.
  if (typeof value === "number") return `float ${Number.isInteger(value) ? value.toFixed(1) : value}`;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return `boolean ${value}`;
  if (typeof value === "bigint") return `integer ${value}`;
  if (value instanceof Date) return "date";
  return "table";
}

const EXPECTED: Record<Setting["kind"], string> = {
  string: "a string",
  bool: "a boolean (true or false)",
  int: "an integer",
  list: "an array of strings",
};

/** The value if it has the setting's type, else undefined. */
function coerce(setting: Setting, value: unknown): SettingValue | undefined {
  switch (setting.kind) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "bool":
      return typeof value === "boolean" ? value : undefined;
    case "int":
      return typeof value === "bigint" ? Number(value) : undefined;
    case "list":
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? [...value] : undefined;
  }
}

/** Reads and checks the confd.toml at `path`; throws nothing, problems are returned. */
export function readConfigFile(path: string): ConfigFileResult | { kind: "error"; problem: ConfigProblem } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") return { kind: "missing" };
    const reason = err instanceof Error ? err.message : String(err);
    return { kind: "error", problem: { file: path, message: `${path}: cannot read config file: ${reason}` } };
  }
  return parseConfigText(path, text);
}

/** Checks the text of a confd.toml; `path` is used only in messages. */
export function parseConfigText(
  path: string,
  text: string,
): ConfigFileResult | { kind: "error"; problem: ConfigProblem } {
  let doc: Record<string, unknown>;
  try {
    // Integers as bigint: TOML's 1.0 is a float that JavaScript would make 1, and
    // confd (BurntSushi) refuses a float for an integer setting; int64 beyond 2^53 also loads.
    doc = parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
      return {
        kind: "error",
        problem: { file: path, line: err.line, message: `${path}:${err.line}:${err.column}: invalid TOML: ${reason}` },
      };
    }
    throw err;
  }
  const template = Object.entries(doc).find(([k]) => k.toLowerCase() === "template")?.[1];
  if (template !== null && typeof template === "object" && !Array.isArray(template) && !(template instanceof Date)) {
    return { kind: "resource" };
  }
  const lines = topLevelKeyLines(text);
  const layer: Layer = {};
  const origins = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  // TOML keeps `Backend` and `backend` (or `log-level` and `log_level`) apart; as
  // spellings of one setting they would silently override each other.
  const firstKey = new Map<string, string>();
  for (const [key, value] of Object.entries(doc)) {
    const lower = key.toLowerCase();
    const line = lines.get(key);
    const where = line === undefined ? path : `${path}:${line}`;
    if (IGNORED_TOML_KEYS.includes(lower)) continue;
    const setting = BY_TOML_KEY.get(lower);
    if (!setting) {
      const hint = closestKey(lower);
      const suggestion = hint === undefined ? "" : `; did you mean "${hint}"?`;
      problems.push({ file: path, line, key, message: `${where}: unknown key "${key}"${suggestion}` });
      continue;
    }
    const earlier = firstKey.get(setting.field);
    if (earlier !== undefined) {
      problems.push({ file: path, line, key, message: `${where}: key "${key}" sets the same setting as "${earlier}"` });
      continue;
    }
    firstKey.set(setting.field, key);
    const coerced = coerce(setting, value);
    if (coerced === undefined) {
      problems.push({
        file: path,
        line,
        key,
        message: `${where}: key "${key}" must be ${EXPECTED[setting.kind]}, got ${describe(value)}`,
      });
      continue;
    }
    layer[setting.field] = coerced;
    origins.set(setting.field, `${where}: key "${key}"`);
  }
  return { kind: "settings", layer, origins, problems };
}
