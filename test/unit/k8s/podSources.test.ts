import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podSourcesFor, selectorMatches, workloadKindForTarget } from '../../../src/core/k8s/podSources';
import type { KubeObject, PodSource } from '../../../src/core/types';

const podSpec = (name: string) => ({ containers: [{ name, livenessProbe: { httpGet: { port: 8080 } } }] });
const template = (labels: Record<string, string>, name: string) => ({ metadata: { labels }, spec: podSpec(name) });

function sources(result: PodSource[] | { problem: string }): PodSource[] {
  if (!Array.isArray(result)) assert.fail(`expected pod sources, got problem: ${result.problem}`);
  return result;
}

function problem(result: PodSource[] | { problem: string }): string {
  if (Array.isArray(result)) assert.fail(`expected a problem, got ${result.length} sources`);
  return result.problem;
}

test('pod: its own spec', () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec('c') };
  const [s] = sources(podSourcesFor({ kind: 'pod', name: 'p' }, 'ns', pod, []));
  assert.equal(s.podSpec, pod.spec);
  assert.deepEqual(s.specPath, ['spec']);
  assert.equal(s.description, 'pod/p');
  assert.equal(s.object, pod);
});

test('deployment, statefulset, replicaset, job: spec.template.spec', () => {
  for (const [kind, apiKind] of [
    ['deployment', 'Deployment'],
    ['statefulset', 'StatefulSet'],
    ['replicaset', 'ReplicaSet'],
    ['job', 'Job'],
  ] as const) {
    const object: KubeObject = { kind: apiKind, metadata: { name: 'w' }, spec: { template: template({ app: 'w' }, kind) } };
    const [s] = sources(podSourcesFor({ kind, name: 'w' }, 'ns', object, []));
    assert.equal(s.podSpec.containers[0].name, kind);
    assert.deepEqual(s.specPath, ['spec', 'template', 'spec']);
    assert.equal(s.description, `${kind}/w`);
  }
});

test('cronjob: spec.jobTemplate.spec.template.spec', () => {
  const cron: KubeObject = { kind: 'CronJob', metadata: { name: 'nightly' }, spec: { jobTemplate: { spec: { template: template({}, 'report') } } } };
  const [s] = sources(podSourcesFor({ kind: 'cronjob', name: 'nightly' }, 'ns', cron, []));
  assert.equal(s.podSpec.containers[0].name, 'report');
  assert.deepEqual(s.specPath, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
});

test('rollout: own template, or the workloadRef Deployment from related', () => {
  const own: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: template({}, 'own') } };
  assert.equal(sources(podSourcesFor({ kind: 'rollout', name: 'r' }, 'ns', own, []))[0].podSpec.containers[0].name, 'own');

  const withRef: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'recs' },
    spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'recs-base' } },
  };
  const decoyOtherNs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'recs-base', namespace: 'other' },
    spec: { template: template({}, 'wrong') },
  };
  const base: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'recs-base', namespace: 'shop' },
    spec: { replicas: 0, template: template({}, 'recs') },
  };
  const [s] = sources(podSourcesFor({ kind: 'rollout', name: 'recs' }, 'shop', withRef, [decoyOtherNs, base]));
  assert.equal(s.object, base);
  assert.equal(s.podSpec.containers[0].name, 'recs');
  assert.deepEqual(s.specPath, ['spec', 'template', 'spec']);
  assert.match(s.description, /deployment\/recs-base.*workloadRef.*rollout\/recs/);

  assert.match(problem(podSourcesFor({ kind: 'rollout', name: 'recs' }, 'shop', withRef, [decoyOtherNs])), /workloadRef.*not found/);
  assert.match(problem(podSourcesFor({ kind: 'rollout', name: 'x' }, 'shop', { kind: 'Rollout', spec: {} }, [])), /neither/);
});

test('service: pods picked by its selector, one per owner, only in the namespace', () => {
  const service: KubeObject = { kind: 'Service', metadata: { name: 'checkout' }, spec: { selector: { app: 'checkout' } } };
  const owner = [{ kind: 'ReplicaSet', name: 'checkout-7d9c' }];
  const related: KubeObject[] = [
    {
      kind: 'Pod',
      metadata: { name: 'checkout-7d9c-a', namespace: 'shop', labels: { app: 'checkout', 'pod-template-hash': '7d9c' }, ownerReferences: owner },
      spec: podSpec('a'),
    },
    { kind: 'Pod', metadata: { name: 'checkout-7d9c-b', namespace: 'shop', labels: { app: 'checkout' }, ownerReferences: owner }, spec: podSpec('b') },
    { kind: 'Pod', metadata: { name: 'checkout-other', namespace: 'other', labels: { app: 'checkout' } }, spec: podSpec('x') },
    { kind: 'Pod', metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } }, spec: podSpec('y') },
    { kind: 'Deployment', metadata: { name: 'checkout', namespace: 'shop' }, spec: { template: template({ app: 'checkout' }, 'tmpl') } },
  ];
  const picked = sources(podSourcesFor({ kind: 'service', name: 'checkout' }, 'shop', service, related));
  assert.deepEqual(
    picked.map((s) => s.object.metadata.name),
    ['checkout-7d9c-a'],
    'pods win over templates; same owner deduplicated',
  );
  assert.deepEqual(picked[0].specPath, ['spec']);
});

test('pods from an API list response (no kind on items) are still picked', () => {
  const service: KubeObject = { kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 's' } } };
  const listed: KubeObject[] = [{ metadata: { name: 's-1', labels: { app: 's' } }, spec: podSpec('a') }];
  assert.deepEqual(
    sources(podSourcesFor({ kind: 'service', name: 's' }, 'ns', service, listed)).map((p) => p.object.metadata.name),
    ['s-1'],
  );
  const notAPod: KubeObject[] = [{ metadata: { name: 'x', labels: { app: 's' } }, spec: { selector: {} } }];
  assert.equal(Array.isArray(podSourcesFor({ kind: 'service', name: 's' }, 'ns', service, notAPod)), false);
});

test('service: with no pods (manifests), matching workload templates', () => {
  const service: KubeObject = { kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } };
  const related: KubeObject[] = [
    { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: template({ app: 'web', tier: 'fe' }, 'web') } },
    { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: template({ app: 'db' }, 'db') } },
    { kind: 'ConfigMap', metadata: { name: 'web' }, data: {} },
  ];
  const picked = sources(podSourcesFor({ kind: 'service', name: 'web' }, 'shop', service, related));
  assert.deepEqual(
    picked.map((s) => s.description),
    ['deployment/web (picked by service/web)'],
  );
  assert.deepEqual(picked[0].specPath, ['spec', 'template', 'spec']);

  assert.match(problem(podSourcesFor({ kind: 'service', name: 'web' }, 'shop', { kind: 'Service', spec: {} }, related)), /no selector/);
  assert.match(problem(podSourcesFor({ kind: 'service', name: 'web' }, 'shop', { kind: 'Service', spec: { selector: { app: 'none' } } }, related)), /No pods/);
});

test('service: a bare Pod in the manifests does not hide a workload the selector also picks', () => {
  const service: KubeObject = { kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } };
  const related: KubeObject[] = [
    { kind: 'Pod', metadata: { name: 'web-debug', labels: { app: 'web' } }, spec: podSpec('debug') },
    { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: template({ app: 'web' }, 'web') } },
  ];
  assert.deepEqual(
    sources(podSourcesFor({ kind: 'service', name: 'web' }, 'shop', service, related)).map((s) => s.description),
    ['pod/web-debug (picked by service/web)', 'deployment/web (picked by service/web)'],
  );
  assert.deepEqual(
    sources(podSourcesFor({ kind: 'label', labels: { app: 'web' } }, 'shop', undefined, related)).map((s) => s.description),
    ['pod/web-debug (picked by label app=web)', 'deployment/web (picked by label app=web)'],
  );
});

test('label target: pods (or templates) carrying all the labels', () => {
  const related: KubeObject[] = [
    { kind: 'Pod', metadata: { name: 'a', labels: { app: 'api', tier: 'web' } }, spec: podSpec('a') },
    { kind: 'Pod', metadata: { name: 'b', labels: { app: 'api' } }, spec: podSpec('b') },
  ];
  const picked = sources(podSourcesFor({ kind: 'label', labels: { app: 'api', tier: 'web' } }, 'ns', undefined, related));
  assert.deepEqual(
    picked.map((s) => s.object.metadata.name),
    ['a'],
  );
  assert.match(problem(podSourcesFor({ kind: 'label', labels: {} }, 'ns', undefined, related)), /no labels/);
});

test('missing objects, targetless and malformed input give problems, not throws', () => {
  assert.match(problem(podSourcesFor({ kind: 'deployment', name: 'x' }, 'ns', undefined, [])), /not found/);
  assert.match(problem(podSourcesFor({ kind: 'deployment', name: 'x' }, 'ns', { kind: 'Deployment', spec: {} }, [])), /no pod template/);
  assert.match(problem(podSourcesFor({ kind: 'targetless' }, 'ns', undefined, [])), /targetless/);
  assert.match(problem(podSourcesFor({ kind: 'pod', name: 'p' }, 'ns', { kind: 'Pod' }, [])), /no spec/);
  assert.doesNotThrow(() => podSourcesFor({ kind: 'service', name: 's' }, 'ns', { kind: 'Service', spec: { selector: { a: 'b' } } }, [null, 1, 'x'] as any));
});

test('selectorMatches: all pairs must match; empty selector matches nothing', () => {
  assert.equal(selectorMatches({ app: 'a' }, { app: 'a', x: 'y' }), true);
  assert.equal(selectorMatches({ app: 'a', tier: 'web' }, { app: 'a' }), false);
  assert.equal(selectorMatches({ app: 'a' }, { app: 'b' }), false);
  assert.equal(selectorMatches({ app: '' }, {}), false, 'a missing key is not an empty value');
  assert.equal(selectorMatches({ app: '' }, { app: '' }), true);
  assert.equal(selectorMatches({}, { app: 'a' }), false);
  assert.equal(selectorMatches({ app: 'a' }, undefined), false);
});

test('workloadKindForTarget gives the REST coordinates of each kind', () => {
  assert.deepEqual(workloadKindForTarget('pod'), { apiVersion: 'v1', kind: 'Pod', plural: 'pods', group: '' });
  assert.deepEqual(workloadKindForTarget('deployment'), { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', group: 'apps' });
  assert.deepEqual(workloadKindForTarget('rollout'), { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', group: 'argoproj.io' });
  assert.equal(workloadKindForTarget('statefulset')?.apiVersion, 'apps/v1');
  assert.equal(workloadKindForTarget('replicaset')?.plural, 'replicasets');
  assert.equal(workloadKindForTarget('job')?.apiVersion, 'batch/v1');
  assert.equal(workloadKindForTarget('cronjob')?.plural, 'cronjobs');
  assert.deepEqual(workloadKindForTarget('service'), { apiVersion: 'v1', kind: 'Service', plural: 'services', group: '' });
  assert.equal(workloadKindForTarget('label')?.kind, 'Pod');
  assert.equal(workloadKindForTarget('targetless'), undefined);
});
