// UI scenario on the demo workspace, in order (the tests share one workbench):
// open the risky config -> warning squiggle -> hover the target shows the probe table ->
// quick fix "Add kube-probe filter" chosen by keyboard -> save -> squiggle gone, file on disk fixed.
// Run: npm run test:ui   (PROBE_GUARD_SCREENSHOTS=1 refreshes images/screenshots/)
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { startDemoCluster, type DemoCluster } from '../support/demoCluster';
import { Workbench, normalize } from './uiTest';

const RISKY = '.mirrord/risky.mirrord.json';
const SAFE_FILTER = '^User-Agent: (?!kube-probe)';

suite('UI: risky mirrord config in the demo workspace', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let squiggle: Locator;
  let original: string;
  let cluster: DemoCluster;

  suiteSetup(async () => {
    // What `npm start` runs: the demo cluster behind KUBECONFIG, the demo workspace.
    cluster = await startDemoCluster();
    wb = await Workbench.open({ workspace: 'demo/workspace', env: { KUBECONFIG: cluster.kubeconfig } });
    original = wb.readFile(RISKY);
  });

  suiteTeardown(async () => {
    await wb?.close();
    await cluster?.close();
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed') await wb?.reportFailure(this.currentTest.fullTitle());
  });

  test('opens from the explorer and shows the file text', async () => {
    await wb.openFile(RISKY);
    const onDisk = normalize(original).replace(/\r\n/g, '\n').replace(/\n+$/, '');
    await wb.waitForEditorText(
      onDisk
        .split('\n')
        .find((l) => l.trim() !== '')!
        .trimEnd(),
    );
    assert.deepEqual(
      (await wb.editorText())
        .replace(/\n+$/, '')
        .split('\n')
        .map((l) => l.trimEnd()),
      onDisk.split('\n').map((l) => l.trimEnd()),
    );
  });

  test('steal without a filter is squiggled as a warning', async () => {
    squiggle = await wb.waitForSquiggle('warning');
    assert.match(await wb.problemsStatus(), /Warnings: [1-9]/);
  });

  test('hovering the target shows the probe table', async () => {
    const hover = await wb.hoverUntil(wb.editorToken('deployment/checkout'), /liveness[\s\S]*\/healthz/);
    // From the demo cluster: its context, and the probe table of deployment/checkout.
    for (const expected of ['demo', 'shop', 'liveness', 'readiness', '/healthz', '/ready', '8080', 'stolen']) {
      assert.ok(hover.includes(expected), `hover lacks "${expected}":\n${hover}`);
    }
    await wb.screenshot('hover'); // README.md shows images/screenshots/hover.png
    await wb.dismissWidgets();
  });

  test('"Add kube-probe filter" is chosen by keyboard and saved', async () => {
    const offered = await wb.quickFix('Add kube-probe filter', squiggle);
    assert.ok(offered.length >= 1);
    await wb.waitForEditorText(SAFE_FILTER);
    await wb.save();
    await wb.waitForNoSquiggle('any');
    await wb.screenshot('after-quick-fix');
  });

  test('the file on disk has the filter and nothing else changed', async () => {
    const text = await wb.waitForFileOnDisk(RISKY, (t) => t.includes('kube-probe'));
    const fixed = JSON.parse(text);
    const before = JSON.parse(original);
    assert.deepEqual(fixed.feature.network.incoming, { mode: 'steal', http_filter: { header_filter: SAFE_FILTER } });
    before.feature.network.incoming = fixed.feature.network.incoming;
    assert.deepEqual(fixed, before);
    // Formatting kept: same indentation style as the original.
    assert.match(text, /^\{\n {2}"target": \{\n {4}"path"/);
  });
});
