/** Asserts the construct table (fancyRegexTable.ts, with its sources) against the translator. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateMirrordRegex } from '../../../src/core/regex/translateRegex';
import { CLASS_COPY_MAX, classUpperBound } from '../../../src/core/regex/sizeLimit';
import { TABLE } from './fancyRegexTable';

for (const row of TABLE) {
  test(`fancy-regex 0.14 ${row.fancy === 'error' ? 'refuses' : 'compiles'} ${JSON.stringify(row.pattern)} (${row.cite})`, () => {
    const t = translateMirrordRegex(row.pattern);
    const expected = row.fancy === 'error' ? 'invalid' : row.translator === 'unknown' ? 'untranslatable' : 'ok';
    assert.equal(t.ok ? 'ok' : t.reason, expected, JSON.stringify(t));
    if (!t.ok) {
      if (row.mentions) assert.ok(t.message.includes(row.mentions), `message ${JSON.stringify(t.message)} should mention ${JSON.stringify(row.mentions)}`);
      return;
    }
    assert.equal(t.regex.flags, 'u', 'case is folded node by node, never with the JS i flag');
    for (const input of row.matches ?? []) assert.equal(t.regex.test(input), true, `${JSON.stringify(input)} should match /${t.source}/`);
    for (const input of row.rejects ?? []) assert.equal(t.regex.test(input), false, `${JSON.stringify(input)} should not match /${t.source}/`);
  });
}

test('the table covers compiling, refused and unknown constructs', () => {
  assert.ok(TABLE.filter((r) => r.fancy === 'error').length >= 30);
  assert.ok(TABLE.filter((r) => r.fancy === 'compiles' && r.translator !== 'unknown').length >= 60);
});

test('CLASS_COPY_MAX bounds the largest Unicode classes, so small patterns need no size measurement', () => {
  for (const fragment of ['\\p{Assigned}', '\\p{Alphabetic}', '\\p{Cn}', '\\p{L}']) {
    assert.ok(classUpperBound({ k: 'prop', fragment, negated: false }, true) < CLASS_COPY_MAX, fragment);
  }
  assert.ok(classUpperBound({ k: 'perl', which: 'w', negated: false }, true) < CLASS_COPY_MAX);
});
