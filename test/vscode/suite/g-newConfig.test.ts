import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { KubeObject } from '../../../src/core/types';
import { waitFor } from '../support/waitFor';
import { fakeCluster, useTestCluster } from './support/fakeCluster';
import { codes, ourDiagnostics, probeGuard, waitForDiagnostics, waitForState, workspaceUri } from './support/harness';

/** A namespace of this suite's own in the shared test cluster (no other test lists it). */
const NS = 'kitchen';

function kitchenDeployment(name: string, containers: object[], ready: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels: { app: name } },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
    status: { replicas: 2, readyReplicas: ready },
  };
}

const app = (name: string, port: number) => ({
  name,
  image: `example/${name}:1`,
  ports: [{ name: 'http', containerPort: port }],
  livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
  readinessProbe: { httpGet: { path: '/ready', port } },
});

interface Asked {
  title?: string;
  labels: string[];
  descriptions: (string | undefined)[];
}

suite('New mirrord Config for a Target', () => {
  const written: vscode.Uri[] = [];
  let asked: Asked[] = [];
  let foldersAsked = 0;

  /** Answers each quick pick with the item labelled by the next of `answers`, recording what was offered. */
  async function answering(answers: string[]): Promise<void> {
    const api = await probeGuard();
    asked = [];
    api.setPrompts({
      pickItem: async (items, options) => {
        asked.push({ title: options.title, labels: items.map((i) => i.label), descriptions: items.map((i) => i.description) });
        const answer = answers.shift();
        return items.find((i) => i.label === answer);
      },
      pickFolder: async () => {
        foldersAsked++;
        return undefined;
      },
    });
  }

  suiteSetup(async () => {
    const cluster = await fakeCluster();
    cluster.api.addObjects([kitchenDeployment('orders', [app('orders', 8080)], 2), kitchenDeployment('menu', [app('menu', 8080), app('envoy', 9901)], 1)]);
    await useTestCluster(cluster);
    await vscode.workspace.getConfiguration('probeGuard').update('namespace', NS, vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    (await probeGuard()).setPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('probeGuard').update('namespace', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('pick a workload: .mirrord/<name>.mirrord.json written with the verified config and opened; the server finds it safe', async () => {
    await answering(['deployment/orders']);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
    assert.ok(uri, 'a config was written');
    written.push(uri);
    assert.equal(uri.toString(), workspaceUri('.mirrord/orders.mirrord.json').toString());
    assert.equal(foldersAsked, 0, 'one folder: not asked');
    assert.equal(asked.length, 1, 'one container: only the workload was asked');
    assert.deepEqual(asked[0].labels, ['deployment/menu', 'deployment/orders']);
    assert.deepEqual(asked[0].descriptions, ['kitchen · 1/2 ready', 'kitchen · 2/2 ready']);
    const config = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    assert.deepEqual(config.target, { path: 'deployment/orders', namespace: NS });
    assert.equal(config.feature.network.incoming.mode, 'steal');
    assert.ok(!('$schema' in config));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the new config is open');
    const api = await probeGuard();
    const state = await waitForState(api, 'the new config analysed with its target resolved', async () => {
      const s = await api.stateFor(uri);
      return s?.status.kind === 'resolved' ? s : undefined;
    });
    assert.deepEqual(
      state.analysis.probes.map((p) => `${p.probe.probe}:${p.verdict}`),
      ['liveness:safe', 'readiness:safe'],
    );
    assert.ok(!codes(ourDiagnostics(uri)).some((c) => c.endsWith('-stolen')), codes(ourDiagnostics(uri)).join());
  });

  test('the same workload again: orders-2.mirrord.json, the first file untouched', async () => {
    const first = workspaceUri('.mirrord/orders.mirrord.json');
    const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(first));
    await answering(['deployment/orders']);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
    assert.ok(uri);
    written.push(uri);
    assert.equal(uri.toString(), workspaceUri('.mirrord/orders-2.mirrord.json').toString());
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(first)), before);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))).target.path, 'deployment/orders');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  });

  test('a file that takes the name between the check and the write is not overwritten: the next name', async () => {
    const taken = workspaceUri('.mirrord/orders-3.mirrord.json');
    const theirs = '{ "target": "deployment/theirs" }\n';
    let raced = 0;
    // Runs after the command found orders-3 free and before it creates the file.
    const listener = vscode.workspace.onWillCreateFiles((event) => {
      if (!event.files.some((f) => f.toString() === taken.toString())) return;
      raced++;
      fs.writeFileSync(taken.fsPath, theirs);
    });
    written.push(taken);
    try {
      await answering(['deployment/orders']);
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
      assert.ok(uri);
      written.push(uri);
      assert.equal(raced, 1, 'the command created orders-3 through a WorkspaceEdit');
      assert.equal(fs.readFileSync(taken.fsPath, 'utf8'), theirs, 'the file that appeared meanwhile is untouched');
      assert.equal(uri.toString(), workspaceUri('.mirrord/orders-4.mirrord.json').toString());
      assert.deepEqual(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))).target.path, 'deployment/orders');
    } finally {
      listener.dispose();
    }
  });

  test('several containers: the container is asked for and goes into the path', async () => {
    await answering(['deployment/menu', 'envoy']);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
    assert.ok(uri);
    written.push(uri);
    assert.equal(asked.length, 2);
    assert.deepEqual(asked[1].labels, ['menu', 'envoy']);
    assert.equal(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))).target.path, 'deployment/menu/container/envoy');
  });

  test('dismissing the workload pick writes nothing', async () => {
    await answering([]);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
    assert.equal(uri, undefined);
    assert.equal(asked.length, 1);
  });

  test('an empty config: its code action fills in the verified text', async () => {
    const uri = workspaceUri('.mirrord/empty.mirrord.json');
    written.push(uri);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('  \n'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const actions = await waitFor('the empty config code action', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0))) ?? [];
      const ours = all.filter((a) => a.title === 'Fill in a new mirrord config for a target…');
      return ours.length === 1 ? ours : undefined;
    });
    const command = actions[0].command;
    assert.ok(command);
    await answering(['deployment/orders']);
    const filled = await vscode.commands.executeCommand<vscode.Uri | undefined>(command.command, ...(command.arguments ?? []));
    assert.equal(filled?.toString(), uri.toString(), 'the empty config itself was filled in');
    const config = JSON.parse(document.getText());
    assert.deepEqual(config.target, { path: 'deployment/orders', namespace: NS });
    await waitForDiagnostics(uri, 'the filled-in config analysed without stolen probes', (d) => !codes(d).some((c) => c.endsWith('-stolen')));
    const api = await probeGuard();
    const state = await waitForState(api, 'the filled-in config resolved', async () => {
      const s = await api.stateFor(uri);
      return s?.status.kind === 'resolved' && s.version === document.version ? s : undefined;
    });
    assert.ok(
      state.analysis.probes.every((p) => p.verdict === 'safe'),
      JSON.stringify(state.analysis.probes.map((p) => p.verdict)),
    );
    await document.save();
    // A config with text gets no such action.
    const after = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0))) ?? [];
    assert.ok(!after.some((a) => a.title.includes('new mirrord config')));
  });

  test('an empty YAML config: its code action writes a new JSON config instead (the generated config is JSON)', async () => {
    const uri = workspaceUri('.mirrord/empty.mirrord.yaml');
    written.push(uri);
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const actions = await waitFor('the empty YAML config code action', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0))) ?? [];
      const ours = all.filter((a) => a.title === 'New mirrord config for a target…');
      return ours.length === 1 ? ours : undefined;
    });
    const taken = (await vscode.workspace.fs.readDirectory(workspaceUri('.mirrord'))).map(([name]) => name);
    await answering(['deployment/menu', 'menu']);
    const command = actions[0].command!;
    const made = await vscode.commands.executeCommand<vscode.Uri | undefined>(command.command, ...(command.arguments ?? []));
    assert.ok(made);
    written.push(made);
    const expected = taken.includes('menu.mirrord.json') ? 'menu-2.mirrord.json' : 'menu.mirrord.json';
    assert.equal(made.toString(), workspaceUri(`.mirrord/${expected}`).toString(), `the first free name (taken: ${taken.join(', ')})`);
    assert.equal(document.getText(), '', 'the YAML file is left alone');
    assert.equal(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(made))).target.path, 'deployment/menu/container/menu');
  });
});
