// `reconfd render [options] TEMPLATE`: a dry run of one template, no confdir,
// no backend. Data comes from files: --data becomes dot, --kv fills the key
// store the confd functions (getv, ls, ...) read. Prints the result, or writes
// it atomically with -o; on any error prints one line and writes nothing.

import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { confdFuncs } from "../funcs/confd.ts";
import { DnsCache, renderWithDns } from "../funcs/dns.ts";
import { DataFileError, type DataValue, flattenDataFile, parseDataFile } from "../kv/data_file.ts";
import { KVStore } from "../kv/store.ts";
import { decodeGoBytes, encodeGoBytes } from "../template/go_bytes.ts";
import { Template } from "../template/template.ts";
import { fromJSON, GoInt, T, type Value } from "../template/value.ts";
import { parseOrUsage, usageError } from "./usage.ts";
import type { FlagSpec } from "./flags.ts";
import { type CliIO, EXIT } from "./io.ts";

const RENDER_FLAGS: readonly FlagSpec[] = [
  { name: "data", kind: "string" },
  { name: "kv", kind: "string" },
  { name: "left-delim", kind: "string" },
  { name: "right-delim", kind: "string" },
  { name: "missingkey", kind: "string" },
  { name: "o", kind: "string" },
];

const RENDER_HINT = "Run 'reconfd render -h' for usage.";

export const RENDER_HELP = `Usage: reconfd render [options] TEMPLATE

Renders one Go template with confd's functions and prints the result.
TEMPLATE is a file, or - for standard input (the template is then named "stdin").

Options:
  --data FILE            JSON, YAML or TOML file whose content becomes dot ({{.name}})
  --kv FILE              JSON, YAML or TOML file of keys for getv, gets, ls, ...:
                         a flat {"/key": "value"} map, or nested maps (keys joined with /)
  --left-delim TEXT      left action delimiter (default "{{")
  --right-delim TEXT     right action delimiter (default "}}")
  --missingkey MODE      default, zero or error: what a missing map key gives (default "default")
  -o FILE                write to FILE atomically (temp file + rename) instead of stdout
  -h, -help              print this help
`;

/** A failure of `reconfd render` that becomes its one `error: ...` line. */
class RenderCommandError extends Error {
  override name = "RenderCommandError";
}

const DATA_EXTENSIONS = [".json", ".yaml", ".yml", ".toml"];

/**
 * Reads a --data or --kv file with the file backend's reader (src/kv/data_file.ts): --kv gives
 * its flattened keys, --data its value for dot. Errors name file:line:column, never its text.
 */
function readDataFile(option: "data", path: string): unknown;
function readDataFile(option: "kv", path: string): Map<string, string>;
function readDataFile(option: "data" | "kv", path: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new RenderCommandError(`--${option} ${path}: cannot read: ${(err as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  if (!DATA_EXTENSIONS.includes(ext)) {
    throw new RenderCommandError(
      `--${option} ${path}: unknown file type "${ext}": expected .json, .yaml, .yml or .toml`,
    );
  }
  try {
    if (option === "kv") return flattenDataFile(path, bytes);
    const data = parseDataFile(path, bytes);
    // Dot from JSON holds float64 numbers, as encoding/json decodes them; YAML and TOML ints stay
    // ints (yaml.v2's uint64 above int64).
    return ext === ".json" ? numbersAsFloats(data) : uint64Above(data);
  } catch (err) {
    if (err instanceof DataFileError) throw new RenderCommandError(`--${option} ${err.message}`);
    throw err;
  }
}

const INT64_MAX = 2n ** 63n - 1n;

function numbersAsFloats(v: DataValue): unknown {
  return mapInts(v, (n) => Number(n));
}

function uint64Above(v: DataValue): unknown {
  return mapInts(v, (n) => (n > INT64_MAX ? new GoInt(T.uint64, n) : n));
}

/** `v` with every int replaced by `f(int)`. */
function mapInts(v: DataValue, f: (n: bigint) => unknown): unknown {
  if (typeof v === "bigint") return f(v);
  if (Array.isArray(v)) return v.map((item) => mapInts(item, f));
  if (v !== null && typeof v === "object" && !(v instanceof Date)) {
    const out: { [key: string]: unknown } = Object.create(null);
    for (const k in v) out[k] = mapInts(v[k], f);
    return out;
  }
  return v;
}

/** The permission bits of an existing file, or undefined when there is none. */
function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to `path` through a temp file in the same directory, so readers
 * never see half a file; a file being replaced keeps its permissions.
 */
function writeAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const mode = existingMode(path);
  try {
    const fd = openSync(temp, "wx");
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeFileSync(fd, encodeGoBytes(text));
      fsyncSync(fd); // the rename must not expose a file whose bytes are still in flight
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new RenderCommandError(`-o ${path}: cannot write: ${(err as Error).message}`);
  }
}

type MissingKey = "default" | "zero" | "error";

function missingKeyMode(text: string | undefined): MissingKey | undefined {
  if (text === undefined || text === "default" || text === "invalid") return "default";
  if (text === "zero" || text === "error") return text;
  return undefined;
}

export async function runRender(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseOrUsage(io, RENDER_FLAGS, args, RENDER_HINT, true);
  if (typeof flags === "number") return flags;
  if (flags.help) {
    io.stdout(RENDER_HELP);
    return EXIT.ok;
  }
  if (flags.rest.length !== 1) {
    const problem = flags.rest.length === 0
      ? "render: missing TEMPLATE (a file, or - for stdin)"
      : `render: one TEMPLATE expected, got ${flags.rest.length}: ${flags.rest.join(" ")}`;
    return usageError(io, problem, RENDER_HINT);
  }
  const option = (name: string): string | undefined => {
    const v = flags.values.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const missingkey = missingKeyMode(option("missingkey"));
  if (missingkey === undefined) {
    return usageError(
      io,
      `invalid value ${JSON.stringify(option("missingkey"))} for flag -missingkey: expected default, zero or error`,
      RENDER_HINT,
    );
  }
  const source = flags.rest[0];
  try {
    const name = source === "-" ? "stdin" : basename(source);
    let text: string;
    if (source === "-") {
      text = await io.readStdin();
    } else {
      try {
        // As bytes: a template saved in Latin-1 renders its bytes unchanged, as in Go.
        text = decodeGoBytes(readFileSync(source));
      } catch (err) {
        throw new RenderCommandError(`cannot read template ${source}: ${(err as Error).message}`);
      }
    }
    const dataPath = option("data");
    const kvPath = option("kv");
    const data: Value = dataPath === undefined ? null : fromJSON(readDataFile("data", dataPath), { bigintAsInt: true });
    const store = new KVStore(kvPath === undefined ? [] : readDataFile("kv", kvPath));
    const dns = new DnsCache();
    const funcs = confdFuncs(store, { env: io.env, dns });
    const tmpl = Template.parse(name, text, {
      funcs,
      leftDelim: option("left-delim"),
      rightDelim: option("right-delim"),
    });
    const output = await renderWithDns(() => tmpl.execute(data, { missingkey }), dns);
    const out = option("o");
    if (out === undefined) io.stdout(output);
    else writeAtomically(out, output);
    return EXIT.ok;
  } catch (err) {
    // Template errors already read `template: name:line:col: ...`, as Go's do.
    io.stderr(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}
