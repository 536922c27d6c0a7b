import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { ConfigNode } from '../../../src/core/types';

/**
 * Test helper: a ConfigNode tree with real spans from JSON text, so tests can assert where a
 * problem points without depending on the config parser that another module owns.
 */
export function configNodeFromJson(text: string): ConfigNode {
  const tree = parseTree(text);
  if (!tree) throw new Error(`not JSON: ${text}`);
  return convert(tree);
}

function convert(node: JsonNode): ConfigNode {
  const span = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object':
      return {
        kind: 'object',
        span,
        entries: (node.children ?? []).map((property) => {
          const [key, value] = property.children ?? [];
          return {
            key: String(key.value),
            keySpan: { start: key.offset, end: key.offset + key.length },
            value: convert(value),
            span: { start: property.offset, end: property.offset + property.length },
          };
        }),
      };
    case 'array':
      return { kind: 'array', span, items: (node.children ?? []).map(convert) };
    default:
      return { kind: 'scalar', span, value: node.value as string | number | boolean | null };
  }
}

/** The value node at `path` (object keys only), for asserting spans. */
export function nodeAt(root: ConfigNode, ...path: string[]): ConfigNode {
  let node: ConfigNode = root;
  for (const key of path) {
    if (node.kind !== 'object') throw new Error(`no object at ${key}`);
    const entry = node.entries.find((e) => e.key === key);
    if (!entry) throw new Error(`no key ${key}`);
    node = entry.value;
  }
  return node;
}
