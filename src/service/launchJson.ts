/**
 * A launch.json text read the way VS Code reads it (JSON with comments and trailing commas): the
 * `configurations` array, each entry with the offsets of its text, so that a front end can put
 * something above each one (the CodeLens). Pure; never throws.
 */
import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';

export interface LaunchJsonEntry {
  /** Index in `configurations`. */
  index: number;
  value: unknown;
  /** Where the entry's text starts and ends (its `{` and after its `}`). */
  start: number;
  end: number;
}

export function launchJsonEntries(text: string): LaunchJsonEntry[] {
  let root: Node | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    return [];
  }
  const configurations = root ? findNodeAtLocation(root, ['configurations']) : undefined;
  if (configurations?.type !== 'array') return [];
  return (configurations.children ?? []).map((node, index) => ({
    index,
    value: getNodeValue(node) as unknown,
    start: node.offset,
    end: node.offset + node.length,
  }));
}
