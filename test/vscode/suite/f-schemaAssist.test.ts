import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../support/waitFor';
import { probeGuard, workspaceUri } from './support/harness';

/**
 * Completion and hover of mirrord's keys: in JSON configs from VS Code's own JSON language
 * features, through the extension's jsonValidation contribution of schemas/mirrord.schema.json (for
 * every name a mirrord config has), once each; in YAML configs from Probe Guard's language server.
 */

const JSON_CONFIG = '{\n  "feature": {\n    "network": {\n      \n    }\n  }\n}\n';
/** Inside `network`, on the blank line. */
const JSON_KEY_POSITION = new vscode.Position(3, 6);

async function writeConfig(relative: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** The property items offered (VS Code adds word-based items from the open documents: left out). */
async function completionLabels(document: vscode.TextDocument, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return (list?.items ?? [])
    .filter((item) => item.kind === vscode.CompletionItemKind.Property)
    .map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The JSON language service loads the schema on first use: wait until it answers with mirrord's keys. */
function waitForKeys(document: vscode.TextDocument, position: vscode.Position, key: string): Promise<string[]> {
  return waitFor(
    `"${key}" completed in ${document.uri.path}`,
    async () => {
      const labels = await completionLabels(document, position);
      return labels.some((l) => l.replace(/"/g, '') === key) ? labels : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

suite('mirrord keys: completion and hover from the schema', () => {
  suiteSetup(async () => {
    await probeGuard();
  });

  for (const name of ['mirrord.json', 'services/api.mirrord.json', '.mirrord/plain.json', 'deep/folder/.mirrord/other.json']) {
    test(`JSON ${name}: VS Code's JSON features complete and describe mirrord's keys, once`, async () => {
      const document = await writeConfig(name, JSON_CONFIG);
      const labels = await waitForKeys(document, JSON_KEY_POSITION, 'incoming');
      for (const key of ['outgoing', 'dns'])
        assert.ok(
          labels.some((l) => l.replace(/"/g, '') === key),
          `${key} offered: ${labels.join(', ')}`,
        );
      assert.equal(labels.filter((l) => l.replace(/"/g, '') === 'incoming').length, 1, `incoming offered once: ${labels.join(', ')}`);
      assert.ok(!labels.some((l) => l.replace(/"/g, '') === 'target'), 'the keys of feature.network only');
      const hover = await waitFor(
        'the description of "network"',
        async () => {
          const text = await hoverText(document, new vscode.Position(2, 7));
          return /network operations|feature\.network/i.test(text) ? text : undefined;
        },
        { timeoutMs: 60_000 },
      );
      assert.match(hover, /network/i, "mirrord's description of feature.network");
    });
  }

  test('a JSON file that is not a mirrord config does not get the schema', async () => {
    const mirrord = await writeConfig('schema-check/mirrord.json', JSON_CONFIG);
    await waitForKeys(mirrord, JSON_KEY_POSITION, 'incoming');
    const other = await writeConfig('schema-check/package.json', JSON_CONFIG);
    const labels = await completionLabels(other, JSON_KEY_POSITION);
    assert.ok(!labels.some((l) => l.replace(/"/g, '') === 'incoming'), `no mirrord keys in package.json: ${labels.join(', ')}`);
  });

  test("YAML: Probe Guard's language server completes and describes the section's keys", async () => {
    const document = await writeConfig('.mirrord/keys.mirrord.yaml', 'feature:\n  network:\n    incoming:\n      mode: steal\n      \n');
    const position = new vscode.Position(4, 6);
    const labels = await waitFor(
      'http_filter completed in YAML',
      async () => {
        const all = await completionLabels(document, position);
        return all.includes('http_filter') ? all : undefined;
      },
      { timeoutMs: 60_000 },
    );
    assert.ok(!labels.includes('mode'), 'mode is set already');
    assert.equal(labels.filter((l) => l === 'http_filter').length, 1);
    const hover = await hoverText(document, new vscode.Position(3, 8));
    assert.match(hover, /mirroring or stealing/);
  });
});
