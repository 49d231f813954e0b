// Stage files: the candidate content written next to its destination as
// `.<dest-basename><random digits>`, created with its final mode and owner
// before any byte is written, then fsync'd, so a secret is never readable by
// more users than `mode` allows and the later rename is atomic.

import { constants } from "node:fs";
import { type FileHandle, open, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface StageOptions {
  /** Final permission bits (applied with fchmod, so the umask does not matter). */
  mode: number;
  /** Owner and group to apply with fchown; undefined leaves the creator's. */
  uid?: number;
  gid?: number;
}

/** Writing the stage file failed; dest is untouched and no stage file is left. */
export class StageError extends Error {
  readonly dest: string;
  readonly path: string;
  constructor(dest: string, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StageError";
    this.dest = dest;
    this.path = path;
  }
}

function randomDigits(): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0]);
}

/** Stage file path for `dest`: `<dir>/.<base><digits>` (confd's pattern). */
export function stagePathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}${randomDigits()}`);
}

/** Creates and fills a stage file for `dest`; returns its path. */
export async function writeStageFile(dest: string, content: Uint8Array, opts: StageOptions): Promise<string> {
  let path = "";
  let fh: FileHandle | undefined;
  for (let attempt = 0; fh === undefined; attempt++) {
    path = stagePathFor(dest);
    try {
      // O_EXCL: never reuse (or follow a symlink planted at) an existing name.
      fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode & 0o777);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && attempt < 10) continue;
      const why = code === "ENOENT" ? `directory ${dirname(dest)} does not exist` : (err as Error).message;
      throw new StageError(dest, path, `cannot create stage file for ${dest}: ${why}`, { cause: err });
    }
  }
  try {
    // chown before chmod: chown clears setuid/setgid bits.
    if (opts.uid !== undefined || opts.gid !== undefined) {
      await fh.chown(opts.uid ?? -1, opts.gid ?? -1).catch((err: Error) => {
        throw new Error(`cannot set owner ${opts.uid ?? -1}:${opts.gid ?? -1}: ${err.message}`, { cause: err });
      });
    }
    // The permission bits were set at creation; the special bits come after the write, which clears
    // setuid/setgid of a file written by a non-root process.
    await fh.writeFile(content);
    await fh.chmod(opts.mode);
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw new StageError(dest, path, `cannot write stage file ${path} for ${dest}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return path;
}

/** Removes a stage file, ignoring "already gone". */
export async function removeStageFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
  });
}
