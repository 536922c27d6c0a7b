// The fake API server's own contract: selectors, Status errors, authentication.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFieldSelector, matchesLabelSelector, startKubeApiServer } from '../../support/kubeApiServer';

describe('fake kube API server', () => {
  it('equality label selectors', () => {
    assert.equal(matchesLabelSelector({ a: '1', b: '2' }, 'a=1,b==2'), true);
    assert.equal(matchesLabelSelector({ a: '1' }, 'a=1,b=2'), false);
    assert.equal(matchesLabelSelector({ a: '1' }, 'a!=1'), false);
    assert.equal(matchesLabelSelector({ a: '1' }, 'a'), true);
  });
  it('field selectors on nested fields', () => {
    assert.equal(matchesFieldSelector({ involvedObject: { name: 'p', kind: 'Pod' } }, 'involvedObject.name=p,involvedObject.kind=Pod'), true);
    assert.equal(matchesFieldSelector({ involvedObject: { name: 'q' } }, 'involvedObject.name=p'), false);
  });
  it('plain http: 401 Status without a token, lists without kind on items, 404 Status for unknown names', async () => {
    const api = await startKubeApiServer({
      tls: false,
      objects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { a: 'b' } } }],
    });
    try {
      const anon = await fetch(`${api.url}/api/v1/namespaces/ns/pods`);
      assert.equal(anon.status, 401);
      assert.equal(((await anon.json()) as any).kind, 'Status');
      const headers = { authorization: `Bearer ${api.tokenUser.token}` };
      const list = (await (await fetch(`${api.url}/api/v1/namespaces/ns/pods?labelSelector=a%3Db`, { headers })).json()) as any;
      assert.equal(list.kind, 'PodList');
      assert.deepEqual(
        list.items.map((p: any) => [p.metadata.name, p.kind]),
        [['p', undefined]],
      );
      const missing = await fetch(`${api.url}/api/v1/namespaces/ns/pods/nope`, { headers });
      assert.equal(missing.status, 404);
      assert.match(((await missing.json()) as any).message, /pods "nope" not found/);
      assert.deepEqual(
        api.requests.map((r) => r.user),
        [undefined, 'alice', 'alice'],
      );
    } finally {
      await api.close();
    }
  });
});
