// Each target kind is fetched by its real REST path, its pod specs come back through podSourcesFor,
// and live pods carry restarts, the last termination and the liveness kill read from events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LookupRequest, TargetRef } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import type { ClusterResolution } from '../../../src/kube/clusterTypes';
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

  it('deployment: the template spec, live pods, and a liveness kill read from events', async () => {
    const r = await resolveOk({ kind: 'deployment', name: 'api' });
    assert.equal(r.target.namespace, NS, 'namespace from the context');
    assert.equal(r.target.origin.source, 'cluster');
    assert.equal(r.target.origin.cluster?.server, api.url);
    assert.deepEqual(r.target.pods[0].specPath, ['spec', 'template', 'spec']);
    assert.equal(r.target.pods[0].podSpec.containers[0].livenessProbe.httpGet.path, '/healthz');
    const live = r.target.livePods ?? [];
    assert.deepEqual(live.map((p) => p.name), ['api-7d9c-aaaaa', 'api-7d9c-bbbbb']);
    assert.equal(live[0].restarts, 4);
    assert.equal(live[0].killedByLiveness, true);
    assert.match(live[0].lastTermination ?? '', /Error \(exit 137\) at 2026-03-01T10:00:00Z/);
    assert.equal(live[1].restarts, 0);
    assert.equal(live[1].killedByLiveness, false);
    assert.equal(live[1].ready, true);
    const podList = api.requests.find((q) => q.path === `/api/v1/namespaces/${NS}/pods` && q.query.labelSelector === 'app=api');
    assert.ok(podList, 'pods listed by the selector');
    assert.ok(api.requests.some((q) => q.path === `/api/v1/namespaces/${NS}/events` && q.query.fieldSelector?.includes('involvedObject.name=api-7d9c-aaaaa')));
  });

  it('a restarted pod without liveness events is not called a liveness kill', async () => {
    const r = await resolveOk({ kind: 'deployment', name: 'web' });
    const web = r.target.livePods?.[0];
    assert.equal(web?.restarts, 1);
    assert.equal(web?.killedByLiveness, false);
  });

  it('events not readable: killedByLiveness stays unknown', async () => {
    api.setForbidden([{ user: 'alice', verb: 'list', resource: 'events' }]);
    try {
      const r = await resolveOk({ kind: 'deployment', name: 'api' });
      assert.equal(r.target.livePods?.[0].killedByLiveness, undefined);
      assert.equal(r.target.livePods?.[0].restarts, 4);
    } finally {
      api.setForbidden([]);
    }
  });

  it('pod: its own spec and status', async () => {
    const r = await resolveOk({ kind: 'pod', name: 'debug' });
    assert.deepEqual(r.target.pods[0].specPath, ['spec']);
    assert.equal(r.target.livePods?.[0].name, 'debug');
  });

  it('service: the pods its selector picks (one per owner)', async () => {
    const r = await resolveOk({ kind: 'service', name: 'api' });
    assert.equal(r.target.pods.length, 1);
    assert.match(r.target.pods[0].description, /^pod\/api-7d9c-/);
    assert.equal(r.target.livePods?.length, 2);
  });

  it('label: pods listed with the labels', async () => {
    const r = await resolveOk({ kind: 'label', labels: { app: 'web' } });
    assert.match(r.target.pods[0].description, /web-5f5f-ccccc/);
    assert.ok(api.requests.some((q) => q.path === `/api/v1/namespaces/${NS}/pods` && q.query.labelSelector === 'app=web'));
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
