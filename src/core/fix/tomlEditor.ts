import type { AST } from 'toml-eslint-parser';
import type { TextEdit } from '../types';
import type { EditContext, FormatEditor } from './formatEditor';
import type { JsonValue } from './jsonValue';
import { indentOfLine, lineEndOf, lineStartOf, spansOneLine, startsLine } from './textStyle';
import { objectDepth, tomlInline, tomlKey } from './tomlSerialize';
import { pathKey, readTomlStructure, type TomlScope, type TomlStructure } from './tomlStructure';

/**
 * TOML edits. Values are replaced in place (a string `incoming = "steal"` may become an inline
 * table). New keys go where the table they belong to is defined: a line in a `[table]` body, a
 * dotted key next to its siblings, `, key = value` inside an inline table. A new object nested
 * more than one level deep gets its own `[a.b.c]` section instead of nested inline tables.
 */
export const tomlEditor: FormatEditor = {
  replaceValue(context, path, _node, _entry, _parent, value) {
    const structure = readTomlStructure(context.text);
    const definition = structure?.values.get(pathKey(path));
    const written = tomlInline(value);
    if (!definition || written === undefined) return undefined;
    const [start, end] = definition.keyValue.value.range;
    return [{ offset: start, length: end - start, newText: written }];
  },

  insertEntry(context, objectPath, _object, key, value) {
    const structure = readTomlStructure(context.text);
    if (!structure) return undefined;
    const id = pathKey(objectPath);
    const inlineTable = structure.values.get(id)?.keyValue.value;
    if (inlineTable) {
      return inlineTable.type === 'TOMLInlineTable' ? insertIntoInlineTable(inlineTable, [key], value) : undefined;
    }
    const header = structure.headers.get(id);
    if (header) return insertIntoTable(context, structure, { kind: 'table', path: objectPath, body: header.body, node: header }, [key], value);
    if (objectPath.length === 0) return insertIntoTable(context, structure, structure.root, [key], value);
    const dotted = structure.dotted.get(id);
    if (dotted) {
      const relative = [...dotted.relativePath, key];
      if (dotted.scope.kind === 'inline' && dotted.scope.node?.type === 'TOMLInlineTable') {
        return insertIntoInlineTable(dotted.scope.node, relative, value);
      }
      const written = tomlInline(value);
      if (written === undefined) return undefined;
      // Next to the last key that already uses the same dotted prefix.
      const at = lineEndAfter(context.text, dotted.lastKeyValue.range[1]);
      return [
        {
          offset: at,
          length: 0,
          newText: context.style.eol + indentOfLine(context.text, dotted.lastKeyValue.range[0]) + dottedKey(relative) + ' = ' + written,
        },
      ];
    }
    // Only known through its sub-tables' headers (`[feature.network.incoming]` makes
    // `feature.network` exist): it may still get a header of its own.
    return appendSection(context, objectPath, { [key]: value });
  },

  replaceEntry(context, path, _entry, _parent, newKey, value) {
    const structure = readTomlStructure(context.text);
    const definition = structure?.values.get(pathKey(path));
    const written = tomlInline(value);
    if (!definition || written === undefined) return undefined;
    const keys = definition.keyValue.key.keys;
    const lastKey = keys[keys.length - 1];
    const [valueStart, valueEnd] = definition.keyValue.value.range;
    return [
      { offset: lastKey.range[0], length: lastKey.range[1] - lastKey.range[0], newText: tomlKey(newKey) },
      { offset: valueStart, length: valueEnd - valueStart, newText: written },
    ];
  },

  appendItem(context, path, _array, value) {
    const structure = readTomlStructure(context.text);
    const array = structure?.values.get(pathKey(path))?.keyValue.value;
    const written = tomlInline(value);
    if (!array || array.type !== 'TOMLArray' || written === undefined) return undefined;
    return appendToTomlArray(context, array, written);
  },

  createRoot(context, value) {
    return insertIntoTable(context, undefined, undefined, [], value);
  },
};

/** `, key = value` before the closing brace (inline tables are one line by definition in TOML 1.0). */
function insertIntoInlineTable(table: AST.TOMLInlineTable, relative: string[], value: JsonValue): TextEdit[] | undefined {
  const written = tomlInline(value);
  if (written === undefined) return undefined;
  const entry = dottedKey(relative) + ' = ' + written;
  if (table.body.length === 0) {
    return [{ offset: table.range[0] + 1, length: table.range[1] - table.range[0] - 2, newText: ' ' + entry + ' ' }];
  }
  return [{ offset: table.body[table.body.length - 1].range[1], length: 0, newText: ', ' + entry }];
}

/**
 * Adds `key = value` to the top level or a `[table]` body, after its last key/value. A value that
 * is an object nested two or more levels deep becomes a section at the end of the file instead.
 * With `relative` empty, `value` is an object whose keys are all written (a new file).
 */
function insertIntoTable(
  context: EditContext,
  structure: TomlStructure | undefined,
  scope: TomlScope | undefined,
  relative: string[],
  value: JsonValue,
): TextEdit[] | undefined {
  const { text, style } = context;
  if (relative.length === 0) {
    // A file with nothing in it yet: lines for scalars, sections for objects.
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return appendSection(context, [], value);
  }
  const scopePath = scope?.path ?? [];
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && objectDepth(value) >= 2) {
    return appendSection(context, [...scopePath, ...relative], value);
  }
  const written = tomlInline(value);
  if (written === undefined || !scope) return undefined;
  const line = dottedKey(relative) + ' = ' + written;
  const lastKeyValue = scope.body[scope.body.length - 1];
  if (lastKeyValue) {
    const at = lineEndAfter(text, lastKeyValue.range[1]);
    return [{ offset: at, length: 0, newText: style.eol + indentOfLine(text, lastKeyValue.range[0]) + line }];
  }
  if (scope.kind === 'table' && scope.node?.type === 'TOMLTable') {
    const at = lineEndOf(text, scope.node.key.range[1]);
    return [{ offset: at, length: 0, newText: style.eol + line }];
  }
  // Top level without key/values: before the first table, or at the end.
  const firstTable = structure?.program.body[0].body.find((item) => item.type === 'TOMLTable');
  if (firstTable) {
    const at = lineStartOf(text, firstTable.range[0]);
    return [{ offset: at, length: 0, newText: line + style.eol + style.eol }];
  }
  return appendAtEnd(context, line + style.eol);
}

/**
 * `[path]` with the object's keys as lines, at the end of the file (TOML tables may come in any
 * order). A chain of single-key objects folds into the header: `[feature.network.incoming]`.
 */
function appendSection(context: EditContext, path: string[], value: { [k: string]: JsonValue }): TextEdit[] | undefined {
  let sectionPath = path;
  let body = value;
  for (;;) {
    const entries = Object.entries(body);
    const only = entries.length === 1 ? entries[0][1] : undefined;
    if (only === undefined || only === null || typeof only !== 'object' || Array.isArray(only) || Object.keys(only).length === 0) break;
    sectionPath = [...sectionPath, entries[0][0]];
    body = only;
  }
  const lines: string[] = [];
  if (sectionPath.length > 0) lines.push('[' + dottedKey(sectionPath) + ']');
  for (const [key, item] of Object.entries(body)) {
    const written = tomlInline(item);
    if (written === undefined) return undefined;
    lines.push(tomlKey(key) + ' = ' + written);
  }
  const { style, text } = context;
  const separator = text.trim() === '' ? '' : style.eol;
  return appendAtEnd(context, separator + lines.join(style.eol) + style.eol);
}

function appendAtEnd(context: EditContext, block: string): TextEdit[] {
  const { text, style } = context;
  if (text.trim() === '') return [{ offset: 0, length: text.length, newText: block.replace(/^(\r?\n)+/, '') }];
  const lineBreak = /[\r\n]$/.test(text) ? '' : style.eol;
  return [{ offset: text.length, length: 0, newText: lineBreak + block }];
}

/** `, item` after the last item; on its own line when the array is written one item per line. */
function appendToTomlArray(context: EditContext, array: AST.TOMLArray, written: string): TextEdit[] {
  const { text, style } = context;
  const [open, end] = array.range;
  const close = end - 1;
  if (array.elements.length === 0) return [{ offset: open + 1, length: close - open - 1, newText: written }];
  const last = array.elements[array.elements.length - 1];
  const lastEnd = last.range[1];
  let i = lastEnd;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const commaAt = text[i] === ',' ? i : undefined;
  if (spansOneLine(text, open, close)) {
    return commaAt !== undefined ? [{ offset: commaAt + 1, length: 0, newText: ' ' + written }] : [{ offset: lastEnd, length: 0, newText: ', ' + written }];
  }
  const indent = startsLine(text, last.range[0]) ? indentOfLine(text, last.range[0]) : indentOfLine(text, open) + context.style.indentUnit;
  const lineEnd = lineEndAfter(text, commaAt !== undefined ? commaAt + 1 : lastEnd);
  if (lineEnd > close) {
    // The closing bracket shares the last item's line.
    return [{ offset: lastEnd, length: 0, newText: ',' + style.eol + indent + written }];
  }
  const edits: TextEdit[] = [];
  if (commaAt === undefined) edits.push({ offset: lastEnd, length: 0, newText: ',' });
  edits.push({ offset: lineEnd, length: 0, newText: style.eol + indent + written + (commaAt !== undefined ? ',' : '') });
  return edits;
}

/** End of the line holding `offset`, past a trailing `# comment`. */
function lineEndAfter(text: string, offset: number): number {
  return lineEndOf(text, offset);
}

function dottedKey(path: string[]): string {
  return path.map(tomlKey).join('.');
}
