import type { ConfigNode, ObjectEntry, ObjectNode } from '../types';

/** Where a key path leads in a config tree. */
export type PathLookup =
  /** The whole path exists. `entry` is the entry holding the node (absent for an empty path). */
  | { kind: 'found'; node: ConfigNode; entry?: ObjectEntry; parent?: ObjectNode }
  /** `path[0..depth)` is the object `object`; `path[depth]` is not in it. */
  | { kind: 'missing'; object: ObjectNode; depth: number }
  /** `path[0..depth)` is an explicit `null` (YAML `key:`): it can be replaced by an object. */
  | { kind: 'null'; node: ConfigNode; entry: ObjectEntry; parent: ObjectNode; depth: number }
  /** The file has no tree at all (empty, only comments). */
  | { kind: 'no-root' }
  /** Something on the way is not an object we can write into (array, scalar, template, duplicate key, alias). */
  | { kind: 'blocked' };

/**
 * `nestedSpans`: children's text lies inside their parent's (JSON, YAML). TOML tables get the span of
 * the header that created them, so there the check is off.
 */
export function lookupPath(root: ConfigNode | undefined, path: string[], nestedSpans = true): PathLookup {
  if (!root) return { kind: 'no-root' };
  let node: ConfigNode = root;
  let entry: ObjectEntry | undefined;
  let parent: ObjectNode | undefined;
  for (let depth = 0; depth < path.length; depth++) {
    if (node.kind === 'scalar' && node.value === null && entry && parent) {
      return { kind: 'null', node, entry, parent, depth };
    }
    if (node.kind !== 'object') return { kind: 'blocked' };
    const matches = node.entries.filter((candidate) => candidate.key === path[depth]);
    if (matches.length > 1) return { kind: 'blocked' }; // which one mirrord would read is not ours to guess
    if (matches.length === 0) return { kind: 'missing', object: node, depth };
    const next = matches[0];
    // A YAML alias shows its anchor's contents, whose spans lie elsewhere: editing them there would
    // change every other use of the anchor too.
    if (nestedSpans && !contains(node, next)) return { kind: 'blocked' };
    parent = node;
    entry = next;
    node = next.value;
  }
  return { kind: 'found', node, entry, parent };
}

/** True when the entry's text lies within the object's text (false for YAML aliases). */
function contains(object: ObjectNode, entry: ObjectEntry): boolean {
  return entry.span.start >= object.span.start && entry.span.end <= object.span.end;
}
