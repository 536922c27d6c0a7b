/**
 * A multi-root workspace (test/fixtures/multiroot/multiroot.code-workspace: alpha, beta, gamma) in
 * the extension host. alpha and beta hold the same config text and the same relative
 * `probeGuard.kubeconfig: kube/config`; the suite writes each folder's kube/config pointing at its
 * own fake API server (alpha's `api`: a liveness probe on /alpha-live, beta's: a readiness probe on
 * /beta-ready), so every verdict says whose settings were used. gamma has no `.mirrord/`.
 * Pickers and the debug prompt are answered through the extension's test API.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KubeObject } from '../../../src/core/types';
import type { PromptAnswer, PromptQuestion } from '../../../src/client/debugGuard';
import type { ClientPrompts } from '../../../src/client/folders';
import { startKubeApiServer, type FakeKubeApi } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tokenUser, writeKubeconfig } from '../../support/kubeconfigs';
import { codes, probeGuard, waitForDiagnostics, waitForState } from '../suite/support/harness';
import { waitFor } from '../support/waitFor';

type Api = Awaited<ReturnType<typeof probeGuard>>;
const CONFIG = '.mirrord/api.mirrord.json';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `no workspace folder ${name}`);
  return found;
}

function inFolder(name: string, relative: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(name).uri, relative);
}

function apiDeployment(probe: 'livenessProbe' | 'readinessProbe', probePath: string): KubeObject {
  const labels = { app: 'api' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'api', image: 'example/api:1', ports: [{ containerPort: 8080 }], [probe]: { httpGet: { path: probePath, port: 8080 }, periodSeconds: 10 } },
          ],
        },
      },
    },
  };
}

/** A kubeconfig in `<folder>/kube/config` with these contexts (cluster and user of `api`, namespace each), the first current. */
function writeFolderKubeconfig(folderName: string, api: FakeKubeApi, contexts: Array<{ name: string; namespace: string }>): void {
  const dir = path.join(folder(folderName).uri.fsPath, 'kube');
  fs.mkdirSync(dir, { recursive: true });
  writeKubeconfig(dir, 'config', kubeconfigDoc(contexts.map((c) => ({ ...c, cluster: clusterFor(api), user: tokenUser(api) }))));
}

async function open(folderName: string, relative = CONFIG): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(inFolder(folderName, relative));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

function kubeContextOf(folderName: string): { folder?: string; workspace?: string } {
  const inspected = vscode.workspace.getConfiguration('probeGuard', folder(folderName).uri).inspect<string>('kubeContext');
  return { folder: inspected?.workspaceFolderValue, workspace: inspected?.workspaceValue };
}

/** Replaces the pickers; every question asked is recorded, an unexpected one fails the test. */
function answer(api: Api, answers: { folder?: string; item?: string }): { folders: string[][]; items: string[][] } {
  const asked = { folders: [] as string[][], items: [] as string[][] };
  const prompts: Partial<ClientPrompts> = {
    pickFolder: async (folders) => {
      asked.folders.push(folders.map((f) => f.name));
      return answers.folder ? folders.find((f) => f.name === answers.folder) : undefined;
    },
    pickItem: async <T extends vscode.QuickPickItem>(items: T[]) => {
      asked.items.push(items.map((i) => i.label));
      return answers.item ? items.find((i) => i.label === answers.item) : undefined;
    },
  };
  api.setPrompts(prompts);
  return asked;
}

/** The "Probe report for URI" lines of the extension's log (which config a report was asked for). */
function reportLogLines(api: Api): string {
  const root = path.dirname(api.logUri.fsPath);
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('Probe Guard.log'))
        lines.push(
          ...fs
            .readFileSync(p, 'utf8')
            .split('\n')
            .filter((l) => l.includes('Probe report for')),
        );
    }
  };
  try {
    walk(root);
  } catch {
    // The log folder layout is VS Code's; the message only helps a failure.
  }
  return lines.join(' | ');
}

suite('multi-root workspace', () => {
  let api: Api;
  let alphaApi: FakeKubeApi;
  let betaApi: FakeKubeApi;

  suiteSetup(async () => {
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['alpha', 'beta', 'gamma'],
    );
    assert.ok(vscode.workspace.workspaceFile, 'opened as a .code-workspace');
    alphaApi = await startKubeApiServer({ tls: false, objects: [apiDeployment('livenessProbe', '/alpha-live')] });
    betaApi = await startKubeApiServer({ tls: false, objects: [apiDeployment('readinessProbe', '/beta-ready')] });
    writeFolderKubeconfig('alpha', alphaApi, [
      { name: 'alpha-ctx', namespace: 'shop' },
      { name: 'alpha-empty', namespace: 'empty' },
    ]);
    writeFolderKubeconfig('beta', betaApi, [
      { name: 'beta-ctx', namespace: 'shop' },
      { name: 'beta-other', namespace: 'shop' },
    ]);
    api = await probeGuard();
  });

  suiteTeardown(async () => {
    await alphaApi?.close();
    await betaApi?.close();
  });

  teardown(async () => {
    api.setPrompts(undefined);
    api.debugGuard.setPrompt(undefined);
    for (const name of ['alpha', 'beta']) {
      const settings = vscode.workspace.getConfiguration('probeGuard', folder(name).uri);
      if (settings.inspect('kubeContext')?.workspaceFolderValue !== undefined)
        await settings.update('kubeContext', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      if (settings.inspect('debug.confirmBeforeStart')?.workspaceFolderValue !== undefined)
        await settings.update('debug.confirmBeforeStart', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test("the same config text is judged with each folder's kubeconfig (relative to that folder)", async () => {
    const alpha = await open('alpha');
    const beta = await open('beta');
    const a = await waitForDiagnostics(alpha.uri, "alpha's liveness probe stolen", (d) => codes(d).includes('liveness-probe-stolen'));
    const b = await waitForDiagnostics(beta.uri, "beta's readiness probe stolen", (d) => codes(d).includes('readiness-probe-stolen'));
    assert.ok(!codes(a).includes('readiness-probe-stolen'), `alpha: ${codes(a).join(', ')}`);
    assert.ok(!codes(b).includes('liveness-probe-stolen'), `beta: ${codes(b).join(', ')}`);
    assert.ok(
      alphaApi.requests.some((r) => r.path.includes('/deployments/api')),
      'alpha looked up in its own cluster',
    );
    assert.ok(
      betaApi.requests.some((r) => r.path.includes('/deployments/api')),
      'beta looked up in its own cluster',
    );
  });

  test("the language status shows the active editor's folder: its cluster and its active config", async () => {
    const alpha = await open('alpha');
    const beta = await open('beta');
    const alphaStatus = await waitForState(api, 'alpha status', () => {
      const s = api.statusFor(alpha.uri);
      return s?.clusterText.startsWith('alpha-ctx') && s.isActive ? s : undefined;
    });
    const betaStatus = await waitForState(api, 'beta status', () => {
      const s = api.statusFor(beta.uri);
      return s?.clusterText.startsWith('beta-ctx') && s.isActive ? s : undefined;
    });
    assert.equal(alphaStatus.folder, 'alpha');
    assert.equal(betaStatus.folder, 'beta');
    assert.match(alphaStatus.activeConfigDetail, /\(folder alpha\)/);
    assert.match(betaStatus.activeConfigDetail, /\(folder beta\)/);
    assert.equal(betaStatus.clusterText, 'beta-ctx · shop');
  });

  test("Select kube context with alpha's config in the editor: alpha's contexts, written to alpha's folder settings only", async () => {
    const alpha = await open('alpha');
    const beta = await vscode.workspace.openTextDocument(inFolder('beta', CONFIG));
    await waitForDiagnostics(alpha.uri, 'alpha resolved', (d) => codes(d).includes('liveness-probe-stolen'));
    await waitForDiagnostics(beta.uri, 'beta resolved', (d) => codes(d).includes('readiness-probe-stolen'));
    const asked = answer(api, { item: 'alpha-empty' });
    const picked = await vscode.commands.executeCommand<string | undefined>('probeGuard.selectKubeContext');
    assert.equal(picked, 'alpha-empty');
    assert.deepEqual(asked.folders, [], 'no folder question: the active editor decides');
    assert.equal(asked.items.length, 1);
    assert.deepEqual(asked.items[0].slice(1), ['alpha-ctx', 'alpha-empty']);
    assert.deepEqual(kubeContextOf('alpha'), { folder: 'alpha-empty', workspace: undefined });
    assert.deepEqual(kubeContextOf('beta'), { folder: undefined, workspace: undefined });
    assert.match(fs.readFileSync(inFolder('alpha', '.vscode/settings.json').fsPath, 'utf8'), /"probeGuard\.kubeContext": "alpha-empty"/);
    // alpha is judged again in its new context (no api in namespace empty); beta is untouched.
    await waitForState(api, "alpha's status in alpha-empty", () => api.statusFor(alpha.uri)?.clusterText === 'alpha-empty · empty');
    await waitForDiagnostics(alpha.uri, 'alpha no longer resolved', (d) => !codes(d).includes('liveness-probe-stolen'));
    assert.ok(codes(await waitForDiagnostics(beta.uri, 'beta', () => true)).includes('readiness-probe-stolen'));
  });

  test('Select kube context with no editor: asks which folder, lists and writes that folder; dismissing writes nothing', async () => {
    const dismissed = answer(api, {});
    assert.equal(await vscode.commands.executeCommand('probeGuard.selectKubeContext'), undefined);
    assert.deepEqual(dismissed.folders, [['alpha', 'beta', 'gamma']]);
    assert.deepEqual(dismissed.items, [], 'no context list after the folder question was dismissed');
    assert.deepEqual(kubeContextOf('beta'), { folder: undefined, workspace: undefined });

    const asked = answer(api, { folder: 'beta', item: 'beta-other' });
    assert.equal(await vscode.commands.executeCommand('probeGuard.selectKubeContext'), 'beta-other');
    assert.deepEqual(asked.folders, [['alpha', 'beta', 'gamma']]);
    assert.deepEqual(asked.items[0].slice(1), ['beta-ctx', 'beta-other']);
    assert.deepEqual(kubeContextOf('beta'), { folder: 'beta-other', workspace: undefined });
    assert.deepEqual(kubeContextOf('alpha'), { folder: undefined, workspace: undefined });
    const beta = await open('beta');
    await waitForState(api, "beta's status in beta-other", () => api.statusFor(beta.uri)?.clusterText === 'beta-other · shop');

    // "Current context" in beta while the .code-workspace names a context: beta's empty value wins over it.
    await vscode.workspace.getConfiguration('probeGuard').update('kubeContext', 'beta-other', vscode.ConfigurationTarget.Workspace);
    try {
      const current = answer(api, { item: "Use the kubeconfig's current context" });
      assert.equal(await vscode.commands.executeCommand('probeGuard.selectKubeContext'), '');
      assert.deepEqual(current.folders, [], "beta's editor decides");
      assert.deepEqual(kubeContextOf('beta'), { folder: '', workspace: 'beta-other' });
      await waitForState(api, "beta's status in its current context", () => api.statusFor(beta.uri)?.clusterText === 'beta-ctx · shop');
    } finally {
      await vscode.workspace.getConfiguration('probeGuard').update('kubeContext', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test("Show probe report from a non-config file of beta: beta's active config; with no editor, asks among the folders' configs", async () => {
    await open('beta', 'app.js');
    const fromBeta = await vscode.commands.executeCommand<vscode.TextDocument>('probeGuard.showProbeReport');
    assert.ok(fromBeta, 'a report');
    assert.match(fromBeta.getText(), /\/beta-ready/);
    assert.doesNotMatch(fromBeta.getText(), /\/alpha-live/);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // (Reports were untitled documents: the next one could get the closed one's name and text.)
    const asked = answer(api, { folder: 'alpha' });
    const fromPick = await vscode.commands.executeCommand<vscode.TextDocument>('probeGuard.showProbeReport');
    // gamma has no config of its own: it shares alpha's (the first folder's), so it is no separate choice.
    assert.deepEqual(asked.folders, [['alpha', 'beta']]);
    assert.ok(fromPick, 'a report');
    const alpha = inFolder('alpha', CONFIG);
    assert.match(
      fromPick.getText(),
      /\/alpha-live/,
      `report ${fromPick.uri.toString()} (first: ${fromBeta.uri.toString()}); alpha's state: ${JSON.stringify(api.statusFor(alpha))}; log: ${reportLogLines(api)}`,
    );
  });

  test("launch.json CodeLens in gamma (no .mirrord/): the first folder's default config, judged in alpha's cluster; a click opens it", async () => {
    const launchUri = inFolder('gamma', '.vscode/launch.json');
    const text = JSON.stringify(
      { version: '0.2.0', configurations: [{ name: 'gamma (mirrord)', type: 'node', request: 'launch', program: 'app.js', env: { MIRRORD_ACTIVE: '1' } }] },
      null,
      2,
    );
    await vscode.workspace.fs.writeFile(launchUri, Buffer.from(text));
    try {
      const document = await vscode.workspace.openTextDocument(launchUri);
      await vscode.window.showTextDocument(document);
      const lens = await waitFor('a resolved mirrord lens', async () => {
        const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10)) ?? [];
        return all.find((l) => l.command?.title.startsWith('mirrord:'));
      });
      assert.match(lens.command!.title, /^mirrord: steal deployment\/api, liveness stolen · .*api\.mirrord\.json$/);
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      const alphaConfig = inFolder('alpha', CONFIG).toString();
      await waitFor("alpha's config opened", () => vscode.window.activeTextEditor?.document.uri.toString() === alphaConfig, {
        events: [vscode.window.onDidChangeActiveTextEditor as vscode.Event<unknown>],
      });
    } finally {
      await vscode.workspace.fs.delete(launchUri);
    }
  });

  suite('the check before F5', function () {
    // Each test starts js-debug sessions (a node process per launch): on a loaded machine that alone
    // can take tens of seconds, so the suite gets more than mocha's default minute.
    this.timeout(180_000);
    function launch(name: string, env: Record<string, string>, program = '${workspaceFolder}/app.js'): vscode.DebugConfiguration {
      return { type: 'node', request: 'launch', name, program, env };
    }

    async function start(
      where: vscode.WorkspaceFolder | undefined,
      configuration: vscode.DebugConfiguration,
    ): Promise<{ started: boolean; asked: PromptQuestion[] }> {
      const asked: PromptQuestion[] = [];
      const answers: PromptAnswer[] = ['cancel'];
      api.debugGuard.setPrompt(async (question) => {
        asked.push(question);
        return answers.shift() ?? 'cancel';
      });
      return { started: await vscode.debug.startDebugging(where, configuration), asked };
    }

    test("a launch in beta checks beta's config with beta's cluster", async () => {
      const { started, asked } = await start(folder('beta'), launch('beta', { MIRRORD_CONFIG_FILE: CONFIG }));
      assert.equal(started, false, 'cancelled');
      assert.equal(asked.length, 1);
      assert.equal(asked[0].configFile, inFolder('beta', CONFIG).fsPath);
      assert.deepEqual(
        asked[0].check.risk.probes.map((p) => `${p.probe} ${p.path}`),
        ['readiness /beta-ready'],
      );
    });

    test("a launch in gamma (no .mirrord/) uses the first folder's default config, as mirrord does", async () => {
      const { started, asked } = await start(folder('gamma'), launch('gamma', { MIRRORD_ACTIVE: '1' }));
      assert.equal(started, false, 'cancelled');
      assert.equal(asked.length, 1);
      assert.equal(asked[0].configFile, inFolder('alpha', CONFIG).fsPath);
      assert.deepEqual(
        asked[0].check.risk.probes.map((p) => `${p.probe} ${p.path}`),
        ['liveness /alpha-live'],
      );
    });

    test("a launch without a folder counts as the first folder's", async () => {
      const program = inFolder('gamma', 'app.js').fsPath;
      const { started, asked } = await start(undefined, launch('no folder', { MIRRORD_ACTIVE: '1' }, program));
      assert.equal(started, false, 'cancelled');
      assert.equal(asked.length, 1, 'checked (before: skipped in a multi-root workspace)');
      assert.equal(asked[0].configFile, inFolder('alpha', CONFIG).fsPath);
    });

    test("beta's probeGuard.debug.confirmBeforeStart off applies to beta's launches only", async () => {
      await vscode.workspace
        .getConfiguration('probeGuard', folder('beta').uri)
        .update('debug.confirmBeforeStart', false, vscode.ConfigurationTarget.WorkspaceFolder);
      const alpha = await start(folder('alpha'), launch('alpha', { MIRRORD_CONFIG_FILE: CONFIG }));
      assert.deepEqual([alpha.started, alpha.asked.length], [false, 1]);
      const beta = await start(folder('beta'), launch('beta unchecked', { MIRRORD_CONFIG_FILE: CONFIG }));
      assert.deepEqual([beta.started, beta.asked.length], [true, 0]);
      // app.js exits at once; stopped here too, so a slow machine does not leave it running.
      await vscode.debug.stopDebugging();
      await waitFor('no debug session left', () => vscode.debug.activeDebugSession === undefined, {
        events: [vscode.debug.onDidTerminateDebugSession, vscode.debug.onDidChangeActiveDebugSession],
        timeoutMs: 120_000,
      });
    });
  });
});
