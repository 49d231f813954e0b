// The template parser: a port of Go 1.19 text/template/parse/parse.go. A recursive-descent
// parser with three tokens of lookahead builds one Tree per template (the main text and
// each define/block) into a shared tree set, applying Go's redefinition rules.

import { TemplateError } from "./errors.ts";
import { type Item, itemString, ItemType, Lexer } from "./lex.ts";
import {
  LiteralError,
  parseComplex,
  parseFloat64,
  parseInt64,
  parseUint,
  unquote,
  unquoteCharConstant,
} from "./literals.ts";
import { quote as goQuote } from "./fmt/quote.ts";
import {
  ActionNode,
  BoolNode,
  BreakNode,
  ChainNode,
  CommandNode,
  CommentNode,
  ContinueNode,
  DotNode,
  ElseNode,
  EndNode,
  FieldNode,
  IdentifierNode,
  IfNode,
  isEmptyTree,
  ListNode,
  NilNode,
  type Node,
  NumberNode,
  PipeNode,
  RangeNode,
  StringNode,
  TemplateNode,
  TextNode,
  VariableNode,
  WithNode,
} from "./node.ts";

/** Names the parser accepts as functions (user funcs plus builtins). */
export type FuncNames = { has(name: string): boolean };

export interface ParseTreeOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Keep comments as CommentNodes (Go's ParseComments mode). */
  parseComments?: boolean;
  /** Skip the "function not defined" check (Go's SkipFuncCheck mode). */
  skipFuncCheck?: boolean;
}

/** Thrown inside the parser; carries the token line for TemplateError. */
class ParseFailure extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** A parsed template. */
export class Tree {
  name: string;
  parseName: string;
  root: ListNode | undefined;
  text = "";
  private funcs: FuncNames[] = [];
  private lex: Lexer | undefined;
  private readonly token: Item[] = [emptyItem(), emptyItem(), emptyItem()];
  private peekCount = 0;
  private vars: string[] = [];
  private treeSet: Map<string, Tree> = new Map();
  private actionLine = 0;
  private rangeDepth = 0;
  private opts: ParseTreeOptions = {};

  constructor(name: string) {
    this.name = name;
    this.parseName = name;
  }

  // --- token stream with lookahead ---

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = (this.lex as Lexer).nextItem();
    return this.token[this.peekCount] as Item;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = (this.lex as Lexer).nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next(); while (token.typ === ItemType.Space);
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors ---

  private errorf(msg: string): never {
    this.root = undefined;
    const line = (this.token[0] as Item).line;
    throw new ParseFailure(`template: ${this.parseName}:${line}: ${msg}`, line);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(expected1: ItemType, expected2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected1 && token.typ !== expected2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length); // avoid "action in action"
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  /** Runs fn, turning strconv's LiteralError into a parse error at the current token. */
  private literal<R>(fn: () => R): R {
    try {
      return fn();
    } catch (e) {
      if (e instanceof LiteralError) this.errorf(e.message);
      throw e;
    }
  }

  // --- parsing ---

  private startParse(funcs: FuncNames[], lex: Lexer, treeSet: Map<string, Tree>, opts: ParseTreeOptions): void {
    this.root = undefined;
    this.lex = lex;
    this.vars = ["$"];
    this.funcs = funcs;
    this.treeSet = treeSet;
    this.opts = opts;
  }

  private stopParse(): void {
    this.lex = undefined;
    this.vars = [];
    this.funcs = [];
  }

  /** Parses text into this tree and adds it (and any defines) to treeSet. */
  parse(text: string, treeSet: Map<string, Tree>, funcs: FuncNames[], opts: ParseTreeOptions): void {
    this.parseName = this.name;
    this.funcs = funcs;
    const lexer = new Lexer(this.name, text, {
      leftDelim: opts.leftDelim,
      rightDelim: opts.rightDelim,
      emitComment: opts.parseComments ?? false,
      breakOK: !this.hasFunction("break"),
      continueOK: !this.hasFunction("continue"),
    });
    this.startParse(funcs, lexer, treeSet, opts);
    this.text = text;
    this.parseRoot();
    this.add();
    this.stopParse();
  }

  /** Adds the tree to the set, following Go's rules for empty and repeated definitions. */
  private add(): void {
    const tree = this.treeSet.get(this.name);
    if (tree === undefined || isEmptyTree(tree.root)) {
      this.treeSet.set(this.name, this);
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  // parse is the top-level parser for a template: text and actions, with defines split off.
  private parseRoot(): void {
    this.root = new ListNode(this, this.peek().pos);
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          const newT = new Tree("definition"); // name will be updated once we know it.
          newT.text = this.text;
          newT.parseName = this.parseName;
          newT.startParse(this.funcs, this.lex as Lexer, this.treeSet, this.opts);
          newT.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${n}`);
      this.root.append(n);
    }
  }

  // parseDefinition parses a {{define}} ... {{end}} template definition and installs it.
  // The "define" keyword has already been scanned.
  private parseDefinition(): void {
    const context = "define clause";
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    this.name = this.literal(() => unquote(name.val));
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== "end") this.errorf(`unexpected ${end} in ${context}`);
    this.add();
    this.stopParse();
  }

  // itemList:
  //	textOrAction*
  // Terminates at {{end}} or {{else}}, returned separately.
  private itemList(): [ListNode, Node] {
    const list = new ListNode(this, this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.append(n);
    }
    this.errorf("unexpected EOF");
  }

  // textOrAction:
  //	text | comment | action
  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text:
        return new TextNode(this, token.pos, token.val);
      case ItemType.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case ItemType.Comment:
        return new CommentNode(this, token.pos, token.val);
    }
    this.unexpected(token, "input");
  }

  // Action:
  //	control
  //	command ("|" command)*
  // Left delim is past. Now get actions.
  // First word could be a keyword such as range.
  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block:
        return this.blockControl();
      case ItemType.Break:
        return this.breakControl(token.pos, token.line);
      case ItemType.Continue:
        return this.continueControl(token.pos, token.line);
      case ItemType.Else:
        return this.elseControl();
      case ItemType.End:
        return this.endControl();
      case ItemType.If:
        return this.ifControl();
      case ItemType.Range:
        return this.rangeControl();
      case ItemType.Template:
        return this.templateControl();
      case ItemType.With:
        return this.withControl();
    }
    this.backup();
    const first = this.peek();
    // Do not pop variables; they persist until "end".
    return new ActionNode(this, first.pos, first.line, this.pipeline("command", ItemType.RightDelim));
  }

  // Break:
  //	{{break}}
  // Break keyword is past.
  private breakControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, "{{break}}");
    if (this.rangeDepth === 0) this.errorf("{{break}} outside {{range}}");
    return new BreakNode(this, pos, line);
  }

  // Continue:
  //	{{continue}}
  // Continue keyword is past.
  private continueControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, "{{continue}}");
    if (this.rangeDepth === 0) this.errorf("{{continue}} outside {{range}}");
    return new ContinueNode(this, pos, line);
  }

  // Pipeline:
  //	declarations? command ('|' command)*
  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe = new PipeNode(this, token.pos, token.line);
    // Are there declarations or assignments?
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== ItemType.Variable) break;
      this.next();
      // Since space is a token, we need 3-token look-ahead here in the worst case:
      // in "$x foo" we need to read "foo" (as opposed to ":=") to know that $x is an
      // argument variable rather than a declaration. So remember the token
      // adjacent to the variable so we can push it back if necessary.
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
        pipe.isAssign = next.typ === ItemType.Assign;
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(this, v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === ItemType.Char && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(this, v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === ItemType.Variable || p === ItemType.RightDelim || p === ItemType.RightParen) {
            continue decls; // second initialized variable in a range pipeline
          }
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === ItemType.Space) {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          // At this point, the pipeline is complete
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool:
        case ItemType.CharConstant:
        case ItemType.Complex:
        case ItemType.Dot:
        case ItemType.Field:
        case ItemType.Identifier:
        case ItemType.Number:
        case ItemType.Nil:
        case ItemType.RawString:
        case ItemType.String:
        case ItemType.Variable:
        case ItemType.LeftParen:
          this.backup();
          pipe.append(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    // Reject empty pipelines
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    // Only the first command of a pipeline can start with a non executable operand
    for (let i = 1; i < pipe.cmds.length; i++) {
      switch ((pipe.cmds[i] as CommandNode).args[0]?.type) {
        case "bool":
        case "dot":
        case "nil":
        case "number":
        case "string":
          // With A|B|C, pipeline stage 2 is B
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private parseControl(
    allowElseIf: boolean,
    context: string,
  ): [number, number, PipeNode, ListNode, ListNode | undefined] {
    const varsMark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === "else") {
        // Special case for "else if": treat it as {{else}}{{if ...}}...{{end}}{{end}}.
        if (allowElseIf && this.peek().typ === ItemType.If) {
          this.next(); // Consume the "if" token.
          elseList = new ListNode(this, next.pos);
          elseList.append(this.ifControl());
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf(`expected end; found ${next}`);
        }
      }
      return [pipe.pos, pipe.line, pipe, list, elseList];
    } finally {
      this.vars.length = varsMark;
    }
  }

  // If:
  //	{{if pipeline}} itemList {{end}}
  //	{{if pipeline}} itemList {{else}} itemList {{end}}
  // If keyword is past.
  private ifControl(): Node {
    return new IfNode(this, ...this.parseControl(true, "if"));
  }

  // Range:
  //	{{range pipeline}} itemList {{end}}
  //	{{range pipeline}} itemList {{else}} itemList {{end}}
  // Range keyword is past.
  private rangeControl(): Node {
    return new RangeNode(this, ...this.parseControl(false, "range"));
  }

  // With:
  //	{{with pipeline}} itemList {{end}}
  //	{{with pipeline}} itemList {{else}} itemList {{end}}
  // If keyword is past.
  private withControl(): Node {
    return new WithNode(this, ...this.parseControl(false, "with"));
  }

  // End:
  //	{{end}}
  // End keyword is past.
  private endControl(): Node {
    return new EndNode(this, this.expect(ItemType.RightDelim, "end").pos);
  }

  // Else:
  //	{{else}}
  // Else keyword is past.
  private elseControl(): Node {
    // Special case for "else if".
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If) {
      // We see "{{else if ... " but in effect rewrite it to {{else}}{{if ... ".
      return new ElseNode(this, peek.pos, peek.line);
    }
    const token = this.expect(ItemType.RightDelim, "else");
    return new ElseNode(this, token.pos, token.line);
  }

  // Block:
  //	{{block stringValue pipeline}}
  // Block keyword is past.
  // The name must be something that can evaluate to a string.
  // The pipeline is mandatory.
  private blockControl(): Node {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);

    const block = new Tree(name); // name will be updated once we know it.
    block.text = this.text;
    block.parseName = this.parseName;
    block.startParse(this.funcs, this.lex as Lexer, this.treeSet, this.opts);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== "end") this.errorf(`unexpected ${end} in ${context}`);
    block.add();
    block.stopParse();

    return new TemplateNode(this, token.pos, token.line, name, pipe);
  }

  // Template:
  //	{{template stringValue pipeline}}
  // Template keyword is past. The name must be something that can evaluate
  // to a string.
  private templateControl(): Node {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      // Do not pop variables; they persist until "end".
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return new TemplateNode(this, token.pos, token.line, name, pipe);
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) {
      return this.literal(() => unquote(token.val));
    }
    this.unexpected(token, context);
  }

  // command:
  //	operand (space operand)*
  // space-separated arguments up to a pipeline character or right delimiter.
  // we consume the pipe character but leave the right delim to terminate the action.
  private command(): CommandNode {
    const cmd = new CommandNode(this, this.peekNonSpace().pos);
    for (;;) {
      this.peekNonSpace(); // skip leading spaces.
      const operand = this.operand();
      if (operand !== undefined) cmd.append(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  // operand:
  //	term .Field*
  // An operand is a space-separated component of a command,
  // a term possibly followed by field accesses.
  // A nil return means the next item is not an operand.
  private operand(): Node | undefined {
    let node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().typ === ItemType.Field) {
      const chain = new ChainNode(this, this.peek().pos, node);
      while (this.peek().typ === ItemType.Field) chain.add(this.next().val);
      // Compatibility with original API: If the term is of type NodeField
      // or NodeVariable, just put more fields on the original.
      // Otherwise, keep the Chain node.
      // Obvious parsing errors involving literal values are detected here.
      // More complex error cases will have to be handled at execution time.
      switch (node.type) {
        case "field":
          node = new FieldNode(this, chain.pos, chain.toString());
          break;
        case "variable":
          node = new VariableNode(this, chain.pos, chain.toString());
          break;
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${goQuote(node.toString())}`);
          break;
        default:
          node = chain;
      }
    }
    return node;
  }

  // term:
  //	literal (number, string, nil, boolean)
  //	function (identifier)
  //	.
  //	.Field
  //	$
  //	'(' pipeline ')'
  // A term is a simple "expression".
  // A nil return means the next item is not a term.
  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.opts.skipFuncCheck && !this.hasFunction(token.val)) {
          this.errorf(`function ${goQuote(token.val)} not defined`);
        }
        return new IdentifierNode(this, token.pos, token.val);
      case ItemType.Dot:
        return new DotNode(this, token.pos);
      case ItemType.Nil:
        return new NilNode(this, token.pos);
      case ItemType.Variable:
        return this.useVar(token.pos, token.val);
      case ItemType.Field:
        return new FieldNode(this, token.pos, token.val);
      case ItemType.Bool:
        return new BoolNode(this, token.pos, token.val === "true");
      case ItemType.CharConstant:
      case ItemType.Complex:
      case ItemType.Number:
        return this.literal(() => this.newNumber(token.pos, token.val, token.typ));
      case ItemType.LeftParen:
        return this.pipeline("parenthesized pipeline", ItemType.RightParen);
      case ItemType.String:
      case ItemType.RawString:
        return new StringNode(this, token.pos, token.val, this.literal(() => unquote(token.val)));
    }
    this.backup();
    return undefined;
  }

  private hasFunction(name: string): boolean {
    for (const f of this.funcs) if (f.has(name)) return true;
    return false;
  }

  private useVar(pos: number, name: string): Node {
    const v = new VariableNode(this, pos, name);
    if (this.vars.includes(v.ident[0] as string)) return v;
    this.errorf(`undefined variable ${goQuote(v.ident[0] as string)}`);
  }

  /** Go's newNumber: parse under every type that can represent the text. */
  private newNumber(pos: number, text: string, typ: ItemType): NumberNode {
    const n = new NumberNode(this, pos, text);
    if (typ === ItemType.CharConstant) {
      const r = unquoteCharConstant(text);
      n.int64 = BigInt(r);
      n.isInt = true;
      n.uint64 = BigInt(r);
      n.isUint = true;
      n.float64 = r; // odd but those are the rules.
      n.isFloat = true;
      return n;
    }
    if (typ === ItemType.Complex) {
      n.isComplex = true;
      n.complex128 = parseComplex(text);
      simplifyComplex(n);
      return n;
    }
    // Imaginary constants can only be complex unless they are zero.
    if (text.endsWith("i")) {
      const f = parseFloat64(text.slice(0, -1));
      if (f !== undefined) {
        n.isComplex = true;
        n.complex128 = { re: 0, im: f };
        simplifyComplex(n);
        return n;
      }
    }
    // Do integer test first so we get 0x123 etc.
    const u = parseUint(text); // will fail for -0; fixed below.
    if (u !== undefined) {
      n.isUint = true;
      n.uint64 = u;
    }
    const i = parseInt64(text);
    if (i !== undefined) {
      n.isInt = true;
      n.int64 = i;
      if (i === 0n) {
        n.isUint = true; // in case of -0.
        n.uint64 = u ?? 0n;
      }
    }
    // If an integer extraction succeeded, promote the float.
    if (n.isInt) {
      n.isFloat = true;
      n.float64 = Number(n.int64);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float64 = Number(n.uint64);
    } else {
      const f = parseFloat64(text);
      if (f !== undefined) {
        // If we parsed it as a float but it looks like an integer,
        // it's a huge number too large to fit in an int. Reject it.
        if (!/[.eEpP]/.test(text)) throw new LiteralError(`integer overflow: ${goQuote(text)}`);
        n.isFloat = true;
        n.float64 = f;
        setIntegralParts(n, f);
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) throw new LiteralError(`illegal number syntax: ${goQuote(text)}`);
    return n;
  }
}

function emptyItem(): Item {
  return { typ: ItemType.EOF, pos: 0, val: "", line: 0 };
}

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** Go's float64(int64(f)) == f and float64(uint64(f)) == f on amd64. */
function setIntegralParts(n: NumberNode, f: number): void {
  if (Number.isInteger(f) && f >= -TWO_63 && f < TWO_63) {
    n.isInt = true;
    n.int64 = BigInt(f);
  }
  if (Number.isInteger(f) && f >= 0 && f < TWO_64) {
    n.isUint = true;
    n.uint64 = BigInt(f);
  }
}

// simplifyComplex pulls out any other types that are represented by the complex number.
// These all require that the imaginary part be zero.
function simplifyComplex(n: NumberNode): void {
  n.isFloat = n.complex128.im === 0;
  if (n.isFloat) {
    n.float64 = n.complex128.re;
    setIntegralParts(n, n.float64);
  }
}

/**
 * Go's parse.Parse: parses text as template `name`, returning every tree it defines.
 * Throws TemplateError (phase "parse").
 */
export function parseTrees(
  name: string,
  text: string,
  funcs: FuncNames[],
  opts: ParseTreeOptions = {},
): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const t = new Tree(name);
  t.text = text;
  try {
    t.parse(text, treeSet, funcs, opts);
  } catch (e) {
    if (e instanceof ParseFailure) {
      throw new TemplateError(e.message, { phase: "parse", templateName: name, line: e.line });
    }
    if (e instanceof RangeError) {
      // A hostile, deeply nested template exhausts the JS stack: report, do not crash.
      throw new TemplateError(`template: ${name}: template nesting too deep`, {
        phase: "parse",
        templateName: name,
        line: 0,
        cause: e,
      });
    }
    throw e;
  }
  return treeSet;
}
