import { mirrordShapes, type ShapeResolver } from '../config/keyModel/shapeResolver';
import type { ConfigNode, ObjectEntry, ObjectNode, ParsedConfig, Span } from '../types';
import { sectionKey, sectionKeys, type SectionKey } from './sectionKeys';
import { tomlKeyLine, tomlTablePathBefore } from './tomlKeyLines';

/** Key-name completion at a cursor: the section it is in and what may be typed there. */
export interface KeyCompletion {
  /** The section's path (keys from the root; list items stepped over). */
  path: string[];
  /** The part of the key before the cursor. */
  typed: string;
  /** The whole key being typed (inside its quotes): what a chosen key replaces. */
  replace: Span;
  /** The section's keys not already set in it (the key being typed excepted). */
  keys: SectionKey[];
  /** The key is one of a TOML `[table]` header (only keys that take a table are offered). */
  header: boolean;
}

/** The key under a cursor, as mirrord's schema describes it. */
export interface KeyHover {
  /** The path of the section the key is in. */
  path: string[];
  key: SectionKey;
  span: Span;
}

/**
 * Completion of key names for YAML and TOML configs, from the key model generated from mirrord's
 * schema. JSON is left out on purpose: a JSON language server (VS Code's, through the extension's
 * `jsonValidation` contribution of schemas/mirrord.schema.json) already completes JSON keys from
 * the same schema, and offering them twice would list every key twice.
 *
 * The section comes from the parser's tree (the spans of the keys around the cursor); the key
 * being typed is often not in the tree yet (a word on its own line, or nothing at all), so the
 * line structure says which key of the tree the cursor belongs under: indentation in YAML, the
 * last `[table]` header in TOML.
 */
export function keyCompletionAt(parsed: ParsedConfig, offset: number, resolver: ShapeResolver = mirrordShapes()): KeyCompletion | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset > parsed.text.length) return undefined;
  const place = parsed.format === 'yaml' ? yamlKeyPlace(parsed, offset) : parsed.format === 'toml' ? tomlKeyPlace(parsed, offset) : undefined;
  if (!place) return undefined;
  const all = sectionKeys(place.path, resolver);
  if (all.length === 0) return undefined;
  const keys = all.filter((k) => !place.present.has(k.key) && (!place.tablesOnly || k.takesObject));
  return { path: place.path, typed: place.typed, replace: place.replace, keys, header: place.tablesOnly === true };
}

/** The key under the cursor (YAML and TOML: see keyCompletionAt for why not JSON), with mirrord's description. */
export function keyHoverAt(parsed: ParsedConfig, offset: number, resolver: ShapeResolver = mirrordShapes()): KeyHover | undefined {
  if (parsed.format === 'json' || !Number.isInteger(offset)) return undefined;
  const hit = keyEntries(parsed.root).find(
    (k) => k.entry.keySpan.start <= offset && offset <= k.entry.keySpan.end && k.entry.keySpan.end > k.entry.keySpan.start,
  );
  if (hit) {
    const key = sectionKey(hit.path, hit.entry.key, resolver);
    return key ? { path: hit.path, key, span: hit.entry.keySpan } : undefined;
  }
  // TOML spreads a section over several headers and dotted keys; the tree keeps the first mention
  // of each: read the line for the others.
  if (parsed.format !== 'toml') return undefined;
  const line = lineAt(parsed.text, offset);
  const keyLine = tomlKeyLine(parsed.text, line.start, line.end);
  if (!keyLine) return undefined;
  const index = keyLine.parts.findIndex((p) => p.span.start <= offset && offset <= p.span.end);
  if (index < 0) return undefined;
  const base = keyLine.header ? [] : tomlTablePathBefore(parsed.text, line.start);
  const path = [...base, ...keyLine.parts.slice(0, index).map((p) => p.key)];
  const key = sectionKey(path, keyLine.parts[index].key, resolver);
  return key ? { path, key, span: keyLine.parts[index].span } : undefined;
}

interface KeyPlace {
  path: string[];
  typed: string;
  replace: Span;
  present: Set<string>;
  /** A TOML table header: only keys whose value can be a table. */
  tablesOnly?: boolean;
}

/** A key of the tree with the path of the section it is in and the object holding it. */
interface PlacedEntry {
  path: string[];
  object: ObjectNode;
  entry: ObjectEntry;
}

/** Every key of the tree, in document order of their objects. */
function keyEntries(root: ConfigNode | undefined): PlacedEntry[] {
  const out: PlacedEntry[] = [];
  const visit = (node: ConfigNode, path: string[], depth: number) => {
    if (depth > 64) return;
    if (node.kind === 'array') for (const item of node.items) visit(item, path, depth + 1);
    if (node.kind !== 'object') return;
    for (const entry of node.entries) {
      out.push({ path, object: node, entry });
      visit(entry.value, [...path, entry.key], depth + 1);
    }
  };
  if (root) visit(root, [], 0);
  return out;
}

const YAML_KEY_PREFIX = /^([ \t]*(?:-[ \t]+)*)(["']?)([A-Za-z0-9_$.-]*)$/;

/**
 * YAML: the cursor is at a key's place when its line holds, before it, only indentation, list
 * dashes and the start of a (possibly quoted) key. The section is the one of the nearest key
 * above at the same indentation, else the key above it with less indentation (`key:` with the
 * section under it).
 */
function yamlKeyPlace(parsed: ParsedConfig, offset: number): KeyPlace | undefined {
  const text = parsed.text;
  const line = lineAt(text, offset);
  const match = YAML_KEY_PREFIX.exec(text.slice(line.start, offset));
  if (!match) return undefined;
  const column = match[1].length;
  const quote = match[2];
  const start = line.start + column + quote.length;
  const replace = { start, end: wordEnd(text, offset, line.end, quote) };
  const typed = match[3];
  const dashed = match[1].includes('-');

  const entries = keyEntries(parsed.root);
  const byKeyStart = new Map<number, PlacedEntry>();
  for (const placed of entries) if (!byKeyStart.has(placed.entry.keySpan.start)) byKeyStart.set(placed.entry.keySpan.start, placed);
  const self = byKeyStart.get(line.start + column);
  const withoutSelf = (object: ObjectNode | undefined) => presentKeys(object, self?.entry);

  // The key under the cursor is in the tree already (`out` typed under `incoming: steal`).
  if (self) return { path: self.path, typed, replace, present: withoutSelf(self.object) };

  for (let end = line.start - 1; end >= 0;) {
    const above = lineAt(text, end);
    end = above.start - 1;
    const shape = yamlLineShape(text.slice(above.start, above.end));
    if (!shape) continue;
    if (shape.keyColumn > column) continue;
    const placed = byKeyStart.get(above.start + shape.keyColumn);
    if (shape.keyColumn === column) {
      // A key of the same section (or, after a new list dash, of the previous list item).
      if (!placed) return undefined;
      return { path: placed.path, typed, replace, present: dashed ? new Set() : withoutSelf(placed.object) };
    }
    // Less indented: the key whose section the cursor opens, when it has nothing after its colon.
    if (!shape.opensBlock || !placed) return undefined;
    const value = placed.entry.value;
    return { path: [...placed.path, placed.entry.key], typed, replace, present: value.kind === 'object' && !dashed ? withoutSelf(value) : new Set() };
  }
  if (column !== 0) return undefined;
  const root = parsed.root?.kind === 'object' ? parsed.root : undefined;
  return { path: [], typed, replace, present: withoutSelf(root) };
}

/** Where the first key of a YAML line starts (after indentation and list dashes), and whether it is `key:` alone. */
function yamlLineShape(lineText: string): { keyColumn: number; opensBlock: boolean } | undefined {
  const content = /^([ \t]*(?:-[ \t]+)*)(\S.*)?$/.exec(lineText);
  if (!content || content[2] === undefined) return undefined;
  const rest = content[2];
  if (rest.startsWith('#') || rest.startsWith('---') || rest.startsWith('...')) return undefined;
  const keyColumn = content[1].length;
  // `key:` or `"key":`, then nothing but a comment.
  const opensBlock = /^(?:"[^"]*"|'[^']*'|[^\s#"'][^#]*?)[ \t]*:[ \t]*(?:#.*)?$/.test(rest);
  return { keyColumn, opensBlock };
}

/**
 * TOML: a key's place is the start of a line (up to `=`) or a `[table]` header. The section is
 * the last header above, plus the dotted keys before the one being typed.
 */
function tomlKeyPlace(parsed: ParsedConfig, offset: number): KeyPlace | undefined {
  const text = parsed.text;
  const line = lineAt(text, offset);
  const keyLine = tomlKeyLine(text, line.start, offset, { partial: true });
  if (!keyLine || keyLine.rest.trim() !== '') return undefined;
  const parts = keyLine.parts;
  const last = parts[parts.length - 1];
  // The key being typed: the last part when the cursor is on it, else a new one after a dot.
  const typing = last && offset <= last.span.end && !keyLine.trailingDot ? last : undefined;
  // `key ` with the cursor after the space: an `=` comes next, not a key.
  if (!typing && last && !keyLine.trailingDot) return undefined;
  const before = (typing ? parts.slice(0, -1) : parts).map((p) => p.key);
  const base = keyLine.header ? [] : tomlTablePathBefore(text, line.start);
  const path = [...base, ...before];
  const innerStart = typing ? typing.span.start + (typing.quoted ? 1 : 0) : offset;
  const replace = { start: innerStart, end: wordEnd(text, offset, line.end, typing?.quoted ? text[typing.span.start] : '') };
  const typed = text.slice(innerStart, offset);
  if (keyLine.header) return { path, typed, replace, present: new Set(), tablesOnly: true };
  const object = objectAtPath(parsed.root, path);
  return { path, typed, replace, present: presentKeys(object, undefined, line) };
}

/** The object at `path` in the tree (the last item of a list of tables), if it is there. */
function objectAtPath(root: ConfigNode | undefined, path: readonly string[]): ObjectNode | undefined {
  let node = root;
  for (const key of path) {
    if (node?.kind !== 'object') return undefined;
    const entry = [...node.entries].reverse().find((e) => e.key === key);
    node = entry?.value;
    if (node?.kind === 'array') node = node.items[node.items.length - 1];
  }
  return node?.kind === 'object' ? node : undefined;
}

/** The keys set in `object`, without the one being typed (its entry, or the keys on the cursor's line). */
function presentKeys(object: ObjectNode | undefined, self: ObjectEntry | undefined, cursorLine?: Span): Set<string> {
  const keys = new Set<string>();
  for (const entry of object?.entries ?? []) {
    if (entry === self) continue;
    if (cursorLine && entry.keySpan.start >= cursorLine.start && entry.keySpan.start <= cursorLine.end) continue;
    keys.add(entry.key);
  }
  return keys;
}

/** The end of the key word the cursor is in: up to the closing quote, or the last key character. */
function wordEnd(text: string, offset: number, lineEnd: number, quote: string): number {
  let end = offset;
  if (quote) {
    while (end < lineEnd && text[end] !== quote) end++;
    return end;
  }
  while (end < lineEnd && /[A-Za-z0-9_$-]/.test(text[end])) end++;
  return end;
}

/** The line around `offset` (without its line break). */
function lineAt(text: string, offset: number): Span {
  let start = Math.min(Math.max(offset, 0), text.length);
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = Math.min(Math.max(offset, 0), text.length);
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start, end };
}
