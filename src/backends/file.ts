// The file backend: YAML, JSON or TOML files (or directories of them, searched
// recursively with a name filter), flattened into key/value pairs as confd does.
// Changes are seen through file system events on the containing directories, so
// an editor's save by rename-over-file is noticed too; each event is published on
// the backend's change feed (the runner waits out a burst, see settleMs).

import { type FSWatcher, watch as fsWatch } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DataFileError, flattenDataFile } from "../kv/data_file.ts";
import { match } from "../kv/go_path.ts";
import { type Backend, BackendError, keyUnder, type Snapshot, type WatchIndex, type WatchWake } from "./backend.ts";
import { ChangeFeed } from "./change_feed.ts";

export interface FileBackendOptions {
  /** Files or directories given with -file (at least one). */
  paths: readonly string[];
  /** Go path.Match glob applied to file names inside directories. Default "*". */
  filter?: string;
  /** Quiet time the runner waits after the last file system event before rendering, in ms. Default 100. */
  settleMs?: number;
}

export class FileBackend implements Backend {
  readonly name = "file";
  readonly sources: readonly string[];
  readonly settleMs: number;
  readonly #filter: string;
  /** Every relevant file system event is a change of everything (files hold no per-key history). */
  readonly #feed = new ChangeFeed({ historyLimit: 1000 });
  #watchers = new Map<string, FSWatcher>();
  /** The first watch call set up the file system watchers. */
  #started = false;
  /** A re-scan of the watched directories is queued (new subdirectories after a change). */
  #rescan: Promise<void> | undefined;

  constructor(opts: FileBackendOptions) {
    if (opts.paths.length === 0) throw new BackendError("file", "the file backend needs at least one -file");
    this.sources = [...opts.paths];
    this.#filter = opts.filter ?? "*";
    this.settleMs = opts.settleMs ?? 100;
    this.#feed.advance(1n);
  }

  async getValues(keys: readonly string[]): Promise<Snapshot> {
    // The index is taken before reading: an event during the read is newer than the snapshot.
    const index = this.#feed.index;
    const all = new Map<string, string>();
    for (const path of await this.#dataFiles()) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (err) {
        throw new BackendError("file", `cannot read ${path}: ${(err as Error).message}`, { cause: err });
      }
      // Later files override earlier ones, as in confd (one shared map). src/kv/data_file.ts reads
      // .toml as TOML and every other file as YAML (JSON included), as confd's yaml.v2 reads it.
      try {
        flattenDataFile(path, bytes, all);
      } catch (err) {
        if (!(err instanceof DataFileError)) throw err;
        throw new BackendError("file", `cannot parse ${err.message}`, { cause: err });
      }
    }
    const out = new Map<string, string>();
    for (const [k, v] of all) if (keys.some((want) => keyUnder(k, want))) out.set(k, v);
    return { values: out, index };
  }

  async watch(keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchWake> {
    if (signal.aborted) throw signal.reason;
    if (!this.#started) {
      this.#started = true;
      await this.#ensureWatching();
      // A change between the caller's read and this first watch had no watcher to see it: count one.
      this.#feed.publish(this.#feed.index + 1n);
    }
    return await this.#feed.wait(keys, since, signal);
  }

  close(): Promise<void> {
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
    this.#feed.close();
    return Promise.resolve();
  }

  /** The data files: each -file that is a file, and matching files under each -file directory (sorted). */
  async #dataFiles(): Promise<string[]> {
    const files: string[] = [];
    for (const path of this.sources) {
      let isDir: boolean;
      try {
        isDir = (await stat(path)).isDirectory();
      } catch (err) {
        throw new BackendError("file", `cannot read ${path}: ${(err as Error).message}`, { cause: err });
      }
      if (!isDir) files.push(path);
      else await this.#walk(path, (file) => files.push(file), () => {});
    }
    return files;
  }

  /** Walks `dir` depth-first in lexical order, reporting matching files and every directory. */
  async #walk(dir: string, onFile: (path: string) => void, onDir: (path: string) => void): Promise<void> {
    onDir(dir);
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await this.#walk(path, onFile, onDir);
      else if (!this.#matches(e.name)) continue;
      // A symlinked directory is neither descended nor read (a Kubernetes ConfigMap's `..data`).
      else if (!e.isSymbolicLink() || !(await stat(path).then((t) => t.isDirectory(), () => false))) onFile(path);
    }
  }

  #matches(name: string): boolean {
    try {
      return match(this.#filter, name);
    } catch {
      throw new BackendError("file", `invalid -filter pattern ${JSON.stringify(this.#filter)}`);
    }
  }

  /**
   * Watches the directory holding each -file file (events filtered by its name) and every directory
   * under each -file directory. Called again after each change, so new subdirectories are covered.
   */
  async #ensureWatching(): Promise<void> {
    const wanted = new Map<string, (name: string) => boolean>();
    /** Adds `dir` to the watch list, relevant for events on `name` (undefined: any event). */
    const watchFile = (dir: string, name: string | undefined) => {
      const prev = wanted.get(dir);
      wanted.set(dir, (n) => name === undefined || n === name || (prev?.(n) ?? false));
    };
    for (const path of this.sources) {
      let isDir = false;
      try {
        isDir = (await stat(path)).isDirectory();
      } catch {
        // A missing file may appear later: watch its directory for its name.
      }
      if (isDir) {
        await this.#walk(path, () => {}, (d) => wanted.set(d, () => true)).catch(() => {});
      } else {
        // A symlinked file changes without an event for its own name: a Kubernetes ConfigMap swaps
        // the `..data` link beside it, and a target elsewhere is edited in its own directory. So any
        // event beside the link counts, and the target's directory is watched too.
        const link = await lstat(path).then((info) => info.isSymbolicLink(), () => false);
        watchFile(dirname(path), link ? undefined : basename(path));
        const real = link ? await realpath(path).catch(() => undefined) : undefined;
        if (real !== undefined) watchFile(dirname(real), basename(real));
      }
    }
    for (const [dir, w] of this.#watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.#watchers.delete(dir);
      }
    }
    for (const [dir, relevant] of wanted) {
      if (this.#watchers.has(dir)) continue;
      try {
        const w = fsWatch(dir, (_event, name) => {
          if (name === null || relevant(String(name))) this.#changed();
        });
        w.on("error", () => {
          w.close();
          this.#watchers.delete(dir);
          this.#changed();
        });
        this.#watchers.set(dir, w);
      } catch {
        // The directory vanished between the walk and the watch; the next change re-scans.
      }
    }
  }

  /** Publishes a change of everything, then re-scans the tree once (new subdirectories get watchers). */
  #changed(): void {
    this.#feed.publish(this.#feed.index + 1n);
    this.#rescan ??= Promise.resolve().then(() => this.#ensureWatching()).catch(() => {}).finally(() => {
      this.#rescan = undefined;
    });
  }
}
