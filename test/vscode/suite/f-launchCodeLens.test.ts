import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../support/waitFor';
import { fakeCluster, useTestCluster } from './support/fakeCluster';
import { probeGuard, workspaceUri } from './support/harness';

const SAFE_FILTER = '^User-Agent: (?!kube-probe)';

/** A launch.json as users write it (comments, trailing commas), three mirrord configurations and a plain one. */
const LAUNCH_JSON = `{
  // mirrord sessions of the api service
  "version": "0.2.0",
  "configurations": [
    { "name": "plain", "type": "node", "request": "launch", "program": "server.js" },
    {
      "name": "api (mirrord)",
      "type": "node",
      "request": "launch",
      "env": { "MIRRORD_CONFIG_FILE": "\${workspaceFolder}/.mirrord/a-risky.mirrord.json" },
    },
    {
      "name": "api (mirrord, filtered by env)",
      "type": "node",
      "request": "launch",
      "env": { "MIRRORD_CONFIG_FILE": ".mirrord/a-risky.mirrord.json", "MIRRORD_HTTP_HEADER_FILTER": "${SAFE_FILTER}" },
    },
    {
      "name": "api (folder default)",
      "type": "node",
      "request": "launch",
      "env": { "MIRRORD_AGENT_TCP_STEAL_TRAFFIC": "true" },
    },
    { "name": "off", "type": "node", "request": "launch", "env": { "MIRRORD_CONFIG_FILE": "x.json", "MIRRORD_ACTIVE": "0" } },
  ],
}
`;

suite('launch.json CodeLens', () => {
  const launchUri = () => workspaceUri('.vscode/launch.json');

  suiteSetup(async () => {
    await useTestCluster(await fakeCluster());
    await probeGuard();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(launchUri());
  });

  test('one line above each mirrord launch configuration: mode, target, verdict with the env applied, config; a click opens it', async () => {
    await vscode.workspace.fs.writeFile(launchUri(), Buffer.from(LAUNCH_JSON));
    const document = await vscode.workspace.openTextDocument(launchUri());
    await vscode.window.showTextDocument(document);
    const config = workspaceUri('.mirrord/a-risky.mirrord.json');
    // Every lens resolved (the command's title is the server's verdict), for the file as written.
    const lenses = await waitFor('three resolved mirrord lenses', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10)) ?? [];
      const ours = all.filter((l) => l.command?.title.startsWith('mirrord:')).sort((a, b) => a.range.start.line - b.range.start.line);
      return ours.length === 3 ? ours : undefined;
    });
    const lines = lenses.map((l) => l.range.start.line);
    const lineOf = (name: string) =>
      document
        .getText()
        .split('\n')
        .findIndex((l) => l.includes(`"name": "${name}"`)) - 1;
    assert.deepEqual(lines, [lineOf('api (mirrord)'), lineOf('api (mirrord, filtered by env)'), lineOf('api (folder default)')]);
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        'mirrord: steal deployment/api, liveness and readiness stolen · .mirrord/a-risky.mirrord.json',
        'mirrord: steal deployment/api, probes safe · .mirrord/a-risky.mirrord.json',
        'mirrord: steal deployment/api, liveness and readiness stolen · .mirrord/a-risky.mirrord.json',
      ],
    );
    // (VS Code's executeCodeLensProvider drops the tooltip: the details are checked in test/protocol.)

    const command = lenses[0].command!;
    // VS Code hands out its own delegating command id for a lens command with arguments: run it as a click would.
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    await waitFor('the config opened', () => vscode.window.activeTextEditor?.document.uri.toString() === config.toString(), {
      events: [vscode.window.onDidChangeActiveTextEditor as vscode.Event<unknown>],
    });
  });

  test('an edit of the config changes the verdict in launch.json', async () => {
    const api = await probeGuard();
    const config = await vscode.workspace.openTextDocument(workspaceUri('.mirrord/a-risky.mirrord.json'));
    const edit = new vscode.WorkspaceEdit();
    const at = config.getText().indexOf('"steal"');
    edit.replace(config.uri, new vscode.Range(config.positionAt(at), config.positionAt(at + '"steal"'.length)), '"mirror"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const title = await waitFor(
        'the mirror verdict',
        async () => {
          const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', launchUri(), 10)) ?? [];
          const first = all.find((l) => l.command?.title.startsWith('mirrord:'))?.command?.title;
          return first?.startsWith('mirrord: mirror') ? first : undefined;
        },
        { events: [api.onDidAnalyze as vscode.Event<unknown>] },
      );
      assert.equal(title, 'mirrord: mirror deployment/api, no probe stolen · .mirrord/a-risky.mirrord.json');
    } finally {
      await vscode.window.showTextDocument(config);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
