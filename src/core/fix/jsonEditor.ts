import type { ConfigNode, TextEdit } from '../types';
import type { EditContext, FormatEditor } from './formatEditor';
import { serializeJson, serializeJsonInline } from './jsonSerialize';
import { indentOfLine, lineEndOf, spansOneLine, startsLine } from './textStyle';

/**
 * JSON(C) edits written by hand rather than with jsonc-parser's `modify()`: modify re-formats the
 * lines it touches (a compact `[8080]` becomes one item per line) and leaves a trailing `//`
 * comment of the previous last entry after the new entry. Here a new entry goes on its own line
 * after the previous entry's comment, and only the comma is added next to the old value.
 */
export const jsonEditor: FormatEditor = {
  replaceValue(context, _path, node, _entry, parent, value) {
    const { text, style } = context;
    const inline = parent !== undefined && spansOneLine(text, parent.span.start, parent.span.end);
    const newText = inline ? serializeJsonInline(value) : serializeJson(value, style, indentOfLine(text, node.span.start));
    return [{ offset: node.span.start, length: node.span.end - node.span.start, newText }];
  },

  insertEntry(context, _objectPath, object, key, value) {
    return insertElement(
      context,
      object,
      object.entries.map((entry) => entry.span.end),
      (indent, inline) => JSON.stringify(key) + ': ' + (inline ? serializeJsonInline(value) : serializeJson(value, context.style, indent)),
    );
  },

  replaceEntry(context, _path, entry, parent, newKey, value) {
    const { text, style } = context;
    const inline = spansOneLine(text, parent.span.start, parent.span.end);
    const written = inline ? serializeJsonInline(value) : serializeJson(value, style, indentOfLine(text, entry.keySpan.start));
    const start = entry.keySpan.start;
    return [{ offset: start, length: entry.value.span.end - start, newText: JSON.stringify(newKey) + ': ' + written }];
  },

  appendItem(context, _path, array, value) {
    const scalarItems = array.items.every((item) => item.kind === 'scalar' || item.kind === 'template');
    return insertElement(
      context,
      array,
      array.items.map((item) => item.span.end),
      (indent, inline) =>
        inline || (scalarItems && (value === null || typeof value !== 'object')) ? serializeJsonInline(value) : serializeJson(value, context.style, indent),
    );
  },

  createRoot(context, value) {
    const { text, style } = context;
    const written = serializeJson(value, style, '') + style.eol;
    if (text.trim() === '') return [{ offset: 0, length: text.length, newText: written }];
    // Only comments: keep them above the new object.
    const separator = /[\r\n]$/.test(text) ? '' : style.eol;
    return [{ offset: text.length, length: 0, newText: separator + written }];
  },
};

/**
 * Adds an element after the last one of an object or array (`ends` are the elements' end
 * offsets). `write(indent, inline)` gives the element's text for its indentation.
 */
function insertElement(
  context: EditContext,
  container: ConfigNode,
  ends: number[],
  write: (indent: string, inline: boolean) => string,
): TextEdit[] | undefined {
  const { text, style } = context;
  const open = container.span.start;
  const close = container.span.end - 1;
  if (!'{['.includes(text[open]) || !'}]'.includes(text[close])) return undefined;
  const oneLine = spansOneLine(text, open, close);
  const containerIndent = indentOfLine(text, open);

  if (ends.length === 0) {
    const interior = text.slice(open + 1, close);
    if (interior.trim() === '') {
      const compact = write(containerIndent, true);
      // `[]` -> `[8080]`; `{}` -> a multi-line object like the rest of the file.
      if (text[open] === '[' && !compact.includes('{') && !compact.includes('[')) {
        return [{ offset: open + 1, length: interior.length, newText: compact }];
      }
      const indent = containerIndent + style.indentUnit;
      return [{ offset: open + 1, length: interior.length, newText: style.eol + indent + write(indent, false) + style.eol + containerIndent }];
    }
    // Only comments inside: the new element goes on its own line before them.
    const indent = containerIndent + style.indentUnit;
    return [{ offset: open + 1, length: 0, newText: style.eol + indent + write(indent, false) }];
  }

  const lastEnd = ends[ends.length - 1];
  const tail = scanAfterElement(text, lastEnd);
  if (oneLine) {
    const at = tail.commaAt !== undefined ? tail.commaAt + 1 : lastEnd;
    return [{ offset: at, length: 0, newText: (tail.commaAt !== undefined ? ' ' : ', ') + write(containerIndent, true) }];
  }
  const lastStart = findElementStart(container, lastEnd);
  const indent = lastStart !== undefined && startsLine(text, lastStart) ? indentOfLine(text, lastStart) : containerIndent + style.indentUnit;
  const element = write(indent, false);
  if (tail.lineEnd === undefined) {
    // Something (the closing bracket) follows the last element on its line.
    const at = tail.commaAt !== undefined ? tail.commaAt + 1 : lastEnd;
    return [{ offset: at, length: 0, newText: (tail.commaAt !== undefined ? '' : ',') + style.eol + indent + element }];
  }
  const edits: TextEdit[] = [];
  if (tail.commaAt === undefined) edits.push({ offset: lastEnd, length: 0, newText: ',' });
  edits.push({ offset: tail.lineEnd, length: 0, newText: style.eol + indent + element });
  return edits;
}

/** What follows an element on its line: an optional comma, then maybe a comment, then the line end. */
function scanAfterElement(text: string, from: number): { commaAt?: number; lineEnd?: number } {
  let i = from;
  const skipBlanks = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const skipBlockComments = () => {
    while (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || !spansOneLine(text, i, close)) return;
      i = close + 2;
      skipBlanks();
    }
  };
  skipBlanks();
  skipBlockComments();
  let commaAt: number | undefined;
  if (text[i] === ',') {
    commaAt = i;
    i++;
    skipBlanks();
    skipBlockComments();
  }
  if (text.startsWith('//', i)) return { commaAt, lineEnd: lineEndOf(text, i) };
  if (i >= text.length || text[i] === '\n' || text[i] === '\r') return { commaAt, lineEnd: i };
  return { commaAt };
}

function findElementStart(container: ConfigNode, end: number): number | undefined {
  if (container.kind === 'object') return container.entries.find((entry) => entry.span.end === end)?.span.start;
  if (container.kind === 'array') return container.items.find((item) => item.span.end === end)?.span.start;
  return undefined;
}
