import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeCluster, useTestCluster } from './support/fakeCluster';
import { codeOf, codes, openConfig, probeGuard, rangeOf, setText, waitForDiagnostics, waitForState } from './support/harness';

const STOLEN = ['liveness-probe-stolen', 'readiness-probe-stolen'];

suite('diagnostics', () => {
  suiteSetup(async () => {
    await useTestCluster(await fakeCluster());
    await probeGuard();
  });

  test('JSON: steal without filter flags both probes on the "steal" value, from the cluster', async () => {
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const diagnostics = await waitForDiagnostics(document.uri, 'both probes stolen', (d) => STOLEN.every((c) => codes(d).includes(c)));
    const steal = rangeOf(document, '"steal"');
    for (const diagnostic of diagnostics.filter((d) => STOLEN.includes(codeOf(d)))) {
      assert.ok(diagnostic.range.isEqual(steal), `${codeOf(diagnostic)} at ${JSON.stringify(diagnostic.range)}`);
      assert.equal(diagnostic.source, 'Probe Guard');
      const code = diagnostic.code as { value: string; target: vscode.Uri };
      assert.equal(code.target.toString(true), `https://github.com/probe-guard/mirrord-probe-guard/blob/main/docs/rules.md#${code.value}`);
    }
    const liveness = diagnostics.find((d) => codeOf(d) === 'liveness-probe-stolen')!;
    assert.equal(liveness.severity, vscode.DiagnosticSeverity.Error);
    assert.match(liveness.message, /\/healthz/);
    assert.equal(diagnostics.find((d) => codeOf(d) === 'readiness-probe-stolen')!.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('YAML: a filter selecting kube-probe is flagged on the regex', async () => {
    const document = await openConfig('.mirrord/b-filter.mirrord.yaml');
    const diagnostics = await waitForDiagnostics(document.uri, 'probes stolen by the filter', (d) => STOLEN.every((c) => codes(d).includes(c)));
    const regex = rangeOf(document, '"User-Agent: kube-probe"');
    for (const diagnostic of diagnostics.filter((d) => STOLEN.includes(codeOf(d))))
      assert.ok(diagnostic.range.isEqual(regex), JSON.stringify(diagnostic.range));
  });

  test('TOML: steal is flagged on the mode value', async () => {
    const document = await openConfig('.mirrord/c-steal.mirrord.toml');
    const diagnostics = await waitForDiagnostics(document.uri, 'probes stolen (toml)', (d) => STOLEN.every((c) => codes(d).includes(c)));
    const steal = rangeOf(document, '"steal"');
    for (const diagnostic of diagnostics.filter((d) => STOLEN.includes(codeOf(d))))
      assert.ok(diagnostic.range.isEqual(steal), JSON.stringify(diagnostic.range));
  });

  test('safe and mirror configs get no diagnostics once the target is resolved', async () => {
    const api = await probeGuard();
    for (const file of ['.mirrord/d-safe.mirrord.json', 'configs/mirror.mirrord.yml']) {
      const document = await openConfig(file);
      await waitForState(api, `${file} analysed`, async () => {
        const state = await api.stateFor(document.uri);
        return state && state.version === document.version && state.status.kind !== 'pending';
      });
      await api.whenIdle();
      const state = (await api.stateFor(document.uri))!;
      assert.deepEqual(codes(vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Probe Guard')), [], `${file}: ${state.status.kind}`);
    }
  });

  test('static findings come at once on a change, cluster-backed ones after the lookup', async () => {
    const api = await probeGuard();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await waitForDiagnostics(document.uri, 'resolved first', (d) => codes(d).includes('liveness-probe-stolen'));
    const original = document.getText();
    try {
      await setText(document, original.replace('deployment/api', 'deployment/apo'));
      // Analysed by the server without waiting for the lookup of the new name.
      const state = await waitForState(api, 'the edited version analysed', async () => {
        const current = await api.stateFor(document.uri);
        return current?.version === document.version ? current : undefined;
      });
      assert.ok(['pending', 'resolved', 'failed'].includes(state.status.kind));
      await waitForDiagnostics(document.uri, 'static steal-without-filter', (d) => codes(d).includes('steal-without-filter'));
      const after = await waitForDiagnostics(document.uri, 'target-unresolved from the cluster', (d) => codes(d).includes('target-unresolved'));
      const unresolved = after.find((d) => codeOf(d) === 'target-unresolved')!;
      assert.ok(unresolved.range.isEqual(rangeOf(document, '"deployment/apo"')), JSON.stringify(unresolved.range));
      assert.match(unresolved.message, /apo/);
    } finally {
      await setText(document, original);
    }
    await waitForDiagnostics(document.uri, 'restored', (d) => codes(d).includes('liveness-probe-stolen'));
  });

  test('a lookup result never replaces the analysis of a newer version', async () => {
    const api = await probeGuard();
    const document = await openConfig('.mirrord/c-steal.mirrord.toml');
    const original = document.getText();
    const published: number[] = [];
    const subscription = api.onDidAnalyze((state) => {
      if (state.uri.toString() === document.uri.toString()) published.push(state.version);
    });
    try {
      // A new target (lookup starts), then edits elsewhere while it runs.
      await setText(document, original.replace('deployment/api', 'deployment/api2'));
      for (let i = 0; i < 5; i++) {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(document.uri, new vscode.Position(0, 0), `# edit ${i}\n`);
        assert.ok(await vscode.workspace.applyEdit(edit));
      }
      await api.whenIdle();
      const state = (await api.stateFor(document.uri))!;
      assert.equal(state.version, document.version);
      assert.equal(state.status.kind, 'failed');
      for (let i = 1; i < published.length; i++) assert.ok(published[i] >= published[i - 1], `published out of order: ${published.join(',')}`);
      // Diagnostics ranges belong to the current text.
      const diagnostics = await waitForDiagnostics(document.uri, 'unresolved on the current text', (d) => codes(d).includes('target-unresolved'));
      const unresolved = diagnostics.find((d) => codeOf(d) === 'target-unresolved')!;
      assert.ok(unresolved.range.isEqual(rangeOf(document, '"deployment/api2"')), JSON.stringify(unresolved.range));
    } finally {
      subscription.dispose();
      await setText(document, original);
    }
  });

  test('the severity setting overrides a code, and off drops it', async () => {
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const config = vscode.workspace.getConfiguration('probeGuard');
    try {
      await config.update('severity', { 'liveness-probe-stolen': 'hint', 'readiness-probe-stolen': 'off' }, vscode.ConfigurationTarget.Workspace);
      const diagnostics = await waitForDiagnostics(
        document.uri,
        'overridden severities',
        (d) => codes(d).includes('liveness-probe-stolen') && !codes(d).includes('readiness-probe-stolen'),
      );
      assert.equal(diagnostics.find((d) => codeOf(d) === 'liveness-probe-stolen')!.severity, vscode.DiagnosticSeverity.Hint);
    } finally {
      await config.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(document.uri, 'default severities again', (d) => STOLEN.every((c) => codes(d).includes(c)));
  });
});
