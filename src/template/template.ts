// The public face of the template engine (Go's template.Template, trimmed to what
// reconfd needs): parse once into an immutable set of trees, execute many times.
// Rendering is pure and synchronous; all per-run state lives in exec.ts's State.

import { builtins } from "./builtins.ts";
import { DIRECT_CALL_DEPTH, MAX_OUTPUT, type MissingKey, State } from "./exec.ts";
import { parseTrees, type Tree } from "./parse.ts";
import type { FuncMap, Value } from "./value.ts";

export { type ExecLimit, ExecLimitError, TemplateError } from "./errors.ts";
export type { MissingKey } from "./exec.ts";

export interface ParseOptions {
  /** Functions available to the template, in addition to the builtins (default: none). */
  funcs?: FuncMap;
  /** Left action delimiter (default `{{`; an empty string also means the default). */
  leftDelim?: string;
  /** Right action delimiter (default `}}`; an empty string also means the default). */
  rightDelim?: string;
}

export interface ExecOptions {
  /** What a missing map key yields, as Go's `missingkey=` option (default "default" = "invalid"). */
  missingkey?: MissingKey;
  /**
   * Template calls nested deeper than this run on a heap trampoline instead of the JS
   * stack (default 200). 0 runs the whole template there: the conformance suite uses it
   * to hold both walkers to Go's behaviour.
   */
  directCallDepth?: number;
  /**
   * A performance.now() value after which execution stops with an ExecLimitError ("time")
   * naming the action it reached (default: none). The clock is read every CHECK_EVERY
   * range iterations or template calls, so a runaway loop stops close to the deadline.
   */
  deadline?: number;
  /** Longest output, in UTF-16 code units, before an ExecLimitError ("output"). Default MAX_OUTPUT (256 Mi). */
  maxOutput?: number;
}

const NO_FUNCS: FuncMap = new Map();

export class Template {
  private constructor(
    readonly name: string,
    private readonly trees: ReadonlyMap<string, Tree>,
    private readonly funcs: FuncMap,
  ) {}

  /** Parses text as the template `name` (Go's New(name).Funcs(f).Delims(l, r).Parse(text)). Throws TemplateError. */
  static parse(name: string, text: string, opts: ParseOptions = {}): Template {
    const funcs = opts.funcs ?? NO_FUNCS;
    const trees = parseTrees(name, text, [funcs, builtins], {
      leftDelim: opts.leftDelim,
      rightDelim: opts.rightDelim,
    });
    return new Template(name, trees, funcs);
  }

  /**
   * The same parsed set executing with `funcs` instead (Go's Funcs after Parse): the trees are
   * immutable and shared, only the functions differ. Parsing checks function names alone and
   * execution looks each one up by name when it runs, so this is only valid for a map holding
   * exactly the names this template was parsed with; any other set of names throws (a name
   * parsing rejected could otherwise run, or one it accepted fail only at execution).
   */
  withFuncs(funcs: FuncMap): Template {
    let same = funcs.size === this.funcs.size;
    for (const name of funcs.keys()) same &&= this.funcs.has(name);
    if (!same) throw new Error(`template: ${this.name}: withFuncs needs the function names it was parsed with`);
    return new Template(this.name, this.trees, funcs);
  }

  /** Names of all templates in the set (the main one and every define/block). */
  templateNames(): string[] {
    return [...this.trees.keys()];
  }

  /** Executes the template with `data` as dot and returns the output. Throws TemplateError. */
  execute(data: Value, opts: ExecOptions = {}): string {
    const missingKey = opts.missingkey === undefined || opts.missingkey === "default" ? "invalid" : opts.missingkey;
    // reflect.ValueOf(nil) is the invalid value: nil data is "no value".
    const dot = data === null ? undefined : data;
    const directCallDepth = opts.directCallDepth ?? DIRECT_CALL_DEPTH;
    const state = new State(
      {
        trees: this.trees,
        funcs: this.funcs,
        builtins,
        missingKey,
        directCallDepth,
        deadline: opts.deadline ?? Infinity,
        maxOutput: opts.maxOutput ?? MAX_OUTPUT,
      },
      this.name,
      dot,
    );
    // Parsing always leaves a tree under the main name (the text's own, or a define of that name).
    return state.run(this.trees.get(this.name) as Tree, dot);
  }
}
