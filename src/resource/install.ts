// Puts a checked stage file in place: an atomic rename over dest, or, when dest
// is a mount point (a bind-mounted file, EBUSY), an in-place write.
// Also resolves where a destination really lives (symlinks are written through).

import { lstat, readFile, readlink, realpath, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { rename } from "node:fs/promises";
import { removeStageFile } from "./stage.ts";

/** Installing failed; `dest` is untouched. */
export class InstallError extends Error {
  readonly dest: string;
  constructor(dest: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InstallError";
    this.dest = dest;
  }
}

/**
 * The file to write for `dest`. A symlink is followed to its target (also a dangling one), so
 * `sites-enabled/x -> ../sites-available/x` keeps its link and the target gets the content; confd
 * replaced the link with a regular file. Throws when dest's directory does not exist.
 */
export async function resolveDest(dest: string): Promise<string> {
  let path = resolve(dest);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isSymbolicLink()) break;
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined) {
      path = real;
      break;
    }
    path = resolve(dirname(path), await readlink(path));
  }
  const dir = dirname(path);
  const dirInfo = await stat(dir).catch(() => undefined);
  if (dirInfo === undefined) throw new InstallError(dest, `cannot write ${dest}: directory ${dir} does not exist`);
  if (!dirInfo.isDirectory()) throw new InstallError(dest, `cannot write ${dest}: ${dir} is not a directory`);
  return path;
}

/**
 * Renames `stage` over `target`. Returns "rename" or, after EBUSY, "write" (in-place copy; the stage
 * file is then removed).
 */
export async function installStageFile(stage: string, target: string): Promise<"rename" | "write"> {
  try {
    await rename(stage, target);
    return "rename";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EBUSY") {
      throw new InstallError(target, `cannot rename ${stage} to ${target}: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    await writeFile(target, await readFile(stage));
  } catch (err) {
    throw new InstallError(target, `cannot write ${target} in place: ${(err as Error).message}`, { cause: err });
  }
  await removeStageFile(stage);
  return "write";
}
