import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { translateMirrordRegex } from '../../../src/core/regex/translateRegex';

test('translateMirrordRegex never throws and always answers in shape', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (pattern) => {
      const t = translateMirrordRegex(pattern);
      if (t.ok) {
        assert.ok(t.regex instanceof RegExp);
        assert.equal(t.regex.source, t.source);
      } else {
        assert.ok(t.reason === 'invalid' || t.reason === 'untranslatable');
        assert.ok(t.message.length > 0);
      }
    }),
    { numRuns: 2000 },
  );
});

test('translateMirrordRegex never throws on regex-flavoured noise', () => {
  const piece = fc.constantFrom(
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '|',
    '*',
    '+',
    '?',
    '^',
    '$',
    '.',
    '\\',
    '-',
    ':',
    '!',
    '=',
    '<',
    '>',
    'P',
    'k',
    'a',
    'Z',
    '1',
    '#',
    ' ',
    '\n',
    '(?',
    '(?<',
    '(?P<',
    '[:',
    ':]',
    '\\p{',
    '\\x{',
    '&&',
    ',',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
      const t = translateMirrordRegex(pieces.join(''));
      assert.equal(typeof t.ok, 'boolean');
    }),
    { numRuns: 3000 },
  );
});

/**
 * Simple patterns built together with an independent oracle: a pattern is a sequence of
 * tokens, each a literal character, a small class or `.`, optionally anchored at either end.
 * The oracle decides a match by brute force, so it shares no code with the translator.
 */
type Token = { text: string; accepts: (ch: string) => boolean };

const fold = (ch: string) => ch.toLowerCase();
const literalToken = fc
  .constantFrom(...'abcXYZ09-/: '.split(''))
  .map((ch): Token => ({ text: /[a-zA-Z0-9 ]/.test(ch) ? ch : `\\${ch}`, accepts: (c) => fold(c) === fold(ch) }));
const classToken = fc.constantFrom<Token>(
  { text: '[a-c]', accepts: (c) => /^[a-c]$/i.test(c) },
  { text: '[^a-c]', accepts: (c) => !/^[a-c]$/i.test(c) },
  { text: '[0-9]', accepts: (c) => /^[0-9]$/.test(c) },
  { text: '[xyz/]', accepts: (c) => /^[xyz/]$/i.test(c) },
  { text: '.', accepts: (c) => c !== '\n' },
  { text: '\\d', accepts: (c) => /^[0-9]$/.test(c) },
);
const simplePattern = fc.record({
  start: fc.boolean(),
  end: fc.boolean(),
  tokens: fc.array(fc.oneof(literalToken, classToken), { minLength: 1, maxLength: 5 }),
});
const inputChars = fc.constantFrom(...'abcABCxyzXYZ0189-/: \n'.split(''));

function oracle(p: { start: boolean; end: boolean; tokens: Token[] }, input: string): boolean {
  const n = p.tokens.length;
  for (let at = 0; at + n <= input.length; at++) {
    if (p.start && at !== 0) break;
    if (p.end && at + n !== input.length) continue;
    if (p.tokens.every((t, k) => t.accepts(input[at + k]))) return true;
  }
  return false;
}

test('simple translated patterns agree with a brute-force oracle', () => {
  fc.assert(
    fc.property(simplePattern, fc.array(inputChars, { maxLength: 8 }), (p, chars) => {
      const pattern = `${p.start ? '^' : ''}${p.tokens.map((t) => t.text).join('')}${p.end ? '$' : ''}`;
      const input = chars.join('');
      const t = translateMirrordRegex(pattern);
      assert.ok(t.ok, `${pattern}: ${JSON.stringify(t)}`);
      if (t.ok) assert.equal(t.regex.test(input), oracle(p, input), `/${pattern}/ on ${JSON.stringify(input)}`);
    }),
    { numRuns: 3000 },
  );
});
