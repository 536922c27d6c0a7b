import { parseTOML, type AST } from 'toml-eslint-parser';
import type { ArrayNode, ConfigNode, ObjectEntry, ObjectNode, Span, SyntaxProblem } from '../types';
import { keyOrTemplateSource, scalarOrTemplate, type TreeBuildContext } from './templateLocator';

/**
 * TOML 1.0 (what mirrord's `toml` crate reads). toml-eslint-parser stops at the first error, so
 * on an error we blank the offending line (same length, offsets unchanged) and try again: a user
 * typing one bad line still gets the rest of the file analysed.
 */
export function parseTomlConfig(masked: string, context: TreeBuildContext, problems: SyntaxProblem[]): ConfigNode | undefined {
  const program = parseWithRecovery(masked, problems);
  if (!program) return undefined;
  const top = program.body[0];
  const builder = new TomlTreeBuilder(masked, context, { start: 0, end: masked.length });
  for (const item of top.body) {
    if (item.type === 'TOMLTable') builder.addTable(item);
    else builder.addKeyValue(builder.root, item);
  }
  return builder.root;
}

/** How many bad lines we blank one at a time before falling back to "everything before the error". */
const MAX_LINE_REPAIRS = 8;
/** Bound on the prefix fallback, so a hopeless file cannot make us parse it hundreds of times. */
const MAX_PREFIX_ATTEMPTS = 40;

interface TomlErrorLike {
  index: number;
  message: string;
}

function parseWithRecovery(masked: string, problems: SyntaxProblem[]): AST.TOMLProgram | undefined {
  let current = masked;
  let firstError: TomlErrorLike | undefined;
  const attempt = (text: string): AST.TOMLProgram | TomlErrorLike => {
    try {
      return parseTOML(text, { tomlVersion: '1.0' });
    } catch (error) {
      const index = (error as { index?: unknown }).index;
      return {
        index: typeof index === 'number' ? Math.max(0, Math.min(index, text.length)) : 0,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  };
  const report = (error: TomlErrorLike) => {
    if (firstError) return;
    firstError = error;
    // Only the first error is reported: later ones may be echoes of our own blanking.
    const end = error.index < masked.length && !isLineBreak(masked[error.index]) ? error.index + 1 : error.index;
    problems.push({ message: error.message, span: { start: error.index, end } });
  };

  for (let repair = 0; repair <= MAX_LINE_REPAIRS; repair++) {
    const result = attempt(current);
    if (!isError(result)) return result;
    report(result);
    const line = lineToBlank(current, result.index);
    if (!line) break;
    current = blank(current, line.start, line.end);
  }

  // Still broken (an unterminated multi-line construct, say): keep only what comes before the
  // first error, moving back one line at a time until it parses.
  let cut = firstError ? lineAround(masked, firstError.index).start : masked.length;
  for (let tries = 0; tries < MAX_PREFIX_ATTEMPTS; tries++) {
    const prefix = blank(masked, cut, masked.length);
    const result = attempt(prefix);
    if (!isError(result)) return result;
    const line = lineToBlank(prefix, Math.min(result.index, cut));
    if (!line || line.start >= cut) {
      if (cut === 0) return undefined;
      cut = lineAround(masked, cut - 1).start;
    } else {
      cut = line.start;
    }
  }
  return undefined;
}

function isError(result: AST.TOMLProgram | TomlErrorLike): result is TomlErrorLike {
  return (result as AST.TOMLProgram).type !== 'Program';
}

function isLineBreak(ch: string): boolean {
  return ch === '\n' || ch === '\r';
}

function lineAround(text: string, index: number): Span {
  let start = Math.min(index, text.length);
  while (start > 0 && !isLineBreak(text[start - 1])) start--;
  let end = Math.min(index, text.length);
  while (end < text.length && !isLineBreak(text[end])) end++;
  return { start, end };
}

/** The error's line, or when that is blank (an error at EOF), the last non-blank line before it. */
function lineToBlank(text: string, index: number): Span | undefined {
  let line = lineAround(text, index);
  while (text.slice(line.start, line.end).trim() === '') {
    if (line.start === 0) return undefined;
    line = lineAround(text, line.start - 1);
  }
  return line;
}

/** Replaces [start, end) by spaces, keeping line breaks so offsets and lines stay put. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}

/**
 * Builds the nested object tree. TOML spreads one object over many places (`[a.b]` headers,
 * dotted keys, `[[arrays]]`), so objects are created on first mention and merged into later.
 */
class TomlTreeBuilder {
  readonly root: ObjectNode;

  constructor(
    private readonly masked: string,
    private readonly context: TreeBuildContext,
    rootSpan: Span,
  ) {
    this.root = { kind: 'object', span: rootSpan, entries: [] };
  }

  addTable(table: AST.TOMLTable): void {
    const keys = table.key.keys;
    if (keys.length === 0) return;
    const headerSpan = { start: table.range[0], end: this.headerEnd(table) };
    const tableSpan = { start: table.range[0], end: Math.max(table.range[1], headerSpan.end) };
    let parent = this.root;
    for (const keyNode of keys.slice(0, -1)) {
      parent = this.descend(parent, keyNode, headerSpan, { start: keyNode.range[0], end: headerSpan.end });
    }
    const last = keys[keys.length - 1];
    let target: ObjectNode;
    if (table.kind === 'array') {
      const array = this.arrayOfTables(parent, last, tableSpan);
      target = { kind: 'object', span: tableSpan, entries: [] };
      array.items.push(target);
      array.span = { start: array.span.start, end: Math.max(array.span.end, tableSpan.end) };
    } else {
      target = this.descend(parent, last, tableSpan, { start: last.range[0], end: tableSpan.end });
    }
    for (const keyValue of table.body) this.addKeyValue(target, keyValue);
  }

  addKeyValue(object: ObjectNode, keyValue: AST.TOMLKeyValue): void {
    const keys = keyValue.key.keys;
    if (keys.length === 0) return;
    // For `a.b.c = 1` every entry of the chain spans the whole line: removing that entry means
    // removing the line.
    const lineSpan = { start: keyValue.range[0], end: keyValue.range[1] };
    const keySpan = { start: keyValue.key.range[0], end: keyValue.key.range[1] };
    let parent = object;
    for (const keyNode of keys.slice(0, -1)) parent = this.descend(parent, keyNode, keySpan, lineSpan);
    const last = keys[keys.length - 1];
    const value = this.convertValue(keyValue.value);
    if (!value) return;
    parent.entries.push({ key: this.keyName(last), keySpan: spanOf(last), value, span: lineSpan });
  }

  private convertValue(node: AST.TOMLContentNode): ConfigNode | undefined {
    const span = spanOf(node);
    switch (node.type) {
      case 'TOMLArray': {
        const items: ConfigNode[] = [];
        for (const element of node.elements) {
          const item = this.convertValue(element);
          if (item) items.push(item);
        }
        return { kind: 'array', span, items };
      }
      case 'TOMLInlineTable': {
        const object: ObjectNode = { kind: 'object', span, entries: [] };
        for (const keyValue of node.body) this.addKeyValue(object, keyValue);
        return object;
      }
      case 'TOMLValue':
        switch (node.kind) {
          case 'string':
            return scalarOrTemplate(this.context, span, node.value);
          case 'integer':
            return scalarOrTemplate(this.context, span, node.value);
          case 'float':
            return scalarOrTemplate(this.context, span, node.value);
          case 'boolean':
            return scalarOrTemplate(this.context, span, node.value);
          default:
            // Dates and times: keep them as written.
            return scalarOrTemplate(this.context, span, this.masked.slice(span.start, span.end));
        }
      default:
        return undefined;
    }
  }

  /** The object under `key` in `parent`, created (with the given spans) when it does not exist yet. */
  private descend(parent: ObjectNode, keyNode: AST.TOMLBare | AST.TOMLQuoted, createdSpan: Span, entrySpan: Span): ObjectNode {
    const key = this.keyName(keyNode);
    const existing = lastEntry(parent, key);
    if (existing) {
      if (existing.value.kind === 'object') return existing.value;
      // `[a.b]` after `[[a]]` continues the last table of the array.
      if (existing.value.kind === 'array') {
        const lastItem = existing.value.items[existing.value.items.length - 1];
        if (lastItem && lastItem.kind === 'object') return lastItem;
      }
    }
    const created: ObjectNode = { kind: 'object', span: createdSpan, entries: [] };
    parent.entries.push({ key, keySpan: spanOf(keyNode), value: created, span: entrySpan });
    return created;
  }

  private arrayOfTables(parent: ObjectNode, keyNode: AST.TOMLBare | AST.TOMLQuoted, tableSpan: Span): ArrayNode {
    const key = this.keyName(keyNode);
    const existing = lastEntry(parent, key);
    if (existing && existing.value.kind === 'array') {
      existing.span = { start: existing.span.start, end: Math.max(existing.span.end, tableSpan.end) };
      return existing.value;
    }
    const array: ArrayNode = { kind: 'array', span: tableSpan, items: [] };
    parent.entries.push({ key, keySpan: spanOf(keyNode), value: array, span: { start: keyNode.range[0], end: tableSpan.end } });
    return array;
  }

  private keyName(node: AST.TOMLBare | AST.TOMLQuoted): string {
    const parsed = node.type === 'TOMLBare' ? node.name : node.value;
    return keyOrTemplateSource(this.context, spanOf(node), parsed);
  }

  /** End of `[a.b]` / `[[a.b]]`: just past the closing bracket(s) after the key. */
  private headerEnd(table: AST.TOMLTable): number {
    const closing = table.kind === 'array' ? ']]' : ']';
    const at = this.masked.indexOf(closing, table.key.range[1]);
    return at >= 0 && at <= table.range[1] ? at + closing.length : table.key.range[1];
  }
}

function lastEntry(object: ObjectNode, key: string): ObjectEntry | undefined {
  for (let i = object.entries.length - 1; i >= 0; i--) {
    if (object.entries[i].key === key) return object.entries[i];
  }
  return undefined;
}

function spanOf(node: { range: [number, number] }): Span {
  return { start: node.range[0], end: node.range[1] };
}
