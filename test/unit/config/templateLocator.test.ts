import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TemplateLocator } from '../../../src/core/config/templateLocator';
import type { Span } from '../../../src/core/types';

/** Disjoint, ordered spans from a list of (gap, length) pairs. */
const disjointSpans = fc.array(fc.tuple(fc.nat(20), fc.integer({ min: 1, max: 10 })), { maxLength: 40 }).map((pairs) => {
  const spans: Span[] = [];
  let at = 0;
  for (const [gap, length] of pairs) {
    spans.push({ start: at + gap, end: at + gap + length });
    at += gap + length;
  }
  return spans;
});
const query = fc.tuple(fc.nat(700), fc.nat(15)).map(([start, length]) => ({ start, end: start + length }));

function bruteForce(spans: Span[], span: Span): boolean {
  const end = Math.max(span.end, span.start + 1);
  return spans.some((t) => t.start < end && t.end > span.start);
}

test('overlaps agrees with a brute-force check for queries in any order (property)', () => {
  fc.assert(
    fc.property(disjointSpans, fc.array(query, { maxLength: 60 }), fc.boolean(), (spans, queries, sorted) => {
      const locator = new TemplateLocator(spans);
      const ordered = sorted ? [...queries].sort((a, b) => a.start - b.start) : queries;
      for (const q of ordered) assert.equal(locator.overlaps(q), bruteForce(spans, q), JSON.stringify({ spans, q }));
    }),
    { numRuns: 400 },
  );
});

test('touching is not overlapping; a zero-length span inside a template is', () => {
  const locator = new TemplateLocator([{ start: 5, end: 10 }]);
  assert.equal(locator.overlaps({ start: 0, end: 5 }), false);
  assert.equal(locator.overlaps({ start: 10, end: 12 }), false);
  assert.equal(locator.overlaps({ start: 7, end: 7 }), true);
  assert.equal(locator.overlaps({ start: 9, end: 11 }), true);
  assert.equal(new TemplateLocator([]).overlaps({ start: 0, end: 1 }), false);
});
