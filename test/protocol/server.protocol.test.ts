/**
 * The language server over stdio, without VS Code: an LSP client (vscode-languageserver-protocol)
 * drives `probe-guard-language-server --stdio` against the project's test API server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, DiagnosticSeverity, type CodeAction, type Diagnostic, type Hover } from 'vscode-languageserver-protocol/node';
import type { FakeKubeApi } from '../support/kubeApiServer';
import { execUser, writeKubeconfig, kubeconfigDoc, clusterFor, writeSimpleKubeconfig } from '../support/kubeconfigs';
import { shopObjects } from '../support/kubeFixtures';
import { KubeProtocolFixture, type KubeWorkspace } from './kubeWorkspaces';
import { applyLspEdits, type LspTestClient } from './lspTestClient';

const RISKY = JSON.stringify({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';
const BROKEN = '{\n  "target": "deployment/api",\n  "feature": { "network": { "incoming": "steal" \n';

/** A deployment whose probe sends a header line that `^(a+)+$` backtracks on for ages. */
function hostileManifest(name: string): string {
  const probe = { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'a'.repeat(30), value: 'a'.repeat(30) }] }, periodSeconds: 10 };
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'x', ports: [{ containerPort: 8080 }], livenessProbe: probe, readinessProbe: probe }] },
      },
    },
  };
  return JSON.stringify(object, null, 2) + '\n';
}

function hostileConfig(regex: string): string {
  return (
    JSON.stringify(
      {
        target: { path: 'deployment/hostile', namespace: 'shop' },
        feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: regex } } } },
      },
      null,
      2,
    ) + '\n'
  );
}

let fixture: KubeProtocolFixture;
let api: FakeKubeApi;

const workspace = (name: string): KubeWorkspace => fixture.workspace(name, 'shop');

function start(ws: KubeWorkspace, options: { trusted?: boolean; settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}): Promise<LspTestClient> {
  return fixture.client(ws, { trusted: options.trusted ?? true, settings: options.settings, env: options.env ?? ws.env });
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code));
const hoverText = (hover: Hover | null): string =>
  hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '';

before(async () => {
  fixture = await KubeProtocolFixture.start('lsp', shopObjects());
  api = fixture.api;
});
afterEach(async () => {
  await fixture.stopClients();
  await api.setFault(undefined);
});
after(() => fixture.close());

describe('language server: diagnostics, fixes, hover, report', () => {
  test('diagnostics carry the rule code, its docs link, the source, and the manifest line as related information', async () => {
    const ws = workspace('diagnostics');
    const manifest = ws.write('k8s/api.json', hostileManifest('api').replace(/"httpHeaders"[^\]]*\]/, '"httpHeaders": []'));
    const client = await start(ws, { settings: { clusterLookup: { enabled: false }, manifests: ['k8s'] } });
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('liveness-probe-stolen'));
    const liveness = published.diagnostics.find((d) => d.code === 'liveness-probe-stolen')!;
    assert.equal(liveness.source, 'Probe Guard');
    assert.equal(liveness.severity, DiagnosticSeverity.Error);
    assert.match(liveness.codeDescription?.href ?? '', /docs\/rules\.md#liveness-probe-stolen$/);
    const related = liveness.relatedInformation?.[0];
    assert.ok(related, 'related information');
    assert.equal(related.location.uri, pathToFileURL(manifest).href);
    const probeLine = fs
      .readFileSync(manifest, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"livenessProbe"'));
    assert.equal(related.location.range.start.line, probeLine);
    assert.deepEqual(
      codes(published.diagnostics).filter((c) => c.endsWith('-stolen')),
      ['liveness-probe-stolen', 'readiness-probe-stolen'],
    );
    const status = await client.statusOf(uri, (s) => s.lookup === 'resolved');
    assert.match(status.lookupText, /manifest file/);
  });

  test('quick fix: listed without its edit, resolved to a versioned edit that removes the risk', async () => {
    const ws = workspace('quickfix');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('liveness-probe-stolen'));
    const liveness = published.diagnostics.find((d) => d.code === 'liveness-probe-stolen')!;
    const actions = (await client.codeActions(uri, liveness.range, { diagnostics: published.diagnostics, only: ['quickfix'] })) as CodeAction[];
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(preferred.title, 'Add kube-probe filter');
    assert.equal(preferred.edit, undefined);
    assert.ok(preferred.diagnostics?.some((d) => d.code === 'liveness-probe-stolen'));
    const resolved = await client.resolve(preferred);
    const change = resolved.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change, JSON.stringify(resolved.edit));
    assert.equal(change.textDocument.version, 1);
    const fixed = applyLspEdits(RISKY, change.edits as { range: Diagnostic['range']; newText: string }[]);
    assert.match(fixed, /kube-probe/);
    await client.change(uri, fixed);
    const after = await client.diagnosticsOf(uri, (d) => !codes(d.diagnostics).includes('liveness-probe-stolen'));
    assert.ok(!codes(after.diagnostics).some((c) => c.endsWith('-probe-stolen')), codes(after.diagnostics).join(','));
  });

  test('a quick fix picked after an edit is recomputed on the current text; one whose finding is gone is refused', async () => {
    const ws = workspace('stale');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('liveness-probe-stolen'));
    const liveness = published.diagnostics.find((d) => d.code === 'liveness-probe-stolen')!;
    const [action] = ((await client.codeActions(uri, liveness.range, { diagnostics: published.diagnostics, only: ['quickfix'] })) as CodeAction[]).filter(
      (a) => a.isPreferred,
    );
    // An edit above the finding moves every offset.
    const edited = '\n\n' + RISKY;
    await client.change(uri, edited);
    const resolved = await client.resolve(action);
    const change = resolved.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change);
    assert.equal(change.textDocument.version, 2);
    const fixed = applyLspEdits(edited, change.edits as { range: Diagnostic['range']; newText: string }[]);
    assert.ok(fixed.startsWith('\n\n{'), 'the unsaved edit is kept');
    assert.match(fixed, /kube-probe/);
    // Now mirror mode: nothing is stolen, the fix no longer applies.
    await client.change(uri, RISKY.replace('"steal"', '"mirror"'));
    const refused = await client.resolve(action);
    assert.equal(refused.edit, undefined);
    await client.waitFor('refusal message', () => client.messages.find((m) => /no longer applies/.test(m)));
  });

  test('fix all: source.fixAll.probeGuard fixes liveness and readiness in one edit', async () => {
    const ws = workspace('fixall');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('readiness-probe-stolen'));
    const all = (await client.codeActions(
      uri,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      { diagnostics: published.diagnostics, only: ['source.fixAll'] },
    )) as CodeAction[];
    assert.deepEqual(
      all.map((a) => a.kind),
      ['source.fixAll.probeGuard'],
    );
    const resolved = await client.resolve(all[0]);
    const change = resolved.edit?.documentChanges?.[0];
    assert.ok(change && 'edits' in change);
    const fixed = applyLspEdits(RISKY, change.edits as { range: Diagnostic['range']; newText: string }[]);
    await client.change(uri, fixed);
    const after = await client.diagnosticsOf(uri, (d) => !codes(d.diagnostics).some((c) => c.endsWith('-probe-stolen')));
    assert.ok(!codes(after.diagnostics).some((c) => c === 'steal-without-filter'));
  });

  test('hover on the target: the probe table and the live pods; the probe report has the same tables', async () => {
    const ws = workspace('hover');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    await client.statusOf(uri, (s) => s.lookup === 'resolved');
    const line = RISKY.split('\n').findIndex((l) => l.includes('deployment/api'));
    const hover = await client.hover(uri, { line, character: RISKY.split('\n')[line].indexOf('deployment/api') + 3 });
    const text = hoverText(hover);
    assert.match(text, /liveness/);
    assert.match(text, /stolen/i);
    assert.match(text, /api-7d9c-aaaaa/, 'live pods');
    assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
    const report = await client.request<{ markdown: string }>('probeGuard/probeReport', { textDocument: { uri } });
    assert.match(report.markdown, /^# Probe report for \.mirrord\/risky\.mirrord\.json/);
    assert.match(report.markdown, /liveness/);
  });
});

describe('language server: trust', () => {
  test('untrusted: no API request, no exec plugin, no manifest read; trusted: all of them', async () => {
    const ws = workspace('untrusted');
    const marker = path.join(ws.dir, 'plugin-ran');
    // The config names a kubeconfig in the workspace whose user is an exec plugin.
    writeKubeconfig(
      ws.dir,
      'kubeconfig-from-the-workspace.yaml',
      kubeconfigDoc([{ name: 'evil', cluster: clusterFor(api), user: execUser(api, ws.dir, { marker }) }]),
    );
    const config = JSON.stringify({
      kubeconfig: './kubeconfig-from-the-workspace.yaml',
      target: { path: 'deployment/api', namespace: 'shop' },
      feature: { network: { incoming: 'steal' } },
    });
    const before = api.requests.length;
    const client = await start(ws, { trusted: false });
    const uri = ws.uri('mirrord.json');
    await client.open(uri, config);
    const status = await client.statusOf(uri, () => true);
    assert.equal(status.lookup, 'restricted');
    const published = await client.diagnosticsOf(uri);
    assert.ok(codes(published.diagnostics).includes('steal-without-filter'), 'static findings still come');
    await client.hover(uri, { line: 0, character: config.indexOf('deployment/api') + 2 });
    await client.request('probeGuard/probeReport', { textDocument: { uri } });
    const contexts = await client.request<{ contexts: string[]; error?: string }>('probeGuard/listContexts', { textDocument: { uri } });
    assert.deepEqual(contexts.contexts, []);
    assert.deepEqual(await client.request('probeGuard/refresh', {}), { refreshed: false });
    assert.equal(api.requests.length - before, 0, 'no API request while untrusted');
    assert.equal(fs.existsSync(marker), false, 'the exec plugin never ran');

    await client.notifyServer('probeGuard/didChangeTrust', { trusted: true });
    await client.statusOf(uri, (s) => s.lookup === 'resolved');
    assert.ok(api.requests.length > before, 'trusted: the cluster is asked');
    assert.equal(fs.existsSync(marker), true, 'trusted: the exec plugin ran');
  });

  test('untrusted: probeGuard.manifests is not read (its access time stays), trusted: it is', async () => {
    const ws = workspace('manifests');
    const manifest = ws.write('k8s/api.json', hostileManifest('api').replace(/"httpHeaders"[^\]]*\]/, '"httpHeaders": []'));
    const long = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(manifest, long, long);
    const client = await start(ws, { trusted: false, settings: { clusterLookup: { enabled: false }, manifests: ['k8s'] } });
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    assert.equal((await client.statusOf(uri, () => true)).lookup, 'restricted');
    await client.request('probeGuard/probeReport', { textDocument: { uri } });
    assert.equal(fs.statSync(manifest).atimeMs, long.getTime(), 'the manifest was not read');
    await client.notifyServer('probeGuard/didChangeTrust', { trusted: true });
    await client.statusOf(uri, (s) => s.lookup === 'resolved');
    // relatime updates the access time of a file read whose atime is not after its mtime.
    assert.notEqual(fs.statSync(manifest).atimeMs, long.getTime(), 'trusted: the manifest was read');
  });

  test('a client that sends no initializationOptions is untrusted', async () => {
    const ws = workspace('plain');
    const before = api.requests.length;
    const client = await fixture.client(ws, { plainClient: true });
    const uri = ws.uri('mirrord.json');
    await client.open(uri, RISKY);
    assert.equal((await client.statusOf(uri, () => true)).lookup, 'restricted');
    assert.equal(api.requests.length, before);
  });
});

describe('language server: settings, cancellation, progress', () => {
  test('settings come from workspace/configuration and are read again on didChangeConfiguration', async () => {
    const ws = workspace('settings');
    const client = await start(ws, { settings: {} });
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    const first = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('liveness-probe-stolen'));
    assert.equal(first.diagnostics.find((d) => d.code === 'liveness-probe-stolen')?.severity, DiagnosticSeverity.Error);
    assert.ok(client.configurationRequests.length > 0);
    await client.changeSettings({ severity: { 'liveness-probe-stolen': 'hint', 'readiness-probe-stolen': 'off' } });
    const changed = await client.waitFor('hint severity', () => {
      const d = client.diagnostics.get(uri);
      return d?.diagnostics.find((x) => x.code === 'liveness-probe-stolen')?.severity === DiagnosticSeverity.Hint ? d : undefined;
    });
    assert.ok(!codes(changed.diagnostics).includes('readiness-probe-stolen'));
    await client.changeSettings({ clusterLookup: { enabled: false } });
    await client.waitFor('turned off', () => client.statuses.find((s) => s.uri === uri && s.lookup === 'turned-off'));
  });

  test('a slow lookup reports work-done progress; a probe report waiting for it can be cancelled', async () => {
    const ws = workspace('slow');
    await api.setFault('hang', { path: /deployments\/api$/ });
    const client = await start(ws, { settings: { timeoutSeconds: 3 } });
    const uri = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(uri, RISKY);
    const begin = await client.waitFor('progress begin', () => client.progress.find((p) => p.value.kind === 'begin'));
    assert.equal(begin.value.title, 'Probe Guard');
    assert.match(begin.value.message ?? '', /deployment\/api/);
    const source = new CancellationTokenSource();
    const report = client.request('probeGuard/probeReport', { textDocument: { uri } }, source);
    source.cancel();
    await assert.rejects(report, (error: { code?: number }) => error.code === -32800);
    await client.waitFor('progress end', () => client.progress.find((p) => p.token === begin.token && p.value.kind === 'end'));
    const failed = await client.statusOf(uri, (s) => s.lookup === 'failed');
    assert.match(failed.lookupText, /Offline|time/i);
  });
});

describe('language server: a hostile regex never delays another request', () => {
  test('hover and code actions are answered while a hostile-regex analysis of the same file runs', async () => {
    const ws = workspace('hostile');
    ws.write('k8s/hostile.json', hostileManifest('hostile'));
    const client = await start(ws, { settings: { clusterLookup: { enabled: false }, manifests: ['k8s'] } });
    const uri = ws.uri('.mirrord/hostile.mirrord.json');
    const first = hostileConfig('^(a+)+$');
    await client.open(uri, first);
    const analysed = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('probe-verdict-unknown'));
    assert.ok(!codes(analysed.diagnostics).includes('liveness-probe-stolen'), 'never safe nor stolen on a timeout: unknown');
    // Another hostile regex: the analysis of version 2 spends its budget again.
    const second = hostileConfig('^(a|a)+$');
    const version = await client.change(uri, second);
    const order: string[] = [];
    const diagnostics = client.diagnosticsOf(uri).then(() => order.push('diagnostics'));
    const line = second.split('\n').findIndex((l) => l.includes('deployment/hostile'));
    const hover = client.hover(uri, { line, character: second.split('\n')[line].indexOf('deployment') + 2 }).then((h) => {
      order.push('hover');
      return h;
    });
    const actions = client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } }, { diagnostics: [], only: ['quickfix'] });
    assert.match(hoverText(await hover), /Probe Guard/);
    await diagnostics;
    assert.deepEqual(order, ['hover', 'diagnostics'], 'the hover came before the analysis of the new version finished');
    assert.ok(Array.isArray(await actions));
    assert.equal(client.version(uri), version);
  });
});

describe('language server: bad input', () => {
  test('a broken config, a huge config, an unreachable cluster and garbage requests: messages, no crash', async () => {
    const ws = workspace('bad');
    const dead = writeSimpleKubeconfig(api, path.join(ws.dir, 'home'), { fileName: 'dead' });
    fs.writeFileSync(dead, fs.readFileSync(dead, 'utf8').replace(api.url, 'https://127.0.0.1:1'));
    const client = await start(ws, { env: { ...ws.env, KUBECONFIG: dead } });
    const broken = ws.uri('.mirrord/broken.mirrord.json');
    await client.open(broken, BROKEN);
    const syntax = await client.diagnosticsOf(broken, (d) => codes(d.diagnostics).includes('syntax-error'));
    assert.ok(syntax.diagnostics.length > 0);

    const huge = ws.uri('.mirrord/huge.mirrord.json');
    await client.open(huge, `{"target": "deployment/api", "feature": {"network": {"incoming": "steal"}}, "x": "${'a'.repeat(17 * 1024 * 1024)}"}`);
    const large = await client.diagnosticsOf(huge, (d) => codes(d.diagnostics).includes('config-too-large'));
    const message = large.diagnostics[0].message;
    assert.match(typeof message === 'string' ? message : message.value, /not analysed/);
    // Not analysed, so not fixed either: a fix-all resolved for it (a stale action, another client) edits nothing.
    const fixAllHuge = await client.resolve({
      title: 'Fix all',
      kind: 'source.fixAll.probeGuard',
      data: { uri: huge, version: client.version(huge), fixAll: true },
    });
    assert.equal(fixAllHuge.edit, undefined, 'no fix-all edit for a config over the size limit');

    const risky = ws.uri('.mirrord/risky.mirrord.json');
    await client.open(risky, RISKY);
    const offline = await client.statusOf(risky, (s) => s.lookup === 'failed');
    assert.match(offline.lookupText, /Offline/);
    const published = await client.diagnosticsOf(risky, (d) => codes(d.diagnostics).includes('steal-without-filter'));
    assert.ok(published.diagnostics.length > 0, 'static findings without the cluster');

    await assert.rejects(client.request('probeGuard/probeReport', { nonsense: true }));
    await assert.rejects(client.request('probeGuard/probeReport', { textDocument: { uri: 'file:///not/open/mirrord.json' } }));
    assert.deepEqual(
      await client.codeActions('file:///not/open.json', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }),
      [],
    );
    await client.notifyServer('probeGuard/didChangeTrust', 'garbage');
    await client.notifyServer('probeGuard/didChangeSessionEnv', null);
    // Still answering.
    const line = RISKY.split('\n').findIndex((l) => l.includes('deployment/api'));
    assert.match(hoverText(await client.hover(risky, { line, character: 15 })), /Probe Guard/);
    assert.equal(client.child.exitCode, null, 'the server is alive');
  });

  test('a document that is not a mirrord config is left alone', async () => {
    const ws = workspace('other');
    const client = await start(ws);
    const uri = ws.uri('package.json');
    await client.open(uri, '{"name": "x"}');
    const risky = ws.uri('mirrord.json');
    await client.open(risky, RISKY);
    await client.diagnosticsOf(risky);
    assert.equal(client.diagnostics.has(uri), false);
    assert.equal(await client.hover(uri, { line: 0, character: 2 }), null);
  });
});
