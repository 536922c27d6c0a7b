import type { ConfigNode } from '../types';

/** A plain value an edit writes into a config. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** Stands for a Tera-templated value in a plain conversion: never equal to anything we write. */
export interface TemplatedValue {
  template: string;
}

const TEMPLATE_MARKER = /\{[{%#]/;

/** True when `value` is representable in every format we edit (finite numbers, no `undefined`, no cycles). */
export function isWritableValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 100) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isWritableValue(item, depth + 1));
  if (typeof value === 'object' && isPlainRecord(value)) {
    return Object.values(value as object).every((item) => isWritableValue(item, depth + 1));
  }
  return false;
}

/**
 * Anything in `value` (keys included) that Tera would read as a template tag. mirrord renders the
 * file before parsing it, so writing `{{` would change what the file means: such edits are refused.
 */
export function containsTemplateMarker(value: JsonValue): boolean {
  if (typeof value === 'string') return TEMPLATE_MARKER.test(value);
  if (Array.isArray(value)) return value.some(containsTemplateMarker);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => TEMPLATE_MARKER.test(key) || containsTemplateMarker(item));
  }
  return false;
}

/** mirrord denies unknown keys, and editors love to add `$schema`: we never write one. */
export function containsForbiddenKey(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(containsForbiddenKey);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => isForbiddenKey(key) || containsForbiddenKey(item));
  }
  return false;
}

export function isForbiddenKey(key: string): boolean {
  return key === '$schema';
}

/** The node as plain data; templated spots become `{ template }` markers. Later duplicate keys win. */
export function toPlainValue(node: ConfigNode): JsonValue | TemplatedValue | PlainTree {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'template':
      return { template: node.text };
    case 'array':
      return node.items.map(toPlainValue) as PlainTree;
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        // defineProperty: a `__proto__` key in a config must stay a plain key.
        Object.defineProperty(result, entry.key, { value: toPlainValue(entry.value), enumerable: true, writable: true, configurable: true });
      }
      return result as PlainTree;
    }
  }
}

/** Plain data possibly containing template markers. */
export type PlainTree = JsonValue | TemplatedValue | PlainTree[] | { [k: string]: PlainTree };

/** Structural equality; object key order does not matter, array order does. */
export function plainEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => plainEquals(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => Object.prototype.hasOwnProperty.call(bRecord, key) && plainEquals((a as Record<string, unknown>)[key], bRecord[key]));
}

/** `{a: {b: value}}` for path `[a, b]`; the value itself for an empty path. */
export function nestValue(path: string[], value: JsonValue): JsonValue {
  let result = value;
  for (let i = path.length - 1; i >= 0; i--) result = { [path[i]]: result };
  return result;
}

/** An object literal (or a prototype-less record), not a Date, Map or class instance. */
export function isPlainRecord(value: unknown): value is { [k: string]: JsonValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
