// UI scenario: the check before F5 and the breakpoint countdown, in code-server with its built-in
// JavaScript debugger running the demo's local app (src/server.js; no real mirrord runs: the
// launch configurations only name the demo configs in MIRRORD_CONFIG_FILE). In order, sharing
// one workbench: breakpoint on the heartbeat -> F5 on the risky configuration -> the modal names
// the probes -> Start anyway -> the breakpoint hits: the countdown, the warning, what the demo
// cluster says -> continue: gone -> F5 again -> Add kube-probe filter and start: the file is
// fixed on disk and the session runs -> the safe configuration starts without a question.
// The countdown runs on a faster clock through the test-only setting probeGuard.debug.testTimeScale.
import * as assert from 'node:assert/strict';
import { startDemoCluster, type DemoCluster } from '../support/demoCluster';
import { Workbench } from './uiTest';

const RISKY = '.mirrord/risky.mirrord.json';
const PROGRAM = 'src/server.js';
/** 21 s of safe hold time in about 4 s. */
const TIME_SCALE = 5;

suite('UI: the check before F5 and the breakpoint countdown', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let cluster: DemoCluster;

  const dialog = () => wb.page.locator('.monaco-dialog-box').first();
  const countdown = (text: string | RegExp) => wb.page.locator('.statusbar-item').filter({ hasText: text }).first();
  const debugToolbar = () => wb.page.locator('.debug-toolbar').first();

  async function stopSession(): Promise<void> {
    await wb.page.keyboard.press('Shift+F5');
    await debugToolbar().waitFor({ state: 'hidden' });
  }

  suiteSetup(async () => {
    cluster = await startDemoCluster();
    wb = await Workbench.open({
      workspace: 'demo/workspace',
      env: { KUBECONFIG: cluster.kubeconfig },
      settings: { 'probeGuard.debug.testTimeScale': TIME_SCALE, 'debug.openDebug': 'neverOpen', 'debug.internalConsoleOptions': 'neverOpen' },
    });
  });

  suiteTeardown(async () => {
    await wb?.close();
    await cluster?.close();
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed') await wb?.reportFailure(this.currentTest.fullTitle());
  });

  test('a breakpoint on the local app heartbeat', async () => {
    await wb.openFile(PROGRAM);
    const line = wb
      .readFile(PROGRAM)
      .split('\n')
      .findIndex((l) => l.includes('beats += 1'));
    assert.ok(line >= 0);
    // F9 is refused silently while the JavaScript debugger's breakpoint contribution is not yet
    // registered (a loaded machine, a slow extension scan): without a glyph nothing was set, so
    // pressing it again cannot remove one.
    const glyph = wb.page.locator('.monaco-editor .codicon-debug-breakpoint').first();
    for (let attempt = 1; ; attempt++) {
      await wb.goToLine(line + 1);
      await wb.page.keyboard.press('F9');
      try {
        await glyph.waitFor({ state: 'attached', timeout: 15_000 });
        break;
      } catch (e) {
        if (attempt === 4) throw e;
        process.stderr.write(`[ui] no breakpoint glyph after F9 (attempt ${attempt}); trying again\n`);
      }
    }
  });

  test('F5 on the risky configuration asks first, naming the probes', async () => {
    await wb.page.keyboard.press('F5');
    await dialog().waitFor({ state: 'visible' });
    const text = (await dialog().innerText()).replace(/\u00a0/g, ' ');
    for (const expected of ['risky.mirrord.json', 'liveness probe (checkout :8080/healthz)', 'readiness probe (checkout :8080/ready)', 'deployment/checkout']) {
      assert.ok(text.includes(expected), `the prompt lacks "${expected}":\n${text}`);
    }
    for (const button of ['Add kube-probe filter and start', 'Start anyway', "Don't ask again for this config", 'Cancel']) {
      assert.ok(text.includes(button), `no "${button}" button:\n${text}`);
    }
    await wb.screenshot('debug-prompt');
  });

  test('Start anyway: at the breakpoint the countdown runs, then warns, then says what the cluster saw', async () => {
    await dialog().locator('.monaco-button', { hasText: 'Start anyway' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await debugToolbar().waitFor({ state: 'visible' });
    // The demo's readiness probe (period 5 s) acts first, then liveness: its countdown follows.
    await countdown(/checkout: liveness restarts the pod in \d+ s/).waitFor({ state: 'visible' });
    await wb.screenshot('breakpoint-countdown');
    await countdown('the kubelet has probably restarted container checkout').waitFor({ state: 'visible' });
    // After the window the demo cluster's restart count is read: its pods do not really restart.
    await countdown('container checkout was not restarted').waitFor({ state: 'visible' });
  });

  test('continue: the countdown is gone', async () => {
    await wb.page.keyboard.press('F9'); // the cursor is still on the breakpoint's line: remove it
    await wb.page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ state: 'detached' });
    await wb.page.keyboard.press('F5');
    await wb.page
      .locator('.statusbar-item')
      .filter({ hasText: /checkout: |container checkout|restarted container/ })
      .first()
      .waitFor({ state: 'detached' });
    await stopSession();
  });

  test('F5 again, Add kube-probe filter and start: the config is fixed on disk and the session runs', async () => {
    await wb.page.keyboard.press('F5');
    await dialog().waitFor({ state: 'visible' });
    await dialog().locator('.monaco-button', { hasText: 'Add kube-probe filter and start' }).click();
    const fixed = await wb.waitForFileOnDisk(RISKY, (t) => t.includes('kube-probe'));
    assert.equal(JSON.parse(fixed).feature.network.incoming.http_filter.header_filter, '^User-Agent: (?!kube-probe)');
    await debugToolbar().waitFor({ state: 'visible' });
    assert.equal(await dialog().isVisible(), false, 'no second question: the fixed config is safe');
    await stopSession();
  });

  test('the safe configuration starts without a question', async () => {
    await wb.page.keyboard.press('F1');
    await wb.page.keyboard.type('Debug: Select and Start Debugging');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Select and Start Debugging' }).first().waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'checkout (mirrord, safe)' }).first();
    await row.waitFor({ state: 'visible' });
    await wb.page.keyboard.type('checkout (mirrord, safe)');
    await wb.page.keyboard.press('Enter');
    await debugToolbar().waitFor({ state: 'visible' });
    assert.equal(await dialog().isVisible(), false);
    await stopSession();
  });
});
