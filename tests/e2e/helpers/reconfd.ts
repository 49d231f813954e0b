// Test helpers for the end-to-end suites: build-or-find the compiled binary,
// lay out a confdir in a temp directory, run the binary once or as a daemon.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";

const root = new URL("../../../", import.meta.url).pathname;
export const BINARY = process.env.RECONFD_BIN ?? join(root, "dist", "reconfd");

/** What the binary is built from: a change to any of these makes it stale. */
export const BUILD_INPUTS = ["main.ts", "src", "package-lock.json", join("scripts", "build")].map((p) => join(root, p));

/** The files under `paths` (files or directories, walked recursively) modified after `time` (ms). */
export function filesNewerThan(paths: readonly string[], time: number): string[] {
  const newer: string[] = [];
  const walk = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else if (st.mtimeMs > time) {
      newer.push(path);
    }
  };
  for (const p of paths) walk(p);
  return newer;
}

/** The commit `reconfd -version` names (`1a2b3c4d5e6f` or `1a2b3c4d5e6f-dirty`), or undefined. */
export function binaryCommit(binary = BINARY): string | undefined {
  const r = spawnSync(binary, ["-version"], { encoding: "utf8", env: env() });
  return /\(commit ([^,]+),/.exec(r.stdout ?? "")?.[1];
}

/** The short hash of HEAD, as scripts/build writes it. */
export function headCommit(): string {
  const r = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git rev-parse HEAD failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Why dist/reconfd must be rebuilt before it is tested, or undefined when it is current. */
export function staleReason(binary = BINARY): string | undefined {
  if (!existsSync(binary)) return "it does not exist";
  const newer = filesNewerThan(BUILD_INPUTS, statSync(binary).mtimeMs);
  if (newer.length > 0) return `${newer[0]} is newer than it`;
  const built = binaryCommit(binary);
  const head = headCommit();
  if (built?.replace(/-dirty$/, "") !== head) return `it was built from commit ${built ?? "(none)"}, HEAD is ${head}`;
  return undefined;
}

let checked = false;

/**
 * Makes sure the binary exists and is current: scripts/build normally made it
 * just before the suite; a bare test run, or one after an edit or a commit,
 * rebuilds it the same way, so a stale binary is never tested. A binary given
 * with RECONFD_BIN is used as it is.
 */
export function ensureBinary(): string {
  if (checked || process.env.RECONFD_BIN !== undefined) return BINARY;
  const why = staleReason();
  if (why !== undefined) {
    process.stderr.write(`rebuilding ${BINARY}: ${why}\n`);
    const r = spawnSync("bash", [join(root, "scripts", "build")], { cwd: root, encoding: "utf8" });
    if (r.status !== 0 || !existsSync(BINARY)) {
      throw new Error(`cannot build ${BINARY} with scripts/build: ${r.stderr}`);
    }
  }
  checked = true;
  return BINARY;
}

export interface ResourceSpec {
  /** conf.d file name. Default "<name>.toml" */
  name: string;
  /** Full TOML text of the resource. */
  toml: string;
  /** Template file name (under templates/) and text, when the resource needs one. */
  tmplName?: string;
  tmpl?: string;
}

/** A temp directory holding confdir/{conf.d,templates} and anything else a test writes. */
export class Sandbox {
  readonly dir: string;
  readonly confdir: string;
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "reconfd-e2e-"));
    this.confdir = join(this.dir, "confdir");
    mkdirSync(join(this.confdir, "conf.d"), { recursive: true });
    mkdirSync(join(this.confdir, "templates"), { recursive: true });
  }
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }
  write(rel: string, text: string): string {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  }
  resource(spec: ResourceSpec): void {
    writeFileSync(join(this.confdir, "conf.d", spec.name), spec.toml);
    if (spec.tmplName !== undefined) writeFileSync(join(this.confdir, "templates", spec.tmplName), spec.tmpl ?? "");
  }
  /** Hidden stage files (`.<name><digits>`) left in `dir`. */
  stageFiles(dir = this.dir): string[] {
    return readdirSync(dir).filter((f) => /^\..+\d+$/.test(f));
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", CONFD_CONFIG_FILE: "/nonexistent/confd.toml", ...extra };
}

/** Runs the binary to completion. */
export function runReconfd(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ensureBinary(), args, { cwd: opts.cwd, env: env(opts.env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running daemon whose stderr can be waited on. */
export class Daemon {
  readonly child: ChildProcess;
  stderr = "";
  readonly exited: Promise<number | null>;
  constructor(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
    this.child = spawn(ensureBinary(), args, { cwd: opts.cwd, env: env(opts.env), stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr?.on("data", (b) => (this.stderr += b));
    this.child.stdout?.resume();
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
  }
  /** Resolves once `re` matches the log (polling), or throws after `ms`. */
  async waitForLog(re: RegExp, ms = 10_000): Promise<void> {
    await waitFor(() => re.test(this.stderr), ms, () => `log never matched ${re}:\n${this.stderr}`);
  }
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    // process.kill, not child.kill: Deno reports a child signalled through child.kill as killed
    // by that signal even when it handled it and exited 0.
    if (this.child.pid !== undefined) process.kill(this.child.pid, signal);
    return await this.exited;
  }
}

/** Polls `cond` every 20 ms until true, or throws `why()` after `ms`. */
export async function waitFor(cond: () => boolean, ms = 10_000, why: () => string = () => "timed out"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(why());
    await new Promise((r) => setTimeout(r, 20));
  }
}
