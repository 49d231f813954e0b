// `reconfd check`: loads the config's resources, parses every template and
// command template, and with --kv renders them against sample data; runs
// nothing, writes nothing, reports every problem with its file:line.

import { readFile, stat } from "node:fs/promises";
import { keyUnder } from "../backends/backend.ts";
import type { Config } from "../config/config.ts";
import { lineOfKey, type TemplateResource } from "../config/resource.ts";
import { loadResources } from "../config/resource_load.ts";
import { join } from "../kv/go_path.ts";
import { DataFileError, flattenDataFile } from "../kv/data_file.ts";
import { KVStore } from "../kv/store.ts";
import type { Logger } from "../log/logger.ts";
import { commandErrors, parseTemplateFile, renderTemplate } from "../resource/render.ts";

export interface CheckOptions {
  /** Sample data (YAML/JSON/TOML, flattened like the file backend) to render every template against. */
  kvFile?: string;
  /** Receives one line per problem, then a summary line. */
  out: (line: string) => void;
}

/** `file:line` of `key` in the resource file (just `file` when the line is unknown). */
function locate(r: TemplateResource, text: string, key: string): string {
  const line = lineOfKey(text, "template", key);
  return `${r.file}${line === undefined ? "" : `:${line}`}`;
}

export async function checkAll(config: Config, log: Logger, opts: CheckOptions): Promise<number> {
  const problems: string[] = [];
  const loaded = await loadResources(config);
  for (const w of loaded.warnings) log.warning(w);
  // The daemon only warns (as confd), but a CI check of a mistyped confdir must not pass.
  if (config.singleResource === "" && !(await stat(config.confdir).catch(() => undefined))) {
    problems.push(`${config.confdir}: confdir does not exist`);
  }
  for (const e of loaded.errors) problems.push(e.message);

  let sample: Map<string, string> | undefined;
  if (opts.kvFile !== undefined) {
    try {
      sample = flattenDataFile(opts.kvFile, await readFile(opts.kvFile));
    } catch (err) {
      problems.push(err instanceof DataFileError ? err.message : `${opts.kvFile}: ${(err as Error).message}`);
    }
  }

  // Refused resources still get their template and commands checked, so one run reports everything.
  const all = [...loaded.resources, ...loaded.rejected];
  for (const r of all) {
    const text = await readFile(r.file, "utf8").catch(() => "");
    for (const e of commandErrors(r)) problems.push(`${locate(r, text, e.key)}: ${e.key}: ${e.message}`);
    try {
      if (sample === undefined) {
        parseTemplateFile(r.src, new KVStore());
      } else {
        const keys = r.keys.map((k) => join(r.prefix, k));
        const values = new Map([...sample].filter(([k]) => keys.some((want) => keyUnder(k, want))));
        await renderTemplate(r.src, KVStore.fromBackend(values, r.prefix), { timeoutMs: r.renderTimeoutMs });
      }
    } catch (err) {
      problems.push(`${locate(r, text, "src")}: ${(err as Error).message}`);
    }
  }

  for (const p of problems) opts.out(p);
  const n = loaded.resources.length + new Set(loaded.errors.map((e) => e.file)).size;
  opts.out(
    `checked ${n} template resource${n === 1 ? "" : "s"}${sample ? ` against ${opts.kvFile}` : ""}: ` +
      (problems.length === 0 ? "ok" : `${problems.length} problem${problems.length === 1 ? "" : "s"}`),
  );
  return problems.length === 0 ? 0 : 1;
}
