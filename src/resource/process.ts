// Processes one template resource, in order: build the store from the key/value
// snapshot the runner read, render in memory, compare with dest, then (out of
// sync) write a stage file with its final mode and owner, check_cmd, atomic
// install, reload_cmd.

import type { TemplateResource } from "../config/resource.ts";
import { KVStore } from "../kv/store.ts";
import type { Logger } from "../log/logger.ts";
import { quote } from "../template/fmt/quote.ts";
import { encodeGoBytes } from "../template/go_bytes.ts";
import { type CommandLine, runCommand } from "./command.ts";
import { outputLogLines } from "./command_output.ts";
import { compareWithDest } from "./compare.ts";
import { removeOnExit } from "./exit_cleanup.ts";
import { unifiedDiff } from "./diff.ts";
import { installStageFile, resolveDest } from "./install.ts";
import { renderCommandLine, renderTemplate } from "./render.ts";
import { removeStageFile, writeStageFile } from "./stage.ts";
import { effectiveGid, effectiveUid, stdoutIsTerminal } from "../runtime/process_info.ts";
import { writeFd } from "../runtime/runtime.ts";

export interface ProcessOptions {
  /** Render and compare only: never write dest nor run commands. Default false. */
  noop?: boolean;
  /** With noop: print a unified diff of what would change. Default false. */
  diff?: boolean;
  /** Install changes but run neither check_cmd nor reload_cmd. Default false. */
  syncOnly?: boolean;
  /** Keep the stage file after a failed check (debugging). Default false. */
  keepStageFile?: boolean;
  /** Where -diff output goes. Default process.stdout. */
  out?: (text: string) => void;
  /** Color the diff. Default: process.stdout is a terminal. */
  color?: boolean;
  /** getenv's environment for templates. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Filled with the seconds each phase took, as it runs (for the runner's result record). */
  timings?: Partial<Record<Phase, number>>;
}

/** The phases of processing a resource (fetch is the runner's, before processResource). */
export type Phase = "fetch" | "render" | "compare" | "stage" | "check" | "install" | "reload";

/** Processing failed; the message is what confd would log at ERROR. */
export class ProcessError extends Error {
  readonly resource: string;
  /** Where it failed. */
  readonly phase: Phase;
  constructor(resource: string, phase: Phase, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProcessError";
    this.resource = resource;
    this.phase = phase;
  }
}

/** Runs `fn`, adding its duration in seconds to `timings[phase]`. */
async function timed<T>(
  timings: Partial<Record<Phase, number>> | undefined,
  phase: Phase,
  fn: () => T | Promise<T>,
): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    if (timings) timings[phase] = (timings[phase] ?? 0) + (performance.now() - start) / 1000;
  }
}

/** What happened to dest. */
export type Outcome = "in-sync" | "updated" | "noop";

/** The keys of a snapshot for the debug log (never the values: a key may hold a password), at most 50. */
function keyList(m: ReadonlyMap<string, string>): string {
  const keys = [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shown = keys.slice(0, 50).join(" ");
  return keys.length > 50 ? `[${shown} ...] (${keys.length} keys)` : `[${shown}]`;
}

const decoder = new TextDecoder();

/** The effective uid/gid; 0 where the platform has none. */
function effectiveIds(): { uid: number; gid: number } {
  return { uid: effectiveUid(), gid: effectiveGid() };
}

async function runLogged(log: Logger, cmd: CommandLine, timeoutMs: number): Promise<string | undefined> {
  log.debug(`Running ${typeof cmd === "string" ? cmd : cmd.map(quote).join(" ")}`);
  const result = await runCommand(cmd, { timeoutMs });
  for (const line of outputLogLines(result)) {
    if (result.ok) log.debug(line);
    else log.error(line);
  }
  return result.ok ? undefined : result.error;
}

/**
 * Processes `r` against `values`, the pairs the runner read under its keys. Resolves with what
 * happened to dest; rejects with a ProcessError naming the phase that failed.
 */
export async function processResource(
  r: TemplateResource,
  values: ReadonlyMap<string, string>,
  log: Logger,
  opts: ProcessOptions = {},
  signal?: AbortSignal,
): Promise<Outcome> {
  // 1. The store snapshot.
  // confd logs the whole map here; values stay out of reconfd's logs. Sorting the keys costs
  // O(n log n), so only when the line is written.
  if (log.debugEnabled) log.debug(`Got the following keys from store: ${keyList(values)}`);
  const store = KVStore.fromBackend(values, r.prefix);
  const t = opts.timings;

  // 2. Render in memory: nothing is written if the template fails.
  let text: string;
  try {
    text = await timed(
      t,
      "render",
      () => renderTemplate(r.src, store, { env: opts.env, timeoutMs: r.renderTimeoutMs, signal }),
    );
  } catch (err) {
    throw new ProcessError(r.file, "render", (err as Error).message, { cause: err });
  }
  // Go's bytes, so bytes that are not UTF-8 (base64Decode, a Latin-1 template) are written unchanged.
  const content = encodeGoBytes(text);

  // 3. Compare with what is installed.
  let target: string;
  try {
    target = resolveDest(r.dest);
  } catch (err) {
    throw new ProcessError(r.file, "compare", (err as Error).message, { cause: err });
  }
  log.debug(`Comparing candidate config to ${r.dest}`);
  const ids = effectiveIds();
  const uid = r.uid ?? ids.uid;
  const gid = r.gid ?? ids.gid;
  const cmp = await timed(t, "compare", () => compareWithDest(target, { content, mode: r.mode, uid, gid }));
  if (cmp.error) log.error(`cannot compare with ${r.dest}: ${cmp.error.message}`);
  for (const line of cmp.differences) log.info(line);

  if (opts.noop) {
    if (opts.diff && cmp.changed) {
      const out = opts.out ?? ((t: string) => writeFd(1, t));
      const color = opts.color ?? stdoutIsTerminal();
      out(unifiedDiff(r.dest, decoder.decode(cmp.current), text, color) + "\n");
    }
    log.warning(`Noop mode enabled. ${r.dest} will not be modified`);
    return "noop";
  }
  if (!cmp.changed) {
    log.debug(`Target config ${r.dest} in sync`);
    return "in-sync";
  }
  log.info(`Target config ${r.dest} out of sync`);

  // 4. Stage, check, install. The owner is always set explicitly: a file created in a setgid
  // directory would otherwise take the directory's group and never compare equal.
  let stage: string;
  try {
    stage = await timed(t, "stage", () => writeStageFile(target, content, { mode: cmp.mode, uid, gid }));
  } catch (err) {
    throw new ProcessError(r.file, "stage", (err as Error).message, { cause: err });
  }
  const untrack = opts.keepStageFile ? () => {} : removeOnExit(stage);
  let reloadCmd: CommandLine = "";
  let installed = false;
  try {
    if (opts.keepStageFile) log.info(`Keeping staged file: ${stage}`);
    // Both commands are rendered before anything runs: a broken reload_cmd template must not
    // surface only after dest was replaced.
    const data = { src: stage, dest: r.dest };
    const checkCmd = opts.syncOnly || r.checkCmd === "" ? "" : renderCommandLine("checkcmd", r.checkCmd, data);
    reloadCmd = opts.syncOnly || r.reloadCmd === "" ? "" : renderCommandLine("reloadcmd", r.reloadCmd, data);
    if (checkCmd !== "") {
      const failure = await timed(t, "check", () => runLogged(log, checkCmd, r.checkTimeoutMs));
      if (failure !== undefined) throw new ProcessError(r.file, "check", `Config check failed: ${failure}`);
    }
    log.debug(`Overwriting target config ${r.dest}`);
    try {
      const how = await timed(t, "install", () => installStageFile(stage, target, { mode: cmp.mode, uid, gid }));
      installed = true;
      if (how === "write") log.debug("Rename failed - target is likely a mount. Trying to write instead");
    } catch (err) {
      throw new ProcessError(r.file, "install", (err as Error).message, { cause: err });
    }
  } finally {
    // Once installed, the stage path is gone (renamed over dest, or removed after an in-place
    // write); every other exit removes it here.
    if (!installed && !opts.keepStageFile) await removeStageFile(stage).catch(() => {});
    untrack();
  }

  // 5. Reload: dest is already replaced, so a failure here is reported but not rolled back.
  if (reloadCmd !== "") {
    const failure = await timed(t, "reload", () => runLogged(log, reloadCmd, r.reloadTimeoutMs));
    if (failure !== undefined) throw new ProcessError(r.file, "reload", `Reload command failed: ${failure}`);
  }
  log.info(`Target config ${r.dest} has been updated`);
  return "updated";
}
