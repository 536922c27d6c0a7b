// The resolver's list (target completion): one LIST per kind and namespace per cache period,
// shared with a not-found lookup's suggestions and between concurrent callers; namespaces; the
// kubeconfig's namespace when the request names none; a failure typed, never a rejection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { tempDir, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

describe('cluster list for target completion', () => {
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    dir = tempDir();
    kubeconfig = writeSimpleKubeconfig(api, dir, { namespace: NS });
  });
  after(() => api.close());

  const lists = (path: string, since: number) => api.requests.slice(since).filter((r) => r.path === path).length;
  const deployments = `/apis/apps/v1/namespaces/${NS}/deployments`;

  it('concurrent and later lists of one kind cost one LIST until invalidated; items carry kind and apiVersion', async () => {
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig } });
    const since = api.requests.length;
    const burst = await Promise.all(Array.from({ length: 5 }, () => resolver.list({ what: 'deployment' }, settings)));
    assert.ok(burst.every((r) => r.ok));
    const first = burst[0];
    assert.ok(first.ok);
    assert.deepEqual(first.items.map((o) => o.metadata.name).sort(), ['api', 'api-gateway', 'checkout-template', 'web']);
    assert.equal(first.items[0].kind, 'Deployment');
    assert.equal(first.info?.namespace, NS);
    const again = await resolver.list({ what: 'deployment', namespace: NS }, settings);
    assert.equal(again.fromCache, true);
    assert.equal(lists(deployments, since), 1);
    const staging = await resolver.list({ what: 'deployment', namespace: 'staging' }, settings);
    assert.ok(staging.ok && staging.items.length === 1);
    resolver.invalidate();
    await resolver.list({ what: 'deployment' }, settings);
    assert.equal(lists(deployments, since), 2);
  });

  it('a lookup of a missing name lists for its suggestions once, and a list afterwards reuses it', async () => {
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig } });
    const since = api.requests.length;
    const missing = await resolver.resolve({ ref: { kind: 'deployment', name: 'apx' }, namespace: NS }, settings);
    assert.ok(!missing.ok && missing.failure.kind === 'not-found');
    assert.deepEqual(missing.failure.suggestions, ['api']);
    const listed = await resolver.list({ what: 'deployment', namespace: NS }, settings);
    assert.equal(listed.fromCache, true);
    assert.equal(lists(deployments, since), 1);
  });

  it('namespaces; a forbidden list is a typed failure', async () => {
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig } });
    const namespaces = await resolver.list({ what: 'namespace' }, settings);
    assert.ok(namespaces.ok);
    assert.ok(['default', 'shop', 'staging'].every((n) => namespaces.items.some((o) => o.metadata.name === n)));
    api.setForbidden([{ user: 'alice', verb: 'list', resource: 'statefulsets' }]);
    try {
      const denied = await resolver.list({ what: 'statefulset' }, settings);
      assert.ok(!denied.ok && denied.failure.kind === 'forbidden', JSON.stringify(denied));
    } finally {
      api.setForbidden([]);
    }
  });

  it('cancelled while waiting: a cancelled failure, and nothing cached', async () => {
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig }, timeoutMs: 60_000 });
    await api.setFault('hang', { path: /\/jobs$/ });
    try {
      const controller = new AbortController();
      const pending = resolver.list({ what: 'job' }, settings, { signal: controller.signal });
      await new Promise<void>((resolve) => (api.hangingCount > 0 ? resolve() : api.events.once('request', () => resolve())));
      controller.abort();
      const result = await pending;
      assert.ok(!result.ok && result.failure.kind === 'cancelled');
    } finally {
      await api.setFault(undefined);
    }
    const later = await resolver.list({ what: 'job' }, settings);
    assert.ok(later.ok && !later.fromCache);
  });
});
