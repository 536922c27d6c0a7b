import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { otherNamespacesHint } from '../../../src/core/k8s/otherNamespaces';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import { closestNames } from '../../../src/core/text/closestNames';
import type { ResolveResult, ResolvedTarget } from '../../../src/core/types';

const SHOP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: app
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
spec:
  template:
    metadata:
      labels: {app: cart}
    spec:
      containers:
        - name: cart
---
apiVersion: v1
kind: Service
metadata:
  name: checkout
  namespace: shop
spec:
  selector: {app: checkout}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: finance
spec:
  template:
    spec:
      containers: [{name: billing}]
`;

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: recs
  namespace: shop
spec:
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: recs-base
`;

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: recs-base
  namespace: shop
spec:
  replicas: 0
  template:
    spec:
      containers:
        - name: recs
          readinessProbe:
            httpGet: {path: /ready, port: 9000}
`;

const manifests = [
  ...parseManifests(SHOP, 'shop.yaml').objects,
  ...parseManifests(ROLLOUT, 'rollout.yaml').objects,
  ...parseManifests(BASE, 'base.yaml').objects,
];

function ok(result: ResolveResult): ResolvedTarget {
  if (!result.ok) assert.fail(`expected ok, got ${result.failure.kind}: ${result.failure.message}`);
  return result.target;
}

test('finds a deployment by kind, name and namespace, with a manifest origin', () => {
  const target = ok(resolveFromManifests({ kind: 'deployment', name: 'checkout' }, 'shop', manifests));
  assert.equal(target.namespace, 'shop');
  assert.equal(target.object?.kind, 'Deployment');
  assert.equal(target.origin.source, 'manifest');
  assert.equal(target.origin.file, 'shop.yaml');
  assert.equal(target.origin.lineOf?.(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe']), 12);
  assert.equal(target.pods.length, 1);
  assert.equal(target.pods[0].podSpec.containers[0].name, 'app');
});

test('objects with no namespace match any namespace', () => {
  assert.equal(ok(resolveFromManifests({ kind: 'deployment', name: 'cart' }, 'shop', manifests)).object?.metadata.name, 'cart');
  assert.equal(ok(resolveFromManifests({ kind: 'deployment', name: 'cart' }, 'default', manifests)).object?.metadata.name, 'cart');
});

test('wrong namespace: not-found, saying where it is', () => {
  const result = resolveFromManifests({ kind: 'deployment', name: 'billing' }, 'shop', manifests);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.failure.kind, 'not-found');
    assert.match(result.failure.message, /"finance"/);
  }
});

test('the other-namespaces hint reads as a sentence for one and for several namespaces', () => {
  assert.equal(otherNamespacesHint([]), '');
  assert.equal(otherNamespacesHint(['finance']), ' There is one in namespace "finance": set target.namespace.');
  assert.equal(otherNamespacesHint(['a', 'b']), ' Namespaces "a" and "b" have one: set target.namespace to one of them.');
  assert.equal(otherNamespacesHint(['a', 'b', 'c']), ' Namespaces "a", "b" and "c" have one: set target.namespace to one of them.');
});

test('typo: not-found with the closest names of that kind', () => {
  const result = resolveFromManifests({ kind: 'deployment', name: 'chekout' }, 'shop', manifests);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.failure.kind, 'not-found');
    assert.deepEqual(result.failure.suggestions, ['checkout']);
    assert.match(result.failure.message, /Did you mean "checkout"/);
  }
  const wrongKind = resolveFromManifests({ kind: 'statefulset', name: 'checkout' }, 'shop', manifests);
  assert.equal(wrongKind.ok, false, 'the kind must match too');
});

test('service: pods from the workload its selector picks, with that workload as origin', () => {
  const target = ok(resolveFromManifests({ kind: 'service', name: 'checkout' }, 'shop', manifests));
  assert.equal(target.object?.kind, 'Service');
  assert.equal(target.pods.length, 1);
  assert.equal(target.pods[0].object.kind, 'Deployment');
  assert.equal(target.pods[0].origin?.file, 'shop.yaml');
  assert.equal(target.pods[0].origin?.lineOf?.(['spec', 'template']), 6);
});

test('rollout with workloadRef: the Deployment template from another file', () => {
  const target = ok(resolveFromManifests({ kind: 'rollout', name: 'recs' }, 'shop', manifests));
  assert.equal(target.origin.file, 'rollout.yaml');
  assert.equal(target.pods[0].object.metadata.name, 'recs-base');
  assert.equal(target.pods[0].origin?.file, 'base.yaml');
  assert.equal(target.pods[0].origin?.lineOf?.(['spec', 'template', 'spec', 'containers', 0, 'readinessProbe']), 11);
});

test('rollout kind needs the argoproj group: an apps Deployment named like it does not count', () => {
  const fake = parseManifests('apiVersion: apps/v1\nkind: Rollout\nmetadata: {name: r}\nspec: {template: {spec: {containers: []}}}\n').objects;
  assert.equal(resolveFromManifests({ kind: 'rollout', name: 'r' }, 'ns', fake).ok, false);
});

test('label target: workloads whose pod labels match', () => {
  const target = ok(resolveFromManifests({ kind: 'label', labels: { app: 'cart' } }, 'shop', manifests));
  assert.equal(target.object, undefined);
  assert.deepEqual(
    target.pods.map((p) => p.object.metadata.name),
    ['cart'],
  );
});

test('a missing container is not-found with the container names', () => {
  const result = resolveFromManifests({ kind: 'deployment', name: 'checkout', container: 'ap' }, 'shop', manifests);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.failure.kind, 'not-found');
    assert.deepEqual(result.failure.suggestions, ['app']);
  }
  assert.equal(resolveFromManifests({ kind: 'deployment', name: 'checkout', container: 'app' }, 'shop', manifests).ok, true);
});

test('targetless is unsupported; garbage input does not throw', () => {
  const result = resolveFromManifests({ kind: 'targetless' }, 'shop', manifests);
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.failure.kind, 'unsupported');
  assert.equal(resolveFromManifests({ kind: 'pod', name: 'x' }, 'ns', null as any).ok, false);
  assert.equal(resolveFromManifests({ kind: 'pod', name: 'x' }, 'ns', [null, { object: null }] as any).ok, false);
});

test('closestNames: typos and names containing the wanted one, closest first, at most three; never unrelated names', () => {
  assert.deepEqual(closestNames('checkot', ['checkout', 'cart', 'checkout-worker', 'zzz']), ['checkout']);
  assert.deepEqual(closestNames('chekout', ['checkout', 'search', 'checkout-v2', 'ledger']), ['checkout']);
  assert.deepEqual(closestNames('checkout-v2', ['checkout', 'search']), ['checkout']);
  assert.deepEqual(closestNames('api', ['api-gateway', 'api-worker', 'api-v2', 'api-canary', 'web']), ['api-v2', 'api-canary', 'api-worker']);
  assert.deepEqual(closestNames('Checkout', ['checkout']), ['checkout']);
  assert.deepEqual(closestNames('zzzzzzzz', ['checkout']), []);
  assert.deepEqual(closestNames('zzz', ['checkout', 'search']), []);
});

/** CPU milliseconds the call took (a loaded machine does not inflate it as it does the wall clock). */
function cpuMs(fn: () => void): number {
  const started = process.cpuUsage();
  fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

test('closestNames: a pasted blob of a name is not compared character by character with every candidate', () => {
  const names = Array.from({ length: 40 }, (_, i) => `service-${i}`);
  let found: string[] = [];
  // Comparing 300,000 characters with each of 40 names is 120 million steps (seconds); the lengths alone rule them out.
  const ms = cpuMs(() => (found = closestNames(`service-1${'x'.repeat(300_000)}`, names)));
  assert.deepEqual(found, ['service-1'], 'a name it contains is still suggested');
  assert.ok(ms < 1000, `${Math.round(ms)} ms of CPU`);
  assert.deepEqual(closestNames('api', ['api-gateway-internal', 'api-v2']), ['api-v2', 'api-gateway-internal'], 'names containing it, closest first');
});
