import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestNames } from '../../../src/kube/closestNames';

describe('closestNames', () => {
  it('orders typos first and drops unrelated names', () => {
    assert.deepEqual(closestNames('chekout', ['checkout', 'search', 'checkout-v2', 'ledger']), ['checkout', 'checkout-v2']);
    assert.deepEqual(closestNames('zzz', ['checkout', 'search']), []);
  });
});
