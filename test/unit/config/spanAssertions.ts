import assert from 'node:assert/strict';
import type { ConfigNode, ObjectEntry, ParsedConfig, Span } from '../../../src/core/types';
import { getEntryPath } from '../../../src/core/config/configQuery';

/** Test helpers: look things up in a parsed config and compare spans with the source they cover. */

export function sliceOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

export function entryAt(parsed: ParsedConfig, path: string[]): ObjectEntry {
  const entry = getEntryPath(parsed.root, path);
  assert.ok(entry, `no entry at ${path.join('.')}`);
  return entry;
}

/** The entry's key and value spans cover exactly the expected source text. */
export function assertEntrySource(parsed: ParsedConfig, path: string[], keySource: string, valueSource: string): ObjectEntry {
  const entry = entryAt(parsed, path);
  assert.equal(sliceOf(parsed.text, entry.keySpan), keySource, `key span of ${path.join('.')}`);
  assert.equal(sliceOf(parsed.text, entry.value.span), valueSource, `value span of ${path.join('.')}`);
  return entry;
}

export function assertScalar(node: ConfigNode | undefined, value: string | number | boolean | null): void {
  assert.ok(node, 'missing node');
  assert.equal(node.kind, 'scalar', `expected a scalar, got ${node.kind}`);
  if (node.kind === 'scalar') assert.equal(node.value, value);
}

/** Every span in the tree lies within the text and has start <= end; children within parents. */
export function assertSpansWellFormed(parsed: ParsedConfig): void {
  const length = parsed.text.length;
  const check = (span: Span, what: string) => {
    assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what}: non-integer span`);
    assert.ok(0 <= span.start && span.start <= span.end && span.end <= length, `${what}: ${JSON.stringify(span)} outside 0..${length}`);
  };
  const visit = (node: ConfigNode, depth: number) => {
    check(node.span, `node at depth ${depth}`);
    if (node.kind === 'object') {
      for (const entry of node.entries) {
        check(entry.keySpan, `key ${entry.key}`);
        check(entry.span, `entry ${entry.key}`);
        visit(entry.value, depth + 1);
      }
    } else if (node.kind === 'array') {
      for (const item of node.items) visit(item, depth + 1);
    }
  };
  if (parsed.root) visit(parsed.root, 0);
  parsed.problems.forEach((problem, i) => check(problem.span, `problem ${i} (${problem.message})`));
  parsed.templateSpans.forEach((span, i) => {
    check(span, `template ${i}`);
    if (i > 0) assert.ok(parsed.templateSpans[i - 1].end <= span.start, 'template spans ordered and disjoint');
  });
}
