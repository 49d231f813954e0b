// A template resource (one conf.d/*.toml file): parsing and validating its
// [template] table into a TemplateResource. Discovery lives in resource_load.ts.

import { isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { lookupGroup, lookupUser, parseDuration, parseMode } from "./resource_fields.ts";

/** Default check_timeout, reload_timeout and render_timeout, in ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

export interface TemplateResource {
  /** The conf.d TOML file it was read from. */
  file: string;
  /** Template path, always under <confdir>/templates. */
  src: string;
  /** Destination as written in the TOML file (relative paths are relative to the working directory). */
  dest: string;
  /** Keys to fetch, each joined under `prefix`. */
  keys: string[];
  /** Key prefix, always starting with "/" (a non-empty global -prefix replaces it). */
  prefix: string;
  /** Permission bits; undefined means "dest's current mode, else 0644". */
  mode: number | undefined;
  /** Owner and group to apply; undefined means "the effective uid/gid". */
  uid: number | undefined;
  gid: number | undefined;
  /**
   * Go templates over {src, dest}: a string runs with /bin/sh -c, an array (each element a
   * template) is an argv run without a shell ("" = none).
   */
  checkCmd: CommandSpec;
  reloadCmd: CommandSpec;
  /** Command timeouts in ms (default 60s). */
  checkTimeoutMs: number;
  reloadTimeoutMs: number;
  /** Longest a render may run, in ms (default 60s): a runaway template is stopped with an error. */
  renderTimeoutMs: number;
}

/** check_cmd / reload_cmd as written: shell text, or a non-empty argv array. */
export type CommandSpec = string | readonly string[];

/** A problem with one resource file; `line` (and `column`, for TOML syntax errors) are 1-based when known. */
export class ResourceError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly key: string | undefined;
  readonly detail: string;
  constructor(file: string, line: number | undefined, key: string | undefined, detail: string, options?: {
    cause?: unknown;
    column?: number;
  }) {
    const at = line === undefined
      ? file
      : options?.column === undefined
      ? `${file}:${line}`
      : `${file}:${line}:${options.column}`;
    super(`${at}: ${detail}`, options);
    this.name = "ResourceError";
    this.file = file;
    this.line = line;
    this.column = line === undefined ? undefined : options?.column;
    this.key = key;
    this.detail = detail;
  }
}

export interface ParseResourceOptions {
  /** <confdir>/templates, where `src` is resolved. */
  templateDir: string;
  /** Global -prefix; when non-empty it replaces the resource's own prefix. */
  globalPrefix: string;
  /** Receives non-fatal notes (a mode without leading 0). */
  warn?: (message: string) => void;
  /** Databases for owner/group names. Defaults /etc/passwd and /etc/group. */
  passwdFile?: string;
  groupFile?: string;
}

const KNOWN_KEYS = [
  "src",
  "dest",
  "keys",
  "prefix",
  "mode",
  "uid",
  "gid",
  "owner",
  "group",
  "check_cmd",
  "reload_cmd",
  "check_timeout",
  "reload_timeout",
  "render_timeout",
] as const;
type KnownKey = (typeof KNOWN_KEYS)[number];

/**
 * The 1-based line where `key` is set inside `[table]` (or at top level when table is ""): an
 * assignment `key = ...`, a dotted `table.key = ...` at top level, or a `[table.key]` / `[[key]]` header.
 */
export function lineOfKey(text: string, table: string, key: string): number | undefined {
  const lines = text.split("\n");
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const name = (s: string) => `(?:${esc(s)}|"${esc(s)}"|'${esc(s)}')`;
  const assign = new RegExp(`^\\s*${name(key)}\\s*[=.]`, "i");
  const dotted = table === "" ? undefined : new RegExp(`^\\s*${name(table)}\\s*\\.\\s*${name(key)}\\s*[=.]`, "i");
  const path = (table === "" ? key : `${table}.${key}`).toLowerCase();
  let current = "";
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[\[?\s*([^\]]*?)\s*\]/.exec(lines[i]);
    if (header) {
      current = header[1].replace(/["'\s]/g, "").toLowerCase();
      if (current === path || current.startsWith(path + ".")) return i + 1;
    } else if (current === table.toLowerCase() && assign.test(lines[i])) return i + 1;
    else if (current === "" && dotted?.test(lines[i])) return i + 1;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array ${JSON.stringify(v)}`;
  if (typeof v === "object" && v !== null) return "a table";
  return `${typeof v} ${typeof v === "bigint" ? String(v) : JSON.stringify(v)}`;
}

/**
 * Parses one resource file. Every problem is collected (unknown keys, wrong types, missing src/dest,
 * bad mode, unknown owner) so a user fixes them all in one go; the resource is returned only when
 * there are none.
 */
export function parseResource(
  file: string,
  text: string,
  opts: ParseResourceOptions,
): { resource?: TemplateResource; draft?: TemplateResource; errors: ResourceError[] } {
  const errors: ResourceError[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const line = err instanceof TomlError ? err.line : undefined;
    const column = err instanceof TomlError ? err.column : undefined;
    const msg = (err as Error).message.split("\n")[0];
    return { errors: [new ResourceError(file, line, undefined, `invalid TOML: ${msg}`, { cause: err, column })] };
  }
  let table: Record<string, unknown> | undefined;
  let tableName = "template";
  for (const [name, value] of Object.entries(doc)) {
    if (name.toLowerCase() === "template" && typeof value === "object" && value !== null && !Array.isArray(value)) {
      table = value as Record<string, unknown>;
      tableName = name;
    } else {
      errors.push(
        new ResourceError(
          file,
          lineOfKey(text, "", name),
          name,
          `unknown key ${JSON.stringify(name)} (expected a [template] table)`,
        ),
      );
    }
  }
  if (table === undefined) {
    errors.push(new ResourceError(file, undefined, undefined, "missing [template] table"));
    return { errors };
  }
  const at = (key: string) => lineOfKey(text, tableName, key);
  const fail = (key: string, detail: string) => errors.push(new ResourceError(file, at(key), key, detail));

  const values = new Map<KnownKey, unknown>();
  const spelled = new Map<KnownKey, string>();
  for (const [name, value] of Object.entries(table)) {
    const known = KNOWN_KEYS.find((k) => k === name.toLowerCase());
    if (known === undefined) {
      fail(name, `unknown key ${JSON.stringify(name)} in [template] (known: ${KNOWN_KEYS.join(", ")})`);
    } else if (values.has(known)) fail(name, `key ${JSON.stringify(name)} is set twice`);
    else {
      values.set(known, value);
      spelled.set(known, name);
    }
  }
  const str = (key: KnownKey): string | undefined => {
    const v = values.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== "string") {
      fail(spelled.get(key) ?? key, `key "${key}" must be a string, got ${describe(v)}`);
      return undefined;
    }
    return v;
  };
  const int = (key: KnownKey): number | undefined => {
    const v = values.get(key);
    if (v === undefined) return undefined;
    const n = typeof v === "bigint" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      fail(spelled.get(key) ?? key, `key "${key}" must be a non-negative integer, got ${describe(v)}`);
      return undefined;
    }
    return n;
  };
  const duration = (key: KnownKey): number => {
    const s = str(key);
    if (s === undefined) return DEFAULT_COMMAND_TIMEOUT_MS;
    try {
      const ms = parseDuration(s);
      if (ms > 0) return ms;
      fail(spelled.get(key) ?? key, `key "${key}" must be a positive duration, got ${JSON.stringify(s)}`);
    } catch (err) {
      fail(spelled.get(key) ?? key, `key "${key}": ${(err as Error).message}`);
    }
    return DEFAULT_COMMAND_TIMEOUT_MS;
  };

  const src = str("src");
  if (src === undefined && !values.has("src")) fail("src", 'missing key "src" (the template file)');
  else if (src === "") fail("src", 'key "src" is empty');
  const dest = str("dest");
  if (dest === undefined && !values.has("dest")) fail("dest", 'missing key "dest" (the output file)');
  else if (dest === "") fail("dest", 'key "dest" is empty');

  const keys: string[] = [];
  const rawKeys = values.get("keys");
  if (rawKeys !== undefined) {
    if (!Array.isArray(rawKeys) || rawKeys.some((k) => typeof k !== "string")) {
      fail(spelled.get("keys") ?? "keys", `key "keys" must be an array of strings, got ${describe(rawKeys)}`);
    } else keys.push(...(rawKeys as string[]));
  }

  let prefix = opts.globalPrefix !== "" ? opts.globalPrefix : (str("prefix") ?? "");
  if (opts.globalPrefix !== "") str("prefix"); // still type-checked
  if (!prefix.startsWith("/")) prefix = "/" + prefix;

  let mode: number | undefined;
  const modeText = str("mode");
  if (modeText !== undefined) {
    try {
      const parsed = parseMode(modeText);
      mode = parsed.mode;
      if (parsed.warning) opts.warn?.(`${file}:${at(spelled.get("mode") ?? "mode") ?? "?"}: ${parsed.warning}`);
    } catch (err) {
      fail(spelled.get("mode") ?? "mode", (err as Error).message);
    }
  }

  let uid = int("uid");
  let gid = int("gid");
  const owner = str("owner");
  const group = str("group");
  if (owner !== undefined) {
    if (values.has("uid")) fail(spelled.get("owner") ?? "owner", 'set either "owner" or "uid", not both');
    else {
      try {
        uid = lookupUser(owner, opts.passwdFile);
      } catch (err) {
        fail(spelled.get("owner") ?? "owner", (err as Error).message);
      }
    }
  }
  if (group !== undefined) {
    if (values.has("gid")) fail(spelled.get("group") ?? "group", 'set either "group" or "gid", not both');
    else {
      try {
        gid = lookupGroup(group, opts.groupFile);
      } catch (err) {
        fail(spelled.get("group") ?? "group", (err as Error).message);
      }
    }
  }

  const command = (key: "check_cmd" | "reload_cmd"): CommandSpec => {
    const v = values.get(key);
    if (v === undefined || typeof v === "string") return v ?? "";
    const name = spelled.get(key) ?? key;
    if (!Array.isArray(v) || v.some((a) => typeof a !== "string")) {
      fail(name, `key "${key}" must be a string or an array of strings, got ${describe(v)}`);
    } else if (v.length === 0 || v[0] === "") {
      fail(name, `key "${key}" is an empty array (its first element is the program)`);
    } else return v as string[];
    return "";
  };
  const checkCmd = command("check_cmd");
  const reloadCmd = command("reload_cmd");
  const checkTimeoutMs = duration("check_timeout");
  const reloadTimeoutMs = duration("reload_timeout");
  const renderTimeoutMs = duration("render_timeout");

  if (src === undefined || src === "") return { errors };
  // confd joins src under the templates directory even when it is absolute; a relative src
  // climbing out with ".." (confd read "../../etc/shadow") is refused.
  const srcPath = join(opts.templateDir, isAbsolute(src) ? src.slice(1) : src);
  const within = relative(resolve(opts.templateDir), resolve(srcPath));
  if (within === "" || within === ".." || within.startsWith("../") || isAbsolute(within)) {
    // No draft either: `reconfd check` must not read that file as a template.
    fail(
      spelled.get("src") ?? "src",
      `key "src" (${JSON.stringify(src)}) leads outside the templates directory ${opts.templateDir}`,
    );
    return { errors };
  }
  const resource: TemplateResource = {
    file,
    src: srcPath,
    dest: dest ?? "",
    keys,
    prefix,
    mode,
    uid,
    gid,
    checkCmd,
    reloadCmd,
    checkTimeoutMs,
    reloadTimeoutMs,
    renderTimeoutMs,
  };
  // With errors, the best-effort reading still lets `reconfd check` parse its template and commands.
  return errors.length > 0 || dest === undefined ? { draft: resource, errors } : { resource, errors };
}

/** The absolute destination, used to detect two resources writing the same file. */
export function destPath(resource: TemplateResource): string {
  return resolve(resource.dest);
}
