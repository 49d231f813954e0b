// Discovery of template resources: confd's walk of <confdir>/conf.d (recursive,
// lexical, names matching `*toml`, symlinked files yes, symlinked directories no),
// then per-file parsing. Errors are per resource: the others still load.

import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Config } from "./config.ts";
import { destPath, lineOfKey, parseResource, ResourceError, type TemplateResource } from "./resource.ts";

export interface LoadedResources {
  /** Valid resources, in walk order. */
  resources: TemplateResource[];
  /** Every problem found, in walk order. */
  errors: ResourceError[];
  /**
   * Resources refused for an error above but readable enough (src known) for `reconfd check` to
   * still parse their template and commands, in walk order. Never processed.
   */
  rejected: TemplateResource[];
  /** Non-fatal notes (confdir missing, no templates found, mode without leading 0). */
  warnings: string[];
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Files under `dir` whose name matches `*toml`, depth-first in lexical order (filepath.Walk). */
export async function findResourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = (await readdir(dir)).sort(byteOrder);
  for (const name of names) {
    const path = join(dir, name);
    const info = await lstat(path);
    if (info.isDirectory()) out.push(...(await findResourceFiles(path)));
    else if (name.endsWith("toml")) {
      // A symlink is followed for files only; a symlink to a directory is not descended (as confd).
      if (info.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (target?.isDirectory()) continue;
      }
      out.push(path);
    }
  }
  return out;
}

/**
 * The file a dest really names: dest is written through symlinks, so `sites-enabled/x` (a link) and
 * `sites-available/x` are one file. A dest that does not exist yet is located by its directory.
 */
async function realDest(dest: string): Promise<string> {
  return await realpath(dest).catch(async () => {
    const dir = await realpath(dirname(dest)).catch(() => dirname(dest));
    return join(dir, basename(dest));
  });
}

export interface LoadOptions {
  /** Databases for owner/group names (tests). Defaults /etc/passwd and /etc/group. */
  passwdFile?: string;
  groupFile?: string;
}

/** Loads every resource of `config` (or only config.singleResource). */
export async function loadResources(config: Config, opts: LoadOptions = {}): Promise<LoadedResources> {
  const result: LoadedResources = { resources: [], errors: [], rejected: [], warnings: [] };
  const confDir = join(config.confdir, "conf.d");
  const templateDir = join(config.confdir, "templates");
  let files: string[];
  if (config.singleResource !== "") {
    files = [config.singleResource];
  } else {
    if (!(await stat(config.confdir).catch(() => undefined))) {
      result.warnings.push(`Cannot load template resources: confdir '${config.confdir}' does not exist`);
      return result;
    }
    try {
      files = await findResourceFiles(confDir);
    } catch (err) {
      result.errors.push(
        new ResourceError(confDir, undefined, undefined, `cannot read conf.d: ${(err as Error).message}`, {
          cause: err,
        }),
      );
      return result;
    }
    if (files.length === 0) result.warnings.push("Found no templates");
  }

  const texts = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      result.errors.push(
        new ResourceError(file, undefined, undefined, `cannot read: ${(err as Error).message}`, { cause: err }),
      );
      continue;
    }
    const parsed = parseResource(file, text, {
      templateDir,
      globalPrefix: config.prefix,
      warn: (w) => result.warnings.push(w),
      passwdFile: opts.passwdFile,
      groupFile: opts.groupFile,
    });
    texts.set(file, text);
    result.errors.push(...parsed.errors);
    if (parsed.resource) result.resources.push(parsed.resource);
    if (parsed.draft) result.rejected.push(parsed.draft);
  }

  // Two resources writing one file would race or flap: none of them runs. Refused resources count
  // too, so the conflict is reported now rather than once their other error is fixed.
  const order = new Map(files.map((f, i) => [f, i]));
  const inWalkOrder = (a: TemplateResource, b: TemplateResource) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0);
  const byDest = new Map<string, TemplateResource[]>();
  for (const r of [...result.resources, ...result.rejected].sort(inWalkOrder)) {
    if (r.dest === "") continue;
    const dest = await realDest(destPath(r));
    byDest.set(dest, [...(byDest.get(dest) ?? []), r]);
  }
  const shared = new Set<TemplateResource>();
  for (const [dest, owners] of byDest) {
    if (owners.length < 2) continue;
    for (const r of owners) {
      shared.add(r);
      const others = owners.filter((o) => o !== r).map((o) => o.file).join(", ");
      const line = lineOfKey(texts.get(r.file) ?? "", "template", "dest");
      result.errors.push(
        new ResourceError(r.file, line, "dest", `dest ${JSON.stringify(dest)} is also written by ${others}`),
      );
    }
  }
  result.resources = result.resources.filter((r) => !shared.has(r));
  if (shared.size > 0) {
    result.rejected = [...new Set([...result.rejected, ...shared])].sort(inWalkOrder);
  }
  return result;
}
