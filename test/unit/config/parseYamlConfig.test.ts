import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { getPath, nodeToJs, TEMPLATED } from '../../../src/core/config/configQuery';
import { assertEntrySource, assertScalar, assertSpansWellFormed, sliceOf } from './spanAssertions';

test('YAML: nested maps, block and flow sequences, with spans into the text', () => {
  const text = [
    'target:',
    '  path: deployment/api',
    '  namespace: "shop"',
    'feature:',
    '  network:',
    '    incoming:',
    '      mode: steal',
    '      port_mapping: [[9090, 8080]]',
    '      ignore_ports:',
    '        - 9999',
    '',
  ].join('\n');
  const parsed = parseConfig(text, 'yaml');
  assert.deepEqual(parsed.problems, []);
  assertEntrySource(parsed, ['target', 'path'], 'path', 'deployment/api');
  assertEntrySource(parsed, ['target', 'namespace'], 'namespace', '"shop"');
  const mode = assertEntrySource(parsed, ['feature', 'network', 'incoming', 'mode'], 'mode', 'steal');
  assert.equal(sliceOf(text, mode.span), 'mode: steal');
  assertEntrySource(parsed, ['feature', 'network', 'incoming', 'port_mapping'], 'port_mapping', '[[9090, 8080]]');
  const ignore = getPath(parsed.root, ['feature', 'network', 'incoming', 'ignore_ports']);
  assert.equal(ignore?.kind, 'array');
  assert.equal(sliceOf(text, ignore!.span).trim(), '- 9999');
  assert.deepEqual(nodeToJs(parsed.root), {
    target: { path: 'deployment/api', namespace: 'shop' },
    feature: { network: { incoming: { mode: 'steal', port_mapping: [[9090, 8080]], ignore_ports: [9999] } } },
  });
  assertSpansWellFormed(parsed);
});

test('YAML: core schema as serde_yaml reads it (on/yes are strings)', () => {
  const parsed = parseConfig('a: on\nb: yes\nc: true\nd: null\ne: ~\nf: 0x1F\ng: 1.5\nh: "8080"\ni:\n', 'yaml');
  assert.deepEqual(nodeToJs(parsed.root), { a: 'on', b: 'yes', c: true, d: null, e: null, f: 31, g: 1.5, h: '8080', i: null });
});

test('YAML: syntax errors are reported with a span and the rest still parses', () => {
  const text = 'target: pod/api\nfeature:\n  network:\n    incoming: [steal\n';
  const parsed = parseConfig(text, 'yaml');
  assert.ok(parsed.problems.length > 0);
  assertScalar(getPath(parsed.root, ['target']), 'pod/api');
  assertSpansWellFormed(parsed);
});

test('YAML: duplicate keys are kept in order, the last wins, a problem is reported', () => {
  const text = 'mode: mirror\nmode: steal\n';
  const parsed = parseConfig(text, 'yaml');
  assertScalar(getPath(parsed.root, ['mode']), 'steal');
  assert.equal(parsed.root?.kind === 'object' && parsed.root.entries.length, 2);
  assert.ok(parsed.problems.some((p) => /duplicate key/.test(p.message) && sliceOf(text, p.span) === 'mode'));
});

test('YAML: only the first document is used, the others are reported', () => {
  const text = 'a: 1\n---\nb: 2\n';
  const parsed = parseConfig(text, 'yaml');
  assert.deepEqual(nodeToJs(parsed.root), { a: 1 });
  const problem = parsed.problems.find((p) => /more than one YAML document/.test(p.message));
  assert.ok(problem);
  assert.equal(sliceOf(text, problem.span), '---');
});

test('YAML: aliases resolve; unknown or cyclic ones become unknown values', () => {
  const parsed = parseConfig('base: &ports [80, 8080]\nports: *ports\nother: *missing\n', 'yaml');
  assert.deepEqual(nodeToJs(getPath(parsed.root, ['ports'])), [80, 8080]);
  assert.equal(sliceOf(parsed.text, getPath(parsed.root, ['ports'])!.span), '*ports');
  assert.equal(getPath(parsed.root, ['other'])?.kind, 'template');
  const cyclic = parseConfig('a: &x [1, *x]\n', 'yaml');
  assertSpansWellFormed(cyclic);
});

test('YAML: keys that are not plain values are skipped with a problem', () => {
  const parsed = parseConfig('? [1, 2]\n: x\nb: 2\n', 'yaml');
  assert.deepEqual(nodeToJs(parsed.root), { b: 2 });
  assert.ok(parsed.problems.some((p) => /only plain keys/.test(p.message)));
});

test('YAML: templates in value position, inside strings, statements and comments', () => {
  const text = [
    'target: "pod/{{ name }}"',
    'agent:',
    '  namespace: {{ get_env(name="NS") }}',
    '  image: repo/{{ tag }}:1',
    '{# comment #}',
    '{% if steal %}',
    'feature:',
    '  network:',
    '    incoming: steal',
    '{% endif %}',
    '',
  ].join('\n');
  const parsed = parseConfig(text, 'yaml');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.templateSpans.length, 6);
  const target = getPath(parsed.root, ['target']);
  assert.equal(target?.kind === 'template' && target.text, '"pod/{{ name }}"');
  const namespace = getPath(parsed.root, ['agent', 'namespace']);
  assert.equal(namespace?.kind === 'template' && namespace.text, '{{ get_env(name="NS") }}');
  const image = getPath(parsed.root, ['agent', 'image']);
  assert.equal(image?.kind === 'template' && image.text, 'repo/{{ tag }}:1');
  assertEntrySource(parsed, ['feature', 'network', 'incoming'], 'incoming', 'steal');
  assert.equal(nodeToJs(parsed.root) && (nodeToJs(parsed.root) as { target: unknown }).target, TEMPLATED);
});

test('YAML: CRLF line endings keep exact spans', () => {
  const text = 'feature:\r\n  network:\r\n    incoming: steal\r\n';
  const parsed = parseConfig(text, 'yaml');
  assertEntrySource(parsed, ['feature', 'network', 'incoming'], 'incoming', 'steal');
});
