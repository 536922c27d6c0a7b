import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { readTarget } from '../../../src/core/target/readTarget';
import { formatTargetRef, parseTargetPath } from '../../../src/core/target/targetPath';
import type { ConfigNode } from '../../../src/core/types';
import { configNodeFromJson, nodeAt } from './configNodeFromJson';

function readJson(json: string) {
  const root = configNodeFromJson(json);
  return { root, reading: readTarget(root) };
}

test('every string kind parses to its ref, with and without a container', () => {
  const kinds: [string, string][] = [
    ['pod', 'pod'],
    ['deployment', 'deployment'],
    ['deploy', 'deployment'],
    ['rollout', 'rollout'],
    ['statefulset', 'statefulset'],
    ['job', 'job'],
    ['cronjob', 'cronjob'],
    ['replicaset', 'replicaset'],
    ['service', 'service'],
  ];
  for (const [prefix, kind] of kinds) {
    const plain = readJson(JSON.stringify(`${prefix}/api`)).reading;
    assert.deepEqual(plain.ref, { kind, name: 'api' }, prefix);
    assert.deepEqual(plain.problems, []);
    const withContainer = readJson(JSON.stringify(`${prefix}/api/container/app`)).reading;
    assert.deepEqual(withContainer.ref, { kind, name: 'api', container: 'app' }, prefix);
  }
});

test('targetless', () => {
  assert.deepEqual(readJson('"targetless"').reading.ref, { kind: 'targetless' });
});

test('label targets: several labels, keys with slashes, container', () => {
  const { reading } = readJson('"label/app.kubernetes.io/name=api,tier=web/container/php"');
  assert.deepEqual(reading.ref, { kind: 'label', labels: { 'app.kubernetes.io/name': 'api', tier: 'web' }, container: 'php' });
  assert.deepEqual(readJson('"label/app=api"').reading.ref, { kind: 'label', labels: { app: 'api' } });
});

test('malformed label targets are invalid', () => {
  for (const bad of ['label/', 'label/app', 'label/=x', 'label/app=a,app=b', 'label/app=a/container/']) {
    const { root, reading } = readJson(JSON.stringify(bad));
    assert.equal(reading.ref, undefined, bad);
    assert.equal(reading.problems.length, 1, bad);
    assert.equal(reading.problems[0].code, 'invalid-target');
    assert.deepEqual(reading.problems[0].span, root.span);
  }
});

test('a bare name is an error that suggests the prefix, pointing at the string', () => {
  const json = '{"target": "checkout"}';
  const root = configNodeFromJson(json);
  const reading = readTarget(nodeAt(root, 'target'));
  assert.equal(reading.ref, undefined);
  assert.equal(reading.problems[0].code, 'invalid-target');
  assert.match(reading.problems[0].message, /pod\/checkout/);
  assert.equal(json.slice(reading.problems[0].span.start, reading.problems[0].span.end), '"checkout"');
});

test('unknown kinds are invalid, with a hint for common abbreviations', () => {
  const sts = readJson('"sts/db"').reading;
  assert.equal(sts.problems[0].code, 'invalid-target');
  assert.match(sts.problems[0].message, /statefulset\//);
  const svc = readJson('"svc/web"').reading;
  assert.match(svc.problems[0].message, /service\//);
  const upper = readJson('"Deployment/web"').reading;
  assert.equal(upper.ref, undefined, 'mirrord matches the prefix case-sensitively');
  assert.match(upper.problems[0].message, /deployment\//);
  assert.equal(readJson('"daemonset/x"').reading.problems[0].code, 'invalid-target');
});

test('malformed paths are invalid', () => {
  for (const bad of ['deployment/', 'deployment', 'pod/a/b', 'pod/a/container', 'pod/a/container/', 'pod/a/container/c/d', ' pod/a', '']) {
    const reading = readJson(JSON.stringify(bad)).reading;
    assert.equal(reading.ref, undefined, bad);
    assert.equal(reading.problems.length, 1, bad);
    assert.equal(reading.problems[0].code, 'invalid-target', bad);
  }
});

test('non-string scalars and arrays are invalid', () => {
  for (const bad of ['42', 'true', '["pod/a"]']) {
    const { root, reading } = readJson(bad);
    assert.equal(reading.problems[0].code, 'invalid-target', bad);
    assert.deepEqual(reading.problems[0].span, root.span);
  }
});

test('null or missing target: no ref, no problem', () => {
  assert.deepEqual(readTarget(undefined), { templated: false, problems: [] });
  assert.equal(readJson('null').reading.ref, undefined);
  assert.deepEqual(readJson('null').reading.problems, []);
});

test('{path, namespace} with a string path', () => {
  const json = '{"path": "deployment/checkout/container/app", "namespace": "shop"}';
  const { root, reading } = readJson(json);
  assert.deepEqual(reading.ref, { kind: 'deployment', name: 'checkout', container: 'app', namespace: 'shop' });
  assert.equal(reading.pathNode, nodeAt(root, 'path'));
  assert.equal(reading.namespaceNode, nodeAt(root, 'namespace'));
});

test('{path: {object form}, namespace}', () => {
  const json = '{"path": {"cron_job": "nightly", "container": "report"}, "namespace": "ops"}';
  const { root, reading } = readJson(json);
  assert.deepEqual(reading.ref, { kind: 'cronjob', name: 'nightly', container: 'report', namespace: 'ops' });
  assert.equal(reading.pathNode, nodeAt(root, 'path', 'cron_job'));
});

test('every object-path key maps to its kind', () => {
  const keys: [string, string][] = [
    ['pod', 'pod'],
    ['deployment', 'deployment'],
    ['rollout', 'rollout'],
    ['job', 'job'],
    ['cron_job', 'cronjob'],
    ['stateful_set', 'statefulset'],
    ['service', 'service'],
    ['replica_set', 'replicaset'],
  ];
  for (const [key, kind] of keys) {
    const reading = readJson(`{"${key}": "x", "container": "c"}`).reading;
    assert.deepEqual(reading.ref, { kind, name: 'x', container: 'c' }, key);
    assert.deepEqual(reading.problems, []);
  }
  const labels = readJson('{"path": {"labels": {"app": "api", "tier": "web"}}}').reading;
  assert.deepEqual(labels.ref, { kind: 'label', labels: { app: 'api', tier: 'web' } });
});

test('object-path problems: no kind, two kinds, empty name, bad labels', () => {
  const none = readJson('{"path": {"container": "c"}}').reading;
  assert.equal(none.problems[0].code, 'invalid-target');
  const json = '{"deployment": "a", "pod": "b"}';
  const two = readJson(json).reading;
  assert.equal(two.ref, undefined);
  assert.equal(json.slice(two.problems[0].span.start, two.problems[0].span.end), '"pod"');
  assert.equal(readJson('{"pod": ""}').reading.problems[0].code, 'invalid-target');
  assert.equal(readJson('{"pod": 3}').reading.problems[0].code, 'invalid-target');
  assert.equal(readJson('{"labels": {}}').reading.problems[0].code, 'invalid-target');
  assert.equal(readJson('{"labels": "app=x"}').reading.problems[0].code, 'invalid-target');
  assert.equal(readJson('{"labels": {"app": 1}}').reading.problems[0].code, 'invalid-target');
});

test('unknown keys do not stop the target being read (they are reported from the key model)', () => {
  const json = '{"path": "pod/a", "namespace": "ns", "contianer": "x"}';
  const { reading } = readJson(json);
  assert.deepEqual(reading.ref, { kind: 'pod', name: 'a', namespace: 'ns' });
  assert.deepEqual(reading.problems, []);
  const findings = analyzeConfig(parseConfig(`{"target": ${json}}`, 'json')).findings;
  assert.deepEqual(
    findings.map((f) => f.code),
    ['unknown-key'],
  );
  assert.match(findings[0].message, /Unknown key "contianer" in target/);

  const inner = '{"path": {"deployment": "a", "namespace": "ns"}}';
  assert.deepEqual(readJson(inner).reading.ref, { kind: 'deployment', name: 'a' });
  const innerFindings = analyzeConfig(parseConfig(`{"target": ${inner}}`, 'json')).findings;
  assert.equal(innerFindings[0].code, 'unknown-key');
  assert.match(innerFindings[0].message, /"namespace" belongs in target\./);
});

test('namespace only: no ref; bad namespace is a problem', () => {
  const only = readJson('{"namespace": "shop"}').reading;
  assert.equal(only.ref, undefined);
  assert.deepEqual(only.problems, []);
  assert.ok(only.namespaceNode);
  const bad = readJson('{"path": "pod/a", "namespace": 5}').reading;
  assert.equal(bad.problems[0].code, 'invalid-target');
});

function template(start: number, end: number): ConfigNode {
  return { kind: 'template', span: { start, end }, text: '{{ get_env(name="T") }}' };
}

test('template nodes: templated, no ref, no problem', () => {
  const whole = readTarget(template(0, 10));
  assert.equal(whole.templated, true);
  assert.equal(whole.ref, undefined);
  assert.deepEqual(whole.problems, []);

  const inPath = readTarget({
    kind: 'object',
    span: { start: 0, end: 50 },
    entries: [
      { key: 'path', keySpan: { start: 1, end: 7 }, value: template(9, 30), span: { start: 1, end: 30 } },
      { key: 'namespace', keySpan: { start: 32, end: 43 }, value: { kind: 'scalar', span: { start: 45, end: 49 }, value: 'ns' }, span: { start: 32, end: 49 } },
    ],
  });
  assert.equal(inPath.templated, true);
  assert.equal(inPath.ref, undefined);

  const templatedNamespace = readTarget({
    kind: 'object',
    span: { start: 0, end: 50 },
    entries: [
      { key: 'path', keySpan: { start: 1, end: 7 }, value: { kind: 'scalar', span: { start: 9, end: 20 }, value: 'pod/a' }, span: { start: 1, end: 20 } },
      { key: 'namespace', keySpan: { start: 22, end: 33 }, value: template(35, 49), span: { start: 22, end: 49 } },
    ],
  });
  assert.equal(templatedNamespace.templated, true);
  assert.equal(templatedNamespace.ref, undefined);

  assert.equal(readJson('"deployment/{{ get_env(name=\\"APP\\") }}"').reading.templated, true);
});

test('a __proto__ label key is an ordinary label', () => {
  const reading = readJson('"label/__proto__=x"').reading;
  assert.equal(Object.getPrototypeOf(reading.ref!.labels), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(reading.ref!.labels, '__proto__')?.value, 'x');
  const objectForm = readJson('{"labels": {"__proto__": "y"}}').reading;
  assert.equal(Object.getOwnPropertyDescriptor(objectForm.ref!.labels, '__proto__')?.value, 'y');
});

test('formatTargetRef round-trips every valid string form', () => {
  for (const text of ['targetless', 'pod/a', 'deployment/a/container/b', 'label/app=x,tier=web/container/c', 'cronjob/n']) {
    const parsed = parseTargetPath(text);
    assert.ok(parsed.ok, text);
    if (parsed.ok) assert.equal(formatTargetRef(parsed.ref), text);
  }
});

test('readTarget never throws on corrupt trees', () => {
  const corrupt = { kind: 'object', span: { start: 0, end: 1 }, entries: null } as unknown as ConfigNode;
  assert.doesNotThrow(() => readTarget(corrupt));
});
