// getenv and fileExists: the two functions that look outside the snapshot (the
// process environment and the file system), with confd's exact rules.

import { statSync } from "node:fs";
import { GoFuncValue, T, type Value } from "../template/value.ts";
import { goFunc, sig, str } from "./go_func.ts";

/** confd's Getenv: an unset **or empty** variable gives the first default, else "". */
export function getenv(env: Record<string, string | undefined>, key: string, defaults: string[]): string {
  const v = Object.hasOwn(env, key) ? env[key] : undefined;
  if (v === undefined || v === "") return defaults[0] ?? "";
  return v;
}

/**
 * confd's util.IsFileExist: false only when stat says "no such file or directory".
 * Every other failure counts as existing, as in Go's os.IsNotExist: permission denied,
 * and also "not a directory" (`/etc/passwd/x` is true).
 */
export function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== "ENOENT";
  }
}

export function envFuncs(env: Record<string, string | undefined>): Map<string, GoFuncValue> {
  const fns = [
    goFunc(
      "getenv",
      sig([T.string], T.string, { variadic: T.string }),
      (k, ...d: Value[]) => getenv(env, str(k), d.map(str)),
    ),
    goFunc("fileExists", sig([T.string], T.bool), (p) => fileExists(str(p))),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
