import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codes, openConfig, probeGuard, waitForDiagnostics, waitForState } from '../../suite/support/harness';
import { assertNoErrors, hoverText, probeReportText, reportTally, tally } from '../support';
import { CONFIG, execFixture, pluginRan } from '../execFixture';

/**
 * Restricted Mode on a repository whose mirrord config names an in-repo kubeconfig with an exec
 * plugin: the plugin never runs, the API server sees no request, whatever the user does.
 */
suite('reliability: untrusted repository with an exec plugin', () => {
  suiteSetup(async () => {
    await execFixture();
  });

  suiteTeardown(() => reportTally('untrustedExec'));

  test('Restricted Mode: static findings, no exec, no request (open, refresh, hover, report, contexts)', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const fixture = await execFixture();
    const api = await probeGuard();
    const document = await openConfig(CONFIG);
    await waitForDiagnostics(document.uri, 'static steal-without-filter', (d) => codes(d).includes('steal-without-filter'));
    await waitForState(api, 'restricted status', () => api.statusFor(document.uri)?.lookup === 'restricted');
    assert.match(api.statusFor(document.uri)!.lookupText, /Restricted Mode/);
    // Everything a user might click.
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    assert.match(await hoverText(document, 'deployment/api'), /Restricted Mode/);
    await probeReportText(document);
    await vscode.commands.executeCommand('probeGuard.selectKubeContext');
    // An edit re-analyses: still nothing.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// edited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForState(api, 'analysed after the edit', async () => (await api.stateFor(document.uri))?.version === document.version);
    await api.whenIdle();

    assert.equal(pluginRan(fixture), false, `the exec plugin ran in Restricted Mode (marker ${fixture.marker})`);
    assert.deepEqual(fixture.api.requests, [], 'the API server was asked in Restricted Mode');
    assert.equal(await api.kubeModuleLoaded(), false, 'the cluster module was loaded in Restricted Mode');
    tally.outcomes.push(`untrusted: exec plugin runs 0, API requests ${fixture.api.requests.length}, kube module loaded ${await api.kubeModuleLoaded()}`);
    assertNoErrors(api, 'untrusted');
  });
});
