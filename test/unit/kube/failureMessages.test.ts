// Error-to-failure mapping for causes the fake server cannot produce on 127.0.0.1 (DNS, routes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CallContext, describeCallError, parseForbidden } from '../../../src/kube/failureMessages';

const ctx: CallContext = {
  info: { kubeconfigFiles: [], context: 'prod', server: 'https://k8s.example:6443', user: 'ci', namespace: 'shop' },
  verb: 'get',
  resource: 'pods',
  name: 'api',
  namespace: 'shop',
  timeoutMs: 5000,
};

describe('failureMessages', () => {
  it('network codes map to unreachable with the reason', () => {
    for (const [code, text] of [
      ['ENOTFOUND', /does not resolve/],
      ['EHOSTUNREACH', /unreachable/],
      ['ECONNREFUSED', /refused/],
    ] as const) {
      const f = describeCallError({ type: 'network', code, detail: '' }, ctx);
      assert.equal(f.kind, 'unreachable');
      assert.match(f.message, text);
      assert.match(f.message, /k8s\.example.*prod/);
    }
  });
  it('certificate codes map to tls naming the problem', () => {
    const f = describeCallError({ type: 'network', code: 'CERT_HAS_EXPIRED', detail: '' }, ctx);
    assert.equal(f.kind, 'tls');
    assert.match(f.message, /expired/);
  });
  it('parses the RBAC message of a 403', () => {
    assert.deepEqual(
      parseForbidden('deployments.apps "x" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "shop"'),
      {
        user: 'bob',
        verb: 'get',
        resource: 'deployments.apps',
        namespace: 'shop',
      },
    );
    const f = describeCallError({ type: 'status', code: 403 }, ctx);
    assert.match(f.message, /may not get pods in namespace "shop"/);
  });
  it('other statuses', () => {
    assert.equal(describeCallError({ type: 'status', code: 503 }, ctx).kind, 'server-error');
    assert.equal(describeCallError({ type: 'status', code: 404 }, ctx).kind, 'not-found');
  });
});
