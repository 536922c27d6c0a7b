// The demo cluster serves demo/manifests with live pods, and the resolver finds the risky
// workload's liveness restarts through the kubeconfig it writes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import type { ClusterResolution, LivePodsResolution } from '../../../src/kube/clusterTypes';
import { type DemoCluster, RISKY_WORKLOAD, startDemoCluster } from '../../support/demoCluster';
import { settingsFor } from '../../support/kubeFixtures';

describe('demo cluster', () => {
  let demo: DemoCluster;
  before(async () => {
    demo = await startDemoCluster();
  });
  after(() => demo.close());

  const resolve = (kind: 'deployment' | 'rollout' | 'pod' | 'service' | 'statefulset' | 'cronjob', name: string): Promise<ClusterResolution> =>
    createClusterResolver().resolve({ ref: { kind, name } }, settingsFor('/', { env: { KUBECONFIG: demo.kubeconfig } }));
  const livePods = (name: string): Promise<LivePodsResolution> =>
    createClusterResolver().livePods({ ref: { kind: 'deployment', name } }, settingsFor('/', { env: { KUBECONFIG: demo.kubeconfig } }));

  it('loads every manifest object into namespace shop', () => {
    assert.deepEqual(demo.problems, []);
    const names = demo.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    for (const expected of ['Deployment/checkout', 'Rollout/recommendations', 'Pod/ledger', 'CronJob/nightly-report', 'Deployment/notifications'])
      assert.ok(names.includes(expected), expected);
    assert.ok(demo.objects.every((o) => o.metadata.namespace === 'shop'));
  });

  it('the risky workload shows liveness restarts; others do not', async () => {
    const risky = await livePods(RISKY_WORKLOAD);
    assert.equal(risky.ok, true, risky.ok ? '' : risky.failure.message);
    if (!risky.ok) return;
    assert.equal(risky.info?.context, 'demo');
    assert.equal(risky.info?.namespace, 'shop');
    const restarted = risky.pods.filter((p) => p.restarts > 0);
    assert.equal(restarted.length, 1);
    assert.equal(restarted[0].killedByLiveness, true);
    assert.equal(restarted[0].restarts, 3);
    assert.match(restarted[0].lastTermination ?? '', /exit 137/);
    const search = await livePods('search');
    assert.ok(search.ok && search.pods.length > 0 && search.pods.every((p) => p.restarts === 0 && p.killedByLiveness === false));
  });

  it('every kind of demo target resolves', async () => {
    for (const [kind, name] of [
      ['rollout', 'recommendations'],
      ['pod', 'ledger'],
      ['service', 'checkout'],
      ['statefulset', 'orders-db'],
      ['cronjob', 'nightly-report'],
    ] as const) {
      const r = await resolve(kind, name);
      assert.equal(r.ok, true, `${kind}/${name}: ${r.ok ? '' : r.failure.message}`);
    }
  });
});
