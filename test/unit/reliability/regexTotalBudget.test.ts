/**
 * The budgeted runner's total budget per analysis: twenty hostile regexes cost one total budget,
 * not twenty per-match budgets; a starved answer is not cached; beginAnalysis starts afresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { translateMirrordRegex } from '../../../src/core/regex/translateRegex';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';

function regex(source: string): RegExp {
  const t = translateMirrordRegex(source);
  assert.ok(t.ok, source);
  return t.ok ? t.regex : /(?:)/;
}

const HOSTILE = Array.from({ length: 20 }, (_, i) => regex(`(a+)+${'b'.repeat(i + 1)}$`));
const INPUT = 'a'.repeat(60) + '!';

test('20 hostile matches share one total budget: only the first few run, the rest are starved at once', () => {
  // A fake clock: every budgeted run "takes" 50 ms (consecutive clock reads 50 ms apart).
  let reads = 0;
  const runner = createBudgetedRegexRunner({ budgetMs: 50, totalBudgetMs: 200, now: () => 50 * ++reads });
  runner.beginAnalysis?.();
  for (const re of HOSTILE) assert.equal(runner.test(re, INPUT), 'timeout');
  assert.equal(reads, 8, '4 runs of 50 ms spend the 200 ms total; the other 16 never run');
  runner.beginAnalysis?.();
  // Starved answers were not cached: a fresh analysis runs them again (4 more runs).
  for (const re of HOSTILE.slice(4)) assert.equal(runner.test(re, INPUT), 'timeout');
  assert.equal(reads, 16);
});

test('a starved answer is not cached: the next analysis gets a fresh budget and a real answer', () => {
  let clock = 0;
  const runner = createBudgetedRegexRunner({ budgetMs: 1000, totalBudgetMs: 1000, now: () => (clock += 300) });
  const risky = regex('(a+)+$');
  runner.beginAnalysis?.();
  assert.equal(runner.test(risky, 'aaaa'), true); // 300 ms "spent"
  assert.equal(runner.test(risky, 'aaab'), false); // 600
  assert.equal(runner.test(risky, 'aaac'), false); // 900
  assert.equal(runner.test(risky, 'aaaaa'), true, 'ran with the 100 ms left'); // 1200: total gone
  assert.equal(runner.test(risky, 'aaaaaa'), 'timeout', 'starved: answered timeout without running');
  runner.beginAnalysis?.();
  assert.equal(runner.test(risky, 'aaaaaa'), true, 'fresh budget, not a cached starved answer');
  // Cached real answers survive the reset.
  assert.equal(runner.test(risky, 'aaab'), false);
});

test('the default runner bounds 20 hostile items (100 ms each) near its 1 s total', () => {
  const runner = createBudgetedRegexRunner();
  runner.beginAnalysis?.();
  const started = performance.now();
  for (const re of HOSTILE) assert.equal(runner.test(re, INPUT), 'timeout');
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  // A cached full-budget timeout answers at once even after the total is spent.
  assert.equal(runner.test(HOSTILE[0], INPUT), 'timeout');
});
