// Rendering, kept pure apart from reading the template file: (template, snapshot)
// -> text. Also renders check_cmd / reload_cmd, which are Go templates over {src, dest}.

import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { confdFuncs } from "../funcs/confd.ts";
import { DnsCache, renderWithDns } from "../funcs/dns.ts";
import type { KVStore } from "../kv/store.ts";
import { decodeGoBytes } from "../template/go_bytes.ts";
import { Template } from "../template/template.ts";
import { fromJSON } from "../template/value.ts";

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
export function parseCommandTemplate(name: "checkcmd" | "reloadcmd", cmd: string): Template {
  return Template.parse(name, cmd, { funcs: new Map() });
}

/**
 * Renders a command template with `{{.src}}` (the stage file) and `{{.dest}}`. Any other field is an
 * error, not `<no value>`: confd ran reload_cmd verbatim, so a reload_cmd written for it may hold
 * another tool's template (`docker ps --format '{{.ID}}'`), which must fail loudly, not run mangled.
 */
export function renderCommand(
  name: "checkcmd" | "reloadcmd",
  cmd: string,
  data: { src: string; dest: string },
): string {
  try {
    return parseCommandTemplate(name, cmd).execute(fromJSON(data), { missingkey: "error" });
  } catch (err) {
    if (!/map has no entry for key/.test((err as Error).message)) throw err;
    throw new Error(`${(err as Error).message} (only {{.src}} and {{.dest}} exist; write a literal {{ as {{"{{"}})`, {
      cause: err,
    });
  }
}

/** A check_cmd or reload_cmd that cannot render, with the resource key it came from. */
export interface CommandError {
  key: "check_cmd" | "reload_cmd";
  message: string;
}

/**
 * Renders both command templates with stand-in paths, so a broken one is found when the
 * resource is loaded (and by `reconfd check`), before anything is written.
 */
export function commandErrors(r: { dest: string; checkCmd: string; reloadCmd: string }): CommandError[] {
  const errors: CommandError[] = [];
  const commands = [["check_cmd", "checkcmd", r.checkCmd], ["reload_cmd", "reloadcmd", r.reloadCmd]] as const;
  for (const [key, name, cmd] of commands) {
    if (cmd === "") continue;
    try {
      renderCommand(name, cmd, { src: `${r.dest}.stage`, dest: r.dest });
    } catch (err) {
      errors.push({ key, message: (err as Error).message });
    }
  }
  return errors;
}
