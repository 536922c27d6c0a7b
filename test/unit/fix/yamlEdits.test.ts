import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { appendToArrayEdits, replaceEntryEdits, setValueEdits } from '../../../src/core/fix/structuralEdits';
import { assertIdempotent, edited, INCOMING, plainDocument, PROBE_SAFE_FILTER, STEAL_WITH_FILTER, valueAt, withoutPath } from './fixTestSupport';

test('yaml: incoming: steal becomes a block mapping; the comment stays next to the key', () => {
  const text = `target: pod/api
feature:
  network:
    incoming: steal # take the traffic
    outgoing: true
`;
  const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.equal(
    result,
    `target: pod/api
feature:
  network:
    incoming: # take the traffic
      mode: steal
      http_filter:
        header_filter: "^User-Agent: (?!kube-probe)"
    outgoing: true
`,
  );
  assertIdempotent(text, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
});

test('yaml: adds http_filter after port_mapping, keeping comments and the 4-space indentation', () => {
  const text = `feature:
    network:
        # incoming traffic
        incoming:
            mode: steal   # steal!
            port_mapping:
                - [9090, 8080]  # local 9090
        dns: false
`;
  const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.equal(
    result,
    `feature:
    network:
        # incoming traffic
        incoming:
            mode: steal   # steal!
            port_mapping:
                - [9090, 8080]  # local 9090
            http_filter:
                header_filter: "^User-Agent: (?!kube-probe)"
        dns: false
`,
  );
});

test('yaml: CRLF files stay CRLF', () => {
  const text = 'target: pod/api\r\nfeature:\r\n  network:\r\n    incoming: steal\r\n';
  const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.ok(!/[^\r]\n/.test(result), JSON.stringify(result));
  assert.deepEqual(valueAt(result, 'yaml', INCOMING), STEAL_WITH_FILTER);
});

test('yaml: a flow mapping gets a flow entry', () => {
  const text = 'feature:\n  network:\n    incoming: {mode: steal, port_mapping: [[9090, 8080]]}  # flow\n';
  const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.equal(
    result,
    'feature:\n  network:\n    incoming: {mode: steal, port_mapping: [[9090, 8080]], http_filter: {header_filter: "^User-Agent: (?!kube-probe)"}}  # flow\n',
  );
});

test('yaml: a string in a flow parent is replaced by a flow mapping', () => {
  const text = 'feature: {network: {incoming: steal}}\n';
  const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.equal(result, 'feature: {network: {incoming: {mode: steal, http_filter: {header_filter: "^User-Agent: (?!kube-probe)"}}}}\n');
});

test('yaml: replacing header_filter by all_of keeps ports', () => {
  const text = `feature:
  network:
    incoming:
      mode: steal
      http_filter:
        header_filter: "User-Agent: kube-probe" # oops
        ports: [8080]
`;
  const path = [...INCOMING, 'http_filter', 'header_filter'];
  const allOf = [{ header: PROBE_SAFE_FILTER }, { header: 'User-Agent: kube-probe' }];
  const result = edited(text, 'yaml', (parsed) => replaceEntryEdits(parsed, path, 'all_of', allOf));
  assert.equal(
    result,
    `feature:
  network:
    incoming:
      mode: steal
      http_filter:
        all_of: # oops
          - header: "^User-Agent: (?!kube-probe)"
          - header: "User-Agent: kube-probe"
        ports: [8080]
`,
  );
  assertIdempotent(text, 'yaml', (parsed) => replaceEntryEdits(parsed, path, 'all_of', allOf));
});

test('yaml: appends to block and flow port lists, and creates ignore_ports', () => {
  const block = 'feature:\n  network:\n    incoming:\n      mode: steal\n      http_filter:\n        header_filter: x\n        ports:\n        - 8080 # web\n';
  const portsPath = [...INCOMING, 'http_filter', 'ports'];
  assert.equal(
    edited(block, 'yaml', (parsed) => appendToArrayEdits(parsed, portsPath, 9090)),
    block + '        - 9090\n',
  );
  const flow = block.replace('ports:\n        - 8080 # web\n', 'ports: [8080]\n');
  assert.equal(
    edited(flow, 'yaml', (parsed) => appendToArrayEdits(parsed, portsPath, 9090)),
    flow.replace('[8080]', '[8080, 9090]'),
  );
  const ignorePath = [...INCOMING, 'ignore_ports'];
  const created = edited(block, 'yaml', (parsed) => appendToArrayEdits(parsed, ignorePath, 9000));
  assert.deepEqual(valueAt(created, 'yaml', ignorePath), [9000]);
  assert.match(created, /\n {6}ignore_ports: \[9000\]\n$/);
  assertIdempotent(block, 'yaml', (parsed) => appendToArrayEdits(parsed, portsPath, 9090));
});

test('yaml: a config with only a target, an empty file, and a comment-only file', () => {
  const onlyTarget = '# my session\ntarget: deployment/api\n';
  const result = edited(onlyTarget, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.equal(
    result,
    '# my session\ntarget: deployment/api\nfeature:\n  network:\n    incoming:\n      mode: steal\n      http_filter:\n        header_filter: "^User-Agent: (?!kube-probe)"\n',
  );
  for (const text of ['', '\n', '# nothing yet\n', '{}\n']) {
    const created = edited(text, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
    assert.deepEqual(plainDocument(created, 'yaml'), { feature: { network: { incoming: STEAL_WITH_FILTER } } }, JSON.stringify(text));
  }
});

test('yaml: a key with no value (null) is filled in', () => {
  const text = 'feature:\n  network:\n    incoming:\n  fs: local\n';
  const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, 'steal'));
  assert.equal(result, 'feature:\n  network:\n    incoming: steal\n  fs: local\n');
  const nested = edited('feature:\n  network:\n', 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.deepEqual(valueAt(nested, 'yaml', INCOMING), STEAL_WITH_FILTER);
});

test('yaml: strings are quoted only when YAML needs it', () => {
  const text = 'feature:\n  network:\n    incoming:\n      mode: mirror\n';
  const values: Record<string, string> = {
    steal: 'steal',
    'kube-probe/1.30': 'kube-probe/1.30',
    yes: '"yes"',
    '8080': '"8080"',
    'a: b': '"a: b"',
    'has # hash': '"has # hash"',
    "it's": '"it\'s"',
    'back\\slash': '"back\\\\slash"',
  };
  for (const [value, written] of Object.entries(values)) {
    const result = edited(text, 'yaml', (parsed) => setValueEdits(parsed, [...INCOMING, 'mode'], value));
    assert.equal(result, text.replace('mirror', written));
    assert.equal(valueAt(result, 'yaml', [...INCOMING, 'mode']), value);
  }
});

test('yaml: other keys are untouched and a YAML anchor is not written through', () => {
  const text = 'base: &net\n  incoming: mirror\nfeature:\n  network: *net\n';
  assert.equal(setValueEdits(parseConfig(text, 'yaml'), INCOMING, 'steal'), undefined);
  const plain = 'a: 1\nfeature:\n  network:\n    incoming: steal\nb: [1, 2]\n';
  const result = edited(plain, 'yaml', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.deepEqual(withoutPath(plainDocument(result, 'yaml'), INCOMING), withoutPath(plainDocument(plain, 'yaml'), INCOMING));
});
