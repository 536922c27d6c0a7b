import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { maskTemplates } from '../../../src/core/config/teraTemplates';
import { getPath } from '../../../src/core/config/configQuery';
import type { ConfigFormat } from '../../../src/core/types';
import { fixAll } from '../../../src/service/fixes';
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

test('nesting deeper than 128 levels: one clear problem and no tree, in every format, however deep (no stack overflow)', () => {
  const deep = (depth: number): [ConfigFormat, string][] => [
    ['json', `{"target": "targetless", "a": ${'{"a": '.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`],
    ['json', `${'['.repeat(depth)}${']'.repeat(depth)}`],
    ['yaml', `target: targetless\na: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}\n`],
    ['toml', `target = "targetless"\n[${Array.from({ length: depth - 1 }, (_, i) => `a${i}`).join('.')}]\nx = 1\n`],
    ['toml', `a = ${'{ a = '.repeat(depth - 1)}1${' }'.repeat(depth - 1)}\n`],
  ];
  for (const depth of [129, 3000, 20_000]) {
    for (const [format, text] of deep(depth)) {
      const where = `${format} ${text.slice(0, 40)}... at ${depth} levels`;
      const parsed = parseConfig(text, format);
      assert.equal(parsed.root, undefined, where);
      assert.deepEqual(
        parsed.problems.map((p) => p.message),
        ['The config nests more than 128 levels deep: Probe Guard does not analyse it.'],
        where,
      );
      assertSpansWellFormed(parsed);
      const analysis = analyzeConfig(parsed);
      assert.deepEqual(
        analysis.findings.map((f) => f.code),
        ['syntax-error'],
        where,
      );
      // What `probe-guard fix` and source.fixAll do: plan every fix (this threw "Maximum call stack size exceeded").
      assert.equal(fixAll(text, (t) => analyzeConfig(parseConfig(t, format))).text, text, where);
    }
  }
  for (const [format, text] of deep(128)) {
    const parsed = parseConfig(text, format);
    assert.deepEqual(parsed.problems, [], `${format} at 128 levels is analysed`);
    assert.equal(parsed.root?.kind, text.startsWith('[') ? 'array' : 'object');
  }
});
