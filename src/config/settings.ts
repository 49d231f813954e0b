// The one table of settings: for each Config field, its flag, its confd.toml
// keys, its CONFD_* environment variable, its type and its help text. The flag
// parser, the config file reader, the env reader and the help page all read it,
// so a setting cannot exist in one place and be forgotten in another.

import type { Config } from "./config.ts";

/** A setting's value before validation (what a flag, TOML value or env var gave). */
export type SettingValue = string | boolean | number | string[];

/** Partial settings from one source, by Config field. */
export type Layer = Partial<Record<SettingField, SettingValue>>;

/** How a setting's value is spelled and checked. `list` is a repeatable flag / TOML array / comma list. */
export type SettingKind = "string" | "bool" | "int" | "list";

/** Help-page sections, in display order. */
export const GROUPS = [
  "Backend",
  "Backend TLS and authentication",
  "Run mode",
  "Paths",
  "Logging",
  "Supervised service and status",
  "Accepted for confd compatibility (no effect in reconfd)",
] as const;
export type Group = (typeof GROUPS)[number];

/** Config fields a setting may fill (everything but the derived ones). */
export type SettingField = Exclude<keyof Config, "configFile" | "singleResource" | "derived">;

export interface Setting {
  field: SettingField;
  /** Flag name without the dash. */
  flag: string;
  /** confd.toml keys, lower-case (keys match case-insensitively); the first is canonical. */
  toml: readonly string[];
  /** Environment variable. */
  env: string;
  kind: SettingKind;
  group: Group;
  /** Placeholder shown in help for non-boolean flags. */
  arg?: string;
  usage: string;
}

export const SETTINGS: readonly Setting[] = [
  {
    field: "backend",
    flag: "backend",
    toml: ["backend"],
    env: "CONFD_BACKEND",
    kind: "string",
    group: "Backend",
    arg: "name",
    usage: 'backend to read keys from: etcd (v2 keys API; etcdv2 is the same), etcdv3, file or env (default "etcd")',
  },
  {
    field: "nodes",
    flag: "node",
    toml: ["nodes"],
    env: "CONFD_NODES",
    kind: "list",
    group: "Backend",
    arg: "url",
    usage: "backend endpoint, repeatable; http:// is added when no scheme is given",
  },
  {
    field: "prefix",
    flag: "prefix",
    toml: ["prefix"],
    env: "CONFD_PREFIX",
    kind: "string",
    group: "Backend",
    arg: "path",
    usage: "key prefix that replaces every template resource's own prefix",
  },
  {
    field: "file",
    flag: "file",
    toml: ["file"],
    env: "CONFD_FILE",
    kind: "list",
    group: "Backend",
    arg: "path",
    usage: "file backend: YAML/JSON/TOML file or directory, repeatable",
  },
  {
    field: "filter",
    flag: "filter",
    toml: ["filter"],
    env: "CONFD_FILTER",
    kind: "string",
    group: "Backend",
    arg: "glob",
    usage: 'file backend: glob for files inside -file directories (default "*")',
  },
  {
    field: "srvDomain",
    flag: "srv-domain",
    toml: ["srv_domain"],
    env: "CONFD_SRV_DOMAIN",
    kind: "string",
    group: "Backend",
    arg: "domain",
    usage: "find nodes in the SRV record _<backend>._tcp.<domain>.",
  },
  {
    field: "srvRecord",
    flag: "srv-record",
    toml: ["srv_record"],
    env: "CONFD_SRV_RECORD",
    kind: "string",
    group: "Backend",
    arg: "name",
    usage: "find nodes in this SRV record (overrides -srv-domain)",
  },
  {
    field: "scheme",
    flag: "scheme",
    toml: ["scheme"],
    env: "CONFD_SCHEME",
    kind: "string",
    group: "Backend",
    arg: "scheme",
    usage: 'scheme for SRV-discovered etcd nodes (default "http")',
  },
  {
    field: "clientCaKeys",
    flag: "client-ca-keys",
    toml: ["client_cakeys"],
    env: "CONFD_CLIENT_CAKEYS",
    kind: "string",
    group: "Backend TLS and authentication",
    arg: "path",
    usage: "CA bundle (PEM) that verifies the backend; turns TLS on",
  },
  {
    field: "clientCert",
    flag: "client-cert",
    toml: ["client_cert"],
    env: "CONFD_CLIENT_CERT",
    kind: "string",
    group: "Backend TLS and authentication",
    arg: "path",
    usage: "client certificate (PEM), used with -client-key",
  },
  {
    field: "clientKey",
    flag: "client-key",
    toml: ["client_key"],
    env: "CONFD_CLIENT_KEY",
    kind: "string",
    group: "Backend TLS and authentication",
    arg: "path",
    usage: "client private key (PEM)",
  },
  {
    field: "clientInsecure",
    flag: "client-insecure",
    toml: ["client_insecure"],
    env: "CONFD_CLIENT_INSECURE",
    kind: "bool",
    group: "Backend TLS and authentication",
    usage: "skip verification of the backend's certificate",
  },
  {
    field: "basicAuth",
    flag: "basic-auth",
    toml: ["basic_auth"],
    env: "CONFD_BASIC_AUTH",
    kind: "bool",
    group: "Backend TLS and authentication",
    usage: "authenticate to etcd with -username and -password",
  },
  {
    field: "username",
    flag: "username",
    toml: ["username"],
    env: "CONFD_USERNAME",
    kind: "string",
    group: "Backend TLS and authentication",
    arg: "name",
    usage: "etcd user (with -basic-auth)",
  },
  {
    field: "password",
    flag: "password",
    toml: ["password"],
    env: "CONFD_PASSWORD",
    kind: "string",
    group: "Backend TLS and authentication",
    arg: "secret",
    usage: "etcd password (with -basic-auth)",
  },
  {
    field: "onetime",
    flag: "onetime",
    toml: ["onetime"],
    env: "CONFD_ONETIME",
    kind: "bool",
    group: "Run mode",
    usage: "run one pass over all template resources, then exit",
  },
  {
    field: "watch",
    flag: "watch",
    toml: ["watch"],
    env: "CONFD_WATCH",
    kind: "bool",
    group: "Run mode",
    usage: "watch the backend and render when keys change",
  },
  {
    field: "interval",
    flag: "interval",
    toml: ["interval"],
    env: "CONFD_INTERVAL",
    kind: "int",
    group: "Run mode",
    arg: "seconds",
    usage: "seconds between passes in interval mode (default 600)",
  },
  {
    field: "noop",
    flag: "noop",
    toml: ["noop"],
    env: "CONFD_NOOP",
    kind: "bool",
    group: "Run mode",
    usage: "render and compare only: never change dest, never run commands",
  },
  {
    field: "diff",
    flag: "diff",
    toml: ["diff"],
    env: "CONFD_DIFF",
    kind: "bool",
    group: "Run mode",
    usage: "with -noop, print a unified diff of what would change",
  },
  {
    field: "syncOnly",
    flag: "sync-only",
    toml: ["sync-only", "sync_only"],
    env: "CONFD_SYNC_ONLY",
    kind: "bool",
    group: "Run mode",
    usage: "write files but never run check_cmd or reload_cmd",
  },
  {
    field: "keepStageFile",
    flag: "keep-stage-file",
    toml: ["keepstagefile", "keep-stage-file", "keep_stage_file"],
    env: "CONFD_KEEP_STAGE_FILE",
    kind: "bool",
    group: "Run mode",
    usage: "keep the staged temp files next to dest (debugging)",
  },
  {
    field: "wait",
    flag: "wait",
    toml: ["wait"],
    env: "CONFD_WAIT",
    kind: "string",
    group: "Run mode",
    arg: "min[:max]",
    usage: 'watch mode: render once keys were quiet for min, at the latest max after the first change ("200ms:5s")',
  },
  {
    field: "bootstrapTimeout",
    flag: "bootstrap-timeout",
    toml: ["bootstrap-timeout", "bootstrap_timeout"],
    env: "CONFD_BOOTSTRAP_TIMEOUT",
    kind: "string",
    group: "Run mode",
    arg: "duration",
    usage: "watch/interval mode: give up retrying the first full pass after this long (default: retry forever)",
  },
  {
    field: "exec",
    flag: "exec",
    toml: ["exec"],
    env: "CONFD_EXEC",
    kind: "string",
    group: "Supervised service and status",
    arg: "command",
    usage:
      "start this command (/bin/sh -c) once every resource rendered, supervise it, exit with its code; or give argv after --",
  },
  {
    field: "execReloadSignal",
    flag: "exec-reload-signal",
    toml: ["exec-reload-signal", "exec_reload_signal"],
    env: "CONFD_EXEC_RELOAD_SIGNAL",
    kind: "string",
    group: "Supervised service and status",
    arg: "signal",
    usage: "signal the child after a resource without reload_cmd was updated (e.g. SIGHUP)",
  },
  {
    field: "execKillSignal",
    flag: "exec-kill-signal",
    toml: ["exec-kill-signal", "exec_kill_signal"],
    env: "CONFD_EXEC_KILL_SIGNAL",
    kind: "string",
    group: "Supervised service and status",
    arg: "signal",
    usage: 'signal that stops the child on shutdown (default "SIGTERM")',
  },
  {
    field: "execKillTimeout",
    flag: "exec-kill-timeout",
    toml: ["exec-kill-timeout", "exec_kill_timeout"],
    env: "CONFD_EXEC_KILL_TIMEOUT",
    kind: "string",
    group: "Supervised service and status",
    arg: "duration",
    usage: 'wait this long after the kill signal, then SIGKILL the child\'s process group (default "30s")',
  },
  {
    field: "statusAddr",
    flag: "status-addr",
    toml: ["status-addr", "status_addr"],
    env: "CONFD_STATUS_ADDR",
    kind: "string",
    group: "Supervised service and status",
    arg: "host:port",
    usage: "serve /healthz, /readyz, /metrics, /v1/resources and a status page here (default: off)",
  },
  {
    field: "confdir",
    flag: "confdir",
    toml: ["confdir"],
    env: "CONFD_CONFDIR",
    kind: "string",
    group: "Paths",
    arg: "dir",
    usage: 'directory holding conf.d/ and templates/ (default "/etc/confd")',
  },
  {
    field: "logLevel",
    flag: "log-level",
    toml: ["log-level", "log_level"],
    env: "CONFD_LOG_LEVEL",
    kind: "string",
    group: "Logging",
    arg: "level",
    usage: 'debug, info, warning, error or fatal (default "info")',
  },
  {
    field: "logFormat",
    flag: "log-format",
    toml: ["log-format", "log_format"],
    env: "CONFD_LOG_FORMAT",
    kind: "string",
    group: "Logging",
    arg: "format",
    usage: 'text (confd\'s line format) or json (default "text")',
  },
  ...[
    ["appId", "app-id", "app_id", "Vault app-id"],
    ["authToken", "auth-token", "auth_token", "Vault token"],
    ["authType", "auth-type", "auth_type", "Vault auth method"],
    ["path", "path", "path", "Vault auth mount path"],
    ["roleId", "role-id", "role_id", "Vault AppRole role_id"],
    ["secretId", "secret-id", "secret_id", "Vault AppRole secret_id"],
    ["separator", "separator", "separator", "redis key separator"],
    ["table", "table", "table", "DynamoDB table"],
    ["userId", "user-id", "user_id", "Vault app-id user_id"],
  ].map(([field, flag, toml, usage]): Setting => ({
    field: field as SettingField,
    flag,
    toml: [toml],
    env: `CONFD_${toml.toUpperCase()}`,
    kind: "string",
    group: "Accepted for confd compatibility (no effect in reconfd)",
    arg: "value",
    usage,
  })),
];

/**
 * confd.toml keys confd accepts but ignores (its struct has them, nothing reads
 * them after loading); accepted here too so an old file keeps loading.
 */
export const IGNORED_TOML_KEYS: readonly string[] = [
  "configdir",
  "templatedir",
  "printversion",
  "configfile",
  "role",
  "secret_keyring",
];

/** The default for every setting (before confd.toml, env and flags). */
export function defaultConfig(): Config {
  return {
    backend: "etcd",
    nodes: [],
    confdir: "/etc/confd",
    configFile: "/etc/confd/confd.toml",
    interval: 600,
    onetime: false,
    watch: false,
    noop: false,
    diff: false,
    syncOnly: false,
    keepStageFile: false,
    prefix: "",
    logLevel: "info",
    logFormat: "text",
    scheme: "http",
    srvDomain: "",
    srvRecord: "",
    clientCaKeys: "",
    clientCert: "",
    clientKey: "",
    clientInsecure: false,
    basicAuth: false,
    username: "",
    password: "",
    file: [],
    filter: "*",
    authToken: "",
    authType: "",
    appId: "",
    userId: "",
    roleId: "",
    secretId: "",
    path: "",
    separator: "",
    table: "",
    wait: "",
    bootstrapTimeout: "",
    exec: "",
    execReloadSignal: "",
    execKillSignal: "SIGTERM",
    execKillTimeout: "30s",
    statusAddr: "",
    singleResource: "",
    derived: { wait: undefined, bootstrapTimeoutMs: 0, execKillTimeoutMs: 30_000, execArgv: [], intervalSet: false },
  };
}
