import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';
import { matchFilter } from '../../../src/core/filter/httpFilter';
import { translateMirrordRegex } from '../../../src/core/regex/translateRegex';

test('budgeted runner: ordinary patterns give plain answers', () => {
  const runner = createBudgetedRegexRunner();
  const t = translateMirrordRegex('^User-Agent: (?!kube-probe)');
  assert.ok(t.ok);
  if (!t.ok) return;
  assert.equal(runner.test(t.regex, 'user-agent: curl/8'), true);
  assert.equal(runner.test(t.regex, 'user-agent: kube-probe/1.30'), false);
});

test('budgeted runner: risky but harmless inputs still get an answer', () => {
  const runner = createBudgetedRegexRunner({ budgetMs: 1000 });
  const t = translateMirrordRegex('^(a+)+$');
  assert.ok(t.ok);
  if (!t.ok) return;
  assert.equal(runner.test(t.regex, 'aaaa'), true);
  assert.equal(runner.test(t.regex, 'b'), false);
});

test('budgeted runner: a catastrophic regex comes back as timeout', () => {
  const runner = createBudgetedRegexRunner({ budgetMs: 20 });
  const t = translateMirrordRegex('^(a+)+$');
  assert.ok(t.ok);
  if (!t.ok) return;
  assert.equal(runner.test(t.regex, 'a'.repeat(40) + 'b'), 'timeout');
  // Cached: the same question gets the same answer.
  assert.equal(runner.test(t.regex, 'a'.repeat(40) + 'b'), 'timeout');
});

test('budgeted runner: a hostile header filter makes the verdict unknown', () => {
  const runner = createBudgetedRegexRunner({ budgetMs: 20 });
  const request = {
    method: 'GET',
    path: '/healthz',
    pathAndQuery: '/healthz',
    headers: [{ name: 'x', value: 'a'.repeat(40) + 'b' }],
  };
  // The line is "x: aaaa...b" (43 characters); the filter backtracks on it without end.
  const result = matchFilter({ kind: 'header', pattern: '^x: (a+)+$' }, request, runner);
  assert.equal(result.result, 'unknown');
  assert.ok(result.reason.includes('took too long'), result.reason);
  assert.ok(result.reason.includes('^x: (a+)+$'), result.reason);
});

test('budgeted runner: the LRU keeps answers apart per input and per regex', () => {
  const runner = createBudgetedRegexRunner({ cacheSize: 2 });
  const a = /a/iu;
  const b = /b/iu;
  assert.equal(runner.test(a, 'xa'), true);
  assert.equal(runner.test(b, 'xa'), false);
  assert.equal(runner.test(a, 'xb'), false);
  assert.equal(runner.test(a, 'xa'), true);
});

test('budgeted runner: a global regex answers the same every time', () => {
  const runner = createBudgetedRegexRunner();
  const g = /a/g;
  assert.equal(runner.test(g, 'a'), true);
  assert.equal(runner.test(g, 'ba'), true);
  assert.equal(runner.test(g, 'ba'), true);
});

test('budgeted runner: nonsense options fall back to defaults and nothing throws', () => {
  const runner = createBudgetedRegexRunner({ budgetMs: -5, cacheSize: Number.NaN });
  assert.equal(runner.test(/x/, 'x'), true);
  assert.equal(runner.test(null as unknown as RegExp, 'x'), 'timeout');
});
