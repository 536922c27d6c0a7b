import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { KubeFault } from '../../support/kubeApiServer';
import { kubeconfigDoc, clusterFor, writeKubeconfig } from '../../support/kubeconfigs';
import { codes, openConfig, probeGuard, waitForDiagnostics, waitForState } from '../suite/support/harness';
import { assertNoErrors, assertNoSecrets, config, reliabilityCluster, reportTally, SECRET_TOKEN, tally, useReliabilitySettings, waitForLog } from './support';

/**
 * Failing clusters with a risky config open: every failure class of the fake API server (and a
 * kubeconfig edited to garbage). For each, the diagnostics fall back to the static ones, the status
 * says what failed, nothing throws or rejects unhandled, no credential shows, and the editor
 * recovers ON ITS OWN once the server is back (automatic retry; nothing is clicked).
 */
const RISKY = '.mirrord/a-risky.mirrord.json';
const STOLEN = ['liveness-probe-stolen', 'readiness-probe-stolen'];
const RECOVERY_TIMEOUT_MS = 45_000;

interface FaultCase {
  name: string;
  fault: KubeFault;
  kinds: string[];
  /** What the status line must say. */
  text: RegExp;
}

const CASES: FaultCase[] = [
  { name: 'unreachable (listener closed)', fault: 'unavailable', kinds: ['unreachable'], text: /^Offline: Cannot reach .*connection refused/ },
  { name: '401', fault: { status: 401 }, kinds: ['unauthorized'], text: /^Failed: .*rejected .*\(401\)/ },
  {
    name: '403',
    fault: {
      status: 403,
      message: 'deployments.apps "api" is forbidden: User "marker-user" cannot get resource "deployments" in API group "apps" in the namespace "shop"',
    },
    kinds: ['forbidden'],
    text: /^Failed: .*may not get deployments.*403/,
  },
  { name: '404', fault: { status: 404 }, kinds: ['not-found'], text: /^Failed: .*not found in namespace "shop"/ },
  { name: '500', fault: { status: 500, message: 'etcdserver: request timed out' }, kinds: ['server-error'], text: /^Failed: .*failed with 500/ },
  { name: 'hang (no answer, 1 s timeout)', fault: 'hang', kinds: ['timeout'], text: /^Offline: No answer .* within 1000 ms/ },
  { name: 'connection dropped mid-response', fault: 'drop', kinds: ['unreachable', 'server-error'], text: /dropped|unusable|reset|closed/ },
];

suite('reliability: failing clusters in the editor', () => {
  suiteSetup(async () => {
    const cluster = await reliabilityCluster();
    await useReliabilitySettings(cluster);
    const api = await probeGuard();
    const document = await openConfig(RISKY);
    await waitForDiagnostics(document.uri, 'resolved from the cluster first', (d) => STOLEN.every((c) => codes(d).includes(c)));
    await api.whenIdle();
  });

  suiteTeardown(async () => {
    const cluster = await reliabilityCluster();
    await cluster.api.setFault(undefined);
    reportTally('clusterFaults');
  });

  test('a successful lookup leaks no credential', async () => {
    const api = await probeGuard();
    const document = await openConfig(RISKY);
    await waitForState(api, 'resolved', async () => (await api.stateFor(document.uri))?.status.kind === 'resolved');
    await waitForLog(api, 'resolved line', /Resolved deployment\/api/);
    await assertNoSecrets(api, document, [SECRET_TOKEN], 'after a successful lookup');
  });

  for (const c of CASES) {
    test(`${c.name}: static fallback, status says why, no leak, recovers without user action`, async () => {
      const api = await probeGuard();
      const cluster = await reliabilityCluster();
      const document = await openConfig(RISKY);
      await waitForDiagnostics(document.uri, 'resolved before the fault', (d) => STOLEN.every((x) => codes(d).includes(x)));

      await cluster.api.setFault(c.fault);
      tally.faultsInjected += 1;
      // The user asks again (or the file is reopened): the failure shows.
      await vscode.commands.executeCommand('probeGuard.refreshTarget');
      const failure = await waitForState(api, `a ${c.kinds.join('/')} failure`, async () => {
        const status = (await api.stateFor(document.uri))?.status;
        return status?.kind === 'failed' ? status.failure : undefined;
      });
      assert.ok(c.kinds.includes(failure.kind), `failure kind ${failure.kind}: ${failure.message}`);

      const diagnostics = await waitForDiagnostics(
        document.uri,
        'static fallback',
        (d) => codes(d).includes('steal-without-filter') && !codes(d).some((x) => STOLEN.includes(x)),
      );
      assert.ok(codes(diagnostics).includes('target-unresolved'), `no target-unresolved: ${codes(diagnostics).join(',')}`);
      tally.staticFallbacks += 1;

      const status = api.statusFor(document.uri)!;
      assert.equal(status.lookup, 'failed');
      assert.match(status.lookupText, c.text);
      assert.equal(status.severity, vscode.LanguageStatusSeverity.Warning);
      tally.statusExplained += 1;

      await waitForLog(api, 'the failure', new RegExp(`failed \\(${failure.kind}\\)`));
      await assertNoSecrets(api, document, [SECRET_TOKEN], `during ${c.name}`);

      // The server comes back. From here on nothing is clicked, typed or reopened.
      await cluster.api.setFault(undefined);
      await waitForDiagnostics(document.uri, `recovered on its own after ${c.name}`, (d) => STOLEN.every((x) => codes(d).includes(x)), RECOVERY_TIMEOUT_MS);
      // The status is its own notification: wait for it rather than assume it came with the diagnostics.
      const recovered = await waitForState(api, `status resolved after ${c.name}`, () => {
        const snapshot = api.statusFor(document.uri);
        return snapshot?.lookup === 'resolved' ? snapshot : undefined;
      });
      assert.equal(recovered.lookup, 'resolved', recovered.lookupText);
      tally.recoveredWithoutUserAction += 1;
      tally.outcomes.push(`${c.name}: ${failure.kind} -> static fallback -> "${status.lookupText.slice(0, 90)}" -> recovered`);
      assertNoErrors(api, c.name);
    });
  }

  test('a kubeconfig edited to garbage (token line included) and back', async () => {
    const api = await probeGuard();
    const cluster = await reliabilityCluster();
    const document = await openConfig(RISKY);
    await waitForDiagnostics(document.uri, 'resolved before the edit', (d) => STOLEN.every((x) => codes(d).includes(x)));
    const original = fs.readFileSync(cluster.kubeconfig, 'utf8');
    assert.ok(original.includes(SECRET_TOKEN));
    // A half-finished edit right on the credential's line: a parser error quoting it must not leak it.
    const garbage = original.replace(`token: ${SECRET_TOKEN}`, `token: ${SECRET_TOKEN} {{{ ] : : "\n\t\u0000 - : [`);
    fs.writeFileSync(cluster.kubeconfig, garbage);
    tally.faultsInjected += 1;
    let failureKind: string;
    try {
      const failure = await waitForState(api, 'bad-kubeconfig after the edit', async () => {
        const status = (await api.stateFor(document.uri))?.status;
        return status?.kind === 'failed' && status.failure.kind === 'bad-kubeconfig' ? status.failure : undefined;
      });
      failureKind = failure.kind;
      await waitForDiagnostics(document.uri, 'static fallback', (d) => codes(d).includes('steal-without-filter') && !codes(d).some((x) => STOLEN.includes(x)));
      tally.staticFallbacks += 1;
      const status = api.statusFor(document.uri)!;
      assert.match(status.lookupText, /^Failed: .*kubeconfig/i);
      tally.statusExplained += 1;
      await waitForLog(api, 'the failure', /failed \(bad-kubeconfig\)/);
      await assertNoSecrets(api, document, [SECRET_TOKEN], 'garbage kubeconfig');
    } finally {
      fs.writeFileSync(cluster.kubeconfig, original);
    }
    await waitForDiagnostics(document.uri, 'recovered after the kubeconfig was fixed', (d) => STOLEN.every((x) => codes(d).includes(x)), RECOVERY_TIMEOUT_MS);
    tally.recoveredWithoutUserAction += 1;
    tally.outcomes.push(`garbage kubeconfig: ${failureKind} -> static fallback -> recovered on the file change`);
    assertNoErrors(api, 'garbage kubeconfig');
  });

  test('client-certificate user: success and 401 leak no key material', async () => {
    const api = await probeGuard();
    const cluster = await reliabilityCluster();
    const document = await openConfig(RISKY);
    await config().update('kubeconfig', cluster.certKubeconfig, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForState(api, 'resolved as bob', async () => {
        const state = await api.stateFor(document.uri);
        return state?.status.kind === 'resolved' && state.info?.user === 'bob';
      });
      await waitForDiagnostics(document.uri, 'resolved', (d) => STOLEN.every((x) => codes(d).includes(x)));
      await assertNoSecrets(api, document, cluster.keyMarkers, 'client certificate, success');
      await cluster.api.setFault({ status: 401 });
      tally.faultsInjected += 1;
      await vscode.commands.executeCommand('probeGuard.refreshTarget');
      await waitForState(api, 'unauthorized', async () => {
        const status = (await api.stateFor(document.uri))?.status;
        return status?.kind === 'failed' && status.failure.kind === 'unauthorized';
      });
      tally.staticFallbacks += 1;
      await waitForLog(api, 'the failure', /failed \(unauthorized\)/);
      await assertNoSecrets(api, document, cluster.keyMarkers, 'client certificate, 401');
      await cluster.api.setFault(undefined);
      await waitForDiagnostics(document.uri, 'recovered', (d) => STOLEN.every((x) => codes(d).includes(x)), RECOVERY_TIMEOUT_MS);
      tally.recoveredWithoutUserAction += 1;
      tally.outcomes.push('client-cert user 401: unauthorized -> static fallback -> recovered');
    } finally {
      await cluster.api.setFault(undefined);
      await config().update('kubeconfig', cluster.kubeconfig, vscode.ConfigurationTarget.Workspace);
    }
    assertNoErrors(api, 'client certificate');
  });

  test('a client key that is not a key (marker inside) fails without leaking it', async () => {
    const api = await probeGuard();
    const cluster = await reliabilityCluster();
    const marker = `PGSECRETKEY${SECRET_TOKEN.slice(-12)}`;
    const badKey = `-----BEGIN PRIVATE KEY-----\n${marker}${'A'.repeat(40)}\n-----END PRIVATE KEY-----\n`;
    const file = writeKubeconfig(
      cluster.dir,
      'bad-key-config',
      kubeconfigDoc([
        {
          name: 'reliability-bad-key',
          cluster: clusterFor(cluster.api),
          user: {
            'client-certificate-data': Buffer.from(cluster.api.certUser.certPem).toString('base64'),
            'client-key-data': Buffer.from(badKey).toString('base64'),
          },
          userName: 'bob',
        },
      ]),
    );
    const document = await openConfig(RISKY);
    await config().update('kubeconfig', file, vscode.ConfigurationTarget.Workspace);
    tally.faultsInjected += 1;
    try {
      const failure = await waitForState(api, 'a failure with the bad key', async () => {
        const state = await api.stateFor(document.uri);
        return state?.status.kind === 'failed' && state.info?.context === 'reliability-bad-key' ? state.status.failure : undefined;
      });
      await waitForDiagnostics(document.uri, 'static fallback', (d) => codes(d).includes('steal-without-filter') && !codes(d).some((x) => STOLEN.includes(x)));
      tally.staticFallbacks += 1;
      await waitForLog(api, 'the failure', new RegExp(`failed \\(${failure.kind}\\)`));
      await assertNoSecrets(api, document, [marker, Buffer.from(badKey).toString('base64').slice(40, 90)], 'bad client key');
      tally.outcomes.push(`client key that is not a key: ${failure.kind} -> static fallback, marker not shown`);
    } finally {
      await config().update('kubeconfig', cluster.kubeconfig, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(document.uri, 'back on the token kubeconfig', (d) => STOLEN.every((x) => codes(d).includes(x)));
    assertNoErrors(api, 'bad client key');
  });
});
