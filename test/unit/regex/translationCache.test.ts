import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedTranslation } from '../../../src/core/regex/translationCache';

test('cachedTranslation: the same pattern is translated once', () => {
  const first = cachedTranslation('^User-Agent: (?!kube-probe)');
  const second = cachedTranslation('^User-Agent: (?!kube-probe)');
  assert.equal(first, second);
  assert.ok(first.ok);
});

test('cachedTranslation: different patterns get their own answers, refusals included', () => {
  const good = cachedTranslation('abc');
  const bad = cachedTranslation('(abc');
  assert.notEqual(good, bad);
  assert.equal(bad.ok, false);
  assert.equal(cachedTranslation('(abc'), bad);
});

test('cachedTranslation: stays correct past its size limit', () => {
  for (let i = 0; i < 1200; i++) {
    const t = cachedTranslation(`^x${i}$`);
    assert.ok(t.ok && t.regex.test(`x${i}`) && !t.regex.test(`x${i}0`));
  }
  const again = cachedTranslation('^x5$');
  assert.ok(again.ok && again.regex.test('X5'));
});
