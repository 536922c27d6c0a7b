import { printParseErrorCode, visit, type JSONVisitor } from 'jsonc-parser';
import type { ArrayNode, ConfigNode, ObjectEntry, ObjectNode, Span, SyntaxProblem } from '../types';
import { keyOrTemplateSource, scalarOrTemplate, type TreeBuildContext } from './templateLocator';

/**
 * JSON (leniently: comments and trailing commas, which users type while editing even though
 * mirrord itself rejects them). `masked` is the text with Tera tags masked, same length as the
 * original, so jsonc-parser's offsets are offsets into the original text.
 *
 * Built straight from jsonc-parser's visitor rather than from `parseTree`: skipping the
 * intermediate tree makes a 1 MB config several times faster.
 */
export function parseJsonConfig(masked: string, context: TreeBuildContext, problems: SyntaxProblem[]): ConfigNode | undefined {
  const builder = new JsonTreeBuilder(context, problems, masked.length);
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

  constructor(
    private readonly context: TreeBuildContext,
    private readonly problems: SyntaxProblem[],
    private readonly textLength: number,
  ) {}

  visitor(): JSONVisitor {
    return {
      onObjectBegin: (offset: number) => {
        const node: ObjectNode = { kind: 'object', span: { start: offset, end: offset + 1 }, entries: [] };
        this.open(node, new Set());
      },
      onObjectProperty: (key: string, offset: number, length: number) => {
        const top = this.stack[this.stack.length - 1];
        // A key still being typed without a value (`"a": }`) is replaced by the next key.
        if (!top) return;
        const keySpan = { start: offset, end: offset + length };
        top.pendingKey = { key: keyOrTemplateSource(this.context, keySpan, key), keySpan };
      },
      onObjectEnd: (offset: number, length: number) => this.close(offset + length),
      onArrayBegin: (offset: number) => {
        const node: ArrayNode = { kind: 'array', span: { start: offset, end: offset + 1 }, items: [] };
        this.open(node, undefined);
      },
      onArrayEnd: (offset: number, length: number) => this.close(offset + length),
      onLiteralValue: (value: unknown, offset: number, length: number) => {
        const span = { start: offset, end: offset + length };
        const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : null;
        this.attach(scalarOrTemplate(this.context, span, scalar));
      },
      onError: (error: number, offset: number, length: number) => {
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
