import { printParseErrorCode, visit, type JSONVisitor } from 'jsonc-parser';
import type { ArrayNode, ConfigNode, LenientJsonSyntax, ObjectEntry, ObjectNode, Span, SyntaxProblem } from '../types';
import { keyOrTemplateSource, scalarOrTemplate, type TreeBuildContext } from './templateLocator';

/**
 * JSON (leniently: comments and trailing commas, which users type while editing even though
 * mirrord itself rejects them; each is recorded in `lenient`). `masked` is the text with Tera tags
 * masked, same length as the original, so jsonc-parser's offsets are offsets into the original text.
 *
 * Built straight from jsonc-parser's visitor rather than from `parseTree`: skipping the
 * intermediate tree makes a 1 MB config several times faster.
 */
export function parseJsonConfig(
  masked: string,
  context: TreeBuildContext,
  problems: SyntaxProblem[],
  lenient: LenientJsonSyntax[] = [],
): ConfigNode | undefined {
  const builder = new JsonTreeBuilder(context, problems, masked.length, lenient);
  visit(masked, builder.visitor(), { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  return builder.root;
}

interface Frame {
  node: ObjectNode | ArrayNode;
  /** The entry holding `node`, whose span grows when the node closes. */
  entry: ObjectEntry | undefined;
  /** The key just read, waiting for its value. */
  pendingKey: { key: string; keySpan: Span } | undefined;
  seenKeys: Set<string> | undefined;
}

class JsonTreeBuilder {
  root: ConfigNode | undefined;
  private readonly stack: Frame[] = [];
  /** A `,` not yet followed by a key or value: trailing if `}` or `]` comes next. */
  private pendingComma: number | undefined;

  constructor(
    private readonly context: TreeBuildContext,
    private readonly problems: SyntaxProblem[],
    private readonly textLength: number,
    private readonly lenient: LenientJsonSyntax[],
  ) {}

  visitor(): JSONVisitor {
    return {
      onObjectBegin: (offset: number) => {
        this.pendingComma = undefined;
        const node: ObjectNode = { kind: 'object', span: { start: offset, end: offset + 1 }, entries: [] };
        this.open(node, new Set());
      },
      onComment: (offset: number, length: number) => {
        this.lenient.push({ kind: 'comment', span: { start: offset, end: Math.min(offset + length, this.textLength) } });
      },
      onSeparator: (character: string, offset: number) => {
        this.pendingComma = character === ',' ? offset : undefined;
      },
      onObjectProperty: (key: string, offset: number, length: number) => {
        this.pendingComma = undefined;
        const top = this.stack[this.stack.length - 1];
        // A key still being typed without a value (`"a": }`) is replaced by the next key.
        if (!top) return;
        const keySpan = { start: offset, end: offset + length };
        top.pendingKey = { key: keyOrTemplateSource(this.context, keySpan, key), keySpan };
      },
      onObjectEnd: (offset: number, length: number) => this.close(offset + length),
      onArrayBegin: (offset: number) => {
        this.pendingComma = undefined;
        const node: ArrayNode = { kind: 'array', span: { start: offset, end: offset + 1 }, items: [] };
        this.open(node, undefined);
      },
      onArrayEnd: (offset: number, length: number) => this.close(offset + length),
      onLiteralValue: (value: unknown, offset: number, length: number) => {
        this.pendingComma = undefined;
        const span = { start: offset, end: offset + length };
        const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : null;
        this.attach(scalarOrTemplate(this.context, span, scalar));
      },
      onError: (error: number, offset: number, length: number) => {
        // After a syntax error the comma is part of a broken construct, not a trailing comma.
        this.pendingComma = undefined;
        this.problems.push({
          message: readableErrorCode(printParseErrorCode(error)),
          span: { start: offset, end: offset + length },
        });
      },
    };
  }

  private open(node: ObjectNode | ArrayNode, seenKeys: Set<string> | undefined): void {
    const entry = this.attach(node);
    this.stack.push({ node, entry, pendingKey: undefined, seenKeys });
  }

  private close(end: number): void {
    // A template between the comma and the bracket decides whether anything follows the comma.
    if (this.pendingComma !== undefined && !this.context.templates.overlaps({ start: this.pendingComma + 1, end: Math.max(this.pendingComma + 1, end - 1) })) {
      this.lenient.push({ kind: 'trailing-comma', span: { start: this.pendingComma, end: this.pendingComma + 1 } });
    }
    this.pendingComma = undefined;
    const frame = this.stack.pop();
    if (!frame) return;
    // Clamped: at an unterminated comment at EOF jsonc-parser reports an end one past the text.
    frame.node.span.end = Math.max(frame.node.span.start, Math.min(end, this.textLength));
    if (frame.entry) frame.entry.span.end = frame.node.span.end;
  }

  /** Puts a value where the parser is: the root, the next array item, or the pending key's value. */
  private attach(value: ConfigNode): ObjectEntry | undefined {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      if (this.root === undefined) this.root = value;
      return undefined;
    }
    if (top.node.kind === 'array') {
      top.node.items.push(value);
      return undefined;
    }
    const pending = top.pendingKey;
    if (!pending) return undefined;
    top.pendingKey = undefined;
    if (top.seenKeys?.has(pending.key)) {
      this.problems.push({
        message: `duplicate key "${pending.key}" (mirrord rejects duplicate keys)`,
        span: pending.keySpan,
      });
    }
    top.seenKeys?.add(pending.key);
    const entry: ObjectEntry = {
      key: pending.key,
      keySpan: pending.keySpan,
      value,
      span: { start: pending.keySpan.start, end: value.span.end },
    };
    top.node.entries.push(entry);
    return entry;
  }
}

/** `PropertyNameExpected` -> `Property name expected`. */
function readableErrorCode(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
