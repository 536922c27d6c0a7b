import assert from 'node:assert/strict';
import { suite, test } from 'node:test';
import { notFoundFindings, retargetTitle, setNamespaceTitle } from '../../../src/core/analyze/targetFixes';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { applyTextEdits } from '../../../src/core/fix/applyTextEdits';
import { ownerOfMissingPod, podNameShape } from '../../../src/core/k8s/podOwner';
import type { ConfigFormat, KubeObject } from '../../../src/core/types';
import { analyse, findingCodes, findingOf, verdicts } from './analyzeSupport';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './analyzeSupport';

const POD = 'api-7c9d8f6b45-x2kzq';

function object(kind: string, name: string, owner?: { kind: string; name: string; apiVersion: string }): KubeObject {
  const metadata: Record<string, unknown> = { name, namespace: 'shop' };
  if (owner) metadata.ownerReferences = [{ ...owner, uid: 'u', controller: true }];
  return { apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata };
}

suite('pod name shapes', () => {
  test('a ReplicaSet pod name gives its ReplicaSet and workload', () => {
    assert.deepEqual(podNameShape(POD), { replicaSet: 'api-7c9d8f6b45', workload: 'api' });
    assert.deepEqual(podNameShape('checkout-api-66b6c48dd5-4jw2x'), { replicaSet: 'checkout-api-66b6c48dd5', workload: 'checkout-api' });
  });

  test('a StatefulSet pod name gives its set', () => {
    assert.deepEqual(podNameShape('orders-db-0'), { statefulSet: 'orders-db' });
    assert.deepEqual(podNameShape('orders-db-12'), { statefulSet: 'orders-db' });
  });

  test('ordinary names are not misread', () => {
    for (const name of ['api-server-main', 'api', 'api-server', 'api-01', 'web-abcde', 'web-7c9d8f6b45-aeiou', 'web-7c9d8f6b45-x2kz']) {
      const shape = podNameShape(name);
      assert.equal(shape.workload, undefined, name);
    }
    // Vowels, 0, 1 and 3 are not in Kubernetes' name alphabet: no ReplicaSet suffix.
    assert.equal(podNameShape('web-abcde').replicaSet, undefined);
    assert.equal(podNameShape('web-x2kz3').replicaSet, undefined);
    // A hash holds only the letters digits map to (4-9, b, c, d, f): "x2kzq" is a suffix, not a hash.
    assert.deepEqual(podNameShape('api-x2kzq-x2kzq'), { replicaSet: 'api-x2kzq' });
    assert.equal(podNameShape('api-01').statefulSet, undefined, 'no leading zero in an ordinal');
    assert.deepEqual(podNameShape('x'.repeat(300)), {});
  });
});

suite('owner of a missing pod', () => {
  test("the pod's ReplicaSet names a Deployment in its ownerReferences", () => {
    const owner = ownerOfMissingPod(POD, {
      replicaSets: [object('ReplicaSet', 'api-7c9d8f6b45', { kind: 'Deployment', name: 'api-v2', apiVersion: 'apps/v1' })],
    });
    assert.deepEqual(owner && { kind: owner.kind, name: owner.name }, { kind: 'deployment', name: 'api-v2' });
    assert.match(owner!.reason, /ReplicaSet api-7c9d8f6b45 belongs to Deployment api-v2/);
  });

  test('a ReplicaSet owned by an Argo Rollout gives the rollout', () => {
    const owner = ownerOfMissingPod(POD, {
      replicaSets: [object('ReplicaSet', 'api-7c9d8f6b45', { kind: 'Rollout', name: 'api', apiVersion: 'argoproj.io/v1alpha1' })],
    });
    assert.deepEqual(owner && [owner.kind, owner.name], ['rollout', 'api']);
  });

  test("a ReplicaSet owned by something else's Deployment kind (another API group) is not taken", () => {
    const owner = ownerOfMissingPod(POD, {
      replicaSets: [object('ReplicaSet', 'api-7c9d8f6b45', { kind: 'Deployment', name: 'api', apiVersion: 'example.com/v1' })],
    });
    assert.equal(owner, undefined);
  });

  test("a sibling pod of a newer ReplicaSet of the same workload, with that set's owner", () => {
    const owner = ownerOfMissingPod(POD, {
      pods: [object('Pod', 'api-5d4f8b9c6-qq4w8', { kind: 'ReplicaSet', name: 'api-5d4f8b9c6', apiVersion: 'apps/v1' })],
      replicaSets: [object('ReplicaSet', 'api-5d4f8b9c6', { kind: 'Deployment', name: 'api', apiVersion: 'apps/v1' })],
    });
    assert.deepEqual(owner && [owner.kind, owner.name], ['deployment', 'api']);
    assert.match(owner!.reason, /pod api-5d4f8b9c6-qq4w8 of ReplicaSet api-5d4f8b9c6/);
  });

  test('a sibling pod of the StatefulSet', () => {
    const owner = ownerOfMissingPod('orders-db-3', {
      pods: [object('Pod', 'orders-db-0', { kind: 'StatefulSet', name: 'orders-db', apiVersion: 'apps/v1' })],
    });
    assert.deepEqual(owner && [owner.kind, owner.name], ['statefulset', 'orders-db']);
  });

  test('the name shape with the Deployment (or StatefulSet) present, and not without it', () => {
    assert.deepEqual(ownerOfMissingPod(POD, { deployments: [object('Deployment', 'api')] })?.kind, 'deployment');
    assert.equal(ownerOfMissingPod(POD, { deployments: [object('Deployment', 'web')] }), undefined);
    assert.equal(ownerOfMissingPod('api-server-main', { deployments: [object('Deployment', 'api-server')] }), undefined);
    assert.deepEqual(ownerOfMissingPod('orders-db-1', { statefulSets: [object('StatefulSet', 'orders-db')] })?.kind, 'statefulset');
    assert.equal(ownerOfMissingPod('orders-db-1', {}), undefined);
  });

  test('garbage objects never throw', () => {
    assert.equal(ownerOfMissingPod(POD, { pods: [null as never, { metadata: { ownerReferences: 'x' } } as never], replicaSets: [{} as never] }), undefined);
  });
});

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: default
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: app
          ports: [{ containerPort: 8080 }]
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
        - name: sidecar
          readinessProbe: { httpGet: { path: /ready, port: 9090 } }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: payments
spec:
  selector: { matchLabels: { app: billing } }
  template:
    metadata: { labels: { app: billing } }
    spec:
      containers:
        - name: app
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;

/** Steal with no filter: every probe on the app's ports is stolen once the target resolves. */
const CONFIGS: { name: string; format: ConfigFormat; text: (target: string) => string }[] = [
  { name: 'JSON string', format: 'json', text: (t) => `{\n  "target": "${t}",\n  "feature": { "network": { "incoming": "steal" } }\n}\n` },
  {
    name: 'JSON path',
    format: 'json',
    text: (t) => `{\n  "target": { "path": "${t}", "namespace": "default" },\n  "feature": { "network": { "incoming": "steal" } }\n}\n`,
  },
  { name: 'YAML string', format: 'yaml', text: (t) => `target: ${t}\nfeature:\n  network:\n    incoming: steal\n` },
  { name: 'YAML path', format: 'yaml', text: (t) => `target:\n  path: ${t}\n  namespace: default\nfeature:\n  network:\n    incoming: steal\n` },
  { name: 'TOML string', format: 'toml', text: (t) => `target = "${t}"\n\n[feature.network]\nincoming = "steal"\n` },
  { name: 'TOML path', format: 'toml', text: (t) => `[target]\npath = "${t}"\nnamespace = "default"\n\n[feature.network]\nincoming = "steal"\n` },
];

const OBJECT_CONFIGS: { name: string; format: ConfigFormat; text: string }[] = [
  {
    name: 'JSON object',
    format: 'json',
    text: `{\n  "target": { "path": { "pod": "${POD}", "container": "app" }, "namespace": "default" },\n  "feature": { "network": { "incoming": "steal" } }\n}\n`,
  },
  {
    name: 'YAML object',
    format: 'yaml',
    text: `target:\n  path:\n    pod: ${POD}\n    container: app\n  namespace: default\nfeature:\n  network:\n    incoming: steal\n`,
  },
  {
    name: 'TOML object',
    format: 'toml',
    text: `[target]\nnamespace = "default"\n\n[target.path]\npod = "${POD}"\ncontainer = "app"\n\n[feature.network]\nincoming = "steal"\n`,
  },
];

suite('stale pod target finding and retarget fix', () => {
  for (const config of CONFIGS) {
    test(`${config.name}: stale pod -> Target deployment/api instead keeps the container and resolves`, () => {
      const text = config.text(`pod/${POD}/container/app`);
      const parsed = parseConfig(text, config.format);
      const { before, finding, fix, after } = applyFixHere(text, config.format);
      assert.equal(finding.severity, 'warning');
      assert.match(finding.message, /belonged to deployment\/api/);
      assert.match(finding.message, /new names on every rollout/);
      assert.ok(!findingCodes(before.analysis).some((c) => c.startsWith('target-unresolved')), 'one finding, not two');
      assert.equal(fix.isPreferred, true);
      assert.deepEqual(fix.titleMessage, { message: 'Target {0} instead', args: ['deployment/api'] });
      assert.ok(after.includes('deployment/api/container/app'), after);
      assert.notEqual(parsed.text, after);
      const again = analyseHere(after, config.format);
      assert.equal(again.resolution?.ok, true, 'the fixed config resolves to the owner');
      assert.deepEqual(again.analysis.target.ref, {
        kind: 'deployment',
        name: 'api',
        container: 'app',
        ...(again.analysis.target.ref?.namespace ? { namespace: 'default' } : {}),
      });
      // The owner's verdicts: the app's liveness probe stolen, the sidecar's readiness probe conditional.
      assert.deepEqual(verdicts(again.analysis), { 'app/liveness': 'stolen', 'sidecar/readiness': 'conditional' });
      assert.ok(!again.analysis.findings.some((f) => f.code === 'stale-pod-target'));
    });
  }

  for (const config of OBJECT_CONFIGS) {
    test(`${config.name}: the object form's kind key becomes deployment, the container stays`, () => {
      const { fix, after } = applyFixHere(config.text, config.format);
      assert.equal(fix.title, 'Target deployment/api instead');
      assert.ok(!after.includes(POD), after);
      const again = analyseHere(after, config.format);
      assert.equal(again.resolution?.ok, true);
      assert.deepEqual([again.analysis.target.ref?.kind, again.analysis.target.ref?.name, again.analysis.target.ref?.container], ['deployment', 'api', 'app']);
    });
  }

  test('no container in the target: none is added', () => {
    const { after } = applyFixHere(`target: pod/${POD}\nfeature:\n  network:\n    incoming: steal\n`, 'yaml');
    assert.equal(after, `target: deployment/api\nfeature:\n  network:\n    incoming: steal\n`);
  });

  test('a rollout and a statefulset owner get their own kind, also in the object form', () => {
    const parsed = parseConfig(`{"target": {"pod": "${POD}"}, "feature": {"network": {"incoming": "steal"}}}`, 'json');
    const ref = { kind: 'pod' as const, name: POD };
    const failure = { kind: 'not-found' as const, message: 'Pod not found.', podOwner: { kind: 'rollout' as const, name: 'api', reason: 'r' } };
    const finding = notFoundFindings(parsed, failure, { ref, templated: false }, {});
    assert.equal(finding.fixes[0].title, 'Target rollout/api instead');
    assert.match(applyTextEdits(parsed.text, finding.fixes[0].edits), /"rollout": "api"/);
    const sts = notFoundFindings(parsed, { ...failure, podOwner: { kind: 'statefulset', name: 'db', reason: 'r' } }, { ref, templated: false }, {});
    assert.match(applyTextEdits(parsed.text, sts.fixes[0].edits), /"stateful_set": "db"/);
    // A StatefulSet's pod names do not change per rollout: the message says why its ordinal is gone.
    assert.match(finding.message, /new names on every rollout/);
    assert.doesNotMatch(sts.message, /rollout/);
    assert.match(sts.message, /belonged to statefulset\/db .*keep their names, so this ordinal is gone because the set has fewer replicas now/);
  });

  test('MIRRORD_IMPERSONATED_TARGET decides the target: the finding stays, no edit of the file', () => {
    const parsed = parseConfig(`target: pod/${POD}\n`, 'yaml');
    const failure = { kind: 'not-found' as const, message: 'Pod not found.', podOwner: { kind: 'deployment' as const, name: 'api', reason: 'r' } };
    const finding = notFoundFindings(parsed, failure, { ref: { kind: 'pod', name: POD }, templated: false }, { MIRRORD_IMPERSONATED_TARGET: `pod/${POD}` });
    assert.equal(finding.code, 'stale-pod-target');
    assert.deepEqual(finding.fixes, []);
  });

  test('a pod with an ordinary name that is not found stays target-unresolved', () => {
    const found = analyseHere(`target: pod/api-server-main\nfeature:\n  network:\n    incoming: steal\n`, 'yaml');
    assert.ok(findingCodes(found.analysis).includes('target-unresolved:information'));
    assert.ok(!findingCodes(found.analysis).some((c) => c.startsWith('stale-pod-target')));
  });
});

suite('target in another namespace: Set target.namespace fix', () => {
  const cases: { name: string; format: ConfigFormat; text: string; expect: RegExp }[] = [
    {
      name: 'JSON string',
      format: 'json',
      text: `{\n  "target": "deployment/billing",\n  "feature": { "network": { "incoming": "steal" } }\n}\n`,
      expect: /"target": \{[\s\S]*"path": "deployment\/billing"[\s\S]*"namespace": "payments"/,
    },
    {
      name: 'JSON path',
      format: 'json',
      text: `{\n  "target": { "path": "deployment/billing", "namespace": "default" },\n  "feature": { "network": { "incoming": "steal" } }\n}\n`,
      expect: /"namespace": "payments"/,
    },
    {
      name: 'JSON object path',
      format: 'json',
      text: `{\n  "target": { "deployment": "billing", "container": "app" },\n  "feature": { "network": { "incoming": "steal" } }\n}\n`,
      expect: /"path": \{[\s\S]*"deployment": "billing"/,
    },
    { name: 'YAML string', format: 'yaml', text: `target: deployment/billing\nfeature:\n  network:\n    incoming: steal\n`, expect: /namespace: payments/ },
    {
      name: 'YAML path without namespace',
      format: 'yaml',
      text: `target:\n  path: deployment/billing\nfeature:\n  network:\n    incoming: steal\n`,
      expect: /^ {2}namespace: payments$/m,
    },
    { name: 'TOML string', format: 'toml', text: `target = "deployment/billing"\n\n[feature.network]\nincoming = "steal"\n`, expect: /namespace/ },
    {
      name: 'TOML table',
      format: 'toml',
      text: `[target]\npath = "deployment/billing"\nnamespace = "default"\n\n[feature.network]\nincoming = "steal"\n`,
      expect: /namespace = "payments"/,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: the hint stays, the fix sets the namespace and the target resolves there`, () => {
      const { finding, fix, after } = applyFixHere(c.text, c.format, 'target-unresolved', 'Set target.namespace to "payments"');
      assert.match(finding.message, /There is one in namespace "payments": set target.namespace/);
      assert.deepEqual(fix.titleMessage, { message: 'Set target.namespace to "{0}"', args: ['payments'] });
      assert.match(after, c.expect);
      const again = analyseHere(after, c.format);
      assert.equal(again.resolution?.ok, true, after);
      assert.equal(again.analysis.target.ref?.namespace, 'payments');
      assert.deepEqual(verdicts(again.analysis), { 'app/liveness': 'stolen' });
    });
  }

  test('one fix per namespace, at most three', () => {
    const parsed = parseConfig(`target: deployment/billing\n`, 'yaml');
    const failure = { kind: 'not-found' as const, message: 'x', otherNamespaces: ['a', 'b', 'c'] };
    const finding = notFoundFindings(parsed, failure, { ref: { kind: 'deployment', name: 'billing' }, templated: false }, {});
    assert.deepEqual(
      finding.fixes.map((f) => f.title),
      ['Set target.namespace to "a"', 'Set target.namespace to "b"', 'Set target.namespace to "c"'],
    );
    assert.deepEqual(
      finding.fixes.map((f) => f.isPreferred),
      [true, false, false],
    );
  });

  test('MIRRORD_TARGET_NAMESPACE decides the namespace: no fix', () => {
    const parsed = parseConfig(`target: deployment/billing\n`, 'yaml');
    const finding = notFoundFindings(
      parsed,
      { kind: 'not-found', message: 'x', otherNamespaces: ['a'] },
      { ref: { kind: 'deployment', name: 'billing' }, templated: false },
      { MIRRORD_TARGET_NAMESPACE: 'default' },
    );
    assert.deepEqual(finding.fixes, []);
  });

  test('both titles are in the l10n bundle', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    for (const t of [retargetTitle({ kind: 'deployment', name: 'x' }), setNamespaceTitle('x')])
      assert.ok(t.titleMessage.message in bundle, t.titleMessage.message);
  });
});

/** Configs without a namespace are looked up in `default`. */
function analyseHere(text: string, format: ConfigFormat) {
  return analyse(text, format, MANIFESTS);
}

function applyFixHere(text: string, format: ConfigFormat, code = 'stale-pod-target', title = 'Target deployment/api instead') {
  const before = analyseHere(text, format);
  const finding = findingOf(before.analysis, code);
  const fix = finding.fixes.find((f) => f.title === title);
  assert.ok(fix, `no fix "${title}" among ${finding.fixes.map((f) => f.title).join(', ') || 'none'}`);
  return { before, finding, fix, after: applyTextEdits(text, fix.edits) };
}
