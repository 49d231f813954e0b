// Rendering, kept pure apart from reading the template file: (template, snapshot)
// -> text. Also renders check_cmd / reload_cmd, which are Go templates over {src, dest}
// (a string for /bin/sh, or an argv array).

import { accessSync, constants } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { CommandSpec } from "../config/resource.ts";
import { confdFuncs } from "../funcs/confd.ts";
import { DnsCache, renderWithDns } from "../funcs/dns.ts";
import type { KVStore } from "../kv/store.ts";
import { decodeGoBytes } from "../template/go_bytes.ts";
import { Template } from "../template/template.ts";
import { fromJSON } from "../template/value.ts";
import { type CommandLine, SHELL } from "./command.ts";
import { shellSpecialChars } from "./shell_safe.ts";

/** Rendering failed: the template is missing, does not parse, or failed to execute. */
export class RenderError extends Error {
  readonly src: string;
  constructor(src: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RenderError";
    this.src = src;
  }
}

export interface RenderOptions {
  /** getenv's environment. Default process.env (the funcs' default). */
  env?: Record<string, string | undefined>;
}

/** Reads and parses a template file (named after its base name, as confd does). */
export async function parseTemplateFile(src: string, store: KVStore, opts: RenderOptions & { dns?: DnsCache } = {}) {
  let text: string;
  try {
    text = decodeGoBytes(await readFile(src));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RenderError(
      src,
      code === "ENOENT" ? `Missing template: ${src}` : `cannot read template ${src}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  try {
    return Template.parse(basename(src), text, { funcs: confdFuncs(store, { env: opts.env, dns: opts.dns }) });
  } catch (err) {
    throw new RenderError(src, `Unable to process template ${src}, ${(err as Error).message}`, { cause: err });
  }
}

/** Renders the template at `src` against `store`; DNS lookups made by the template are resolved first. */
export async function renderTemplate(src: string, store: KVStore, opts: RenderOptions = {}): Promise<string> {
  const dns = new DnsCache();
  const tmpl = await parseTemplateFile(src, store, { ...opts, dns });
  try {
    return await renderWithDns(() => tmpl.execute(null, {}), dns);
  } catch (err) {
    throw new RenderError(src, (err as Error).message, { cause: err });
  }
}

/** Parses a check_cmd / reload_cmd template (no functions, as confd's checkcmd). */
export function parseCommandTemplate(name: string, cmd: string): Template {
  return Template.parse(name, cmd, { funcs: new Map() });
}

/** The data of a command template: the stage file and dest. */
export interface CommandData {
  src: string;
  dest: string;
}

/**
 * Renders a command template with `{{.src}}` (the stage file) and `{{.dest}}`. Any other field is an
 * error, not `<no value>`: confd ran reload_cmd verbatim, so a reload_cmd written for it may hold
 * another tool's template (`docker ps --format '{{.ID}}'`), which must fail loudly, not run mangled.
 */
export function renderCommand(name: string, cmd: string, data: CommandData): string {
  try {
    return parseCommandTemplate(name, cmd).execute(fromJSON(data), { missingkey: "error" });
  } catch (err) {
    if (!/map has no entry for key/.test((err as Error).message)) throw err;
    throw new Error(`${(err as Error).message} (only {{.src}} and {{.dest}} exist; write a literal {{ as {{"{{"}})`, {
      cause: err,
    });
  }
}

const STAND_IN = { src: "RECONFD-STAND-IN-SRC", dest: "RECONFD-STAND-IN-DEST" } as const;

/** The fields a command template puts into its text (found by rendering stand-ins, and by name). */
function fieldsUsed(name: string, cmd: string): ("src" | "dest")[] {
  const text = renderCommand(name, cmd, STAND_IN);
  return (["src", "dest"] as const).filter((f) => text.includes(STAND_IN[f]) || new RegExp(`\\.${f}\\b`).test(cmd));
}

/**
 * Renders check_cmd / reload_cmd: the string form to shell text, refused when it would paste a
 * path holding shell syntax (`;`, `$`, a space) into it; the array form element by element.
 */
export function renderCommandLine(name: "checkcmd" | "reloadcmd", spec: CommandSpec, data: CommandData): CommandLine {
  if (typeof spec !== "string") return spec.map((arg, i) => renderCommand(`${name}[${i}]`, arg, data));
  const text = renderCommand(name, spec, data);
  for (const field of fieldsUsed(name, spec)) {
    const bad = shellSpecialChars(data[field]);
    if (bad.length === 0) continue;
    const what = field === "dest" ? "dest" : "the stage file";
    const key = name === "checkcmd" ? "check_cmd" : "reload_cmd";
    throw new Error(
      `{{.${field}}} is pasted as is into a /bin/sh command, but ${what} ${JSON.stringify(data[field])} holds ` +
        `characters the shell would interpret (${bad.map((c) => JSON.stringify(c)).join(" ")}); rename dest, or ` +
        `write ${key} as an array (${key} = ["program", "{{.${field}}}"]), which runs without a shell`,
    );
  }
  return text;
}

/** A check_cmd or reload_cmd that cannot render, with the resource key it came from. */
export interface CommandError {
  key: "check_cmd" | "reload_cmd";
  message: string;
}

/**
 * Renders both command templates with stand-in paths, so a broken one is found when the resource
 * is loaded (and by `reconfd check`), before anything is written: a template error, a dest the
 * shell would interpret, or a string command where there is no shell.
 */
export function commandErrors(
  r: { dest: string; checkCmd: CommandSpec; reloadCmd: CommandSpec },
  opts: {
    /** The shell string commands run with. Default /bin/sh. */
    shell?: string;
    /** The commands will run (false with -sync-only or -noop: a missing shell is then no error). Default true. */
    runs?: boolean;
  } = {},
): CommandError[] {
  const errors: CommandError[] = [];
  const shell = opts.shell ?? SHELL;
  const commands = [["check_cmd", "checkcmd", r.checkCmd], ["reload_cmd", "reloadcmd", r.reloadCmd]] as const;
  // The stage file lies in dest's directory; with a relative dest, that is under the working directory.
  const abs = resolve(r.dest);
  const data = { src: join(dirname(abs), `.${basename(abs)}1234567890`), dest: r.dest };
  for (const [key, name, cmd] of commands) {
    if (cmd === "") continue;
    if (typeof cmd === "string" && opts.runs !== false && !isExecutable(shell)) {
      errors.push({
        key,
        message: `a string command runs with ${shell}, which does not exist here; ` +
          `write it as an array (${key} = ["program", "arg"]), which runs without a shell`,
      });
      continue;
    }
    try {
      renderCommandLine(name, cmd, data);
    } catch (err) {
      errors.push({ key, message: (err as Error).message });
    }
  }
  return errors;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
