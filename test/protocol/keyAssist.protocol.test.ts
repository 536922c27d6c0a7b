/**
 * Key-name completion and key hover from mirrord's schema, over stdio: YAML and TOML configs get
 * them from the server (positioned on the key being typed, mirrord's descriptions); JSON configs
 * get none from it (the JSON language server completes them from the same schema).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, CompletionList, Hover, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyLspEdits, LspTestClient } from './lspTestClient';

let root = '';
let client: LspTestClient | undefined;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-keys-'));
});
afterEach(async () => {
  await client?.stop();
  client = undefined;
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function serverFor(initializationOptions?: Record<string, unknown>): Promise<LspTestClient> {
  // Untrusted: key assist needs no cluster and no file of the workspace.
  client = await LspTestClient.start({ workspaceFolder: root, trusted: false, env: { PATH: process.env.PATH, HOME: root }, initializationOptions });
  return client;
}

function items(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

/** The position of the `|` in a marked text, and the text without it. */
function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const offset = marked.indexOf('|');
  const before = marked.slice(0, offset).split('\n');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

const hoverText = (hover: Hover | null): string =>
  hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '';

describe('language server: key completion and hover from mirrord schema', () => {
  test('YAML: the keys of the section under the cursor, with descriptions, and the chosen key replaces what was typed', async () => {
    const server = await serverFor();
    const uri = pathToFileURL(path.join(root, '.mirrord', 'app.mirrord.yaml')).href;
    const { text, position } = cursor('target: deployment/api\nfeature:\n  network:\n    incoming:\n      mode: steal\n      http_fi|\n');
    await server.open(uri, text, 'yaml');
    const offered = items(await server.completion(uri, position));
    const filter = offered.find((i) => i.label === 'http_filter');
    assert.ok(filter, `http_filter offered, got ${offered.map((i) => i.label).join(', ')}`);
    assert.ok(!offered.some((i) => i.label === 'mode'), 'mode is set already');
    assert.ok(!offered.some((i) => i.label === 'target'), 'only the keys of feature.network.incoming');
    const documentation = filter.documentation;
    assert.ok(documentation && typeof documentation === 'object' && /filter/i.test(documentation.value), 'mirrord description');
    const edit = filter.textEdit as TextEdit;
    assert.equal(applyLspEdits(text, [edit]), text.replace('http_fi\n', 'http_filter: \n'));
  });

  test('YAML: hover on a key shows mirrord description and what the value may be', async () => {
    const server = await serverFor();
    const uri = pathToFileURL(path.join(root, 'mirrord.yaml')).href;
    const text = 'feature:\n  network:\n    incoming:\n      mode: steal\n';
    await server.open(uri, text, 'yaml');
    const hover = await server.hover(uri, { line: 3, character: 8 });
    assert.match(hoverText(hover), /mirroring or stealing/);
    assert.match(hoverText(hover), /"steal"/);
    assert.deepEqual(hover?.range, { start: { line: 3, character: 6 }, end: { line: 3, character: 10 } });
  });

  test('TOML: keys under a table header, table names in a header, and hover on a key', async () => {
    const server = await serverFor();
    const uri = pathToFileURL(path.join(root, '.mirrord', 'mirrord.toml')).href;
    const { text, position } = cursor('target = "deployment/api"\n\n[feature.network.incoming]\nmode = "steal"\nign|\n');
    await server.open(uri, text, 'toml');
    const offered = items(await server.completion(uri, position));
    const ignore = offered.find((i) => i.label === 'ignore_ports');
    assert.ok(ignore, `ignore_ports offered, got ${offered.map((i) => i.label).join(', ')}`);
    assert.equal(applyLspEdits(text, [ignore.textEdit as TextEdit]), text.replace('ign\n', 'ignore_ports = \n'));

    const header = cursor('[feature.net|]\n');
    await server.change(uri, header.text);
    const tables = items(await server.completion(uri, header.position));
    const network = tables.find((i) => i.label === 'network');
    assert.ok(network, 'network offered in a header');
    assert.equal(applyLspEdits(header.text, [network.textEdit as TextEdit]), '[feature.network]\n');

    await server.change(uri, text);
    const hover = await server.hover(uri, { line: 3, character: 1 });
    assert.match(hoverText(hover), /mirroring or stealing/);
  });

  test('a key inside the incoming value gets its description, the incoming setting keeps the probe hover', async () => {
    const server = await serverFor();
    const uri = pathToFileURL(path.join(root, 'probes.mirrord.yaml')).href;
    const text = 'target: deployment/api\nfeature:\n  network:\n    incoming:\n      mode: steal\n';
    await server.open(uri, text, 'yaml');
    await server.diagnosticsOf(uri);
    assert.match(hoverText(await server.hover(uri, { line: 4, character: 7 })), /mirroring or stealing/);
    const onValue = hoverText(await server.hover(uri, { line: 4, character: 13 }));
    assert.match(onValue, /Probe Guard|probe/i, 'the value: the probe hover');
    assert.doesNotMatch(onValue, /mirroring or stealing/);
  });

  test('YAML with a client whose YAML support reads the schema (yamlSchemaSupport): no key items nor key hover, TOML keeps them', async () => {
    const server = await serverFor({ yamlSchemaSupport: true });
    const yamlUri = pathToFileURL(path.join(root, '.mirrord', 'redhat.mirrord.yaml')).href;
    const yaml = cursor('target: deployment/api\nfeature:\n  network:\n    incoming:\n      mode: steal\n      http_fi|\n');
    await server.open(yamlUri, yaml.text, 'yaml');
    assert.deepEqual(items(await server.completion(yamlUri, yaml.position)), []);
    assert.equal(await server.hover(yamlUri, { line: 1, character: 2 }), null, 'no key hover on "feature"');
    // The probe hover on the incoming value stays: it is not the schema's.
    assert.match(hoverText(await server.hover(yamlUri, { line: 4, character: 13 })), /Probe Guard|probe/i);
    const tomlUri = pathToFileURL(path.join(root, '.mirrord', 'redhat.mirrord.toml')).href;
    const toml = cursor('[feature.network.incoming]\nmode = "steal"\nhttp_fi|\n');
    await server.open(tomlUri, toml.text, 'toml');
    assert.ok(items(await server.completion(tomlUri, toml.position)).some((i) => i.label === 'http_filter'));
  });

  test('hoverCommandLinks: the probe hover ends with Refresh and Show log, a key hover does not', async () => {
    const server = await serverFor({ hoverCommandLinks: true });
    const uri = pathToFileURL(path.join(root, '.mirrord', 'links.mirrord.yaml')).href;
    await server.open(uri, 'target: deployment/api\nfeature:\n  network:\n    incoming:\n      mode: steal\n', 'yaml');
    const links = /\[Refresh\]\(command:probeGuard\.refreshTarget\) · \[Show log\]\(command:probeGuard\.showLog\)$/;
    assert.match(hoverText(await server.hover(uri, { line: 4, character: 13 })), links);
    const key = hoverText(await server.hover(uri, { line: 1, character: 2 }));
    assert.ok(key !== '', 'the key hover');
    assert.doesNotMatch(key, /command:/);
  });

  test('JSON: no key items nor key hover from this server (the JSON language server has them)', async () => {
    const server = await serverFor();
    const uri = pathToFileURL(path.join(root, 'mirrord.json')).href;
    const text = '{\n  "feature": {\n    "network": {\n      "incoming": {"mode": "steal"}\n    }\n  }\n}\n';
    await server.open(uri, text, 'json');
    assert.deepEqual(items(await server.completion(uri, { line: 2, character: 8 })), []);
    assert.equal(await server.hover(uri, { line: 1, character: 5 }), null, 'no hover on the "feature" key');
  });
});
