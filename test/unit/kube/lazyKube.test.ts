// loadKubeModule falls back to ./index from tsc output and returns the public API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadKubeModule } from '../../../src/kube/lazyKube';

describe('lazyKube', () => {
  it('loads the cluster layer on demand, once', () => {
    const mod = loadKubeModule();
    assert.equal(typeof mod.createClusterResolver, 'function');
    assert.equal(loadKubeModule(), mod);
    const resolver = mod.createClusterResolver();
    assert.equal(resolver.requestCount, 0);
  });
});
