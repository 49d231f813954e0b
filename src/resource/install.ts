// Puts a checked stage file in place: an atomic rename over dest, or, when dest is a mount
// point (a bind-mounted file, EBUSY), an in-place write that leaves dest either old or new.
// Also resolves where a destination really lives: symlinks are written through, but only
// trusted ones (the kernel's protected_symlinks rule), and `..` is taken after symlinks.
// Resolving is synchronous: lstat per path component is cached kernel work, cheaper than a
// thread hop each; the rename, which waits on the file system, stays asynchronous.

import { constants, lstatSync, readlinkSync, type Stats, statSync } from "node:fs";
import { type FileHandle, open, readFile, rename } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { removeStageFile } from "./stage.ts";
import { effectiveUid, workingDirectory } from "../runtime/process_info.ts";

/** Installing failed; `dest` is untouched. */
export class InstallError extends Error {
  readonly dest: string;
  constructor(dest: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InstallError";
    this.dest = dest;
  }
}

/** Symlinks followed at most while resolving one dest (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/** Parent of an absolute, already resolved directory ("/" stays "/"). */
function parentOf(dir: string): string {
  const i = dir.lastIndexOf("/");
  return i <= 0 ? "/" : dir.slice(0, i);
}

/**
 * A symlink at dest is followed only when trusted, as the kernel's protected_symlinks would:
 * owned by us or by the owner of the directory holding it, and that directory not sticky and
 * world-writable (/tmp), where anyone may plant a link to a file of ours.
 */
function checkTrustedLink(dest: string, link: string, info: Stats, dir: string, euid: number): void {
  const parent = statSync(dir);
  const why = (parent.mode & 0o1002) === 0o1002
    ? `it lies in ${dir}, which is sticky and world-writable`
    : info.uid !== euid && info.uid !== parent.uid
    ? `it is owned by uid ${info.uid}, neither the effective uid ${euid} nor ${dir}'s owner (uid ${parent.uid})`
    : undefined;
  if (why === undefined) return;
  throw new InstallError(dest, `refusing to write ${dest} through the symlink ${link}: ${why}`);
}

export interface ResolveOptions {
  /** Whose symlinks are trusted. Default: the effective uid. */
  euid?: number;
}

/**
 * The file to write for `dest`, resolved component by component as the kernel does: a `..`
 * goes up from where the symlinks before it led (`lnk/../a.conf` is the file a reader gets),
 * every directory on the way must exist. A symlink at dest (and each link it leads to) is
 * written through when trusted (see checkTrustedLink), also a dangling one, so
 * `sites-enabled/x -> ../sites-available/x` keeps its link; confd replaced the link.
 */
export function resolveDest(dest: string, opts: ResolveOptions = {}): string {
  const euid = opts.euid ?? effectiveUid();
  const split = (p: string) => p.split("/").filter((c) => c !== "" && c !== ".");
  const pending = split(isAbsolute(dest) ? dest : `${workingDirectory()}/${dest}`);
  const fail = (why: string, cause?: unknown) => new InstallError(dest, `cannot write ${dest}: ${why}`, { cause });
  let dir = "/";
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === "..") {
      dir = parentOf(dir);
      continue;
    }
    const path = join(dir, name);
    const last = pending.length === 0;
    let info: Stats;
    try {
      info = lstatSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && last) return path;
      if (code === "ENOENT") throw fail(`directory ${path} does not exist`, err);
      throw fail((err as Error).message, err);
    }
    if (info.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw fail(`too many levels of symbolic links at ${path}`);
      if (last) checkTrustedLink(dest, path, info, dir, euid);
      const target = readlinkSync(path);
      if (isAbsolute(target)) dir = "/";
      pending.unshift(...split(target));
      continue;
    }
    if (!info.isDirectory()) {
      if (last) return path;
      throw fail(`${path} is not a directory`);
    }
    if (last) throw fail(`${path} is a directory`);
    dir = path;
  }
  throw fail(`${dir} is a directory`);
}

export interface InstallOptions {
  /** Mode and owner for the in-place path (a rename brings the stage file's own). */
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * Renames `stage` over `target`. Returns "rename" or, after EBUSY, "write" (in-place copy; the stage
 * file is then removed).
 */
export async function installStageFile(
  stage: string,
  target: string,
  opts?: InstallOptions,
): Promise<"rename" | "write"> {
  try {
    await rename(stage, target);
    return "rename";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EBUSY") {
      throw new InstallError(target, `cannot rename ${stage} to ${target}: ${(err as Error).message}`, { cause: err });
    }
  }
  await writeInPlace(target, await readFile(stage), opts);
  await removeStageFile(stage);
  return "write";
}

/**
 * Overwrites `target` in place so that a full disk leaves it whole: the part beyond the old
 * length is written first (the only write that needs new blocks; on failure the file is cut back
 * to its old length, old content intact), then the old part is overwritten, the file cut to the
 * new length, owner and mode applied, and the file fsync'd.
 */
export async function writeInPlace(target: string, content: Uint8Array, opts?: InstallOptions): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(target, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch (err) {
    throw new InstallError(target, `cannot write ${target} in place: ${(err as Error).message}`, { cause: err });
  }
  try {
    const old = await fh.readFile();
    if (content.length > old.length) {
      try {
        await writeAll(fh, content.subarray(old.length), old.length);
        await fh.sync();
      } catch (err) {
        await fh.truncate(old.length).catch(() => {});
        throw new InstallError(target, `cannot write ${target} in place, left unchanged: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    try {
      await writeAll(fh, content.subarray(0, Math.min(old.length, content.length)), 0);
      await fh.truncate(content.length);
      await fh.sync();
    } catch (err) {
      // Overwriting needs no new blocks on most file systems; where it did (copy-on-write), put the
      // old content back as far as possible.
      await writeAll(fh, old, 0).then(() => fh.truncate(old.length)).catch(() => {});
      throw new InstallError(target, `cannot write ${target} in place: ${(err as Error).message}`, { cause: err });
    }
    if (opts !== undefined) {
      try {
        // chown before chmod: chown clears setuid/setgid bits.
        if (opts.uid !== undefined || opts.gid !== undefined) await fh.chown(opts.uid ?? -1, opts.gid ?? -1);
        await fh.chmod(opts.mode);
      } catch (err) {
        throw new InstallError(
          target,
          `wrote ${target} in place but cannot set its mode or owner: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    }
  } finally {
    await fh.close().catch(() => {});
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
