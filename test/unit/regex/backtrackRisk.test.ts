import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLinearSafe } from '../../../src/core/regex/backtrackRisk';
import { translateMirrordRegex } from '../../../src/core/regex/translateRegex';

/** Checked on the translated source, which is what the runner sees. */
function translated(pattern: string): string {
  const t = translateMirrordRegex(pattern);
  assert.ok(t.ok, pattern);
  return t.ok ? t.source : '';
}

const SAFE = [
  '^User-Agent: (?!kube-probe)',
  '^/api/.*',
  '^(?!.*kube-probe)',
  '^baggage: .*mirrord-session=abc',
  '.*',
  'x-(a|b)',
  '(ab)+',
  '\\bfoo',
  '[a-z]+\\d*',
  '(?:abc){1,3}',
];
const RISKY = ['^(a+)+$', '(a|aa)*', '(a*)*b', '(\\w+\\s?)+$', '(?>a+)b', '.*a.*b.*c', '(?:x|y){2,}', '(a?){30}'];

for (const pattern of SAFE) {
  test(`isLinearSafe: ${pattern} runs directly`, () => assert.equal(isLinearSafe(translated(pattern)), true));
}
for (const pattern of RISKY) {
  test(`isLinearSafe: ${pattern} needs the budget`, () => assert.equal(isLinearSafe(translated(pattern)), false));
}

test('isLinearSafe: backreferences are never safe', () => {
  assert.equal(isLinearSafe('(a)\\1'), false);
  assert.equal(isLinearSafe('(?<n>a)\\k<n>'), false);
});

test('isLinearSafe: malformed source is not safe, and does not throw', () => {
  for (const source of ['(a', 'a)', '[abc', '\\', 42 as unknown as string]) assert.equal(isLinearSafe(source), false);
});
