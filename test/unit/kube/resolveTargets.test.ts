// Each target kind is fetched by its real REST path, its pod specs come back through podSourcesFor,
// and live pods (requested separately with livePods, never by resolve) carry restarts, the last
// termination and the liveness kill read from events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LookupRequest, TargetRef } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import type { ClusterResolution, LivePodsResolution } from '../../../src/kube/clusterTypes';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { tempDir, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

describe('cluster targets', () => {
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    dir = tempDir();
    kubeconfig = writeSimpleKubeconfig(api, dir, { namespace: NS });
  });
  after(() => api.close());

  async function resolveOk(ref: TargetRef, extra: Partial<LookupRequest> = {}): Promise<Extract<ClusterResolution, { ok: true }>> {
    const r = await createClusterResolver().resolve({ ref, ...extra }, settingsFor(dir, { overrides: { kubeconfig } }));
    assert.equal(r.ok, true, r.ok ? '' : r.failure.message);
    return r as Extract<ClusterResolution, { ok: true }>;
  }

  async function livePodsOk(ref: TargetRef, extra: Partial<LookupRequest> = {}): Promise<Extract<LivePodsResolution, { ok: true }>> {
    const r = await createClusterResolver().livePods({ ref, ...extra }, settingsFor(dir, { overrides: { kubeconfig } }));
    assert.equal(r.ok, true, r.ok ? '' : r.failure.message);
    return r as Extract<LivePodsResolution, { ok: true }>;
  }

  const requestsSince = (start: number) => api.requests.slice(start);

  it('deployment: resolve fetches the object only, with the template spec', async () => {
    const start = api.requests.length;
    const r = await resolveOk({ kind: 'deployment', name: 'api' });
    assert.equal(r.target.namespace, NS, 'namespace from the context');
    assert.equal(r.target.origin.source, 'cluster');
    assert.equal(r.target.origin.cluster?.server, api.url);
    assert.deepEqual(r.target.pods[0].specPath, ['spec', 'template', 'spec']);
    assert.equal(r.target.pods[0].podSpec.containers[0].livenessProbe.httpGet.path, '/healthz');
    assert.equal(r.target.livePods, undefined, 'resolve does not fetch live pods');
    assert.deepEqual(
      requestsSince(start).map((q) => q.path),
      [`/apis/apps/v1/namespaces/${NS}/deployments/api`],
    );
  });

  it('deployment: live pods, and a liveness kill read from events', async () => {
    const start = api.requests.length;
    const r = await livePodsOk({ kind: 'deployment', name: 'api' });
    assert.equal(r.info?.namespace, NS);
    const live = r.pods;
    assert.deepEqual(
      live.map((p) => p.name),
      ['api-7d9c-aaaaa', 'api-7d9c-bbbbb'],
    );
    assert.equal(live[0].restarts, 4);
    assert.equal(live[0].killedByLiveness, true);
    assert.match(live[0].lastTermination ?? '', /Error \(exit 137\) at 2026-03-01T10:00:00Z/);
    assert.equal(live[1].restarts, 0);
    assert.equal(live[1].killedByLiveness, false);
    assert.equal(live[1].ready, true);
    const requests = requestsSince(start);
    const podList = requests.find((q) => q.path === `/api/v1/namespaces/${NS}/pods` && q.query.labelSelector === 'app=api');
    assert.ok(podList, 'pods listed by the selector');
    assert.ok(requests.some((q) => q.path === `/api/v1/namespaces/${NS}/events` && q.query.fieldSelector?.includes('involvedObject.name=api-7d9c-aaaaa')));
    // The object (no resolve cached on this new resolver), the pods, the events of the restarted one.
    assert.equal(requests.length, 3, requests.map((q) => q.path).join(', '));
  });

  it('a restarted pod without liveness events is not called a liveness kill', async () => {
    const r = await livePodsOk({ kind: 'deployment', name: 'web' });
    const web = r.pods[0];
    assert.equal(web?.restarts, 1);
    assert.equal(web?.killedByLiveness, false);
  });

  it('events not readable: killedByLiveness stays unknown', async () => {
    api.setForbidden([{ user: 'alice', verb: 'list', resource: 'events' }]);
    try {
      const r = await livePodsOk({ kind: 'deployment', name: 'api' });
      assert.equal(r.pods[0].killedByLiveness, undefined);
      assert.equal(r.pods[0].restarts, 4);
    } finally {
      api.setForbidden([]);
    }
  });

  it('pod: its own spec and status', async () => {
    const r = await resolveOk({ kind: 'pod', name: 'debug' });
    assert.deepEqual(r.target.pods[0].specPath, ['spec']);
    const start = api.requests.length;
    const live = await livePodsOk({ kind: 'pod', name: 'debug' });
    assert.deepEqual(
      live.pods.map((p) => p.name),
      ['debug'],
    );
    assert.ok(!requestsSince(start).some((q) => q.path.endsWith('/pods')), 'a pod target is its own live pod: no LIST');
  });

  it('service: the pods its selector picks (one per owner)', async () => {
    const r = await resolveOk({ kind: 'service', name: 'api' });
    assert.equal(r.target.pods.length, 1);
    assert.match(r.target.pods[0].description, /^pod\/api-7d9c-/);
    // The pod LIST is the service's target data: resolve makes it, livePods reuses it.
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig } });
    await resolver.resolve({ ref: { kind: 'service', name: 'api' } }, settings);
    const start = api.requests.length;
    const live = await resolver.livePods({ ref: { kind: 'service', name: 'api' } }, settings);
    assert.equal(live.ok && live.pods.length, 2);
    assert.deepEqual(
      requestsSince(start).map((q) => q.path),
      [`/api/v1/namespaces/${NS}/events`],
      'only the events of the restarted pod',
    );
  });

  it('label: pods listed with the labels', async () => {
    const r = await resolveOk({ kind: 'label', labels: { app: 'web' } });
    assert.match(r.target.pods[0].description, /web-5f5f-ccccc/);
    assert.ok(api.requests.some((q) => q.path === `/api/v1/namespaces/${NS}/pods` && q.query.labelSelector === 'app=web'));
    const live = await livePodsOk({ kind: 'label', labels: { app: 'web' } });
    assert.deepEqual(
      live.pods.map((p) => [p.name, p.restarts]),
      [['web-5f5f-ccccc', 1]],
    );
  });

  it('rollout with workloadRef: the referenced Deployment is fetched for the pod spec', async () => {
    const r = await resolveOk({ kind: 'rollout', name: 'checkout' });
    assert.ok(api.requests.some((q) => q.path === `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/checkout`));
    assert.ok(api.requests.some((q) => q.path === `/apis/apps/v1/namespaces/${NS}/deployments/checkout-template`));
    assert.equal(r.target.pods[0].object.kind, 'Deployment');
  });

  it('statefulset and cronjob', async () => {
    const sts = await resolveOk({ kind: 'statefulset', name: 'db' });
    assert.equal(sts.target.pods[0].podSpec.containers[0].name, 'db');
    const cron = await resolveOk({ kind: 'cronjob', name: 'nightly' });
    assert.deepEqual(cron.target.pods[0].specPath, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    assert.deepEqual((await livePodsOk({ kind: 'cronjob', name: 'nightly' })).pods, [], 'a CronJob has no live pods of its own');
  });

  it('the target namespace wins over the context namespace', async () => {
    const r = await resolveOk({ kind: 'deployment', name: 'api' }, { namespace: 'staging' });
    assert.equal(r.target.namespace, 'staging');
    assert.ok(api.requests.some((q) => q.path === '/apis/apps/v1/namespaces/staging/deployments/api'));
  });

  it('a service whose selector picks nothing is a not-found with the reason', async () => {
    api.addObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan', namespace: NS }, spec: { selector: { app: 'ghost' } } }]);
    const r = await createClusterResolver().resolve({ ref: { kind: 'service', name: 'orphan' } }, settingsFor(dir, { overrides: { kubeconfig } }));
    assert.equal(r.ok ? 'ok' : r.failure.kind, 'not-found');
    assert.match(r.ok ? '' : r.failure.message, /app=ghost/);
  });
});
