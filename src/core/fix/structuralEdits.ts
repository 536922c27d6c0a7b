import { parseConfig } from '../config/parseConfig';
import type { ConfigFormat, ObjectNode, ParsedConfig, TextEdit } from '../types';
import { applyTextEdits } from './applyTextEdits';
import { lookupPath } from './configPath';
import { editsAreSound } from './editVerification';
import type { EditContext, FormatEditor } from './formatEditor';
import { jsonEditor } from './jsonEditor';
import {
  containsForbiddenKey,
  containsTemplateMarker,
  isForbiddenKey,
  isPlainRecord,
  isWritableValue,
  nestValue,
  plainEquals,
  toPlainValue,
  type JsonValue,
  type PlainTree,
} from './jsonValue';
import { detectEol, detectIndentUnit } from './textStyle';
import { tomlEditor } from './tomlEditor';
import { yamlEditor } from './yamlEditor';

export type { JsonValue } from './jsonValue';
export { applyTextEdits } from './applyTextEdits';

/**
 * Format-preserving structural edits of a mirrord config: the analysis decides WHAT to change,
 * these say HOW, as small TextEdits that keep formatting, comments, key order and other keys.
 * Every result is checked by re-parsing the edited text; anything doubtful gives undefined.
 */

/**
 * Sets the value at `path` (object keys), creating missing parent objects; replaces an existing
 * value. [] when the value is already there. Undefined when impossible (a parent is a template,
 * an array or a scalar other than null; syntax errors around it; the value holds a template tag
 * or a `$schema` key).
 */
export function setValueEdits(parsed: ParsedConfig, path: string[], value: JsonValue): TextEdit[] | undefined {
  return guarded(parsed, path, value, (context, editor) => {
    const root = parsed.root;
    const lookup = lookupPath(root, path, parsed.format !== 'toml');
    let edits: TextEdit[] | undefined;
    switch (lookup.kind) {
      case 'found':
        if (lookup.node.kind === 'template') return undefined;
        if (plainEquals(toPlainValue(lookup.node), value)) return [];
        if (lookup.node.kind === 'object' && isPlainRecord(value) && coversEveryKey(lookup.node, value)) {
          edits = mergeEntries(parsed, path, value);
          break;
        }
        edits = editor.replaceValue(context, path, lookup.node, lookup.entry, lookup.parent, value);
        break;
      case 'missing':
        edits = editor.insertEntry(context, path.slice(0, lookup.depth), lookup.object, path[lookup.depth], nestValue(path.slice(lookup.depth + 1), value));
        break;
      case 'null':
        edits = editor.replaceValue(context, path.slice(0, lookup.depth), lookup.node, lookup.entry, lookup.parent, nestValue(path.slice(lookup.depth), value));
        break;
      case 'no-root':
        if (parsed.problems.length > 0) return undefined;
        edits = editor.createRoot(context, nestValue(path, value) as { [k: string]: JsonValue });
        break;
      case 'blocked':
        return undefined;
    }
    if (!edits) return undefined;
    const expected = withValueAt(root ? toPlainValue(root) : {}, path, value);
    return expected !== undefined && editsAreSound(parsed, edits, expected) ? edits : undefined;
  });
}

/**
 * Replaces the entry at `path` (its key AND value) with `newKey: value`, in place (same position
 * in key order). [] when that was done already (`path` gone, `newKey` holding `value`).
 */
export function replaceEntryEdits(parsed: ParsedConfig, path: string[], newKey: string, value: JsonValue): TextEdit[] | undefined {
  if (typeof newKey !== 'string' || newKey === '' || isForbiddenKey(newKey) || containsTemplateMarker(newKey)) return undefined;
  return guarded(parsed, path, value, (context, editor) => {
    const root = parsed.root;
    const lookup = lookupPath(root, path, parsed.format !== 'toml');
    if (lookup.kind === 'missing' && lookup.depth === path.length - 1) {
      const done = lookup.object.entries.find((entry) => entry.key === newKey);
      return done && plainEquals(toPlainValue(done.value), value) ? [] : undefined;
    }
    if (lookup.kind !== 'found' || !lookup.entry || !lookup.parent) return undefined;
    const oldKey = path[path.length - 1];
    if (newKey !== oldKey && lookup.parent.entries.some((entry) => entry.key === newKey)) return undefined;
    const edits = editor.replaceEntry(context, path, lookup.entry, lookup.parent, newKey, value);
    if (!edits || !root) return undefined;
    const expected = withEntryRenamed(toPlainValue(root), path, newKey, value);
    return expected !== undefined && editsAreSound(parsed, edits, expected) ? edits : undefined;
  });
}

/**
 * Appends `value` to the array at `path`, creating the array (and its parents) when missing.
 * [] when the array already holds an equal item, so a fix applied twice changes nothing.
 */
export function appendToArrayEdits(parsed: ParsedConfig, path: string[], value: JsonValue): TextEdit[] | undefined {
  return guarded(parsed, path, value, (context, editor) => {
    const root = parsed.root;
    const lookup = lookupPath(root, path, parsed.format !== 'toml');
    if (lookup.kind !== 'found') return setValueEdits(parsed, path, [value]);
    const array = lookup.node;
    if (array.kind !== 'array') return undefined;
    if (array.items.some((item) => plainEquals(toPlainValue(item), value))) return [];
    const edits = editor.appendItem(context, path, array, value);
    if (!edits || !root) return undefined;
    const expected = withValueAt(toPlainValue(root), path, [...(toPlainValue(array) as PlainTree[]), value]);
    return expected !== undefined && editsAreSound(parsed, edits, expected) ? edits : undefined;
  });
}

/**
 * Writes an object over an existing object that has no keys the new one lacks, key by key: the
 * entries already right stay as they are, with their comments (and TOML tables stay tables).
 * Each step re-parses; the steps' combined change comes back as one edit.
 */
function mergeEntries(parsed: ParsedConfig, path: string[], value: { [k: string]: JsonValue }): TextEdit[] | undefined {
  let current = parsed;
  for (const [key, item] of Object.entries(value)) {
    const step = setValueEdits(current, [...path, key], item);
    if (!step) return undefined;
    if (step.length > 0) current = parseConfig(applyTextEdits(current.text, step), parsed.format);
  }
  return differenceAsEdits(parsed.text, current.text);
}

function coversEveryKey(object: ObjectNode, value: { [k: string]: JsonValue }): boolean {
  return object.entries.length > 0 && object.entries.every((entry) => Object.prototype.hasOwnProperty.call(value, entry.key));
}

/** The one edit turning `before` into `after`: what lies between their common prefix and suffix. */
function differenceAsEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return [{ offset: prefix, length: before.length - prefix - suffix, newText: after.slice(prefix, after.length - suffix) }];
}

/** Input checks and the never-throw wrapper shared by the three operations. */
function guarded(
  parsed: ParsedConfig,
  path: string[],
  value: JsonValue,
  run: (context: EditContext, editor: FormatEditor) => TextEdit[] | undefined,
): TextEdit[] | undefined {
  try {
    if (!parsed || typeof parsed.text !== 'string' || !Array.isArray(parsed.templateSpans) || !Array.isArray(parsed.problems)) {
      return undefined;
    }
    if (!Array.isArray(path) || path.length === 0 || !path.every((key) => typeof key === 'string' && key !== '')) return undefined;
    if (path.some((key) => isForbiddenKey(key) || containsTemplateMarker(key))) return undefined;
    if (!isWritableValue(value) || containsTemplateMarker(value) || containsForbiddenKey(value)) return undefined;
    const editor = editorFor(parsed.format);
    const text = parsed.text;
    const context: EditContext = {
      parsed,
      text,
      style: { eol: detectEol(text), indentUnit: detectIndentUnit(text) },
    };
    return run(context, editor);
  } catch {
    return undefined;
  }
}

function editorFor(format: ConfigFormat): FormatEditor {
  switch (format) {
    case 'yaml':
      return yamlEditor;
    case 'toml':
      return tomlEditor;
    default:
      return jsonEditor;
  }
}

/** A copy of `tree` with `value` at `path` (parents created); undefined when a parent is not an object. */
function withValueAt(tree: PlainTree, path: string[], value: PlainTree): PlainTree | undefined {
  if (path.length === 0) return value;
  const base = isPlainObject(tree) ? tree : tree === null ? {} : undefined;
  if (!base) return undefined;
  const child = Object.prototype.hasOwnProperty.call(base, path[0]) ? base[path[0]] : {};
  const updated = withValueAt(child, path.slice(1), value);
  if (updated === undefined) return undefined;
  const copy: { [k: string]: PlainTree } = {};
  for (const [key, item] of Object.entries(base)) defineKey(copy, key, item);
  defineKey(copy, path[0], updated);
  return copy;
}

/** A copy of `tree` where the entry at `path` is now `newKey: value`. */
function withEntryRenamed(tree: PlainTree, path: string[], newKey: string, value: PlainTree): PlainTree | undefined {
  const parentPath = path.slice(0, -1);
  let parent: PlainTree = tree;
  for (const key of parentPath) {
    if (!isPlainObject(parent)) return undefined;
    parent = parent[key];
  }
  if (!isPlainObject(parent)) return undefined;
  const renamed: { [k: string]: PlainTree } = {};
  for (const [key, item] of Object.entries(parent)) {
    if (key === path[path.length - 1]) defineKey(renamed, newKey, value);
    else defineKey(renamed, key, item);
  }
  return withValueAt(tree, parentPath, renamed);
}

function isPlainObject(tree: PlainTree | undefined): tree is { [k: string]: PlainTree } {
  return (
    typeof tree === 'object' &&
    tree !== null &&
    !Array.isArray(tree) &&
    !('template' in tree && Object.keys(tree).length === 1 && typeof tree.template === 'string')
  );
}

/** defineProperty: a `__proto__` key must stay a plain key. */
function defineKey(target: { [k: string]: PlainTree }, key: string, value: PlainTree): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
