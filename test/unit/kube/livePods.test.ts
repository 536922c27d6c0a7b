// ClusterResolver.livePods: the live pods and their events are a separate piece from resolve,
// requested on demand and cached like resolve (same key, TTL, in-flight sharing, invalidate,
// refresh); failures are typed (never a rejection) and carry no credential.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LookupRequest, ResolveFailure } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { tempDir, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

const request: LookupRequest = { ref: { kind: 'deployment', name: 'api' }, namespace: NS };
const objectPath = `/apis/apps/v1/namespaces/${NS}/deployments/api`;
const podsPath = `/api/v1/namespaces/${NS}/pods`;
const eventsPath = `/api/v1/namespaces/${NS}/events`;

describe('live pods (ClusterResolver.livePods)', () => {
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;
  const failures: ResolveFailure[] = [];

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    dir = tempDir();
    kubeconfig = writeSimpleKubeconfig(api, dir);
  });
  beforeEach(async () => {
    await api.setFault(undefined);
    api.setForbidden([]);
  });
  after(async () => {
    await api.close();
    const text = JSON.stringify(failures);
    assert.ok(failures.length >= 4, `only ${failures.length} failures collected`);
    assert.ok(!text.includes(api.tokenUser.token), 'token leaked');
  });

  const count = (path: string, since: number): number => api.requests.slice(since).filter((r) => r.path === path).length;
  const settings = () => settingsFor(dir, { overrides: { kubeconfig } });

  it('after resolve: only the pods and the events of the restarted pod, never the object again', async () => {
    const resolver = createClusterResolver();
    const resolved = await resolver.resolve(request, settings());
    assert.equal(resolved.ok, true);
    assert.equal(resolver.requestCount, 1, 'resolve fetches the object only');
    const start = api.requests.length;
    const live = await resolver.livePods(request, settings());
    assert.equal(live.ok, true, live.ok ? '' : live.failure.message);
    assert.equal(live.fromCache, false);
    assert.deepEqual(live.ok && live.pods.map((p) => p.name), ['api-7d9c-aaaaa', 'api-7d9c-bbbbb']);
    assert.equal(count(objectPath, start), 0, "the object came from resolve's cache");
    assert.equal(count(podsPath, start), 1);
    assert.equal(count(eventsPath, start), 1);
    assert.equal(resolver.requestCount, 3);
  });

  it('cached: a second call makes no request; 20 concurrent calls share one fetch', async () => {
    const resolver = createClusterResolver();
    const start = api.requests.length;
    const burst = await Promise.all(Array.from({ length: 20 }, () => resolver.livePods(request, settings())));
    assert.ok(burst.every((r) => r.ok && r.pods.length === 2));
    assert.equal(count(objectPath, start), 1, "one object fetch (resolve's entry, filled by livePods)");
    assert.equal(count(podsPath, start), 1);
    assert.equal(count(eventsPath, start), 1);
    const requests = resolver.requestCount;
    const cached = await resolver.livePods(request, settings());
    assert.equal(cached.fromCache, true);
    assert.equal(resolver.requestCount, requests);
    // The target data livePods fetched is resolve's cache entry too.
    const resolved = await resolver.resolve(request, settings());
    assert.equal(resolved.fromCache, true);
    assert.equal(resolver.requestCount, requests);
  });

  it('invalidate and refresh fetch again; entries expire after cacheTtlMs', async () => {
    let clock = 5_000_000;
    const resolver = createClusterResolver({ now: () => clock });
    const s = settingsFor(dir, { overrides: { kubeconfig }, cacheTtlMs: 1000 });
    const start = api.requests.length;
    const first = await resolver.livePods(request, s);
    assert.equal(first.fetchedAt, clock);
    clock += 999;
    assert.equal((await resolver.livePods(request, s)).fromCache, true);
    assert.equal(count(podsPath, start), 1);
    clock += 1;
    assert.equal((await resolver.livePods(request, s)).fromCache, false);
    assert.equal(count(podsPath, start), 2);
    resolver.invalidate();
    assert.equal((await resolver.livePods(request, s)).fromCache, false);
    assert.equal(count(podsPath, start), 3);
    const refreshed = await resolver.livePods(request, s, { refresh: true });
    assert.equal(refreshed.fromCache, false);
    assert.equal(count(podsPath, start), 4);
  });

  it('keyed like resolve: another target or namespace is another entry', async () => {
    const resolver = createClusterResolver();
    await resolver.livePods(request, settings());
    const web = await resolver.livePods({ ref: { kind: 'deployment', name: 'web' }, namespace: NS }, settings());
    assert.equal(web.fromCache, false);
    assert.deepEqual(web.ok && web.pods.map((p) => p.name), ['web-5f5f-ccccc']);
    const staging = await resolver.livePods({ ...request, namespace: 'staging' }, settings());
    assert.equal(staging.fromCache, false);
    assert.deepEqual(staging.ok && staging.pods, []);
  });

  it('a pod LIST that is forbidden is a typed failure; resolve still succeeds', async () => {
    api.setForbidden([{ user: 'alice', verb: 'list', resource: 'pods' }]);
    const resolver = createClusterResolver();
    const resolved = await resolver.resolve(request, settings());
    assert.equal(resolved.ok, true, 'the verdicts do not need the pods');
    const live = await resolver.livePods(request, settings());
    assert.equal(live.ok ? 'ok' : live.failure.kind, 'forbidden');
    if (!live.ok) {
      failures.push(live.failure);
      assert.match(live.failure.message, /pods/);
    }
  });

  it('target failures come back typed: not-found with suggestions, 401 without the token, unreachable', async () => {
    const missing = await createClusterResolver().livePods({ ref: { kind: 'deployment', name: 'apo' }, namespace: NS }, settings());
    assert.equal(missing.ok ? 'ok' : missing.failure.kind, 'not-found');
    if (!missing.ok) failures.push(missing.failure);
    assert.ok(!missing.ok && missing.failure.suggestions?.includes('api'));

    const bad = writeSimpleKubeconfig(api, dir, { fileName: 'bad-token', user: { token: 'wrong-token-0123456789' } });
    const rejected = await createClusterResolver().livePods(request, settingsFor(dir, { overrides: { kubeconfig: bad } }));
    assert.equal(rejected.ok ? 'ok' : rejected.failure.kind, 'unauthorized');
    if (!rejected.ok) failures.push(rejected.failure);
    assert.doesNotMatch(JSON.stringify(rejected), /wrong-token-0123456789/);

    // The object is cached, the pods request is refused: a failure of the live pods only.
    const resolver = createClusterResolver();
    await resolver.resolve(request, settings());
    await api.setFault({ status: 401 }, { path: /\/pods$/ });
    const podsRejected = await resolver.livePods(request, settings());
    assert.equal(podsRejected.ok ? 'ok' : podsRejected.failure.kind, 'unauthorized');
    if (!podsRejected.ok) failures.push(podsRejected.failure);

    await api.setFault('unavailable');
    try {
      const down = await createClusterResolver().livePods(request, settings());
      assert.equal(down.ok ? 'ok' : down.failure.kind, 'unreachable');
      if (!down.ok) failures.push(down.failure);
    } finally {
      await api.restore();
    }
  });

  it('never rejects: no request, a targetless one, a cancelled wait', async () => {
    const resolver = createClusterResolver();
    const none = await resolver.livePods(undefined as unknown as LookupRequest, settings());
    assert.equal(none.ok ? 'ok' : none.failure.kind, 'unsupported');
    const targetless = await resolver.livePods({ ref: { kind: 'targetless' } }, settings());
    assert.equal(targetless.ok ? 'ok' : targetless.failure.kind, 'unsupported');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await resolver.livePods(request, settings(), { signal: controller.signal });
    assert.equal(cancelled.ok ? 'ok' : cancelled.failure.kind, 'cancelled');
  });

  it('one caller cancelling does not cancel the others sharing the fetch', async () => {
    const resolver = createClusterResolver();
    const controller = new AbortController();
    const cancelled = resolver.livePods(request, settings(), { signal: controller.signal });
    const kept = resolver.livePods(request, settings());
    controller.abort();
    const [c, k] = await Promise.all([cancelled, kept]);
    assert.equal(c.ok ? 'ok' : c.failure.kind, 'cancelled');
    assert.equal(k.ok, true);
  });
});
