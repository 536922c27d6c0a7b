import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codes, openConfig, probeGuard, waitForDiagnostics } from '../../suite/support/harness';
import { assertNoErrors, reportTally, tally } from '../support';
import { CONFIG, execFixture, pluginRan } from '../execFixture';

/**
 * The same repository once trusted (a second run on a fresh copy of the fixture: an extension
 * cannot grant workspace trust, and the runner starts each suite with its trust fixed): the exec
 * plugin runs, its token is accepted, the target resolves from the cluster.
 */
suite('reliability: the exec plugin repository, trusted', () => {
  suiteSetup(async () => {
    await execFixture();
  });

  suiteTeardown(() => reportTally('trustedExec'));

  test('trusted: the plugin runs, the target resolves through its token', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const fixture = await execFixture();
    const api = await probeGuard();
    const document = await openConfig(CONFIG);
    await waitForDiagnostics(
      document.uri,
      'probes stolen, from the cluster',
      (d) => codes(d).includes('liveness-probe-stolen') && codes(d).includes('readiness-probe-stolen'),
    );
    await api.whenIdle();
    const state = (await api.stateFor(document.uri))!;
    assert.equal(state.status.kind, 'resolved');
    assert.equal(state.info?.context, 'repo-context');
    assert.ok(pluginRan(fixture), 'the exec plugin did not run');
    assert.ok(fixture.api.requests.length > 0 && fixture.api.requests.every((r) => r.user === 'repo-exec-user'), JSON.stringify(fixture.api.requests));
    tally.outcomes.push(`trusted: exec plugin ran, ${fixture.api.requests.length} API requests as repo-exec-user, target resolved`);
    assertNoErrors(api, 'trusted');
  });
});
