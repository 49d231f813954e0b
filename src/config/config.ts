// The resolved configuration: defaults < confd.toml < CONFD_* env < flags,
// merged once at start-up and passed (never imported as a global) to the rest.

/** Backends reconfd implements. */
export const SUPPORTED_BACKENDS = ["etcd", "etcdv2", "etcdv3", "file", "env"] as const;
export type BackendName = (typeof SUPPORTED_BACKENDS)[number];

/** Backends confd has that reconfd does not; naming one is a clear error, exit 1. */
export const UNSUPPORTED_BACKENDS = [
  "consul",
  "vault",
  "redis",
  "zookeeper",
  "dynamodb",
  "ssm",
  "rancher",
] as const;

export type LogLevel = "debug" | "info" | "warning" | "error" | "fatal";
export type LogFormat = "text" | "json";

export interface Config {
  /** Backend to read keys from. Default "etcd". */
  backend: BackendName;
  /**
   * Backend endpoints, scheme added when missing (`127.0.0.1:4001` -> `http://127.0.0.1:4001`).
   * Default: etcd and etcdv2 `$ETCDCTL_PEERS` else `http://127.0.0.1:2379`; etcdv3 `http://127.0.0.1:2379`; none for file and env.
   */
  nodes: string[];
  /** Root holding conf.d/ and templates/. Default "/etc/confd". */
  confdir: string;
  /** Path of confd.toml that was read ("" when none). Default "/etc/confd/confd.toml". */
  configFile: string;
  /** Seconds between passes in interval mode. Default 600. */
  interval: number;
  /** One pass, then exit. Default false. */
  onetime: boolean;
  /** Watch the backend for changes. Default false. */
  watch: boolean;
  /** Render and compare, never touch dest nor run commands. Default false. */
  noop: boolean;
  /** With noop: print a unified diff of what would change. Default false. */
  diff: boolean;
  /** Write files but never run check_cmd / reload_cmd. Default false. */
  syncOnly: boolean;
  /** Keep stage files (debugging). Default false. */
  keepStageFile: boolean;
  /** Global key prefix; when non-empty it replaces every resource's own prefix. Default "". */
  prefix: string;
  /** Log level. Default "info". */
  logLevel: LogLevel;
  /** Log line format. Default "text". */
  logFormat: LogFormat;
  /** URI scheme for SRV-discovered etcd nodes. Default "http". */
  scheme: string;
  srvDomain: string;
  srvRecord: string;
  /** TLS: CA bundle, client certificate and key paths. Default "". */
  clientCaKeys: string;
  clientCert: string;
  clientKey: string;
  clientInsecure: boolean;
  /** etcd authentication. */
  basicAuth: boolean;
  username: string;
  password: string;
  /** file backend: files or directories (YAML/JSON/TOML), and a glob for directory entries. */
  file: string[];
  filter: string;
  /** Accepted for compatibility with confd's flag surface; unused by reconfd's backends. */
  authToken: string;
  authType: string;
  appId: string;
  userId: string;
  roleId: string;
  secretId: string;
  path: string;
  separator: string;
  table: string;
  /**
   * Watch mode quiescence, as consul-template's `wait`: "" (off), "200ms" (render once the keys were
   * quiet that long) or "200ms:5s" (quiet min, at the latest max after the first change). Default "".
   */
  wait: string;
  /** Give up the first full pass after this Go duration (exit 1); "" waits forever. Default "". */
  bootstrapTimeout: string;
  /** Supervised service, run with /bin/sh -c after bootstrap. Default "" (none; see execArgv). */
  exec: string;
  /** Signal sent to the child after an install when the resource has no reload_cmd. Default "" (none). */
  execReloadSignal: string;
  /** Signal that asks the child to stop. Default "SIGTERM". */
  execKillSignal: string;
  /** Go duration to wait after execKillSignal before SIGKILL of the child's process group. Default "30s". */
  execKillTimeout: string;
  /** host:port of the status server (/healthz, /readyz, /metrics, /v1/resources, /). Default "" (off). */
  statusAddr: string;
  /**
   * When -config-file names a template resource (a TOML file with a [template] table),
   * the path of that resource: only it is processed. Default "".
   */
  singleResource: string;
  /** Derived settings, filled when the config is resolved (never set directly by a source). */
  derived: DerivedConfig;
}

/** Settings parsed from their raw spellings once, at load. */
export interface DerivedConfig {
  /** `wait` in ms (undefined: off). */
  wait: { minMs: number; maxMs: number } | undefined;
  /** `bootstrapTimeout` in ms; 0 waits forever. */
  bootstrapTimeoutMs: number;
  /** `execKillTimeout` in ms. */
  execKillTimeoutMs: number;
  /** The supervised command as argv (given after `--`, run without a shell); empty when none. */
  execArgv: string[];
  /** True when interval was set by a flag, CONFD_INTERVAL or confd.toml (-watch then also reconciles). */
  intervalSet: boolean;
}
