import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { appendToArrayEdits, replaceEntryEdits, setValueEdits } from '../../../src/core/fix/structuralEdits';
import type { ConfigFormat } from '../../../src/core/types';
import { edited, INCOMING, STEAL_WITH_FILTER, valueAt } from './fixTestSupport';

const TEMPLATED_INCOMING: Record<ConfigFormat, string> = {
  json: '{"target": "pod/a", "feature": {"network": {"incoming": {{ get_env(name="MODE") }}, "ports": {{ ports }}}}}\n',
  yaml: 'target: pod/a\nfeature:\n  network:\n    incoming: {{ get_env(name="MODE") }}\n    ports: {{ ports }}\n',
  toml: 'target = "pod/a"\n[feature.network]\nincoming = {{ get_env(name="MODE") }}\nports = {{ ports }}\n',
};

for (const format of ['json', 'yaml', 'toml'] as const) {
  test(`${format}: a templated value is never overwritten, replaced or appended to`, () => {
    const parsed = parseConfig(TEMPLATED_INCOMING[format], format);
    assert.equal(parsed.templateSpans.length, 2);
    assert.equal(setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER), undefined);
    assert.equal(setValueEdits(parsed, [...INCOMING, 'mode'], 'steal'), undefined);
    assert.equal(replaceEntryEdits(parsed, INCOMING, 'incoming', 'steal'), undefined);
    assert.equal(appendToArrayEdits(parsed, ['feature', 'network', 'ports'], 80), undefined);
  });

  test(`${format}: edits next to a template keep it intact`, () => {
    const text = TEMPLATED_INCOMING[format];
    const result = edited(text, format, (parsed) => setValueEdits(parsed, ['feature', 'network', 'dns'], false));
    assert.equal(valueAt(result, format, ['feature', 'network', 'dns']), false);
    assert.ok(result.includes('{{ get_env(name="MODE") }}') && result.includes('{{ ports }}'));
  });

  test(`${format}: values or keys holding template tags are refused`, () => {
    const parsed = parseConfig(TEMPLATED_INCOMING[format], format);
    for (const value of ['{{ x }}', 'a{%b', 'c{#d', { header: '{{x}}' }, ['{% if %}']]) {
      assert.equal(setValueEdits(parsed, ['agent', 'x'], value), undefined, JSON.stringify(value));
      assert.equal(appendToArrayEdits(parsed, ['agent', 'list'], value), undefined);
    }
    assert.equal(setValueEdits(parsed, ['agent', '{{k}}'], 1), undefined);
    assert.equal(setValueEdits(parsed, ['agent'], { '{#k#}': 1 }), undefined);
  });

  test(`${format}: never writes a $schema key`, () => {
    const parsed = parseConfig(TEMPLATED_INCOMING[format], format);
    assert.equal(setValueEdits(parsed, ['$schema'], 'https://example.com/schema.json'), undefined);
    assert.equal(setValueEdits(parsed, ['agent'], { $schema: 'x' }), undefined);
    assert.equal(setValueEdits(parsed, ['agent'], { nested: [{ $schema: 'x' }] }), undefined);
    assert.equal(replaceEntryEdits(parsed, ['target'], '$schema', 'x'), undefined);
  });

  test(`${format}: bad input never throws`, () => {
    const parsed = parseConfig(TEMPLATED_INCOMING[format], format);
    const bad: unknown[] = [undefined, NaN, Infinity, () => 1, Symbol('s'), new Date(0), { a: undefined }, 10n];
    for (const value of bad) assert.equal(setValueEdits(parsed, ['agent', 'x'], value as never), undefined);
    assert.equal(setValueEdits(parsed, [], 1), undefined);
    assert.equal(setValueEdits(parsed, [''], 1), undefined);
    assert.equal(setValueEdits(parsed, [1 as never], 1), undefined);
    assert.equal(setValueEdits(undefined as never, ['a'], 1), undefined);
    assert.equal(setValueEdits({} as never, ['a'], 1), undefined);
    assert.equal(replaceEntryEdits(parsed, ['target'], undefined as never, 1), undefined);
    assert.equal(appendToArrayEdits(null as never, ['a'], 1), undefined);
  });
}
