// The CLI as a function: `run(args, io)` returns the exit code. It dispatches
// the subcommands (render, check, version) and otherwise behaves like confd:
// parse flags, resolve the config, log the start-up lines, run the runner.

import type { LogFormat, LogLevel } from "../config/config.ts";
import { ConfigError } from "../config/errors.ts";
import { loadConfig, type LoadResult } from "../config/resolve.ts";
import { createLogger } from "../log/create.ts";
import type { Logger } from "../log/logger.ts";
import { runConfd } from "../runner/run.ts";
import { CONFD_FLAGS, VERSION_FLAG } from "./confd_flags.ts";
import type { FlagSpec, ParsedFlags } from "./flags.ts";
import { helpText } from "./help.ts";
import { type CliIO, EXIT } from "./io.ts";
import { parseOrUsage, usageError } from "./usage.ts";
import { commit, VERSION, versionLine } from "./version.ts";
import { runtimeDescription } from "../runtime/runtime.ts";

/** Builds a logger writing to the CLI's stderr. */
export function stderrLogger(io: CliIO, level: LogLevel, format: LogFormat): Logger {
  return createLogger({
    level,
    format,
    write: (line) => io.stderr(line),
    argv0: io.argv0,
    hostname: io.hostname,
    pid: io.pid,
    now: io.now,
  });
}

/**
 * Resolves the config from parsed flags and the environment. On a ConfigError,
 * logs each problem as a FATAL line (confd's way of reporting config errors)
 * and returns the exit code instead.
 */
async function resolveOrFail(io: CliIO, flags: ParsedFlags): Promise<{ loaded: LoadResult; log: Logger } | number> {
  try {
    const execArgv = flags.dashDash ? flags.rest : [];
    const loaded = await loadConfig({ flags: flags.values, env: io.env, execArgv });
    const log = stderrLogger(io, loaded.config.logLevel, loaded.config.logFormat);
    for (const notice of loaded.notices) log[notice.level](notice.msg);
    return { loaded, log };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The format may itself be what is wrong: then use JSON only when a flag, or else CONFD_LOG_FORMAT, asks for it.
    const asked = err.logFormat ?? flags.values.get("log-format") ?? io.env.CONFD_LOG_FORMAT;
    const log = stderrLogger(io, "info", asked === "json" ? "json" : "text");
    for (const problem of err.problems) log.fatal(problem.message);
    return EXIT.failure;
  }
}

/** A node URL without the `user:password@` a user may have written into it, for log lines. */
export function withoutCredentials(node: string): string {
  return node.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** Plain `reconfd [flags]`: confd's behaviour. */
async function runMain(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseOrUsage(io, CONFD_FLAGS, args);
  if (typeof flags === "number") return flags;
  if (flags.help) {
    io.stdout(helpText());
    return EXIT.ok;
  }
  if (flags.values.get(VERSION_FLAG) === true) {
    io.stdout(versionLine());
    return EXIT.ok;
  }
  const resolved = await resolveOrFail(io, flags);
  if (typeof resolved === "number") return resolved;
  const { loaded: { config }, log } = resolved;
  if (flags.rest.length > 0 && !flags.dashDash) {
    // confd (Go's flag package) ignores these silently; say so instead.
    log.warning(`Ignoring arguments after the first non-flag argument: ${flags.rest.join(" ")}`);
  }
  log.info(`Backend set to ${config.backend}`);
  log.info("Starting confd");
  const sources = config.backend === "file" ? config.file : config.backend === "env" ? [] : config.nodes;
  log.info(`Backend source(s) set to ${sources.map(withoutCredentials).join(", ")}`);
  // confd's words on SIGINT/SIGTERM; the runner then finishes the running resource and returns.
  const onSignal = () => log.info(`Captured ${String(io.signal.reason)}. Exiting...`);
  io.signal.addEventListener("abort", onSignal, { once: true });
  // SIGHUP re-reads the configuration in the daemon modes; it is held from the start, so a SIGHUP
  // during bootstrap does not end the process (its default action).
  const reloads = new Set<() => void>();
  const offHup = config.onetime ? undefined : io.onSignal?.("SIGHUP", () => {
    if (reloads.size === 0) log.info("Captured SIGHUP before the first render: nothing to reload yet");
    for (const reload of reloads) reload();
  });
  try {
    const buildInfo = { version: VERSION, commit: commit(), runtime: runtimeDescription() };
    return await runConfd(config, log, io.signal, {
      env: io.env,
      out: (text) => io.stdout(text),
      buildInfo,
      processHooks: { onSignal: io.onSignal, loadLibc: io.loadLibc, pid: io.pid },
      reloadConfig: async () => {
        const again = await loadConfig({
          flags: flags.values,
          env: io.env,
          execArgv: flags.dashDash ? flags.rest : [],
        });
        return again.config;
      },
      onReloadRequest: (handler) => {
        reloads.add(handler);
        return () => reloads.delete(handler);
      },
    });
  } finally {
    offHup?.();
    io.signal.removeEventListener("abort", onSignal);
  }
}

const CHECK_FLAGS: readonly FlagSpec[] = [...CONFD_FLAGS, { name: "kv", kind: "string" }];
const CHECK_HINT = "Run 'reconfd -h' for usage (check takes the same flags, plus --kv FILE).";

/** `reconfd check [confd flags] [--kv FILE]`: validate config and every resource. */
async function runCheck(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseOrUsage(io, CHECK_FLAGS, args, CHECK_HINT);
  if (typeof flags === "number") return flags;
  if (flags.help) {
    io.stdout(helpText());
    return EXIT.ok;
  }
  if (flags.rest.length > 0) return usageError(io, `check: unexpected argument "${flags.rest[0]}"`, CHECK_HINT);
  const resolved = await resolveOrFail(io, flags);
  if (typeof resolved === "number") return resolved;
  const kv = flags.values.get("kv");
  // Loaded on demand, like render: a daemon's start-up never pays for the data-file readers.
  const { checkAll } = await import("../runner/check.ts");
  return await checkAll(resolved.loaded.config, resolved.log, {
    kvFile: typeof kv === "string" ? kv : undefined,
    out: (line) => io.stdout(`${line}\n`),
  });
}

/**
 * The whole CLI. `args` excludes the program name. Never rejects: an
 * unexpected error (a bug, a closed stdout) becomes one `error: ...` line, exit 1.
 */
export async function run(args: readonly string[], io: CliIO): Promise<number> {
  try {
    return await dispatch(args, io);
  } catch (err) {
    try {
      io.stderr(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    } catch {
      // stderr is gone too; the exit code is all that is left.
    }
    return EXIT.failure;
  }
}

async function dispatch(args: readonly string[], io: CliIO): Promise<number> {
  switch (args[0]) {
    case "render":
      return await (await import("./render.ts")).runRender(args.slice(1), io);
    case "check":
      return await runCheck(args.slice(1), io);
    case "version":
      if (args.length > 1) return usageError(io, `version: unexpected argument "${args[1]}"`);
      io.stdout(versionLine());
      return EXIT.ok;
    default:
      return await runMain(args, io);
  }
}
