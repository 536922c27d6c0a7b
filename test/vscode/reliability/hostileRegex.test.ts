import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codes, probeGuard, waitForDiagnostics, waitForState, workspaceUri } from '../suite/support/harness';
import { assertNoErrors, ping, reliabilityCluster, reportTally, tally, useReliabilitySettings } from './support';

/**
 * A hostile filter regex in the extension host: `^(a+)+$` against a probe header line of 60 `a`s
 * backtracks for longer than the age of the universe. The analysis must answer (the probe is
 * unknown, never safe), and the extension host must keep answering while and after it runs.
 */
function hostileConfig(target: string): string {
  return (
    JSON.stringify(
      {
        target: { path: `deployment/${target}`, namespace: 'shop' },
        feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: '^(a+)+$' } } } },
      },
      null,
      2,
    ) + '\n'
  );
}

async function openNew(relative: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceUri(relative);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, text);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

suite('reliability: hostile regex in the extension host', () => {
  suiteSetup(async () => {
    await useReliabilitySettings(await reliabilityCluster());
    await probeGuard();
  });

  suiteTeardown(() => reportTally('hostileRegex'));

  test('^(a+)+$ against "aaa…a: aaa…a" (60 a): probe-verdict-unknown, host stays responsive', async () => {
    const api = await probeGuard();
    // Pings run back to back for the whole time the lookup and the analysis run.
    let analysing = true;
    const latencies: number[] = [];
    const pinger = (async () => {
      let n = 0;
      while (analysing) latencies.push(await ping(n++));
    })();
    const started = Date.now();
    const document = await openNew('.mirrord/hostile.mirrord.json', hostileConfig('hostile'));
    try {
      const diagnostics = await waitForDiagnostics(document.uri, 'probe-verdict-unknown', (d) => codes(d).includes('probe-verdict-unknown'));
      tally.hostileRegexRuns += 1;
      const elapsed = Date.now() - started;
      assert.ok(!codes(diagnostics).includes('liveness-probe-stolen'), codes(diagnostics).join(','));
      const state = await waitForState(api, 'resolved analysis', async () => {
        const s = await api.stateFor(document.uri);
        return s?.status.kind === 'resolved' && s.analysis.probes.length > 0 ? s : undefined;
      });
      for (const probe of state.analysis.probes) {
        assert.equal(probe.verdict, 'unknown', `${probe.probe.probe}: ${probe.reason}`);
        assert.match(probe.reason, /too long/);
      }
      // And the host answers right after, too.
      latencies.push(await ping(-1));
      tally.outcomes.push(
        `hostile regex (^(a+)+$ vs 60 a): ${state.analysis.probes.length} probes unknown in ${elapsed} ms, ${latencies.length} pings, max ${Math.max(...latencies)} ms`,
      );
    } finally {
      analysing = false;
      await pinger;
    }
    assert.ok(latencies.length >= 2, `only ${latencies.length} round trips`);
    assert.ok(Math.max(...latencies) < 3000, `a command round trip took ${Math.max(...latencies)} ms`);
    assertNoErrors(api, 'hostile regex');
  });

  test('the same regex against "x-pad: aaa…a" fails at once: safe (no match), as mirrord would', async () => {
    const api = await probeGuard();
    const document = await openNew('.mirrord/padded.mirrord.json', hostileConfig('padded'));
    const state = await waitForState(api, 'resolved analysis', async () => {
      const s = await api.stateFor(document.uri);
      return s?.status.kind === 'resolved' && s.version === document.version && s.analysis.probes.length > 0 ? s : undefined;
    });
    tally.hostileRegexRuns += 1;
    for (const probe of state.analysis.probes) assert.equal(probe.verdict, 'safe', `${probe.probe.probe}: ${probe.reason}`);
    const ms = await ping(-2);
    assert.ok(ms < 3000);
    tally.outcomes.push(`^(a+)+$ vs "x-pad: " + 60 a: ${state.analysis.probes.map((p) => p.verdict).join('/')}`);
    assertNoErrors(api, 'padded');
  });
});
