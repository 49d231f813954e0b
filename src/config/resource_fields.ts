// Value parsers for template resource directives: file modes (octal strings),
// Go durations, and user/group names looked up in /etc/passwd and /etc/group,
// then through getent (node has no getpwnam).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ParsedMode {
  /** Permission bits, including setuid/setgid/sticky (0o7777 at most). */
  mode: number;
  /** Set when the string had no leading 0 and was read as octal anyway ("644"). */
  warning?: string;
}

/**
 * Parses a mode string. Go integer literals are accepted ("0644", "0o644", "0x1a4"); a bare "644",
 * which confd reads as decimal (giving 0204), is read as octal with a warning.
 */
export function parseMode(text: string): ParsedMode {
  const s = text.trim().replaceAll("_", "");
  let mode: number;
  let warning: string | undefined;
  if (/^0[oO][0-7]+$/.test(s)) mode = parseInt(s.slice(2), 8);
  else if (/^0[xX][0-9a-fA-F]+$/.test(s)) mode = parseInt(s.slice(2), 16);
  else if (/^0[bB][01]+$/.test(s)) mode = parseInt(s.slice(2), 2);
  else if (/^0[0-7]*$/.test(s)) mode = parseInt(s, 8);
  else if (/^[1-7][0-7]*$/.test(s)) {
    mode = parseInt(s, 8);
    warning = `mode "${text}" has no leading 0: read as octal 0${s} (confd would read it as decimal)`;
  } else throw new Error(`mode must be an octal string like "0644", got ${JSON.stringify(text)}`);
  if (mode > 0o7777) throw new Error(`mode ${JSON.stringify(text)} is out of range (at most 07777)`);
  return { mode, warning };
}

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration ("30s", "1m30s", "1.5h", "250ms") into milliseconds. */
export function parseDuration(text: string): number {
  const bad = () =>
    new Error(`invalid duration ${JSON.stringify(text)} (expected a Go duration like "30s" or "1m30s")`);
  let s = text.trim();
  if (s === "0") return 0;
  if (s === "") throw bad();
  let total = 0;
  while (s !== "") {
    const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(s);
    if (!m) throw bad();
    total += parseFloat(m[1]) * UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  return total;
}

/** Formats milliseconds the way Go prints a time.Duration, enough for messages ("1m0s", "500ms"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Reads a colon-separated database (/etc/passwd, /etc/group) into name -> id. */
function readIdDatabase(path: string): Map<string, number> {
  const ids = new Map<string, number>();
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return ids;
  }
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 3 || line.startsWith("#")) continue;
    const id = Number(fields[2]);
    if (Number.isInteger(id) && !ids.has(fields[0])) ids.set(fields[0], id);
  }
  return ids;
}

/**
 * Asks the system's name service through getent(1) (LDAP, SSSD, systemd-userdb accounts are not in
 * /etc/passwd); undefined when getent is missing or does not know the name.
 */
function getentId(database: "passwd" | "group", name: string): number | undefined {
  const r = spawnSync("getent", [database, name], { encoding: "utf8", timeout: 5000 });
  if (r.status !== 0 || typeof r.stdout !== "string") return undefined;
  const id = Number(r.stdout.split(":")[2]);
  return Number.isInteger(id) && r.stdout.startsWith(`${name}:`) ? id : undefined;
}

/** Resolves a user name (or a numeric string) to a uid: `passwd` first, then getent. */
export function lookupUser(name: string, passwd = "/etc/passwd"): number {
  if (/^\d+$/.test(name)) return Number(name);
  const id = readIdDatabase(passwd).get(name) ?? getentId("passwd", name);
  if (id === undefined) throw new Error(`unknown user ${JSON.stringify(name)} (not in ${passwd}, nor known to getent)`);
  return id;
}

/** Resolves a group name (or a numeric string) to a gid: `group` first, then getent. */
export function lookupGroup(name: string, group = "/etc/group"): number {
  if (/^\d+$/.test(name)) return Number(name);
  const id = readIdDatabase(group).get(name) ?? getentId("group", name);
  if (id === undefined) throw new Error(`unknown group ${JSON.stringify(name)} (not in ${group}, nor known to getent)`);
  return id;
}
