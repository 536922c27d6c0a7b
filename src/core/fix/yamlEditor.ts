import type { ConfigNode, ObjectEntry, TextEdit } from '../types';
import type { EditContext, FormatEditor } from './formatEditor';
import { fitsOnKeyLine, yamlBlockLines, yamlEntryLines, yamlFlow, yamlItemLines, yamlScalar } from './yamlSerialize';
import { columnOf, lineEndOf, skipBackOverWhitespace, spansOneLine } from './textStyle';

/**
 * YAML edits on the block/flow structure as written: block mappings get new `key: value` lines
 * at the indentation of their keys, flow mappings get `, key: value` before the brace. A comment
 * after a replaced value stays on its line; new lines go below it.
 */
export const yamlEditor: FormatEditor = {
  replaceValue(context, _path, node, entry, parent, value) {
    const { text } = context;
    if (!entry) return undefined;
    const valueStart = valueStartOf(text, entry);
    if (valueStart === undefined) return undefined;
    const valueEnd = Math.max(valueStart, skipBackOverWhitespace(text, node.span.end, valueStart));
    if ((parent && isFlow(text, parent)) || fitsOnKeyLine(value)) {
      const written = yamlFlow(value);
      // A `key:` with nothing after it needs the space too.
      const newText = node.span.end === node.span.start ? ' ' + written : written;
      const start = node.span.end === node.span.start ? valueStart : node.span.start;
      return [{ offset: start, length: valueEnd - start, newText }];
    }
    const lines = yamlBlockLines(value, keyIndent(text, entry) + unitOf(context), unitOf(context));
    return rewriteAfterKeyLine(context, valueStart, valueEnd, '', lines);
  },

  insertEntry(context, _objectPath, object, key, value) {
    const { text, style } = context;
    if (isFlow(text, object)) {
      if (object.entries.length === 0) {
        return [{ offset: object.span.start + 1, length: object.span.end - object.span.start - 2, newText: yamlScalar(key) + ': ' + yamlFlow(value) }];
      }
      const last = object.entries[object.entries.length - 1];
      return [{ offset: last.span.end, length: 0, newText: ', ' + yamlScalar(key) + ': ' + yamlFlow(value) }];
    }
    if (object.entries.length === 0) return undefined;
    const last = object.entries[object.entries.length - 1];
    const indent = keyIndent(text, object.entries[0]);
    const at = lineEndOf(text, skipBackOverWhitespace(text, last.span.end, last.span.start));
    return [{ offset: at, length: 0, newText: style.eol + yamlEntryLines(key, value, indent, unitOf(context)).join(style.eol) }];
  },

  replaceEntry(context, _path, entry, parent, newKey, value) {
    const { text } = context;
    const valueStart = valueStartOf(text, entry);
    if (valueStart === undefined) return undefined;
    const valueEnd = Math.max(valueStart, skipBackOverWhitespace(text, entry.value.span.end, valueStart));
    const start = entry.keySpan.start;
    if (isFlow(text, parent) || fitsOnKeyLine(value)) {
      return [{ offset: start, length: valueEnd - start, newText: yamlScalar(newKey) + ': ' + yamlFlow(value) }];
    }
    const lines = yamlBlockLines(value, keyIndent(text, entry) + unitOf(context), unitOf(context));
    return rewriteAfterKeyLine(context, start, valueEnd, yamlScalar(newKey) + ':', lines);
  },

  appendItem(context, _path, array, value) {
    const { text, style } = context;
    if (text[array.span.start] === '[') {
      if (array.items.length === 0) {
        return [{ offset: array.span.start + 1, length: array.span.end - array.span.start - 2, newText: yamlFlow(value) }];
      }
      return [{ offset: array.items[array.items.length - 1].span.end, length: 0, newText: ', ' + yamlFlow(value) }];
    }
    if (array.items.length === 0) return undefined;
    const dash = dashBefore(text, array.items[0]);
    if (dash === undefined) return undefined;
    const last = array.items[array.items.length - 1];
    const at = lineEndOf(text, skipBackOverWhitespace(text, last.span.end, last.span.start));
    const lines = yamlItemLines(value, ' '.repeat(columnOf(text, dash)), unitOf(context));
    return [{ offset: at, length: 0, newText: style.eol + lines.join(style.eol) }];
  },

  createRoot(context, value) {
    const { text, style } = context;
    const written = yamlBlockLines(value, '', unitOf(context)).join(style.eol) + style.eol;
    if (text.trim() === '') return [{ offset: 0, length: text.length, newText: written }];
    const separator = /[\r\n]$/.test(text) ? '' : style.eol;
    return [{ offset: text.length, length: 0, newText: separator + written }];
  },
};

/**
 * Replaces `[start, end)` by `head` and puts `lines` below. When the old text was on one line,
 * the new lines go after whatever followed it on that line (a comment), so the comment keeps
 * its place next to the key.
 */
function rewriteAfterKeyLine(context: EditContext, start: number, end: number, head: string, lines: string[]): TextEdit[] {
  const { text, style } = context;
  const block = style.eol + lines.join(style.eol);
  if (spansOneLine(text, start, end)) {
    const lineEnd = lineEndOf(text, end);
    if (lineEnd === end) return [{ offset: start, length: end - start, newText: head + block }];
    return [
      { offset: start, length: end - start, newText: head },
      { offset: lineEnd, length: 0, newText: block },
    ];
  }
  return [{ offset: start, length: end - start, newText: head + block }];
}

/** Offset just after the `:` that follows the entry's key. */
function valueStartOf(text: string, entry: ObjectEntry): number | undefined {
  let i = entry.keySpan.end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  // A quoted key's span may already include its closing quote; an implicit key is followed by `:`.
  return text[i] === ':' ? i + 1 : undefined;
}

function keyIndent(text: string, entry: ObjectEntry): string {
  return ' '.repeat(columnOf(text, entry.keySpan.start));
}

function isFlow(text: string, node: ConfigNode): boolean {
  return text[node.span.start] === '{' || text[node.span.start] === '[';
}

/** The `-` that introduces a block sequence item. */
function dashBefore(text: string, item: ConfigNode): number | undefined {
  let i = item.span.start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return text[i] === '-' ? i : undefined;
}

/** YAML indentation is spaces only: a tab-detected unit falls back to two spaces. */
function unitOf(context: EditContext): string {
  return context.style.indentUnit.includes('\t') ? '  ' : context.style.indentUnit;
}
