import type { ConfigNode, ObjectEntry, TemplateNode } from '../types';

/**
 * Small read helpers over the config tree. Duplicate keys keep every entry in the tree, but a
 * lookup returns the last one (what a lenient reader would take).
 */

/** Stands for "decided by a Tera template": known to be set, value unknown. Distinct from undefined (absent). */
export const TEMPLATED: unique symbol = Symbol('probe-guard.templated');

export function isTemplate(node: ConfigNode | undefined): node is TemplateNode {
  return node !== undefined && node !== null && node.kind === 'template';
}

/** The last entry named `key` when `obj` is an object node; otherwise undefined. */
export function getEntry(obj: ConfigNode | undefined, key: string): ObjectEntry | undefined {
  if (!obj || obj.kind !== 'object') return undefined;
  for (let i = obj.entries.length - 1; i >= 0; i--) {
    if (obj.entries[i].key === key) return obj.entries[i];
  }
  return undefined;
}

/**
 * The last entry named `key` unless its value is an explicit `null`: mirrord's file config fields
 * are `Option`s, so `"ports": null` means "not set", never a wrong value.
 */
export function getSetEntry(obj: ConfigNode | undefined, key: string): ObjectEntry | undefined {
  const entry = getEntry(obj, key);
  return entry && !(entry.value.kind === 'scalar' && entry.value.value === null) ? entry : undefined;
}

/** The entry at `path` (e.g. `['feature', 'network', 'incoming']`); undefined when any step is missing. */
export function getEntryPath(root: ConfigNode | undefined, path: readonly string[]): ObjectEntry | undefined {
  if (path.length === 0) return undefined;
  let node = root;
  let entry: ObjectEntry | undefined;
  for (const key of path) {
    entry = getEntry(node, key);
    if (!entry) return undefined;
    node = entry.value;
  }
  return entry;
}

/** The node at `path`; the empty path gives `root` itself. */
export function getPath(root: ConfigNode | undefined, path: readonly string[]): ConfigNode | undefined {
  if (path.length === 0) return root;
  return getEntryPath(root, path)?.value;
}

/**
 * A plain JS value (last duplicate key wins). Template nodes become `TEMPLATED`, anywhere in the
 * tree, so callers can tell "set by a template" from "not set".
 */
export function nodeToJs(node: ConfigNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'template':
      return TEMPLATED;
    case 'array':
      return node.items.map((item) => nodeToJs(item));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        // defineProperty: a `__proto__` key in a config must stay a plain key.
        Object.defineProperty(result, entry.key, {
          value: nodeToJs(entry.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    default:
      return undefined;
  }
}
