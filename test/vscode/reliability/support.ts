/**
 * Shared by the reliability suites (one extension host per suite run): an error recorder installed
 * when this module loads, the fake API server with a kubeconfig whose credentials are distinctive
 * marker strings, readers for everything a user can see (log channel file, hovers, probe report,
 * diagnostics, status), and a tally of what was injected and what came out, printed at the end.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProbeGuardApi } from '../../../src/client/extension';
import type { KubeObject } from '../../../src/core/types';
import { startKubeApiServer, type FakeKubeApi } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tempDir, writeKubeconfig } from '../../support/kubeconfigs';
import { CLUSTER_OBJECTS } from '../suite/support/clusterObjects';
import { ourDiagnostics } from '../suite/support/harness';
import { waitFor } from '../support/waitFor';

// ---- unhandled rejections / uncaught exceptions in the extension host --------------------------

export const hostErrors: string[] = [];
process.on('unhandledRejection', (reason) => {
  hostErrors.push(`unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
process.on('uncaughtException', (error) => {
  hostErrors.push(`uncaughtException: ${error.stack ?? error.message}`);
});

/** Only errors that come from Probe Guard's code or the cluster layer (the host runs other extensions). */
export function ourHostErrors(): string[] {
  return hostErrors.filter((e) => /probe-guard|probeGuard|dist[\\/](extension|kube)\.js|kubernetes|client-node|ECONN|EPIPE|socket/i.test(e));
}

// ---- tally for RESULTS.md ----------------------------------------------------------------------

export const tally = {
  faultsInjected: 0,
  staticFallbacks: 0,
  statusExplained: 0,
  recoveredWithoutUserAction: 0,
  secretChecks: 0,
  secretLeaks: 0,
  hostileRegexRuns: 0,
  pingRoundTrips: 0,
  maxPingMs: 0,
  staleFixesRecomputed: 0,
  staleFixesRefused: 0,
  dirtyFixesKeptEdits: 0,
  outcomes: [] as string[],
};

export function reportTally(suite: string): void {
  console.log(`RELIABILITY-TALLY ${suite} ${JSON.stringify({ ...tally, hostErrors: hostErrors.length, ourHostErrors: ourHostErrors().length })}`);
}

// ---- the fake cluster with marker credentials --------------------------------------------------

/** Distinctive values that must never show up anywhere a user can read. */
export const SECRET_TOKEN = `pgsecret-token-${randomBytes(10).toString('hex')}`;

/** A probe header made to send `^(a+)+$` into catastrophic backtracking (name and value are 60 `a`s). */
export const HOSTILE_HEADER = 'a'.repeat(60);

function deploymentWithPod(name: string, headers: Array<{ name: string; value: string }>): KubeObject[] {
  const podSpec = {
    containers: [
      {
        name: 'app',
        image: 'example/api:1.0',
        ports: [{ name: 'http', containerPort: 8080 }],
        livenessProbe: { httpGet: { path: '/healthz', port: 8080, httpHeaders: headers }, periodSeconds: 10, failureThreshold: 3 },
        readinessProbe: { httpGet: { path: '/ready', port: 8080, httpHeaders: headers } },
      },
    ],
  };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'shop', labels: { app: name } },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${name}-5f7d8-abcde`, namespace: 'shop', labels: { app: name } },
      spec: podSpec,
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0 }] },
    },
  ];
}

export const HOSTILE_OBJECTS: KubeObject[] = [
  // The header line tried by the filter is "aaa…a: aaa…a": `^(a+)+$` backtracks over the 60 `a`s.
  ...deploymentWithPod('hostile', [{ name: HOSTILE_HEADER, value: HOSTILE_HEADER }]),
  // The brief's literal case: value of 60 `a`s under an ordinary name ("x-pad: aaa…a").
  ...deploymentWithPod('padded', [{ name: 'X-Pad', value: HOSTILE_HEADER }]),
];

export interface ReliabilityCluster {
  api: FakeKubeApi;
  dir: string;
  /** Token user with SECRET_TOKEN. */
  kubeconfig: string;
  /** Client-certificate user (key as client-key-data). */
  certKubeconfig: string;
  /** Distinctive slices of the client key (PEM body and its base64 form). */
  keyMarkers: string[];
}

let started: Promise<ReliabilityCluster> | undefined;

export function reliabilityCluster(): Promise<ReliabilityCluster> {
  started ??= (async () => {
    const api = await startKubeApiServer({ tls: true, objects: [...CLUSTER_OBJECTS, ...HOSTILE_OBJECTS] });
    api.addTokenUser('marker-user', SECRET_TOKEN);
    const dir = tempDir('probe-guard-reliability-');
    const kubeconfig = writeKubeconfig(
      dir,
      'config',
      kubeconfigDoc([{ name: 'reliability', cluster: clusterFor(api), user: { token: SECRET_TOKEN }, userName: 'marker-user' }]),
    );
    const keyData = Buffer.from(api.certUser.keyPem).toString('base64');
    const certKubeconfig = writeKubeconfig(
      dir,
      'cert-config',
      kubeconfigDoc([
        {
          name: 'reliability-cert',
          cluster: clusterFor(api),
          user: { 'client-certificate-data': Buffer.from(api.certUser.certPem).toString('base64'), 'client-key-data': keyData },
          userName: 'bob',
        },
      ]),
    );
    const pemBody = api.certUser.keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const keyMarkers = [pemBody[1] ?? pemBody[0], keyData.slice(100, 160)];
    return { api, dir, kubeconfig, certKubeconfig, keyMarkers };
  })();
  return started;
}

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('probeGuard');
}

/** Settings of the trusted reliability suite: our kubeconfig, no manifests (failures fall back to static), short timeout and TTL. */
export async function useReliabilitySettings(cluster: ReliabilityCluster): Promise<void> {
  const target = vscode.ConfigurationTarget.Workspace;
  await config().update('kubeconfig', cluster.kubeconfig, target);
  await config().update('manifests', [], target);
  await config().update('timeoutSeconds', 1, target);
  await config().update('cacheTtlSeconds', 1, target);
}

// ---- what a user can read -------------------------------------------------------------------------

/** The "Probe Guard" output channel's log file(s), next to the extension's log folder. */
export function logFiles(api: ProbeGuardApi): string[] {
  const root = path.dirname(api.logUri.fsPath);
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('Probe Guard.log')) found.push(p);
    }
  };
  walk(root, 0);
  return found;
}

export function logText(api: ProbeGuardApi): string {
  return logFiles(api)
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

/** Waits until the log file shows `pattern` (VS Code writes the channel to disk asynchronously). */
export function waitForLog(api: ProbeGuardApi, what: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return waitFor(
    `log line ${what} (${pattern}) in ${logFiles(api).join(', ') || 'no log file yet'}`,
    () => {
      const text = logText(api);
      return pattern.test(text) ? text : undefined;
    },
    { timeoutMs },
  );
}

export async function hoverText(document: vscode.TextDocument, needle: string): Promise<string> {
  const at = document.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${document.uri.path}`);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(at + 2))) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}

export async function probeReportText(document: vscode.TextDocument): Promise<string> {
  const report = await vscode.commands.executeCommand<vscode.TextDocument>('probeGuard.showProbeReport', document.uri);
  assert.ok(report, 'no probe report');
  const text = report.getText();
  // Close the untitled report without a save prompt, and go back to the config.
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.window.showTextDocument(document, { preview: false });
  return text;
}

/**
 * Every place a user can read: log file, hovers on target and incoming, probe report, diagnostics
 * and status texts. None may contain a marker. Returns the number of surfaces checked.
 */
export async function assertNoSecrets(api: ProbeGuardApi, document: vscode.TextDocument, markers: string[], label: string): Promise<number> {
  const surfaces: Array<[string, string]> = [
    ['log', logText(api)],
    ['hover on target', await hoverText(document, 'deployment/')],
    ['hover on incoming', await hoverText(document, 'incoming')],
    ['probe report', await probeReportText(document)],
    [
      'diagnostics',
      ourDiagnostics(document.uri)
        .map((d) => `${d.message}\n${(d.relatedInformation ?? []).map((r) => r.message).join('\n')}`)
        .join('\n'),
    ],
    ['status', JSON.stringify(api.statusFor(document.uri) ?? {})],
  ];
  for (const [where, text] of surfaces) {
    tally.secretChecks += 1;
    for (const marker of markers) {
      if (text.includes(marker)) {
        tally.secretLeaks += 1;
        assert.fail(
          `${label}: a credential marker appears in the ${where}: …${text.slice(Math.max(0, text.indexOf(marker) - 80), text.indexOf(marker) + 20)}…`,
        );
      }
    }
  }
  return surfaces.length;
}

/** No error-level line from our own log channel and no unhandled rejection/exception from us. */
export function assertNoErrors(api: ProbeGuardApi, label: string): void {
  assert.deepEqual(ourHostErrors(), [], `${label}: unhandled errors in the extension host`);
  const errors = logText(api)
    .split('\n')
    .filter((l) => /\[error\]|unexpectedly/i.test(l));
  assert.deepEqual(errors, [], `${label}: errors in the Probe Guard log`);
}

/** A round trip through the workbench (renderer) and back; resolves with its duration in ms. */
export async function ping(n: number): Promise<number> {
  const started = Date.now();
  await vscode.commands.executeCommand('setContext', 'probeGuardTest.ping', n);
  const ms = Date.now() - started;
  tally.pingRoundTrips += 1;
  tally.maxPingMs = Math.max(tally.maxPingMs, ms);
  return ms;
}
