// The executor: a port of Go 1.19 text/template/exec.go. A per-run State walks the parse
// tree with the current dot, a push-down stack of variables and the node being evaluated
// (for error context). break/continue travel as return signals, not exceptions.
//
// Go's reflect distinguishes a nil interface (a JSON null found in a map or slice) from
// "no value" (a missing key); here they are `null` and `undefined`. As in Go, every
// pipeline result is unwrapped, so a null becomes "no value" once it leaves a pipeline.

import { type ExecLimit, ExecLimitError, TemplateError } from "./errors.ts";
import { sprint } from "./fmt/print.ts";
import { quote } from "./fmt/quote.ts";
import { byteLength } from "./go_bytes.ts";
import type {
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  RangeNode,
  TemplateNode,
  VariableNode,
} from "./node.ts";
import type { Tree } from "./parse.ts";
import { sliceWithTypes } from "./builtins.ts";
import { assignable, canBeNil, isTrue, makeInt, REFLECT_VALUE, typeName, zeroOf } from "./exec_types.ts";
import {
  type FuncMap,
  GoComplex,
  GoFuncValue,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  sortedKeys,
  typeOf,
  type Value,
} from "./value.ts";

export type MissingKey = "default" | "invalid" | "zero" | "error";

/** Go's maxExecDepth. */
export const MAX_EXEC_DEPTH = 100000;

/**
 * Template calls nested deeper than this run on the trampoline (deepList and friends),
 * whose frames live on the heap: the JS stack holds only a few thousand direct calls,
 * Go allows 100000. Shallower calls keep the direct, faster walkers.
 */
export const DIRECT_CALL_DEPTH = 200;

/** The default bound on a run's output, in UTF-16 code units (so at least 256 MiB once encoded). */
export const MAX_OUTPUT = 256 * 1024 * 1024;

/**
 * Lists walked between two looks at the clock. Every range iteration and template call walks
 * a list, so a runaway loop or recursion is noticed within this many steps; a step costs a
 * decrement, the clock is read once per CHECK_EVERY.
 */
export const CHECK_EVERY = 4096;

/** Marks "no final argument" in a pipeline stage (Go's missingVal). */
const MISSING: unique symbol = Symbol("missingVal");
type Final = Value | typeof MISSING;

const NO_NODES: readonly Node[] = [];
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Walk results: how a list finished. */
const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Signal = typeof NORMAL | typeof BREAK | typeof CONTINUE;

/**
 * A walk on the trampoline: it yields the nested walk it needs run and is resumed with
 * that walk's signal, so nesting grows the trampoline's array, not the JS stack.
 */
type Walker = Generator<Walker, Signal, Signal>;

/** What the executor needs from a template set. */
export interface ExecContext {
  /** Trees by template name. */
  readonly trees: ReadonlyMap<string, Tree>;
  /** User functions, looked up before builtins. */
  readonly funcs: FuncMap;
  /** Builtin functions (and, or, eq, print, ...). */
  readonly builtins: FuncMap;
  readonly missingKey: MissingKey;
  /** Template calls nested deeper than this run on the trampoline; 0 runs everything there. */
  readonly directCallDepth: number;
  /** performance.now() after which the run stops with an ExecLimitError ("time"); Infinity for none. */
  readonly deadline: number;
  /** Output longer than this (UTF-16 code units) stops the run with an ExecLimitError ("output"). */
  readonly maxOutput: number;
}

/** A {{template}} call in progress: the callee's dot and body, and the caller's state to restore. */
interface TemplateCall {
  dot: Value;
  root: ListNode;
  vars: Variable[];
  name: string;
  iface: boolean;
}

/** An exec error already formatted in Go's words; caught at the top of execute(). */
class ExecFailure extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number | undefined,
    readonly limit?: ExecLimit,
  ) {
    super(message);
  }
}

interface Variable {
  name: string;
  value: Value;
  /** The value sits in an interface-typed slot (a range element of []interface {}). */
  iface: boolean;
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack|stack size|too much recursion/i.test(e.message);
}

/** JSC's "Out of memory" and V8's "Invalid string length": a string or array too large to allocate. */
function isOutOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /out of memory|invalid string length|invalid array length/i.test(e.message);
}

/** Per-run state (Go's `state`). */
export class State {
  private out = "";
  private node: Node | undefined;
  private vars: Variable[];
  private depth = 0;
  /** The template calls being executed, outermost first (for the depth-limit report). */
  private readonly calls: TemplateNode[] = [];
  /** Name of the template being executed (Go's s.tmpl.Name()). */
  private tmplName: string;
  /** Dot came out of an interface-typed container (range over []interface {}): errors name it `interface {}`. */
  private dotIface = false;
  /** Side channel from evalField: the value just looked up sits in an interface-typed slot. */
  private fieldIface = false;
  /** Lists left to walk before the next look at the clock (see CHECK_EVERY). */
  private steps = CHECK_EVERY;
  private readonly maxOutput: number;

  constructor(
    private readonly ctx: ExecContext,
    name: string,
    data: Value,
  ) {
    this.tmplName = name;
    this.vars = [{ name: "$", value: data, iface: false }];
    this.maxOutput = ctx.maxOutput;
  }

  /** Runs the template's tree and returns the output. Throws TemplateError. */
  run(tree: Tree, data: Value): string {
    try {
      if (tree.root === undefined) this.errorf(`${quote(this.tmplName)} is an incomplete or empty template`);
      if (this.ctx.directCallDepth === 0) trampoline(this.deepList(data, tree.root));
      else this.walk(data, tree.root);
      return this.out;
    } catch (e) {
      if (e instanceof ExecFailure) throw this.toTemplateError(e);
      if (isOutOfMemory(e)) {
        // Reported where it happened, so the template and the action that grew too large are named.
        try {
          this.errorf(`out of memory (output so far: ${this.out.length} characters)`, "memory");
        } catch (f) {
          if (f instanceof ExecFailure) throw this.toTemplateError(f, e);
          throw e;
        }
      }
      if (isStackOverflow(e)) {
        // Go's own limit is 100000 nested templates; the JS stack ends sooner, so a
        // hostile or runaway recursion is reported with Go's message instead of crashing.
        try {
          this.placeAtGoDepthLimit();
          this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
        } catch (f) {
          if (f instanceof ExecFailure) throw this.toTemplateError(f, e);
          // Even printing the node overflowed: report without context.
          this.node = undefined;
          throw new TemplateError(`template: ${this.tmplName}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`, {
            phase: "exec",
            templateName: this.tmplName,
            line: 0,
            cause: e,
          });
        }
      }
      throw e;
    }
  }

  /**
   * After a JS stack overflow in a recursion of template calls that repeats with some
   * period, points the error where Go's would be: at the call made at depth 100000.
   */
  private placeAtGoDepthLimit(): void {
    const calls = this.calls;
    const n = calls.length;
    for (let p = 1; p <= 1000 && 3 * p <= n; p++) {
      let periodic = true;
      for (let i = n - 1 - p; i >= Math.max(0, n - 1 - 4 * p - 64); i--) {
        if (calls[i] !== calls[i + p]) {
          periodic = false;
          break;
        }
      }
      if (!periodic) continue;
      const j = n - p + ((((MAX_EXEC_DEPTH - (n - p)) % p) + p) % p);
      const node = calls[j] as TemplateNode;
      const caller = calls[j - 1];
      this.tmplName = caller === undefined ? this.tmplName : caller.name;
      this.node = node;
      return;
    }
  }

  private toTemplateError(e: ExecFailure, cause?: unknown): TemplateError {
    const init = {
      phase: "exec" as const,
      templateName: this.node?.tree.parseName ?? this.tmplName,
      line: e.line,
      column: e.column,
      cause,
    };
    return e.limit === undefined ? new TemplateError(e.message, init) : new ExecLimitError(e.message, e.limit, init);
  }

  // --- limits ---

  /** Called every CHECK_EVERY lists: stops the run once its deadline has passed. */
  private checkpoint(): void {
    this.steps = CHECK_EVERY;
    if (performance.now() > this.ctx.deadline) this.errorf("execution stopped: time limit reached", "time");
  }

  /** Appends to the output, within its bound. */
  private emit(s: string): void {
    this.out += s;
    if (this.out.length > this.maxOutput) {
      this.errorf(`output is larger than the limit of ${this.maxOutput} characters`, "output");
    }
  }

  // --- variables ---

  private push(name: string, value: Value): void {
    this.vars.push({ name, value, iface: false });
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: Value): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        v.iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: Value, iface: boolean): void {
    const v = this.vars[this.vars.length - n] as Variable;
    v.value = value;
    v.iface = iface;
  }

  private lookupVar(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- errors ---

  private at(node: Node): void {
    this.node = node;
  }

  /** Go's state.errorf: the message with location and context; `limit` marks a resource limit. */
  errorf(msg: string, limit?: ExecLimit): never {
    const node = this.node;
    if (node === undefined) throw new ExecFailure(`template: ${this.tmplName}: ${msg}`, 0, undefined, limit);
    const text = node.tree.text;
    const nl = text.lastIndexOf("\n", node.pos - 1);
    const col = byteLength(text.slice(nl + 1, node.pos));
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < node.pos; i = text.indexOf("\n", i + 1)) line++;
    const location = `${node.tree.parseName}:${line}:${col}`;
    throw new ExecFailure(
      `template: ${location}: executing ${quote(this.tmplName)} at <${node}>: ${msg}`,
      line,
      col,
      limit,
    );
  }

  // --- walking ---

  private walk(dot: Value, node: Node): Signal {
    this.node = node;
    switch (node.type) {
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NORMAL;
      }
      case "break":
        return BREAK;
      case "comment":
        return NORMAL;
      case "continue":
        return CONTINUE;
      case "if":
      case "with":
        return this.walkIfOrWith(node.type === "with", dot, node.pipe, node.list, node.elseList);
      case "list":
        return this.walkList(dot, node);
      case "range":
        return this.walkRange(dot, node);
      case "template":
        this.walkTemplate(dot, node);
        return NORMAL;
      case "text":
        this.emit(node.text);
        return NORMAL;
    }
    this.errorf(`unknown node: ${node}`);
  }

  /** Walks a list, dispatching the common node types directly (fewer JS frames per nesting level). */
  private walkList(dot: Value, list: ListNode): Signal {
    if (--this.steps === 0) this.checkpoint();
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as Node;
      let sig: Signal;
      switch (n.type) {
        case "text":
          this.emit(n.text);
          continue;
        case "action": {
          this.node = n;
          const val = this.evalPipeline(dot, n.pipe);
          if (n.pipe.decl.length === 0) this.printValue(n, val);
          continue;
        }
        case "if":
        case "with":
          this.node = n;
          sig = this.walkIfOrWith(n.type === "with", dot, n.pipe, n.list, n.elseList);
          break;
        case "range":
          sig = this.walkRange(dot, n);
          break;
        case "template":
          this.walkTemplate(dot, n);
          continue;
        default:
          sig = this.walk(dot, n);
      }
      if (sig !== NORMAL) return sig;
    }
    return NORMAL;
  }

  // walkIfOrWith walks an 'if' or 'with' node. The two control structures
  // are identical in behavior except that 'with' sets dot.
  private walkIfOrWith(
    isWith: boolean,
    dot: Value,
    pipe: PipeNode,
    list: ListNode,
    elseList: ListNode | undefined,
  ): Signal {
    const mark = this.mark();
    const val = this.evalPipeline(dot, pipe);
    let sig: Signal = NORMAL;
    if (isTrue(val)) {
      if (isWith) {
        const saved = this.dotIface;
        this.dotIface = false;
        sig = this.walkList(val, list);
        this.dotIface = saved;
      } else sig = this.walkList(dot, list);
    } else if (elseList !== undefined) {
      sig = this.walkList(dot, elseList);
    }
    this.pop(mark);
    return sig;
  }

  private walkRange(dot: Value, r: RangeNode): Signal {
    this.at(r);
    const outerMark = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    const nDecl = r.pipe.decl.length;
    const savedIface = this.dotIface;
    const oneIteration = (index: Value, elem: Value): Signal => {
      if (nDecl > 0) this.setTopVar(1, elem, this.dotIface);
      if (nDecl > 1) this.setTopVar(2, index, false);
      const sig = this.walkList(elem, r.list);
      this.pop(mark);
      return sig;
    };
    let ran = false;
    if (val instanceof GoSlice) {
      const items = val.items;
      if (items.length > 0) {
        ran = true;
        this.dotIface = val.type.elem?.kind === "interface";
        for (let i = 0; i < items.length; i++) {
          if (oneIteration(nDecl > 1 ? BigInt(i) : undefined, items[i]) === BREAK) break;
        }
      }
    } else if (val instanceof GoMap) {
      if (val.entries.size > 0) {
        ran = true;
        this.dotIface = val.type.elem?.kind === "interface";
        for (const k of sortedKeys(val)) {
          if (oneIteration(k, val.entries.get(k)) === BREAK) break;
        }
      }
    } else if (val !== undefined && val !== null) {
      this.errorf(`range can't iterate over ${sprint([val])}`);
    }
    this.dotIface = savedIface;
    let sig: Signal = NORMAL;
    // Go recovers break for the whole walkRange, else clause included, but a continue
    // in the else clause (legal only inside an enclosing range) continues that range.
    if (!ran && r.elseList !== undefined && this.walkList(dot, r.elseList) === CONTINUE) sig = CONTINUE;
    this.pop(outerMark);
    return sig;
  }

  private walkTemplate(dot: Value, t: TemplateNode): void {
    const call = this.enterTemplate(dot, t);
    if (this.depth <= this.ctx.directCallDepth) this.walkList(call.dot, call.root);
    else trampoline(this.deepList(call.dot, call.root));
    this.leaveTemplate(call);
  }

  /**
   * The start of a {{template}} call, shared by both walkers: Go's checks, the argument
   * (whose declared variables persist in the caller, as Go evaluates it there), a fresh
   * variable scope with `$` set to it.
   */
  private enterTemplate(dot: Value, t: TemplateNode): TemplateCall {
    this.at(t);
    const tree = this.ctx.trees.get(t.name);
    if (tree === undefined || tree.root === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const call = { dot: newDot, root: tree.root, vars: this.vars, name: this.tmplName, iface: this.dotIface };
    this.depth++;
    this.tmplName = tree.name;
    this.vars = [{ name: "$", value: newDot, iface: false }];
    this.dotIface = false;
    this.calls.push(t);
    return call;
  }

  private leaveTemplate(call: TemplateCall): void {
    this.calls.pop();
    this.depth--;
    this.vars = call.vars;
    this.tmplName = call.name;
    this.dotIface = call.iface;
  }

  // --- the trampolined walkers ---
  // The same walks as walkList, walkIfOrWith, walkRange and walkTemplate, for template
  // calls nested beyond DIRECT_CALL_DEPTH: each nested list is yielded to trampoline()
  // instead of called. Keep the two sets in step.

  private *deepList(dot: Value, list: ListNode): Walker {
    if (--this.steps === 0) this.checkpoint();
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as Node;
      if (n.type === "text") {
        this.emit(n.text);
        continue;
      }
      this.node = n;
      let sig: Signal;
      switch (n.type) {
        case "action": {
          const val = this.evalPipeline(dot, n.pipe);
          if (n.pipe.decl.length === 0) this.printValue(n, val);
          continue;
        }
        case "comment":
          continue;
        case "break":
          return BREAK;
        case "continue":
          return CONTINUE;
        case "if":
        case "with":
          sig = yield this.deepIfOrWith(n.type === "with", dot, n.pipe, n.list, n.elseList);
          break;
        case "list":
          sig = yield this.deepList(dot, n);
          break;
        case "range":
          sig = yield this.deepRange(dot, n);
          break;
        case "template":
          yield this.deepTemplate(dot, n);
          continue;
        default:
          this.errorf(`unknown node: ${n}`);
      }
      if (sig !== NORMAL) return sig;
    }
    return NORMAL;
  }

  private *deepIfOrWith(
    isWith: boolean,
    dot: Value,
    pipe: PipeNode,
    list: ListNode,
    elseList: ListNode | undefined,
  ): Walker {
    const mark = this.mark();
    const val = this.evalPipeline(dot, pipe);
    let sig: Signal = NORMAL;
    if (isTrue(val)) {
      if (isWith) {
        const saved = this.dotIface;
        this.dotIface = false;
        sig = yield this.deepList(val, list);
        this.dotIface = saved;
      } else sig = yield this.deepList(dot, list);
    } else if (elseList !== undefined) {
      sig = yield this.deepList(dot, elseList);
    }
    this.pop(mark);
    return sig;
  }

  private *deepRange(dot: Value, r: RangeNode): Walker {
    this.at(r);
    const outerMark = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    const nDecl = r.pipe.decl.length;
    const savedIface = this.dotIface;
    let ran = false;
    if (val instanceof GoSlice || val instanceof GoMap) {
      const keys = val instanceof GoMap ? sortedKeys(val) : undefined;
      const n = keys === undefined ? (val as GoSlice).items.length : keys.length;
      if (n > 0) {
        ran = true;
        this.dotIface = val.type.elem?.kind === "interface";
        for (let i = 0; i < n; i++) {
          const key = keys?.[i];
          const elem = key === undefined ? (val as GoSlice).items[i] : (val as GoMap).entries.get(key);
          if (nDecl > 0) this.setTopVar(1, elem, this.dotIface);
          if (nDecl > 1) this.setTopVar(2, key ?? BigInt(i), false);
          const sig = yield this.deepList(elem, r.list);
          this.pop(mark);
          if (sig === BREAK) break;
        }
      }
    } else if (val !== undefined && val !== null) {
      this.errorf(`range can't iterate over ${sprint([val])}`);
    }
    this.dotIface = savedIface;
    let sig: Signal = NORMAL;
    if (!ran && r.elseList !== undefined && (yield this.deepList(dot, r.elseList)) === CONTINUE) sig = CONTINUE;
    this.pop(outerMark);
    return sig;
  }

  private *deepTemplate(dot: Value, t: TemplateNode): Walker {
    const call = this.enterTemplate(dot, t);
    yield this.deepList(call.dot, call.root);
    this.leaveTemplate(call);
    return NORMAL;
  }

  // --- evaluation ---

  // Eval functions evaluate pipelines, commands, and their elements and extract
  // values from the data structure by examining fields, calling methods, and so on.
  evalPipeline(dot: Value, pipe: PipeNode | undefined): Value {
    if (pipe === undefined) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i] as CommandNode, value);
      // A nil interface result is unwrapped to "no value", as reflect.ValueOf(v.Interface()).
      if (value === null) value = undefined;
    }
    const result = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0] as string, result);
      else this.push(variable.ident[0] as string, result);
    }
    return result;
  }

  private notAFunction(args: readonly Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${args[0]}`);
  }

  private evalCommand(dot: Value, cmd: CommandNode, final: Final): Value {
    const firstWord = cmd.args[0] as Node;
    switch (firstWord.type) {
      case "field":
        return this.evalFieldNode(dot, firstWord, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, firstWord, cmd.args, final);
      case "identifier":
        // Must be a function.
        return this.evalFunction(dot, firstWord, cmd, cmd.args, final);
      case "pipe":
        // Parenthesized pipeline. The arguments are all inside the pipeline; final must be absent.
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, firstWord);
      case "variable":
        return this.evalVariableNode(dot, firstWord, cmd.args, final);
    }
    this.at(firstWord);
    this.notAFunction(cmd.args, final);
    switch (firstWord.type) {
      case "bool":
        return firstWord.value;
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
        break;
      case "number":
        return this.idealConstant(firstWord);
      case "string":
        return firstWord.text;
    }
    this.errorf(`can't evaluate command ${quote(firstWord.toString())}`);
  }

  // idealConstant is called to return the value of a number in a context where
  // we don't know the type. In that case, the syntax of the number tells us
  // its type, and we use Go rules to resolve. Note there is no such thing as
  // a uint ideal constant in this situation - the value must be of int type.
  idealConstant(constant: NumberNode): Value {
    this.at(constant);
    if (constant.isComplex) return new GoComplex(constant.complex128.re, constant.complex128.im);
    if (constant.ideal === "float") return constant.float64;
    if (constant.isInt) return constant.int64;
    if (constant.isUint) this.errorf(`${constant.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Value, field: FieldNode, args: readonly Node[] | undefined, final: Final): Value {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, args, final);
  }

  private evalChainNode(dot: Value, chain: ChainNode, args: readonly Node[] | undefined, final: Final): Value {
    this.at(chain);
    if (chain.field.length === 0) this.errorf("internal error: no fields in evalChainNode");
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${chain}`);
    // (pipe).Field1.Field2 has pipe as .Node, fields as .Field. Eval the pipeline, then the fields.
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, args, final);
  }

  private evalVariableNode(
    dot: Value,
    variable: VariableNode,
    args: readonly Node[] | undefined,
    final: Final,
  ): Value {
    // $x.Field has $x as the first ident, Field as the second. Eval the var, then the fields.
    this.at(variable);
    const v = this.lookupVar(variable.ident[0] as string);
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [], final);
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.iface, variable, variable.fields, args, final);
  }

  // evalFieldChain evaluates .X.Y.Z possibly followed by arguments.
  // dot is the environment in which to evaluate arguments, while
  // receiver is the value being walked along the chain.
  private evalFieldChain(
    dot: Value,
    receiver: Value,
    receiverIface: boolean,
    node: Node,
    ident: readonly string[],
    args: readonly Node[] | undefined,
    final: Final,
  ): Value {
    const n = ident.length;
    let iface = receiverIface;
    for (let i = 0; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i] as string, node, undefined, MISSING, receiver, iface);
      iface = this.fieldIface;
    }
    // Now if it's a method, it gets the arguments.
    return this.evalField(dot, ident[n - 1] as string, node, args, final, receiver, iface);
  }

  private evalFunction(
    dot: Value,
    node: IdentifierNode,
    cmd: Node,
    args: readonly Node[] | undefined,
    final: Final,
  ): Value {
    this.at(node);
    const name = node.ident;
    const user = this.ctx.funcs.get(name);
    const fn = user ?? this.ctx.builtins.get(name);
    if (fn === undefined) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, fn, user === undefined, cmd, name, args, final);
  }

  // evalField evaluates an expression like (.Field) or (.Field arg1 arg2).
  // The 'final' argument represents the return value from the preceding
  // value of the pipeline, if any.
  private evalField(
    dot: Value,
    fieldName: string,
    node: Node,
    args: readonly Node[] | undefined,
    final: Final,
    receiver: Value,
    receiverIface: boolean,
  ): Value {
    this.fieldIface = false;
    if (receiver === undefined) {
      if (this.ctx.missingKey === "error") this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      // Methods first, as Go looks them up before fields.
      if (receiver.methods.size > 0) {
        const method = receiver.methods.get(fieldName);
        if (method !== undefined) return this.evalCall(dot, method, false, node, fieldName, args, final);
      }
      const typeMethod = receiver.type.methods?.get(fieldName);
      if (typeMethod !== undefined) {
        return this.evalCall(dot, typeMethod(receiver), false, node, fieldName, args, final);
      }
      const fields = receiver.fields;
      const field = fields.get(fieldName);
      if (field !== undefined || fields.has(fieldName)) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return field;
      }
    }
    // It's not a method; must be a field of a struct or an element of a map.
    if (receiver instanceof GoMap) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const entries = receiver.entries;
      let result = entries.get(fieldName);
      if (result === undefined && !entries.has(fieldName)) {
        switch (this.ctx.missingKey) {
          case "zero":
            result = zeroOf(receiver.type.elem);
            break;
          case "error":
            this.errorf(`map has no entry for key ${quote(fieldName)}`);
        }
      }
      this.fieldIface = receiver.type.elem?.kind === "interface";
      return result;
    }
    if (receiver instanceof GoInt) {
      // A named integer type's methods (time.Month's String).
      const typeMethod = receiver.type.methods?.get(fieldName);
      if (typeMethod !== undefined) {
        return this.evalCall(dot, typeMethod(receiver), false, node, fieldName, args, final);
      }
    }
    const typ = receiverIface ? "interface {}" : typeName(receiver);
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  /**
   * evalCall executes a function or method call. If it's a method, fun already has the receiver bound, so
   * it looks just like a function call. The arg list, if non-nil, includes (in the manner of the shell), arg[0]
   * as the function itself.
   */
  evalCall(
    dot: Value,
    fun: GoFuncValue,
    isBuiltin: boolean,
    node: Node,
    name: string,
    argNodes: readonly Node[] | undefined,
    final: Final,
  ): Value {
    // The zeroth arg node is the function name/node; it is not passed to the function.
    const args = argNodes === undefined || argNodes.length <= 1 ? NO_NODES : argNodes;
    const nArgs = args.length === 0 ? 0 : args.length - 1;
    const sig = fun.sig;
    const numParams = sig.params.length + (sig.variadic !== undefined ? 1 : 0);
    let numIn = nArgs;
    if (final !== MISSING) numIn++;
    let numFixed = nArgs;
    if (sig.variadic !== undefined) {
      numFixed = sig.params.length; // last arg is the variadic one.
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${nArgs}`);
      }
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }

    // Special case for builtin and/or, which short-circuit.
    if (isBuiltin && (name === "and" || name === "or")) {
      let v: Value = undefined;
      for (let i = 1; i < args.length; i++) {
        v = this.evalArg(dot, REFLECT_VALUE, args[i] as Node);
        if (isTrue(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    if (isBuiltin && name === "slice" && final === MISSING) return this.evalSlice(dot, fun, node, args);

    // Build the arg list.
    const argv: Value[] = new Array(numIn);
    // Args must be evaluated. Fixed args first.
    let i = 0;
    for (; i < numFixed && i < nArgs; i++) argv[i] = this.evalArg(dot, sig.params[i], args[i + 1] as Node);
    // Now the ... args.
    if (sig.variadic !== undefined) {
      for (; i < nArgs; i++) argv[i] = this.evalArg(dot, sig.variadic, args[i + 1] as Node);
    }
    // Add final value if necessary.
    if (final !== MISSING) {
      let t: GoType;
      if (sig.variadic === undefined) t = sig.params[numParams - 1] as GoType;
      else t = numIn - 1 < numFixed ? (sig.params[numIn - 1] as GoType) : sig.variadic;
      argv[i] = this.validateType(final, t);
    }
    return this.safeCall(fun, argv, node, name);
  }

  /**
   * The builtin slice, whose Go version sees each index's static type: an index read out of an
   * interface slot (a field of a JSON map, dot in a range over a JSON array) is `interface {}`.
   */
  private evalSlice(dot: Value, fun: GoFuncValue, node: Node, args: readonly Node[]): Value {
    const item = this.evalArg(dot, REFLECT_VALUE, args[1] as Node);
    const indexes: Value[] = [];
    const iface: boolean[] = [];
    for (let i = 2; i < args.length; i++) {
      const n = args[i] as Node;
      indexes.push(this.evalArg(dot, REFLECT_VALUE, n));
      iface.push(
        n.type === "dot"
          ? this.dotIface
          : n.type === "variable" && n.fields.length === 0
          ? this.lookupVar(n.ident[0] as string).iface
          : n.type === "field" || n.type === "chain" || n.type === "variable"
          ? this.fieldIface
          : false,
      );
    }
    return this.safeCall(fun, [], node, "slice", () => sliceWithTypes(item, indexes, iface));
  }

  /** Calls fun, turning a returned error or a panic into `error calling NAME: MSG`. */
  private safeCall(fun: GoFuncValue, argv: Value[], node: Node, name: string, call?: () => Value): Value {
    try {
      const result = call !== undefined ? call() : invoke(fun.impl, argv);
      // A Go int wraps around; keep the value model's promise that ints fit in int64.
      if (typeof result === "bigint" && (result > INT64_MAX || result < INT64_MIN)) return BigInt.asIntN(64, result);
      return result;
    } catch (e) {
      if (e instanceof ExecFailure || isStackOverflow(e)) throw e;
      this.at(node);
      if (isOutOfMemory(e)) this.errorf(`error calling ${name}: out of memory`, "memory");
      const msg = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${msg}`);
    }
  }

  // validateType guarantees that the value is valid and assignable to the type.
  validateType(value: Value, typ: GoType | undefined): Value {
    if (value === undefined) {
      if (typ === undefined) return undefined; // An untyped nil interface{}. Accept as a proper nil value.
      if (canBeNil(typ)) return zeroOf(typ); // Like above, but use the zero value of the non-nil type.
      this.errorf(`invalid value; expected ${typ.name}`);
    }
    if (typ === undefined || typ === REFLECT_VALUE) return value;
    if (value === null) {
      if (typ.kind === "interface") return null;
      this.errorf(`wrong type for value; expected ${typ.name}; got interface {}`);
    }
    const vt = typeOf(value) as GoType;
    if (vt === typ || assignable(vt, typ)) return value;
    this.errorf(`wrong type for value; expected ${typ.name}; got ${vt.name}`);
  }

  evalArg(dot: Value, typ: GoType | undefined, n: Node): Value {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ !== undefined && canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ?.name ?? "<nil>"}`);
        break;
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, undefined, MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
    }
    if (typ === undefined) this.errorf(`can't handle ${n} for arg of type <nil>`);
    switch (typ.kind) {
      case "bool":
        if (n.type === "bool") return n.value;
        this.errorf(`expected bool; found ${n}`);
        break;
      case "complex64":
      case "complex128":
        if (n.type === "number" && n.isComplex) return new GoComplex(n.complex128.re, n.complex128.im, typ);
        this.errorf(`expected complex; found ${n}`);
        break;
      case "float32":
      case "float64":
        if (n.type === "number" && n.isFloat) return typ.kind === "float32" ? Math.fround(n.float64) : n.float64;
        this.errorf(`expected float; found ${n}`);
        break;
      case "int":
      case "int8":
      case "int16":
      case "int32":
      case "int64":
        if (n.type === "number" && n.isInt) return makeInt(typ, n.int64, false);
        this.errorf(`expected integer; found ${n}`);
        break;
      case "interface":
        return this.evalEmptyInterface(dot, n);
      case "struct":
        if (typ === REFLECT_VALUE) return this.evalEmptyInterface(dot, n);
        break;
      case "string":
        if (n.type === "string") return n.text;
        this.errorf(`expected string; found ${n}`);
        break;
      case "uint":
      case "uint8":
      case "uint16":
      case "uint32":
      case "uint64":
      case "uintptr":
        if (n.type === "number" && n.isUint) return makeInt(typ, n.uint64, true);
        this.errorf(`expected unsigned integer; found ${n}`);
    }
    this.errorf(`can't handle ${n} for arg of type ${typ.name}`);
  }

  private evalEmptyInterface(dot: Value, n: Node): Value {
    this.at(n);
    switch (n.type) {
      case "bool":
        return n.value;
      case "dot":
        return dot;
      case "field":
        return this.evalFieldNode(dot, n, undefined, MISSING);
      case "identifier":
        return this.evalFunction(dot, n, n, undefined, MISSING);
      case "nil":
        // NilNode is handled in evalArg, the only place that calls here.
        this.errorf("evalEmptyInterface: nil (can't happen)");
        break;
      case "number":
        return this.idealConstant(n);
      case "string":
        return n.text;
      case "variable":
        return this.evalVariableNode(dot, n, undefined, MISSING);
      case "pipe":
        return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${n} to empty interface argument`);
  }

  // printValue writes the textual representation of the value to the output.
  private printValue(n: Node, v: Value): void {
    this.at(n);
    switch (typeof v) {
      case "string":
        this.emit(v);
        return;
      case "bigint":
        this.emit(v.toString());
        return;
      case "boolean":
        this.emit(v ? "true" : "false");
        return;
      case "undefined":
        this.emit("<no value>");
        return;
    }
    if (v instanceof GoFuncValue) this.errorf(`can't print ${n} of type ${typeName(v)}`);
    this.emit(sprint([v]));
  }
}

/** Runs a walk and every walk it yields, depth first, on an explicit stack; returns the root's signal. */
function trampoline(root: Walker): Signal {
  const stack: Walker[] = [root];
  let signal: Signal = NORMAL;
  for (;;) {
    const step = (stack[stack.length - 1] as Walker).next(signal);
    if (step.done) {
      stack.pop();
      signal = step.value;
      if (stack.length === 0) return signal;
    } else {
      stack.push(step.value);
      signal = NORMAL;
    }
  }
}

/** fun(...argv) without the spread for the usual arities (spreading costs more than the call). */
function invoke(fun: (...args: Value[]) => Value, argv: Value[]): Value {
  switch (argv.length) {
    case 0:
      return fun();
    case 1:
      return fun(argv[0]);
    case 2:
      return fun(argv[0], argv[1]);
    case 3:
      return fun(argv[0], argv[1], argv[2]);
    default:
      return fun(...argv);
  }
}
