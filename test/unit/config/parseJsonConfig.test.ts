import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { getPath, nodeToJs, TEMPLATED } from '../../../src/core/config/configQuery';
import { assertEntrySource, assertScalar, assertSpansWellFormed, sliceOf } from './spanAssertions';

test('JSON: nested objects and arrays with key and value spans into the text', () => {
  const text =
    '{"target": {"path": "deployment/api", "namespace": "shop"},\n "feature": {"network": {"incoming": {"mode": "steal", "port_mapping": [[9090, 8080]]}}}}';
  const parsed = parseConfig(text, 'json');
  assert.deepEqual(parsed.problems, []);
  assertEntrySource(parsed, ['target', 'path'], '"path"', '"deployment/api"');
  assertScalar(getPath(parsed.root, ['target', 'namespace']), 'shop');
  const mode = assertEntrySource(parsed, ['feature', 'network', 'incoming', 'mode'], '"mode"', '"steal"');
  assert.equal(sliceOf(text, mode.span), '"mode": "steal"');
  assertEntrySource(parsed, ['feature', 'network', 'incoming', 'port_mapping'], '"port_mapping"', '[[9090, 8080]]');
  const mapping = getPath(parsed.root, ['feature', 'network', 'incoming', 'port_mapping']);
  assert.ok(mapping?.kind === 'array' && mapping.items[0].kind === 'array');
  if (mapping?.kind === 'array' && mapping.items[0].kind === 'array') {
    assert.equal(sliceOf(text, mapping.items[0].items[1].span), '8080');
  }
  assert.deepEqual(nodeToJs(parsed.root), JSON.parse(text));
  assertSpansWellFormed(parsed);
});

test('JSON: comments and trailing commas are accepted without problems', () => {
  const text = '// head\n{\n  /* block */ "a": [1, 2,],\n  "b": {"c": null, "d": true,}, // tail\n}\n';
  const parsed = parseConfig(text, 'json');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(nodeToJs(parsed.root), { a: [1, 2], b: { c: null, d: true } });
});

test('JSON: syntax errors are reported with a span and the partial tree still comes back', () => {
  const text = '{\n  "target": "pod/api",\n  "feature": {"network": {"incoming": "steal" "dns": false}},\n  "agent": \n}';
  const parsed = parseConfig(text, 'json');
  assert.ok(parsed.problems.length >= 2);
  const commaProblem = parsed.problems.find((p) => p.message === 'Comma expected');
  assert.ok(commaProblem, JSON.stringify(parsed.problems));
  assert.equal(sliceOf(text, commaProblem.span), '"dns"');
  assert.ok(parsed.problems.some((p) => p.message === 'Value expected'));
  assertScalar(getPath(parsed.root, ['target']), 'pod/api');
  assertScalar(getPath(parsed.root, ['feature', 'network', 'incoming']), 'steal');
  assertSpansWellFormed(parsed);
});

test('JSON: an unclosed object while typing still yields its entries', () => {
  const parsed = parseConfig('{"feature": {"network": {"incoming": "steal"', 'json');
  assert.ok(parsed.problems.length > 0);
  assertScalar(getPath(parsed.root, ['feature', 'network', 'incoming']), 'steal');
});

test('JSON: duplicate keys are all kept, the last wins, and a problem is reported', () => {
  const text = '{"mode": "mirror", "mode": "steal"}';
  const parsed = parseConfig(text, 'json');
  assert.equal(parsed.root?.kind === 'object' && parsed.root.entries.length, 2);
  assertScalar(getPath(parsed.root, ['mode']), 'steal');
  assert.equal(parsed.problems.length, 1);
  assert.match(parsed.problems[0].message, /duplicate key "mode"/);
  assert.equal(parsed.problems[0].span.start, text.lastIndexOf('"mode"'));
});

test('JSON: a template in value position is a template node with its source text', () => {
  const text = '{"port": {{ get_env(name="P") }}, "mode": "steal"}';
  const parsed = parseConfig(text, 'json');
  assert.deepEqual(parsed.problems, []);
  const port = getPath(parsed.root, ['port']);
  assert.equal(port?.kind, 'template');
  assert.equal(port?.kind === 'template' && port.text, '{{ get_env(name="P") }}');
  assert.equal(sliceOf(text, port!.span), '{{ get_env(name="P") }}');
  assert.deepEqual(parsed.templateSpans, [{ start: 9, end: 32 }]);
  assertScalar(getPath(parsed.root, ['mode']), 'steal');
  assert.deepEqual(nodeToJs(parsed.root), { port: TEMPLATED, mode: 'steal' });
});

test('JSON: a template inside a string makes the whole string a template node', () => {
  const text = '{"target": "pod/{{ name }}", "other": "pod/x"}';
  const parsed = parseConfig(text, 'json');
  const target = getPath(parsed.root, ['target']);
  assert.equal(target?.kind === 'template' && target.text, '"pod/{{ name }}"');
  assertScalar(getPath(parsed.root, ['other']), 'pod/x');
});

test('JSON: statement blocks and template comments leave the rest analysable', () => {
  const text = '{\n  {% if x %}"a": 1,{% endif %}\n  {# the mode #}\n  "mode": "steal"\n}';
  const parsed = parseConfig(text, 'json');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.templateSpans.length, 3);
  assertEntrySource(parsed, ['a'], '"a"', '1');
  assertEntrySource(parsed, ['mode'], '"mode"', '"steal"');
});

test('JSON: an unterminated template is reported and later lines still parse', () => {
  const text = '{"port": {{ get_env(\n, "mode": "steal"}';
  const parsed = parseConfig(text, 'json');
  assert.ok(parsed.problems.some((p) => /unterminated template tag/.test(p.message) && p.span.start === 9));
  assertScalar(getPath(parsed.root, ['mode']), 'steal');
});

test('empty and whitespace-only text: no root, no problems', () => {
  for (const format of ['json', 'yaml', 'toml'] as const) {
    for (const text of ['', '  \n\t\r\n']) {
      const parsed = parseConfig(text, format);
      assert.equal(parsed.root, undefined);
      assert.deepEqual(parsed.problems, []);
      assert.equal(parsed.format, format);
    }
  }
});

test('a 1 MB JSON config with a template in every entry parses completely', () => {
  const entries: string[] = [];
  let length = 0;
  for (let i = 0; length < 1_000_000; i++) {
    const entry = `"key${i}": {"path": "deployment/api-${i}", "ports": [${i}, ${i + 1}], "on": true, "t": "{{ v${i} }}"}`;
    entries.push(entry);
    length += entry.length + 2;
  }
  const text = `{${entries.join(',\n')}}`;
  // Correctness only: its speed is measured by `npm run bench`, never asserted in a test.
  const parsed = parseConfig(text, 'json');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.root?.kind === 'object' && parsed.root.entries.length, entries.length);
  assert.equal(getPath(parsed.root, ['key7', 't'])?.kind, 'template');
  assert.equal(parsed.templateSpans.length, entries.length);
});

test('templated keys keep their source text (never a real key name), in every format', () => {
  const json = parseConfig('{"pod-{{ k }}": 1, "{{ j }}": 2}', 'json');
  assert.deepEqual(json.root?.kind === 'object' && json.root.entries.map((e) => e.key), ['pod-{{ k }}', '{{ j }}']);
  const yaml = parseConfig('{{ k }}: 1\n', 'yaml');
  assert.deepEqual(yaml.root?.kind === 'object' && yaml.root.entries.map((e) => e.key), ['{{ k }}']);
  const toml = parseConfig('[feature.{{ k }}]\na = 1\n', 'toml');
  assert.deepEqual(nodeToJs(toml.root), { feature: { '{{ k }}': { a: 1 } } });
});
