/**
 * The server's texts in the client's display language: a client that sends an l10n bundle in
 * `initializationOptions.l10nBundle` (VS Code's client sends `vscode.l10n.bundle`) gets the status,
 * hover, probe report and request errors from it; without one, or with something that is not a
 * bundle, English. The German test bundle is test/fixtures/l10n/bundle.l10n.de.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol/node';
import { LspTestClient, ROOT } from './lspTestClient';

const GERMAN = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;
const ENGLISH = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const CONFIG = JSON.stringify({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';

let root = '';
let clients: LspTestClient[] = [];

const hoverText = (hover: Hover | null): string =>
  hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '';

/** An untrusted server (no cluster, nothing to set up) with the given initializationOptions. */
async function start(initializationOptions: Record<string, unknown>): Promise<{ client: LspTestClient; uri: string }> {
  const dir = fs.mkdtempSync(path.join(root, 'ws-'));
  const client = await LspTestClient.start({ workspaceFolder: dir, trusted: false, env: { PATH: process.env.PATH, HOME: dir }, initializationOptions });
  clients.push(client);
  const uri = pathToFileURL(path.join(dir, 'mirrord.json')).href;
  await client.open(uri, CONFIG);
  return { client, uri };
}

async function texts(client: LspTestClient, uri: string) {
  const status = await client.statusOf(uri, (s) => s.lookup === 'restricted');
  const line = CONFIG.split('\n').findIndex((l) => l.includes('deployment/api'));
  const hover = hoverText(await client.hover(uri, { line, character: CONFIG.split('\n')[line].indexOf('deployment/api') + 2 }));
  const report = await client.request<{ markdown: string }>('probeGuard/probeReport', { textDocument: { uri } });
  const reportError = await client.request('probeGuard/probeReport', { textDocument: { uri: uri.replace('mirrord.json', 'never-opened.mirrord.json') } }).then(
    () => '',
    (error: Error) => error.message,
  );
  const contexts = await client.request<{ error?: string }>('probeGuard/listContexts', { textDocument: { uri } });
  return { status, hover, report: report.markdown, reportError, contextsError: contexts.error ?? '' };
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-l10n-'));
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  clients = [];
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('language server: localized texts', () => {
  test('every entry of the test bundle translates a message of l10n/bundle.l10n.json', () => {
    for (const key of Object.keys(GERMAN)) assert.ok(key in ENGLISH, `not a Probe Guard message: ${key}`);
  });

  test('with a German bundle: status, hover, probe report and request errors in German', async () => {
    const { client, uri } = await start({ l10nBundle: GERMAN });
    const german = await texts(client, uri);
    assert.equal(german.status.clusterText, 'Eingeschränkter Modus');
    assert.equal(german.status.lookupText, 'Keine Cluster-Abfrage im eingeschränkten Modus: nur statische Analyse');
    assert.match(german.hover, /Abfrage: Keine Cluster-Abfrage im eingeschränkten Modus/);
    assert.match(german.report, /^# Probe-Bericht für /m);
    assert.equal(german.reportError, 'Öffnen Sie eine mirrord-Konfiguration, um ihren Probe-Bericht zu sehen.');
    assert.equal(german.contextsError, 'In einem nicht vertrauenswürdigen Arbeitsbereich werden keine Kubernetes-Kontexte gelesen.');
  });

  test('without a bundle, and with one that is not a bundle: English, and the server keeps working', async () => {
    for (const l10nBundle of [undefined, 'de', ['Lookup']]) {
      const { client, uri } = await start({ l10nBundle });
      const english = await texts(client, uri);
      assert.equal(english.status.clusterText, 'Restricted Mode');
      assert.equal(english.status.lookupText, 'Cluster lookup disabled in Restricted Mode: static analysis only');
      assert.match(english.hover, /Lookup: Cluster lookup disabled in Restricted Mode/);
      assert.match(english.report, /^# Probe report for /m);
      assert.equal(english.reportError, 'Open a mirrord config to see its probe report.');
      assert.equal(english.contextsError, 'Kubernetes contexts are not read in an untrusted workspace.');
      if (l10nBundle !== undefined)
        assert.ok(
          client.logs.some((m) => /Ignoring initializationOptions\.l10nBundle/.test(m)),
          'the bad bundle is reported in the log',
        );
    }
  });
});
