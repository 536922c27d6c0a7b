import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { getPath, nodeToJs } from '../../../src/core/config/configQuery';
import { applyTextEdits } from '../../../src/core/fix/structuralEdits';
import type { ConfigFormat, ParsedConfig, TextEdit } from '../../../src/core/types';

/** The regex mirrord documents for letting probes through. */
export const PROBE_SAFE_FILTER = '^User-Agent: (?!kube-probe)';
export const INCOMING = ['feature', 'network', 'incoming'];
export const STEAL_WITH_FILTER = { mode: 'steal', http_filter: { header_filter: PROBE_SAFE_FILTER } };

/**
 * Runs an edit operation on `text`, checks it produced edits that apply to a text which parses
 * without problems and without templates in the new text, and returns the edited text.
 */
export function edited(text: string, format: ConfigFormat, operation: (parsed: ParsedConfig) => TextEdit[] | undefined): string {
  const parsed = parseConfig(text, format);
  const edits = operation(parsed);
  assert.ok(edits, `expected edits for:\n${text}`);
  for (const edit of edits) assert.doesNotMatch(edit.newText, /\{[{%#]/);
  const result = applyTextEdits(text, edits);
  const after = parseConfig(result, format);
  assert.deepEqual(after.problems, [], `edited text has problems:\n${result}`);
  return result;
}

/** The plain value at `path` after parsing. */
export function valueAt(text: string, format: ConfigFormat, path: string[]): unknown {
  return nodeToJs(getPath(parseConfig(text, format).root, path));
}

/** The whole document as plain data. */
export function plainDocument(text: string, format: ConfigFormat): unknown {
  return nodeToJs(parseConfig(text, format).root);
}

/** A deep copy of `tree` with the entry at `path` removed: what must stay unchanged around an edit. */
export function withoutPath(tree: unknown, path: string[]): unknown {
  const copy = structuredCloneLoose(tree);
  let parent: any = copy;
  for (const key of path.slice(0, -1)) {
    if (!parent || typeof parent !== 'object') return copy;
    parent = parent[key];
  }
  if (parent && typeof parent === 'object') delete parent[path[path.length - 1]];
  return copy;
}

/** structuredClone cannot copy the TEMPLATED symbol: copy by hand. */
function structuredCloneLoose(tree: unknown): unknown {
  if (Array.isArray(tree)) return tree.map(structuredCloneLoose);
  if (tree && typeof tree === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tree)) copy[key] = structuredCloneLoose(value);
    return copy;
  }
  return tree;
}

/** The edits of an operation applied twice: the second run must change nothing. */
export function assertIdempotent(text: string, format: ConfigFormat, operation: (parsed: ParsedConfig) => TextEdit[] | undefined): void {
  const once = edited(text, format, operation);
  const second = operation(parseConfig(once, format));
  assert.deepEqual(second, [], `second application should be a no-op on:\n${once}`);
}
