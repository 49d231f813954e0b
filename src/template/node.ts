// The parse tree: a port of Go 1.19 text/template/parse/node.go. Every node knows its
// position and tree (for error locations) and prints itself in Go's canonical form,
// which exec errors quote as `at <NODE>`.

import { quote } from "./fmt/quote.ts";

/** What a node needs of its tree to report `NAME:LINE:COL`. */
export interface TreeRef {
  /** Name of the top-level template during parsing (errors show it even inside defines). */
  readonly parseName: string;
  /** The full text that was parsed. */
  readonly text: string;
}

export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | PipeNode
  | ActionNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | IfNode
  | RangeNode
  | WithNode
  | BreakNode
  | ContinueNode
  | TemplateNode;

abstract class BaseNode {
  constructor(
    readonly tree: TreeRef,
    /** Start of the node in tree.text (UTF-16 offset). */
    readonly pos: number,
  ) {}
}

/** A sequence of nodes. */
export class ListNode extends BaseNode {
  readonly type = "list";
  readonly nodes: Node[] = [];
  append(n: Node): void {
    this.nodes.push(n);
  }
  override toString(): string {
    let s = "";
    for (const n of this.nodes) s += n.toString();
    return s;
  }
}

/** Plain text. */
export class TextNode extends BaseNode {
  readonly type = "text";
  constructor(tree: TreeRef, pos: number, readonly text: string) {
    super(tree, pos);
  }
  override toString(): string {
    return this.text;
  }
}

/** A comment, kept only when comments are parsed. */
export class CommentNode extends BaseNode {
  readonly type = "comment";
  constructor(tree: TreeRef, pos: number, readonly text: string) {
    super(tree, pos);
  }
  override toString(): string {
    return `{{${this.text}}}`;
  }
}

/** A pipeline with optional declarations: `$x := a | b`. */
export class PipeNode extends BaseNode {
  readonly type = "pipe";
  /** The variables are being assigned, not declared. */
  isAssign = false;
  readonly decl: VariableNode[] = [];
  readonly cmds: CommandNode[] = [];
  constructor(tree: TreeRef, pos: number, readonly line: number) {
    super(tree, pos);
  }
  append(c: CommandNode): void {
    this.cmds.push(c);
  }
  override toString(): string {
    let s = "";
    if (this.decl.length > 0) s = this.decl.map(String).join(", ") + " := ";
    return s + this.cmds.map(String).join(" | ");
  }
}

/** An action: a pipeline whose value is printed unless it declares variables. */
export class ActionNode extends BaseNode {
  readonly type = "action";
  constructor(tree: TreeRef, pos: number, readonly line: number, readonly pipe: PipeNode) {
    super(tree, pos);
  }
  override toString(): string {
    return `{{${this.pipe}}}`;
  }
}

/** A command: a function, field, or value followed by arguments. */
export class CommandNode extends BaseNode {
  readonly type = "command";
  readonly args: Node[] = [];
  append(arg: Node): void {
    this.args.push(arg);
  }
  override toString(): string {
    let s = "";
    for (let i = 0; i < this.args.length; i++) {
      if (i > 0) s += " ";
      const arg = this.args[i] as Node;
      s += arg.type === "pipe" ? `(${arg})` : arg.toString();
    }
    return s;
  }
}

/** A function name. */
export class IdentifierNode extends BaseNode {
  readonly type = "identifier";
  constructor(tree: TreeRef, pos: number, readonly ident: string) {
    super(tree, pos);
  }
  override toString(): string {
    return this.ident;
  }
}

/** A variable with optional fields: `$x.a.b` has ident ["$x", "a", "b"]. */
export class VariableNode extends BaseNode {
  readonly type = "variable";
  readonly ident: string[];
  /** ident without the variable name: the fields to walk (precomputed for the executor). */
  readonly fields: string[];
  constructor(tree: TreeRef, pos: number, ident: string) {
    super(tree, pos);
    this.ident = ident.split(".");
    this.fields = this.ident.slice(1);
  }
  override toString(): string {
    return this.ident.join(".");
  }
}

/** The cursor, `.`. */
export class DotNode extends BaseNode {
  readonly type = "dot";
  override toString(): string {
    return ".";
  }
}

/** The untyped nil constant. */
export class NilNode extends BaseNode {
  readonly type = "nil";
  override toString(): string {
    return "nil";
  }
}

/** A field chain on dot: `.a.b` has ident ["a", "b"]. */
export class FieldNode extends BaseNode {
  readonly type = "field";
  readonly ident: string[];
  constructor(tree: TreeRef, pos: number, ident: string) {
    super(tree, pos);
    this.ident = ident.slice(1).split("."); // ident starts with '.'
  }
  override toString(): string {
    let s = "";
    for (const id of this.ident) s += "." + id;
    return s;
  }
}

/** Fields applied to a term that is not a field or variable: `(pipe).a.b`. */
export class ChainNode extends BaseNode {
  readonly type = "chain";
  readonly field: string[] = [];
  constructor(tree: TreeRef, pos: number, readonly node: Node) {
    super(tree, pos);
  }
  /** Adds a field, given with its leading dot. */
  add(field: string): void {
    this.field.push(field.slice(1));
  }
  override toString(): string {
    let s = this.node.type === "pipe" ? `(${this.node})` : this.node.toString();
    for (const f of this.field) s += "." + f;
    return s;
  }
}

export class BoolNode extends BaseNode {
  readonly type = "bool";
  constructor(tree: TreeRef, pos: number, readonly value: boolean) {
    super(tree, pos);
  }
  override toString(): string {
    return this.value ? "true" : "false";
  }
}

/**
 * A number, stored under every type that can represent it, which is how Go
 * simulates ideal constants.
 */
export class NumberNode extends BaseNode {
  readonly type = "number";
  isInt = false;
  isUint = false;
  isFloat = false;
  isComplex = false;
  int64 = 0n;
  uint64 = 0n;
  float64 = 0;
  complex128: { re: number; im: number } = { re: 0, im: 0 };
  #ideal: "float" | "int" | undefined;
  constructor(tree: TreeRef, pos: number, readonly text: string) {
    super(tree, pos);
  }
  /**
   * The type the constant takes where no type is expected (Go's idealConstant): a float
   * when its syntax says so (`.`, `e`, `p`, not a hex int, not a char), else an int.
   * Derived from the text once; actions inside a range ask for it on every iteration.
   */
  get ideal(): "float" | "int" {
    if (this.#ideal === undefined) {
      const t = this.text;
      const hexInt = t.length > 2 && t[0] === "0" && (t[1] === "x" || t[1] === "X") && !/[pP]/.test(t);
      this.#ideal = this.isFloat && !hexInt && t[0] !== "'" && /[.eEpP]/.test(t) ? "float" : "int";
    }
    return this.#ideal;
  }
  override toString(): string {
    return this.text;
  }
}

/** A string constant; `quoted` is the original text with quotes. */
export class StringNode extends BaseNode {
  readonly type = "string";
  constructor(tree: TreeRef, pos: number, readonly quoted: string, readonly text: string) {
    super(tree, pos);
  }
  override toString(): string {
    return this.quoted;
  }
}

/** `{{end}}`, internal to the parser. */
export class EndNode extends BaseNode {
  readonly type = "end";
  override toString(): string {
    return "{{end}}";
  }
}

/** `{{else}}`, internal to the parser. */
export class ElseNode extends BaseNode {
  readonly type = "else";
  constructor(tree: TreeRef, pos: number, readonly line: number) {
    super(tree, pos);
  }
  override toString(): string {
    return "{{else}}";
  }
}

/** The common shape of if, range and with. */
abstract class BranchNode extends BaseNode {
  abstract readonly keyword: string;
  constructor(
    tree: TreeRef,
    pos: number,
    readonly line: number,
    readonly pipe: PipeNode,
    readonly list: ListNode,
    readonly elseList: ListNode | undefined,
  ) {
    super(tree, pos);
  }
  override toString(): string {
    let s = `{{${this.keyword} ${this.pipe}}}${this.list}`;
    if (this.elseList !== undefined) s += `{{else}}${this.elseList}`;
    return s + "{{end}}";
  }
}

export class IfNode extends BranchNode {
  readonly type = "if";
  readonly keyword = "if";
}

export class RangeNode extends BranchNode {
  readonly type = "range";
  readonly keyword = "range";
}

export class WithNode extends BranchNode {
  readonly type = "with";
  readonly keyword = "with";
}

export class BreakNode extends BaseNode {
  readonly type = "break";
  constructor(tree: TreeRef, pos: number, readonly line: number) {
    super(tree, pos);
  }
  override toString(): string {
    return "{{break}}";
  }
}

export class ContinueNode extends BaseNode {
  readonly type = "continue";
  constructor(tree: TreeRef, pos: number, readonly line: number) {
    super(tree, pos);
  }
  override toString(): string {
    return "{{continue}}";
  }
}

/** `{{template "name" pipe}}`. */
export class TemplateNode extends BaseNode {
  readonly type = "template";
  constructor(
    tree: TreeRef,
    pos: number,
    readonly line: number,
    readonly name: string,
    readonly pipe: PipeNode | undefined,
  ) {
    super(tree, pos);
  }
  override toString(): string {
    return this.pipe === undefined
      ? `{{template ${quote(this.name)}}}`
      : `{{template ${quote(this.name)} ${this.pipe}}}`;
  }
}

/** Go's IsEmptyTree: only whitespace text and comments. */
export function isEmptyTree(n: Node | undefined): boolean {
  if (n === undefined) return true;
  switch (n.type) {
    case "comment":
      return true;
    case "list":
      return n.nodes.every(isEmptyTree);
    case "text":
      return goSpaceOnly.test(n.text);
  }
  return false;
}

/** bytes.TrimSpace's notion of space (unicode.IsSpace); JS trim() differs on U+0085 and U+FEFF. */
const goSpaceOnly = /^[\t\n\v\f\r \u0085\u00A0\p{Z}]*$/u;
