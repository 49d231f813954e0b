// Rendering, kept pure apart from reading the template file: (template, snapshot)
// -> text, within a time limit and abandoned at once on a signal (a slow render moves to a
// worker). A template is parsed again only when its text changed. Also renders check_cmd /
// reload_cmd, which are Go templates over {src, dest} (a string for /bin/sh, or an argv array).

import { accessSync, constants, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Worker } from "node:worker_threads";
import type { CommandSpec } from "../config/resource.ts";
import { confdFuncs } from "../funcs/confd.ts";
import { DnsCache, renderWithDns } from "../funcs/dns.ts";
import { KVStore } from "../kv/store.ts";
import { decodeGoBytes } from "../template/go_bytes.ts";
import { formatDuration } from "../config/resource_fields.ts";
import { liveEnvironment } from "../runtime/process_info.ts";
import { workerEntry } from "../runtime/runtime.ts";
import { ExecLimitError, Template } from "../template/template.ts";
import { fromJSON, type FuncMap } from "../template/value.ts";
import { type CommandLine, SHELL } from "./command.ts";
import { shellSpecialChars } from "./shell_safe.ts";
import { TemplateCache } from "./template_cache.ts";
import type { RenderJob, RenderReply, WorkerStarted } from "./render_worker.ts";

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
  /** getenv's environment. Default: the process environment. */
  env?: Record<string, string | undefined>;
  /** Longest the render may take, in ms (the resource's render_timeout). Default 60000. */
  timeoutMs?: number;
  /** Aborting it abandons the render at once; the error's cause is then signal.reason. Default none. */
  signal?: AbortSignal;
  /**
   * How long a render may block the main thread, in ms, before it is abandoned there and run
   * again in a worker, where a signal or the timeout can stop it at once. Default INLINE_RENDER_MS;
   * 0 sends every render to a worker.
   */
  inlineMs?: number;
}

/** Default render_timeout, in ms. */
export const DEFAULT_RENDER_TIMEOUT_MS = 60_000;

/**
 * The longest a render blocks the main thread (and so the longest a SIGTERM waits). Nearly every
 * render finishes well within it and never pays for a worker (tens of ms to start).
 */
export const INLINE_RENDER_MS = 100;

/** After the deadline, how long a worker that has not stopped itself (one long builtin call) is given. */
const WORKER_GRACE_MS = 1000;

// Read synchronously: a small local file, and a thread hop would cost more than the read.
function readTemplateText(src: string): string {
  try {
    return decodeGoBytes(readFileSync(src));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RenderError(
      src,
      code === "ENOENT" ? `Missing template: ${src}` : `cannot read template ${src}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function parseTemplateText(src: string, text: string, funcs: FuncMap): Template {
  try {
    return Template.parse(basename(src), text, { funcs });
  } catch (err) {
    throw new RenderError(src, `Unable to process template ${src}, ${(err as Error).message}`, { cause: err });
  }
}

/** Reads and parses a template file (named after its base name, as confd does). */
export function parseTemplateFile(
  src: string,
  store: KVStore,
  opts: RenderOptions & { dns?: DnsCache } = {},
): Template {
  return parseTemplateText(src, readTemplateText(src), confdFuncs(store, { env: opts.env, dns: opts.dns }));
}

/** confd's functions over an empty store: what cached templates are parsed with, and all they keep. */
let unboundFuncs: FuncMap | undefined;

/** The templates rendered by this thread (the main one or a render worker), each bound to its render's functions. */
export const templateCache = new TemplateCache((src, text) =>
  parseTemplateText(src, text, unboundFuncs ??= confdFuncs(new KVStore()))
);

/** A render stopped by its time limit. */
function timeoutError(src: string, timeoutMs: number, cause?: unknown): RenderError {
  const where = cause instanceof Error ? `: ${cause.message}` : "";
  return new RenderError(src, `render_timeout ${formatDuration(timeoutMs)} exceeded rendering ${src}${where}`, {
    cause,
  });
}

/**
 * Renders already-read template text until `deadline` (a performance.now() value), each execution
 * (one per DNS round) for at most `sliceMs`. Exec errors, limits included, are thrown as they are
 * (ExecLimitError for a limit); the worker runs this too.
 */
export function renderText(
  src: string,
  text: string,
  store: KVStore,
  opts: { env?: Record<string, string | undefined>; deadline: number; sliceMs?: number; signal?: AbortSignal },
): Promise<string> {
  const dns = new DnsCache();
  const tmpl = templateCache.get(src, text, confdFuncs(store, { env: opts.env, dns }));
  const sliceMs = opts.sliceMs ?? Infinity;
  return renderWithDns(() => {
    // Between DNS rounds the main thread is free, and a signal may have come.
    if (opts.signal?.aborted) throw opts.signal.reason;
    return tmpl.execute(null, { deadline: Math.min(opts.deadline, performance.now() + sliceMs) });
  }, dns);
}

/**
 * Renders the template at `src` against `store`; DNS lookups made by the template are resolved
 * first. An execution still running after `inlineMs` is run again in a worker (see render_worker.ts),
 * so that an abort of `signal` or the timeout stops it at once.
 */
export async function renderTemplate(src: string, store: KVStore, opts: RenderOptions = {}): Promise<string> {
  // A plain copy: the worker needs a cloneable object (Deno's process.env is a proxy).
  const env = opts.env ?? { ...liveEnvironment() };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const inlineMs = opts.inlineMs ?? INLINE_RENDER_MS;
  const text = readTemplateText(src);
  const start = performance.now();
  const deadline = start + timeoutMs;
  if (opts.signal?.aborted) throw abandoned(src, opts.signal);
  if (inlineMs > 0) {
    try {
      return await renderText(src, text, store, { env, deadline, sliceMs: inlineMs, signal: opts.signal });
    } catch (err) {
      if (err instanceof RenderError) throw err;
      if (opts.signal?.aborted) throw abandoned(src, opts.signal);
      const overtime = err instanceof ExecLimitError && err.limit === "time";
      if (!overtime) throw new RenderError(src, (err as Error).message, { cause: err });
      if (performance.now() >= deadline) throw timeoutError(src, timeoutMs, err);
    }
  }
  return await renderInWorker(
    { src, text, ...snapshot(store), env },
    { timeoutMs, deadline, signal: opts.signal },
  );
}

/** The store as two string arrays: cheaper to copy to a worker than [key, value] pairs. */
function snapshot(store: KVStore): { keys: string[]; values: string[] } {
  const keys: string[] = [];
  const values: string[] = [];
  for (const kv of store.entries()) {
    keys.push(kv.key);
    values.push(kv.value);
  }
  return { keys, values };
}

function abandoned(src: string, signal: AbortSignal): RenderError {
  return new RenderError(src, `rendering ${src} abandoned: ${String(signal.reason)}`, { cause: signal.reason });
}

/**
 * The worker left from the last render that ended with an answer, reused by the next slow
 * render: its start-up is paid once and its JIT is warm. unref'd while idle, so it never keeps
 * the process alive; a worker stopped by an abort or a timeout is terminated instead.
 */
let idleWorker: Worker | undefined;

/**
 * Runs one render in a worker (render_worker.ts) and waits for its answer, the deadline (plus
 * a grace period) or the signal, whichever comes first; on the deadline or the signal the
 * worker is terminated, busy or not.
 */
async function renderInWorker(
  job: RenderJob,
  opts: { timeoutMs: number; deadline: number; signal?: AbortSignal },
): Promise<string> {
  // Loaded with the first slow render: every start would pay for it otherwise.
  const { Worker } = await import("node:worker_threads");
  const { src } = job;
  const reused = idleWorker;
  idleWorker = undefined;
  const worker = reused ?? new Worker(
    workerEntry(new URL("./render_worker.ts", import.meta.url), "src/resource/render_worker.ts"),
  );
  worker.ref();
  return new Promise<string>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (keep: boolean, fn: () => void) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      worker.removeAllListeners();
      worker.on("error", () => {});
      if (keep && idleWorker === undefined) {
        worker.unref();
        idleWorker = worker;
      } else void worker.terminate();
      fn();
    };
    const onAbort = () => done(false, () => reject(abandoned(src, opts.signal as AbortSignal)));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const send = () => {
      // The clock starts now: a worker's start-up (a type check under `deno test`) is not the template's time.
      const remainingMs = Math.max(0, opts.deadline - performance.now());
      worker.postMessage({ ...job, timeoutMs: remainingMs } satisfies RenderJob);
      timer = setTimeout(
        () => done(false, () => reject(timeoutError(src, opts.timeoutMs))),
        remainingMs + WORKER_GRACE_MS,
      );
    };
    worker.on("message", (reply: RenderReply | WorkerStarted) => {
      if ("started" in reply) return send();
      done(true, () => {
        if (reply.ok) resolve(reply.text);
        else if (reply.limit === "time") reject(timeoutError(src, opts.timeoutMs, new Error(reply.message)));
        else reject(new RenderError(src, reply.message));
      });
    });
    worker.on(
      "error",
      (err: Error) =>
        done(false, () => reject(new RenderError(src, `rendering ${src}: ${err.message}`, { cause: err }))),
    );
    worker.on(
      "exit",
      (code) => done(false, () => reject(new RenderError(src, `rendering ${src}: worker exited with code ${code}`))),
    );
    if (opts.signal?.aborted) onAbort();
    else if (reused !== undefined) send();
  });
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
