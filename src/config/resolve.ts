// Merges the settings sources into one Config: defaults < confd.toml < CONFD_*
// env < flags (confd's docs promise flags win; its code lets the file win; we
// follow the docs). Then validates (backend, log level and format) and derives
// the node list: SRV lookup, per-backend defaults, and a scheme for bare
// `host:port` nodes. Every problem found is reported at once in a ConfigError.

import { getServers } from "node:dns";
import { resolveSrv } from "node:dns/promises";
import { constants } from "node:os";
import { type Config, SUPPORTED_BACKENDS, UNSUPPORTED_BACKENDS } from "./config.ts";
import { CONFIG_FILE_ENV, readEnv } from "./env.ts";
import { ConfigError, type ConfigProblem } from "./errors.ts";
import { readConfigFile } from "./file.ts";
import { parseDuration } from "./resource_fields.ts";
import { defaultConfig, type Layer, SETTINGS, type SettingValue } from "./settings.ts";

/** SRV answer, as node:dns gives it. */
export interface SrvAnswer {
  name: string;
  port: number;
  /** Lower is preferred (Go's net.LookupSRV sorts by it). Default 0. */
  priority?: number;
}

export interface LoadInput {
  /** Flags given on the command line, by flag name (`backend`, `node`, `config-file`, ...). */
  flags: ReadonlyMap<string, SettingValue>;
  /** The process environment. */
  env: Record<string, string | undefined>;
  /** The supervised command given as argv after `--`. Default none. */
  execArgv?: readonly string[];
  /** SRV lookup. Default: node:dns resolveSrv. */
  lookupSrv?: (name: string) => Promise<SrvAnswer[]>;
}

/** A line to log once the logger exists (it needs the resolved level first). */
export interface Notice {
  level: "debug" | "info";
  msg: string;
}

export interface LoadResult {
  config: Config;
  notices: Notice[];
}

const BY_FLAG = new Map(SETTINGS.map((s) => [s.flag, s]));

const LEVEL_ALIASES: Record<string, Config["logLevel"]> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  warn: "warning",
  warning: "warning",
  error: "error",
  fatal: "fatal",
  panic: "fatal",
};

/** Scheme for a node written as bare `host:port`: TLS when a CA bundle is configured. */
function withScheme(node: string, config: Config): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(node)) return node;
  return `${config.clientCaKeys ? "https" : "http"}://${node}`;
}

/** Default endpoints when none were configured (confd §3.5, with etcd's current client port). */
function defaultNodes(config: Config, env: Record<string, string | undefined>): string[] {
  switch (config.backend) {
    case "etcd":
    case "etcdv2": {
      const peers = (env.ETCDCTL_PEERS ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
      return peers.length > 0 ? peers : ["http://127.0.0.1:2379"];
    }
    case "etcdv3":
      return ["http://127.0.0.1:2379"];
    default:
      return [];
  }
}

// Go's words for the resolver failures node:dns reports by code (net.DNSError).
const DNS_REASONS: Record<string, string> = {
  ENOTFOUND: "no such host",
  ENODATA: "no such host",
  ESERVFAIL: "server misbehaving",
  EREFUSED: "server refused the query",
  ETIMEOUT: "i/o timeout",
  ECONNREFUSED: "connection refused",
};

/** `lookup NAME on SERVERS: no such host`, as Go says it, else node's own message. */
function srvFailure(record: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const reason = typeof code === "string" && code in DNS_REASONS
    ? DNS_REASONS[code]
    : err instanceof Error
    ? err.message
    : String(err);
  const servers = [...new Set(getServers())]; // Deno may list one server twice
  return `lookup ${record}${servers.length > 0 ? ` on ${servers.join(", ")}` : ""}: ${reason}`;
}

function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Checks the merged raw values that have a closed set of spellings. */
function validate(config: Config, origin: (field: string) => string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // An empty value means the default, as in confd (`backend = ""` is etcd, `log-level = ""` is info).
  const defaults = defaultConfig();
  if ((config.backend as string) === "") config.backend = defaults.backend;
  if ((config.logLevel as string) === "") config.logLevel = defaults.logLevel;
  if ((config.logFormat as string) === "") config.logFormat = defaults.logFormat;
  const supported = SUPPORTED_BACKENDS.join(", ");
  const backend: string = config.backend;
  if (!(SUPPORTED_BACKENDS as readonly string[]).includes(backend)) {
    const what = (UNSUPPORTED_BACKENDS as readonly string[]).includes(backend)
      ? `backend "${backend}" is not supported by reconfd`
      : `invalid backend "${backend}"`;
    problems.push({ key: "backend", message: `${origin("backend")}: ${what}; supported backends: ${supported}` });
  }
  const level = LEVEL_ALIASES[String(config.logLevel).toLowerCase()];
  if (level === undefined) {
    problems.push({
      key: "log-level",
      message: `${
        origin("logLevel")
      }: not a valid level: "${config.logLevel}"; expected debug, info, warning, error or fatal`,
    });
  } else {
    config.logLevel = level;
  }
  const format: string = config.logFormat;
  if (format !== "text" && format !== "json") {
    problems.push({
      key: "log-format",
      message: `${origin("logFormat")}: invalid log format "${format}"; expected text or json`,
    });
  }
  return problems;
}

/** A signal name as the exec settings take it ("SIGHUP", "HUP", any case), normalized; undefined if unknown. */
export function signalName(text: string): NodeJS.Signals | undefined {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  return name in constants.signals ? (name as NodeJS.Signals) : undefined;
}

/** Parses `wait` ("200ms" or "200ms:5s"); max defaults to 4x min, as consul-template does. */
export function parseWait(text: string): { minMs: number; maxMs: number } | undefined {
  if (text.trim() === "") return undefined;
  const [minText, maxText, extra] = text.split(":");
  if (extra !== undefined) throw new Error(`invalid wait ${JSON.stringify(text)} (expected min or min:max)`);
  const minMs = parseDuration(minText);
  const maxMs = maxText === undefined ? minMs * 4 : parseDuration(maxText);
  if (maxMs < minMs) throw new Error(`invalid wait ${JSON.stringify(text)}: max is shorter than min`);
  return { minMs, maxMs };
}

/** Fills config.derived from the raw settings; returns the problems found. */
function derive(
  config: Config,
  origins: ReadonlyMap<string, string>,
  execArgv: readonly string[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const origin = (field: string) => origins.get(field) ?? "default";
  const attempt = (key: string, field: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      problems.push({ key, message: `${origin(field)}: ${(err as Error).message}` });
    }
  };
  const d = config.derived;
  d.intervalSet = origins.has("interval");
  d.execArgv = [...execArgv];
  attempt("wait", "wait", () => (d.wait = parseWait(config.wait)));
  attempt("bootstrap-timeout", "bootstrapTimeout", () => {
    d.bootstrapTimeoutMs = config.bootstrapTimeout.trim() === "" ? 0 : parseDuration(config.bootstrapTimeout);
  });
  attempt("exec-kill-timeout", "execKillTimeout", () => {
    d.execKillTimeoutMs = parseDuration(config.execKillTimeout || "30s");
  });
  for (const [key, field] of [["exec-reload-signal", "execReloadSignal"], ["exec-kill-signal", "execKillSignal"]]) {
    const raw = config[field as "execReloadSignal" | "execKillSignal"];
    if (raw.trim() === "") continue;
    const name = signalName(raw);
    if (name === undefined) problems.push({ key, message: `${origin(field)}: unknown signal ${JSON.stringify(raw)}` });
    else config[field as "execReloadSignal" | "execKillSignal"] = name;
  }
  if (config.execKillSignal.trim() === "") config.execKillSignal = "SIGTERM";
  if (config.exec.trim() !== "" && execArgv.length > 0) {
    problems.push({
      key: "exec",
      message: `${origin("exec")}: a command after -- and -exec both name the service; give one of them`,
    });
  }
  if (config.onetime && (config.exec.trim() !== "" || execArgv.length > 0)) {
    // A service outlives passes; -onetime ends after one. Refused, rather than silently not started.
    problems.push({
      key: "exec",
      message: `${origin(execArgv.length > 0 ? "onetime" : "exec")}: a supervised service (-exec, or a command ` +
        `after --) needs watch or interval mode; -onetime exits after one pass`,
    });
  }
  return problems;
}

/** Resolves the configuration; throws ConfigError listing every problem. */
export async function loadConfig(input: LoadInput): Promise<LoadResult> {
  const notices: Notice[] = [];
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, string>();
  const config = defaultConfig();

  const apply = (layer: Layer, layerOrigins: ReadonlyMap<string, string>) => {
    Object.assign(config, layer);
    for (const [field, where] of layerOrigins) origins.set(field, where);
  };

  const flagPath = input.flags.get("config-file");
  const envPath = input.env[CONFIG_FILE_ENV];
  const configFile = typeof flagPath === "string" ? flagPath : envPath ? envPath : config.configFile;
  config.configFile = "";
  const file = readConfigFile(configFile);
  switch (file.kind) {
    case "missing":
      notices.push({ level: "debug", msg: `Skipping confd config file ${configFile}: it does not exist` });
      break;
    case "resource":
      config.singleResource = configFile;
      notices.push({
        level: "info",
        msg: `${configFile} is a template resource, not a confd.toml: processing only this resource`,
      });
      break;
    case "error":
      problems.push(file.problem);
      break;
    case "settings":
      config.configFile = configFile;
      apply(file.layer, file.origins);
      problems.push(...file.problems);
      break;
  }

  const env = readEnv(input.env);
  apply(env.layer, env.origins);
  problems.push(...env.problems);

  const flagLayer: Layer = {};
  const flagOrigins = new Map<string, string>();
  for (const [name, value] of input.flags) {
    const setting = BY_FLAG.get(name);
    if (!setting) continue;
    flagLayer[setting.field] = value;
    flagOrigins.set(setting.field, `flag -${name}`);
  }
  apply(flagLayer, flagOrigins);

  problems.push(...validate(config, (field) => origins.get(field) ?? "default"));
  problems.push(...derive(config, origins, input.execArgv ?? []));
  const logFormat = config.logFormat === "json" || config.logFormat === "text" ? config.logFormat : undefined;
  if (problems.length > 0) throw new ConfigError(problems, { logFormat });

  const record = config.srvRecord ||
    (config.srvDomain ? `_${config.backend === "etcdv2" ? "etcd" : config.backend}._tcp.${config.srvDomain}.` : "");
  if (record && config.backend !== "env") {
    notices.push({ level: "info", msg: `SRV record set to ${record}` });
    const lookup = input.lookupSrv ?? resolveSrv;
    let answers: SrvAnswer[];
    try {
      answers = await lookup(record);
    } catch (err) {
      const message = `cannot get nodes from SRV record ${record}: ${srvFailure(record, err)}`;
      throw new ConfigError([{ key: "srv-record", message }], { cause: err, logFormat });
    }
    // Preferred targets first, as Go orders them (it also shuffles by weight; we keep DNS order, so runs agree).
    const ordered = [...answers].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    config.nodes = ordered.map((a) => {
      const hostPort = joinHostPort(a.name.replace(/\.$/, ""), a.port);
      return config.backend === "etcd" || config.backend === "etcdv2" ? `${config.scheme}://${hostPort}` : hostPort;
    });
  }
  if (config.nodes.length === 0) config.nodes = defaultNodes(config, input.env);
  config.nodes = config.nodes.map((n) => withScheme(n, config));
  return { config, notices };
}
