import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { maskTemplates } from '../../../src/core/config/teraTemplates';
import { getPath } from '../../../src/core/config/configQuery';
import type { ConfigFormat } from '../../../src/core/types';
import { CONFIG_FIXTURES } from './fixtures';
import { assertSpansWellFormed } from './spanAssertions';

const FORMATS: ConfigFormat[] = ['json', 'yaml', 'toml'];

test('every fixture parses without problems and finds its incoming mode', () => {
  for (const fixture of CONFIG_FIXTURES) {
    const parsed = parseConfig(fixture.text, fixture.format);
    assert.deepEqual(parsed.problems, [], fixture.name);
    assert.equal(parsed.root?.kind, 'object', fixture.name);
    const incoming = getPath(parsed.root, ['feature', 'network', 'incoming']);
    assert.ok(incoming, `${fixture.name}: feature.network.incoming`);
    assertSpansWellFormed(parsed);
  }
});

test('every prefix of every fixture, in its own format and in the others: never throws, spans well-formed', () => {
  for (const fixture of CONFIG_FIXTURES) {
    for (let end = 0; end <= fixture.text.length; end++) {
      const prefix = fixture.text.slice(0, end);
      for (const format of FORMATS) {
        const parsed = parseConfig(prefix, format);
        assert.equal(parsed.text, prefix);
        assertSpansWellFormed(parsed);
        assert.ok(!parsed.problems.some((p) => p.message.startsWith('could not parse')), `${fixture.name}[0..${end}] as ${format}`);
      }
    }
  }
});

test('masking keeps the length and changes only template spans (property)', () => {
  const templatey = fc.string({ unit: fc.constantFrom('{', '}', '%', '#', '"', "'", '\\', '\n', '\r', '/', '*', 'a', ' ', ':', '[', ']', ',', '=') });
  fc.assert(
    fc.property(templatey, fc.constantFrom(...FORMATS), (text, format) => {
      const { masked, spans } = maskTemplates(text, format);
      assert.equal(masked.length, text.length);
      let previousEnd = 0;
      for (const span of spans) {
        assert.ok(previousEnd <= span.start && span.start < span.end && span.end <= text.length);
        assert.equal(masked.slice(previousEnd, span.start), text.slice(previousEnd, span.start));
        previousEnd = span.end;
      }
      assert.equal(masked.slice(previousEnd), text.slice(previousEnd));
    }),
    { numRuns: 500 },
  );
});

test('random strings never throw and give well-formed spans (property)', () => {
  const syntaxy = fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      "'",
      ':',
      ',',
      '=',
      '#',
      '%',
      '-',
      '.',
      '\n',
      '\r\n',
      ' ',
      '\t',
      'a',
      '1',
      '&',
      '*',
      '!',
      '|',
      '>',
      '?',
      '/',
      '\\',
      '\uE000',
      '\uD800',
    ),
    maxLength: 80,
  });
  fc.assert(
    fc.property(fc.oneof(syntaxy, fc.string(), fc.string({ unit: 'binary' })), fc.constantFrom(...FORMATS), (text, format) => {
      const parsed = parseConfig(text, format);
      assertSpansWellFormed(parsed);
    }),
    { numRuns: 1500 },
  );
});

test('fixtures with random edits never throw (property)', () => {
  const fixtureIndex = fc.integer({ min: 0, max: CONFIG_FIXTURES.length - 1 });
  fc.assert(
    fc.property(fixtureIndex, fc.nat(), fc.nat(), fc.string({ maxLength: 6 }), (index, a, b, insert) => {
      const { text, format } = CONFIG_FIXTURES[index];
      const start = a % (text.length + 1);
      const end = Math.min(text.length, start + (b % 8));
      const edited = text.slice(0, start) + insert + text.slice(end);
      assertSpansWellFormed(parseConfig(edited, format));
    }),
    { numRuns: 500 },
  );
});
