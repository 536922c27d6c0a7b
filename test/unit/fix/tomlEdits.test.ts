import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { appendToArrayEdits, replaceEntryEdits, setValueEdits } from '../../../src/core/fix/structuralEdits';
import { assertIdempotent, edited, INCOMING, plainDocument, PROBE_SAFE_FILTER, STEAL_WITH_FILTER, valueAt, withoutPath } from './fixTestSupport';

test('toml: incoming = "steal" under [feature.network] becomes an inline table', () => {
  const text = 'target = "pod/api"\n\n[feature.network]\nincoming = "steal" # take it\noutgoing = true\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.equal(
    result,
    'target = "pod/api"\n\n[feature.network]\nincoming = { mode = "steal", http_filter = { header_filter = "^User-Agent: (?!kube-probe)" } } # take it\noutgoing = true\n',
  );
  assertIdempotent(text, 'toml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
});

test('toml: a [feature.network.incoming] table gets an http_filter line after its last key', () => {
  const text = '[feature.network.incoming]\nmode = "steal" # steal!\nport_mapping = [[9090, 8080]] # local 9090\n\n[feature.fs]\nmode = "local"\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.equal(
    result,
    '[feature.network.incoming]\nmode = "steal" # steal!\nport_mapping = [[9090, 8080]] # local 9090\nhttp_filter = { header_filter = "^User-Agent: (?!kube-probe)" }\n\n[feature.fs]\nmode = "local"\n',
  );
});

test('toml: dotted keys at the top level', () => {
  const text = 'target = "pod/api"\nfeature.network.incoming = "steal"\nfeature.fs = "local"\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.deepEqual(valueAt(result, 'toml', INCOMING), STEAL_WITH_FILTER);
  assert.ok(result.endsWith('feature.fs = "local"\n'));
  // A key missing under a dotted table is added as a dotted key next to its siblings.
  const dns = edited(text, 'toml', (parsed) => setValueEdits(parsed, ['feature', 'network', 'dns'], false));
  assert.equal(dns, 'target = "pod/api"\nfeature.network.incoming = "steal"\nfeature.network.dns = false\nfeature.fs = "local"\n');
});

test('toml: inline tables get `, key = value`', () => {
  const text = '[feature]\nnetwork = { incoming = { mode = "steal", port_mapping = [[9090, 8080]] } }\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.equal(
    result,
    '[feature]\nnetwork = { incoming = { mode = "steal", port_mapping = [[9090, 8080]], http_filter = { header_filter = "^User-Agent: (?!kube-probe)" } } }\n',
  );
  const empty = edited('[feature]\nnetwork = {}\n', 'toml', (parsed) => setValueEdits(parsed, INCOMING, 'steal'));
  assert.equal(empty, '[feature]\nnetwork = { incoming = "steal" }\n');
});

test('toml: replacing header_filter by all_of in an http_filter table keeps ports; backslashes survive', () => {
  const text =
    '[feature.network.incoming]\nmode = "steal"\n\n[feature.network.incoming.http_filter]\nheader_filter = "^x-user: .*\\\\.example"\nports = [8080]\n';
  const path = [...INCOMING, 'http_filter', 'header_filter'];
  const old = valueAt(text, 'toml', path);
  assert.equal(old, '^x-user: .*\\.example');
  const allOf = [{ header: PROBE_SAFE_FILTER }, { header: old as string }];
  const result = edited(text, 'toml', (parsed) => replaceEntryEdits(parsed, path, 'all_of', allOf));
  assert.equal(
    result,
    '[feature.network.incoming]\nmode = "steal"\n\n[feature.network.incoming.http_filter]\nall_of = [{ header = "^User-Agent: (?!kube-probe)" }, { header = \'^x-user: .*\\.example\' }]\nports = [8080]\n',
  );
  assert.deepEqual(valueAt(result, 'toml', [...INCOMING, 'http_filter']), { all_of: allOf, ports: [8080] });
  assertIdempotent(text, 'toml', (parsed) => replaceEntryEdits(parsed, path, 'all_of', allOf));
});

test('toml: strings with both a quote and a backslash use escaped basic strings', () => {
  const text = '[feature.network.incoming]\nmode = "steal"\n';
  const value = 'it\'s a \\d+ "thing"\ttab';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, [...INCOMING, 'mode'], value));
  assert.equal(valueAt(result, 'toml', [...INCOMING, 'mode']), value);
  assert.ok(result.includes('mode = "it\'s a \\\\d+ \\"thing\\"\\ttab"'));
});

test('toml: appends to inline and multi-line arrays, and creates ignore_ports', () => {
  const text = '[feature.network.incoming]\nmode = "steal"\n\n[feature.network.incoming.http_filter]\nheader_filter = "x"\nports = [8080]\n';
  const ports = [...INCOMING, 'http_filter', 'ports'];
  assert.equal(
    edited(text, 'toml', (parsed) => appendToArrayEdits(parsed, ports, 9090)),
    text.replace('[8080]', '[8080, 9090]'),
  );
  assertIdempotent(text, 'toml', (parsed) => appendToArrayEdits(parsed, ports, 9090));
  const multiLine = text.replace('[8080]', '[\n  8080, # web\n]');
  assert.equal(
    edited(multiLine, 'toml', (parsed) => appendToArrayEdits(parsed, ports, 9090)),
    text.replace('[8080]', '[\n  8080, # web\n  9090,\n]'),
  );
  const ignore = [...INCOMING, 'ignore_ports'];
  const created = edited(text, 'toml', (parsed) => appendToArrayEdits(parsed, ignore, 9000));
  assert.ok(created.startsWith('[feature.network.incoming]\nmode = "steal"\nignore_ports = [9000]\n'), created);
});

test('toml: a config with only a target gets a [feature.network.incoming] section; empty files too', () => {
  const text = '# session\ntarget = "deployment/api"\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.equal(
    result,
    '# session\ntarget = "deployment/api"\n\n[feature.network.incoming]\nmode = "steal"\nhttp_filter = { header_filter = "^User-Agent: (?!kube-probe)" }\n',
  );
  for (const empty of ['', '\n', '# nothing yet\n']) {
    const created = edited(empty, 'toml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
    assert.deepEqual(plainDocument(created, 'toml'), { feature: { network: { incoming: STEAL_WITH_FILTER } } }, JSON.stringify(empty));
  }
});

test('toml: a table known only through a sub-table header gets its own header', () => {
  const text = 'target = "pod/api"\n\n[feature.network.incoming]\nmode = "steal"\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, ['feature', 'network', 'dns'], false));
  assert.equal(valueAt(result, 'toml', ['feature', 'network', 'dns']), false);
  assert.deepEqual(withoutPath(plainDocument(result, 'toml'), ['feature', 'network', 'dns']), plainDocument(text, 'toml'));
  // A top-level key goes above the first table, not into it.
  const topLevel = edited(text, 'toml', (parsed) => setValueEdits(parsed, ['kube_context'], 'dev'));
  assert.equal(topLevel, 'target = "pod/api"\nkube_context = "dev"\n\n[feature.network.incoming]\nmode = "steal"\n');
});

test('toml: CRLF files stay CRLF', () => {
  const text = 'target = "pod/api"\r\n\r\n[feature.network.incoming]\r\nmode = "steal"\r\n';
  const result = edited(text, 'toml', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.ok(!/[^\r]\n/.test(result), JSON.stringify(result));
});

test('toml: null cannot be written, and a file with a syntax error is not edited', () => {
  assert.equal(setValueEdits(parseConfig('[feature.network]\nincoming = "steal"\n', 'toml'), INCOMING, null), undefined);
  assert.equal(setValueEdits(parseConfig('[feature.network]\nincoming = \n', 'toml'), [...INCOMING], 'steal'), undefined);
});
