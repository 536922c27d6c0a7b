import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { getEntryPath, getPath, nodeToJs } from '../../../src/core/config/configQuery';
import { assertEntrySource, assertScalar, assertSpansWellFormed, sliceOf } from './spanAssertions';

test('TOML: [a.b.c] tables create nested objects, spans point at header keys', () => {
  const text = [
    'kube_context = "dev"',
    '',
    '[target]',
    'path = "deployment/api"',
    '',
    '[feature.network.incoming]',
    'mode = "steal"',
    'port_mapping = [[9090, 8080], [1, 2]]',
    '',
  ].join('\n');
  const parsed = parseConfig(text, 'toml');
  assert.deepEqual(parsed.problems, []);
  assertEntrySource(parsed, ['kube_context'], 'kube_context', '"dev"');
  assertEntrySource(parsed, ['target', 'path'], 'path', '"deployment/api"');
  // Intermediate tables made by the header: key span is the key in the header, value span the header.
  assertEntrySource(parsed, ['feature'], 'feature', '[feature.network.incoming]');
  assertEntrySource(parsed, ['feature', 'network'], 'network', '[feature.network.incoming]');
  const incoming = getEntryPath(parsed.root, ['feature', 'network', 'incoming']);
  assert.equal(sliceOf(text, incoming!.keySpan), 'incoming');
  assert.ok(sliceOf(text, incoming!.value.span).startsWith('[feature.network.incoming]\nmode = "steal"'));
  const mapping = assertEntrySource(parsed, ['feature', 'network', 'incoming', 'port_mapping'], 'port_mapping', '[[9090, 8080], [1, 2]]');
  assert.equal(sliceOf(text, mapping.span), 'port_mapping = [[9090, 8080], [1, 2]]');
  assert.deepEqual(nodeToJs(parsed.root), {
    kube_context: 'dev',
    target: { path: 'deployment/api' },
    feature: {
      network: {
        incoming: {
          mode: 'steal',
          port_mapping: [
            [9090, 8080],
            [1, 2],
          ],
        },
      },
    },
  });
  assertSpansWellFormed(parsed);
});

test('TOML: dotted keys merge into objects; each entry spans the whole key/value line', () => {
  const text = '[feature.network]\nincoming.mode = "steal"\nincoming.http_filter.header_filter = "^x"\ndns = false\n';
  const parsed = parseConfig(text, 'toml');
  assert.deepEqual(parsed.problems, []);
  const filter = assertEntrySource(parsed, ['feature', 'network', 'incoming', 'http_filter', 'header_filter'], 'header_filter', '"^x"');
  assert.equal(sliceOf(text, filter.span), 'incoming.http_filter.header_filter = "^x"');
  const incoming = getEntryPath(parsed.root, ['feature', 'network', 'incoming'])!;
  assert.equal(sliceOf(text, incoming.keySpan), 'incoming');
  assert.equal(sliceOf(text, incoming.span), 'incoming.mode = "steal"');
  assert.equal(sliceOf(text, incoming.value.span), 'incoming.mode');
  assert.deepEqual(nodeToJs(getPath(parsed.root, ['feature', 'network'])), {
    incoming: { mode: 'steal', http_filter: { header_filter: '^x' } },
    dns: false,
  });
});

test('TOML: inline tables, a super-table after its sub-table, quoted keys', () => {
  const text = '[feature.network.incoming]\nmode = "steal"\n[feature.network]\noutgoing = { tcp = true, "udp" = false }\n';
  const parsed = parseConfig(text, 'toml');
  assert.deepEqual(parsed.problems, []);
  assertEntrySource(parsed, ['feature', 'network', 'outgoing'], 'outgoing', '{ tcp = true, "udp" = false }');
  assertEntrySource(parsed, ['feature', 'network', 'outgoing', 'udp'], '"udp"', 'false');
  assertScalar(getPath(parsed.root, ['feature', 'network', 'incoming', 'mode']), 'steal');
});

test('TOML: arrays of tables, and [a.b] continuing the last [[a]]', () => {
  const text = '[[filters]]\nname = "one"\n[filters.extra]\nx = 1\n[[filters]]\nname = "two"\n';
  const parsed = parseConfig(text, 'toml');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(nodeToJs(parsed.root), { filters: [{ name: 'one', extra: { x: 1 } }, { name: 'two' }] });
  const filters = getPath(parsed.root, ['filters']);
  assert.ok(filters?.kind === 'array');
  if (filters?.kind === 'array') assert.equal(sliceOf(text, filters.items[1].span), '[[filters]]\nname = "two"');
});

test('TOML: strings of every style, numbers, dates', () => {
  const text = "a = 'lit'\nb = \"\"\"multi\nline\"\"\"\nc = 1_000\nd = 1.5\ne = 1979-05-27\nf = '''x'''\n";
  const parsed = parseConfig(text, 'toml');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(nodeToJs(parsed.root), { a: 'lit', b: 'multi\nline', c: 1000, d: 1.5, e: '1979-05-27', f: 'x' });
});

test('TOML: a syntax error is reported at its spot and the other lines are still analysed', () => {
  const text = 'kube_context = "dev"\nmode = = "steal"\n[feature.network]\nincoming = "steal"\n';
  const parsed = parseConfig(text, 'toml');
  assert.equal(parsed.problems.length, 1);
  assert.equal(parsed.problems[0].span.start, text.indexOf('= "steal"'));
  assertScalar(getPath(parsed.root, ['kube_context']), 'dev');
  assertScalar(getPath(parsed.root, ['feature', 'network', 'incoming']), 'steal');
  assertSpansWellFormed(parsed);
});

test('TOML: an unterminated array keeps what came before it', () => {
  const text = 'kube_context = "dev"\nports = [80,\n  8080,\n';
  const parsed = parseConfig(text, 'toml');
  assert.equal(parsed.problems.length, 1);
  assertScalar(getPath(parsed.root, ['kube_context']), 'dev');
  assertSpansWellFormed(parsed);
});

test('TOML: duplicate keys are a problem', () => {
  const parsed = parseConfig('a = 1\na = 2\n', 'toml');
  assert.equal(parsed.problems.length, 1);
  assert.equal(parsed.problems[0].span.start, 6);
  assertScalar(getPath(parsed.root, ['a']), 1);
});

test('TOML: templates in value position, in strings, in headers, statements', () => {
  const text = [
    'target = "deployment/{{ app }}"',
    '{% if x %}',
    '[agent]',
    'ttl = {{ get_env(name="TTL") }}',
    '{% endif %}',
    '[feature.network]',
    'incoming = "steal" {# inline comment #}',
    '',
  ].join('\n');
  const parsed = parseConfig(text, 'toml');
  assert.deepEqual(parsed.problems, []);
  const target = getPath(parsed.root, ['target']);
  assert.equal(target?.kind === 'template' && target.text, '"deployment/{{ app }}"');
  const ttl = getPath(parsed.root, ['agent', 'ttl']);
  assert.equal(ttl?.kind === 'template' && ttl.text, '{{ get_env(name="TTL") }}');
  assertEntrySource(parsed, ['feature', 'network', 'incoming'], 'incoming', '"steal"');
});

test('TOML: CRLF line endings keep exact spans', () => {
  const text = '[feature.network]\r\nincoming = "steal"\r\n';
  const parsed = parseConfig(text, 'toml');
  assertEntrySource(parsed, ['feature', 'network', 'incoming'], 'incoming', '"steal"');
});
