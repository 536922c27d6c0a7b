import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { getEntry, getEntryPath, getPath, isTemplate, nodeToJs, TEMPLATED } from '../../../src/core/config/configQuery';

const parsed = parseConfig(
  '{"feature": {"network": {"incoming": {"mode": "mirror", "mode": "steal", "ports": [80, {{ p }}]}}}, "__proto__": {"x": 1}, "t": "{{ t }}"}',
  'json',
);

test('getEntry takes the last of duplicate keys and ignores non-objects', () => {
  const incoming = getPath(parsed.root, ['feature', 'network', 'incoming']);
  const mode = getEntry(incoming, 'mode');
  assert.ok(mode && mode.value.kind === 'scalar');
  assert.equal(mode.value.kind === 'scalar' && mode.value.value, 'steal');
  assert.equal(getEntry(incoming, 'missing'), undefined);
  assert.equal(getEntry(getPath(incoming, ['ports']), '0'), undefined);
  assert.equal(getEntry(undefined, 'x'), undefined);
});

test('getPath / getEntryPath walk objects and stop at anything missing', () => {
  assert.equal(getPath(parsed.root, []), parsed.root);
  assert.equal(getEntryPath(parsed.root, []), undefined);
  assert.equal(getEntryPath(parsed.root, ['feature', 'network'])?.key, 'network');
  assert.equal(getPath(parsed.root, ['feature', 'nope', 'incoming']), undefined);
  assert.equal(getPath(parsed.root, ['t', 'deeper']), undefined);
  assert.equal(getPath(undefined, ['a']), undefined);
});

test('nodeToJs: plain values, last duplicate wins, templates become TEMPLATED, __proto__ stays a key', () => {
  const js = nodeToJs(parsed.root) as Record<string, any>;
  assert.deepEqual(js.feature, { network: { incoming: { mode: 'steal', ports: [80, TEMPLATED] } } });
  assert.equal(js.t, TEMPLATED);
  assert.ok(Object.prototype.hasOwnProperty.call(js, '__proto__'));
  assert.deepEqual(Object.getPrototypeOf(js), Object.prototype);
  assert.equal(nodeToJs(undefined), undefined);
});

test('isTemplate tells template nodes apart', () => {
  assert.equal(isTemplate(getPath(parsed.root, ['t'])), true);
  assert.equal(isTemplate(getPath(parsed.root, ['feature'])), false);
  assert.equal(isTemplate(undefined), false);
});
