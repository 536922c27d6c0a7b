// SharedCache: bounded LRU storage with TTLs on an injected clock (lru-cache), and in-flight
// sharing that aborts the shared fetch only when its last waiter cancels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedCache } from '../../../src/kube/sharedCache';

function counter() {
  const calls: string[] = [];
  const produce = (value: string) => async () => {
    calls.push(value);
    return value;
  };
  return { calls, produce };
}

describe('SharedCache', () => {
  it('keeps a result for its TTL on the injected clock, then fetches again', async () => {
    let now = 1000;
    const cache = new SharedCache<string>(() => now);
    const { calls, produce } = counter();
    const first = await cache.get('k', produce('a'), { ttlMs: 500 });
    assert.deepEqual(first, { status: 'ok', value: 'a', fromCache: false, fetchedAt: 1000 });
    now = 1499;
    assert.deepEqual(await cache.get('k', produce('b'), { ttlMs: 500 }), { status: 'ok', value: 'a', fromCache: true, fetchedAt: 1000 });
    now = 1500;
    assert.equal((await cache.get('k', produce('c'), { ttlMs: 500 })).status, 'ok');
    assert.deepEqual(calls, ['a', 'c']);
  });

  it('a TTL of 0 stores nothing; a lower TTL than the stored one applies at once', async () => {
    let now = 0;
    const cache = new SharedCache<string>(() => now);
    const { calls, produce } = counter();
    await cache.get('k', produce('a'), { ttlMs: 0 });
    assert.equal(cache.size, 0);
    await cache.get('k', produce('b'), { ttlMs: 10_000 });
    now = 200;
    const outcome = await cache.get('k', produce('c'), { ttlMs: 100 });
    assert.ok(outcome.status === 'ok' && outcome.value === 'c' && !outcome.fromCache);
    assert.deepEqual(calls, ['a', 'b', 'c']);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new SharedCache<string>(() => 0, 2);
    const { calls, produce } = counter();
    await cache.get('a', produce('a1'), { ttlMs: 1000 });
    await cache.get('b', produce('b1'), { ttlMs: 1000 });
    await cache.get('a', produce('a2'), { ttlMs: 1000 }); // a is now the most recently used
    await cache.get('c', produce('c1'), { ttlMs: 1000 }); // evicts b
    assert.equal(cache.size, 2);
    await cache.get('a', produce('a3'), { ttlMs: 1000 });
    await cache.get('b', produce('b2'), { ttlMs: 1000 });
    assert.deepEqual(calls, ['a1', 'b1', 'c1', 'b2']);
  });

  it('concurrent misses share one fetch; one waiter cancelling does not abort it for the other', async () => {
    const cache = new SharedCache<string>(() => 0);
    let release!: (value: string) => void;
    let fetches = 0;
    let aborted = false;
    const produce = (signal: AbortSignal) => {
      fetches += 1;
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise<string>((resolve) => (release = resolve));
    };
    const leaving = new AbortController();
    const first = cache.get('k', produce, { ttlMs: 1000, signal: leaving.signal });
    const second = cache.get('k', produce, { ttlMs: 1000 });
    leaving.abort();
    assert.deepEqual(await first, { status: 'cancelled' });
    assert.equal(aborted, false);
    release('done');
    const shared = await second;
    assert.ok(shared.status === 'ok' && shared.value === 'done');
    assert.equal(fetches, 1);
  });
});
