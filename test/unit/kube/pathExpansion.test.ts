// Kubeconfig path expansion: `~`, `$VAR`, `${VAR}`, lists, relative paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandVariables, resolvePathList, splitPathList } from '../../../src/kube/pathExpansion';

describe('pathExpansion', () => {
  const env = { HOME: '/home/u', A: '/a', LIST: '/x:/y' };
  it('expands ~ only at the start, and both variable forms', () => {
    assert.equal(expandVariables('~/k', env), '/home/u/k');
    assert.equal(expandVariables('/p/~/k', env), '/p/~/k');
    assert.equal(expandVariables('$A/k:${A}b', env), '/a/k:/ab');
  });
  it('leaves unset variables as written so the error names them', () => {
    assert.equal(expandVariables('$NOPE/k', env), '$NOPE/k');
  });
  it('splits lists, drops empties, resolves relative entries against the base and de-duplicates', () => {
    assert.deepEqual(splitPathList('a::b:'), ['a', 'b']);
    assert.deepEqual(resolvePathList('k:~/k:/abs:k', env, '/base'), ['/base/k', '/home/u/k', '/abs']);
    assert.deepEqual(resolvePathList('$LIST', env, '/base'), ['/x', '/y']);
  });
});
