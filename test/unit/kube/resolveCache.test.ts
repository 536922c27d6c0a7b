// The cache: a burst of identical lookups costs one fetch; invalidate/refresh fetch again; entries
// expire after cacheTtlMs (injected clock, no sleeping); a kubeconfig edit changes the key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LookupRequest } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { tempDir, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

const request: LookupRequest = { ref: { kind: 'deployment', name: 'api' }, namespace: NS };
const objectPath = `/apis/apps/v1/namespaces/${NS}/deployments/api`;

describe('cluster lookup cache', () => {
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    dir = tempDir();
    kubeconfig = writeSimpleKubeconfig(api, dir);
  });
  after(() => api.close());

  const objectFetches = (): number => api.requests.filter((r) => r.path === objectPath).length;

  it('20 concurrent resolves of one target fetch the object once; invalidate and refresh fetch once more each', async () => {
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig } });
    const start = objectFetches();
    const burst = await Promise.all(Array.from({ length: 20 }, () => resolver.resolve(request, settings)));
    assert.ok(burst.every((r) => r.ok));
    assert.equal(objectFetches() - start, 1);
    const requestsOfOneLookup = resolver.requestCount;
    assert.equal(requestsOfOneLookup, 1, 'the object only: live pods are not part of a lookup');

    const cached = await resolver.resolve(request, settings);
    assert.equal(cached.fromCache, true);
    assert.equal(objectFetches() - start, 1);
    assert.equal(resolver.requestCount, requestsOfOneLookup);

    resolver.invalidate();
    const afterInvalidate = await Promise.all(Array.from({ length: 5 }, () => resolver.resolve(request, settings)));
    assert.ok(afterInvalidate.every((r) => r.ok && !r.fromCache));
    assert.equal(objectFetches() - start, 2);

    const refreshed = await resolver.resolve(request, settings, { refresh: true });
    assert.equal(refreshed.fromCache, false);
    assert.equal(objectFetches() - start, 3);
    assert.equal(resolver.requestCount, 3 * requestsOfOneLookup);
  });

  it('entries expire after cacheTtlMs', async () => {
    let clock = 1_000_000;
    const resolver = createClusterResolver({ now: () => clock });
    const settings = settingsFor(dir, { overrides: { kubeconfig }, cacheTtlMs: 1000 });
    const start = objectFetches();
    const first = await resolver.resolve(request, settings);
    assert.equal(first.fetchedAt, clock);
    clock += 999;
    const second = await resolver.resolve(request, settings);
    assert.equal(second.fromCache, true);
    assert.equal(second.fetchedAt, first.fetchedAt);
    clock += 1;
    const third = await resolver.resolve(request, settings);
    assert.equal(third.fromCache, false);
    assert.equal(objectFetches() - start, 2);
  });

  it('a kubeconfig edit, another namespace or another target is a different key', async () => {
    const resolver = createClusterResolver();
    const localDir = tempDir();
    const file = writeSimpleKubeconfig(api, localDir);
    const settings = settingsFor(localDir, { overrides: { kubeconfig: file } });
    const start = objectFetches();
    await resolver.resolve(request, settings);
    writeSimpleKubeconfig(api, localDir, { context: 'renamed' });
    const edited = await resolver.resolve(request, settings);
    assert.equal(edited.fromCache, false);
    assert.equal(edited.info?.context, 'renamed');
    assert.equal(objectFetches() - start, 2);
    const otherNs = await resolver.resolve({ ...request, namespace: 'staging' }, settings);
    assert.equal(otherNs.fromCache, false);
    const otherTarget = await resolver.resolve({ ref: { kind: 'deployment', name: 'web' }, namespace: NS }, settings);
    assert.equal(otherTarget.fromCache, false);
  });

  it('one caller cancelling does not cancel the others sharing the fetch', async () => {
    const resolver = createClusterResolver();
    const settings = settingsFor(dir, { overrides: { kubeconfig } });
    const controller = new AbortController();
    const cancelled = resolver.resolve(request, settings, { signal: controller.signal });
    const kept = resolver.resolve(request, settings);
    controller.abort();
    const [c, k] = await Promise.all([cancelled, kept]);
    assert.equal(c.ok ? 'ok' : c.failure.kind, 'cancelled');
    assert.equal(k.ok, true);
  });
});
