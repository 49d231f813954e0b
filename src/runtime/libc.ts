// The two libc calls reaping as PID 1 needs, through the runtime's FFI (Bun's
// bun:ffi, Deno's Deno.dlopen): waitpid(pid, NULL, WNOHANG) for one orphan at
// a time (never waitpid(-1), which would steal the exit status of children the
// runtime waits for itself) and prctl(PR_GET_CHILD_SUBREAPER). Loaded lazily,
// only by the reaper; undefined wherever the FFI or libc is not available.

/** What the reaper calls. */
export interface Libc {
  /** waitpid(pid, NULL, WNOHANG): `pid` when reaped, 0 while it still runs, -1 on error (ECHILD). */
  waitpidNoHang(pid: number): number;
  /** True when this process is a child subreaper (prctl PR_GET_CHILD_SUBREAPER). */
  isChildSubreaper(): boolean;
}

const WNOHANG = 1;
const PR_GET_CHILD_SUBREAPER = 37;

/** glibc, then musl (Alpine's reconfd-musl), then the unversioned development name. */
const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];

type Fn = (...args: unknown[]) => number;

interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): { symbols: Record<string, Fn> };
  ptr(view: ArrayBufferView): unknown;
}

interface DenoFfi {
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string }>,
  ): { symbols: Record<string, Fn> };
  permissions: { querySync(desc: { name: "ffi" }): { state: string } };
}

const bun = (globalThis as { Bun?: unknown }).Bun;
const deno = (globalThis as { Deno?: DenoFfi }).Deno;

function firstOpened<T>(open: (name: string) => T): T | undefined {
  for (const name of LIBC_NAMES) {
    try {
      return open(name);
    } catch {
      // Not this libc; try the next name.
    }
  }
  return undefined;
}

async function openBun(): Promise<Libc | undefined> {
  // A variable specifier keeps tsc (which has no bun:ffi types here) and Deno away from it.
  const specifier = "bun:ffi";
  const ffi = await import(specifier) as BunFfi;
  const lib = firstOpened((name) =>
    ffi.dlopen(name, {
      waitpid: { args: ["i32", "ptr", "i32"], returns: "i32" },
      prctl: { args: ["i32", "ptr", "u64", "u64", "u64"], returns: "i32" },
    })
  );
  if (lib === undefined) return undefined;
  return {
    waitpidNoHang: (pid) => lib.symbols.waitpid(pid, null, WNOHANG),
    isChildSubreaper: () => {
      const out = new Int32Array(1);
      return lib.symbols.prctl(PR_GET_CHILD_SUBREAPER, ffi.ptr(out), 0, 0, 0) === 0 && out[0] !== 0;
    },
  };
}

function openDeno(d: DenoFfi): Libc | undefined {
  // Asking would prompt on a terminal; without --allow-ffi there is simply no reaping.
  if (d.permissions.querySync({ name: "ffi" }).state !== "granted") return undefined;
  const lib = firstOpened((name) =>
    d.dlopen(name, {
      waitpid: { parameters: ["i32", "pointer", "i32"], result: "i32" },
      prctl: { parameters: ["i32", "buffer", "u64", "u64", "u64"], result: "i32" },
    })
  );
  if (lib === undefined) return undefined;
  return {
    waitpidNoHang: (pid) => lib.symbols.waitpid(pid, null, WNOHANG),
    isChildSubreaper: () => {
      const out = new Int32Array(1);
      return lib.symbols.prctl(PR_GET_CHILD_SUBREAPER, out, 0n, 0n, 0n) === 0 && out[0] !== 0;
    },
  };
}

/** Opens libc through the runtime's FFI; undefined when there is none (Node) or it is not permitted. */
export async function openLibc(): Promise<Libc | undefined> {
  try {
    if (bun !== undefined) return await openBun();
    if (deno !== undefined) return openDeno(deno);
  } catch {
    // No FFI here: reaping is off, everything else works.
  }
  return undefined;
}
