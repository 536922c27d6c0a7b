import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { appendToArrayEdits, replaceEntryEdits, setValueEdits } from '../../../src/core/fix/structuralEdits';
import { assertIdempotent, edited, INCOMING, plainDocument, PROBE_SAFE_FILTER, STEAL_WITH_FILTER, valueAt, withoutPath } from './fixTestSupport';

test('json: "incoming": "steal" becomes an object with the probe-safe filter, comment and other keys kept', () => {
  const text = `{
  "target": "pod/api",
  "feature": {
    "network": {
      "incoming": "steal", // take the traffic
      "outgoing": true
    }
  }
}
`;
  const result = edited(text, 'json', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.equal(
    result,
    `{
  "target": "pod/api",
  "feature": {
    "network": {
      "incoming": {
        "mode": "steal",
        "http_filter": {
          "header_filter": "^User-Agent: (?!kube-probe)"
        }
      }, // take the traffic
      "outgoing": true
    }
  }
}
`,
  );
  assertIdempotent(text, 'json', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
});

test('json: adds http_filter next to mode and port_mapping with 4-space indentation and CRLF kept', () => {
  const text =
    '{\r\n    "feature": {\r\n        "network": {\r\n            "incoming": {\r\n                "mode": "steal", /* why */\r\n                "port_mapping": [[9090, 8080]] // local 9090\r\n            }\r\n        }\r\n    }\r\n}\r\n';
  const result = edited(text, 'json', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.equal(
    result,
    '{\r\n    "feature": {\r\n        "network": {\r\n            "incoming": {\r\n                "mode": "steal", /* why */\r\n                "port_mapping": [[9090, 8080]], // local 9090\r\n' +
      '                "http_filter": {\r\n                    "header_filter": "^User-Agent: (?!kube-probe)"\r\n                }\r\n            }\r\n        }\r\n    }\r\n}\r\n',
  );
  assert.ok(!/[^\r]\n/.test(result), 'every line break stays CRLF');
});

test('json: a file with bare CR line breaks keeps them (no LF inserted)', () => {
  const text = '{\r  "feature": {\r    "network": {\r      "incoming": "steal"\r    }\r  }\r}\r';
  const result = edited(text, 'json', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.ok(!result.includes('\n'), JSON.stringify(result));
  assert.match(result, /\r {6}"incoming": \{\r {8}"mode": "steal",\r {8}"http_filter": \{\r {10}"header_filter"/);
});

test('json: tab-indented files get tabs', () => {
  const text = '{\n\t"target": "pod/api",\n\t"feature": {\n\t\t"network": {\n\t\t\t"incoming": "steal"\n\t\t}\n\t}\n}\n';
  const result = edited(text, 'json', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.match(result, /\n\t\t\t"incoming": \{\n\t\t\t\t"mode": "steal",\n\t\t\t\t"http_filter": \{\n\t\t\t\t\t"header_filter"/);
});

test('json: replacing header_filter by all_of keeps ports and key order', () => {
  const text = `{
  "feature": {
    "network": {
      "incoming": {
        "mode": "steal",
        "http_filter": {
          "header_filter": "User-Agent: kube-probe",
          "ports": [8080]
        }
      }
    }
  }
}`;
  const path = [...INCOMING, 'http_filter', 'header_filter'];
  const allOf = [{ header: PROBE_SAFE_FILTER }, { header: 'User-Agent: kube-probe' }];
  const result = edited(text, 'json', (parsed) => replaceEntryEdits(parsed, path, 'all_of', allOf));
  assert.deepEqual(valueAt(result, 'json', [...INCOMING, 'http_filter']), { all_of: allOf, ports: [8080] });
  assert.deepEqual(Object.keys(valueAt(result, 'json', [...INCOMING, 'http_filter']) as object), ['all_of', 'ports']);
  assert.match(result, /"all_of": \[\n {12}\{\n {14}"header": "\^User-Agent: \(\?!kube-probe\)"\n {12}\},/);
  assertIdempotent(text, 'json', (parsed) => replaceEntryEdits(parsed, path, 'all_of', allOf));
});

test('json: replaceEntry refuses when the new key already exists beside it, or the entry is missing', () => {
  const text = '{"a": {"x": 1, "y": 2}}';
  assert.equal(replaceEntryEdits(parseConfig(text, 'json'), ['a', 'x'], 'y', 3), undefined);
  assert.equal(replaceEntryEdits(parseConfig(text, 'json'), ['a', 'z'], 'w', 3), undefined);
});

test('json: appends to a compact ports list and keeps it compact', () => {
  const text = '{"feature": {"network": {"incoming": {"mode": "steal", "http_filter": {"header_filter": "x", "ports": [8080]}}}}}';
  const path = [...INCOMING, 'http_filter', 'ports'];
  const result = edited(text, 'json', (parsed) => appendToArrayEdits(parsed, path, 9090));
  assert.equal(result, text.replace('[8080]', '[8080, 9090]'));
  assertIdempotent(text, 'json', (parsed) => appendToArrayEdits(parsed, path, 9090));
});

test('json: appends to a one-per-line list on a new line', () => {
  const text = '{\n  "ports": [\n    80, // web\n    8080\n  ]\n}\n';
  const result = edited(text, 'json', (parsed) => appendToArrayEdits(parsed, ['ports'], 9090));
  assert.equal(result, '{\n  "ports": [\n    80, // web\n    8080,\n    9090\n  ]\n}\n');
});

test('json: creates ignore_ports when missing, and appends to an empty one', () => {
  const text = '{\n  "feature": {\n    "network": {\n      "incoming": {\n        "mode": "steal"\n      }\n    }\n  }\n}\n';
  const path = [...INCOMING, 'ignore_ports'];
  const created = edited(text, 'json', (parsed) => appendToArrayEdits(parsed, path, 9000));
  assert.match(created, /"mode": "steal",\n {8}"ignore_ports": \[9000\]\n/);
  const empty = text.replace('"mode": "steal"', '"mode": "steal", "ignore_ports": []');
  assert.deepEqual(
    valueAt(
      edited(empty, 'json', (parsed) => appendToArrayEdits(parsed, path, 9000)),
      'json',
      path,
    ),
    [9000],
  );
});

test('json: a config with only a target gets the whole feature section', () => {
  const text = '{\n  "target": "deployment/api" // the api\n}\n';
  const result = edited(text, 'json', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
  assert.deepEqual(valueAt(result, 'json', INCOMING), STEAL_WITH_FILTER);
  assert.match(result, /^\{\n {2}"target": "deployment\/api", \/\/ the api\n {2}"feature": \{\n {4}"network": \{/);
});

test('json: an empty file, a blank file, `{}` and a comment-only file all get a valid object', () => {
  for (const text of ['', '  \n', '{}', '{ }\n', '// nothing yet\n']) {
    const result = edited(text, 'json', (parsed) => setValueEdits(parsed, INCOMING, STEAL_WITH_FILTER));
    assert.deepEqual(plainDocument(result, 'json'), { feature: { network: { incoming: STEAL_WITH_FILTER } } }, JSON.stringify(text));
    if (text.startsWith('//')) assert.ok(result.startsWith('// nothing yet\n'));
  }
});

test('json: trailing commas and block comments are tolerated and kept', () => {
  const text = '{\n  "target": "pod/a", /* t */\n  "feature": {\n    "network": {\n      "incoming": {"mode": "steal",},\n    },\n  },\n}\n';
  const result = edited(text, 'json', (parsed) => setValueEdits(parsed, [...INCOMING, 'http_filter'], { header_filter: PROBE_SAFE_FILTER }));
  assert.deepEqual(valueAt(result, 'json', INCOMING), STEAL_WITH_FILTER);
  assert.ok(result.includes('"target": "pod/a", /* t */'));
  assert.deepEqual(withoutPath(plainDocument(result, 'json'), INCOMING), withoutPath(plainDocument(text, 'json'), INCOMING));
});

test('json: setValue of the value already there is []', () => {
  const text = '{"feature": {"network": {"incoming": {"mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)"}}}}}';
  assert.deepEqual(setValueEdits(parseConfig(text, 'json'), INCOMING, STEAL_WITH_FILTER), []);
});

test('json: refuses to write through a scalar or an array parent, or into a broken file', () => {
  assert.equal(setValueEdits(parseConfig('{"feature": {"network": false}}', 'json'), INCOMING, 'steal'), undefined);
  assert.equal(setValueEdits(parseConfig('{"feature": [1]}', 'json'), INCOMING, 'steal'), undefined);
  assert.equal(setValueEdits(parseConfig('[1, 2]', 'json'), INCOMING, 'steal'), undefined);
  assert.equal(setValueEdits(parseConfig('{"feature": {"network": {"incoming": }}', 'json'), INCOMING, 'steal'), undefined);
  assert.equal(setValueEdits(parseConfig('not json at all', 'json'), INCOMING, 'steal'), undefined);
});
