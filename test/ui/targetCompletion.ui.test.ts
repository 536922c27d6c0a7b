// UI: target completion in code-server against the demo cluster. In the risky demo config, the
// target's name is replaced by "se", suggestions are asked for, the demo cluster's deployment
// "search" is offered with its kind, ready replicas and verdict, and picked with the keyboard.
// Run: npm run test:ui
import * as assert from 'node:assert/strict';
import { startDemoCluster, type DemoCluster } from '../support/demoCluster';
import { normalize, Workbench } from './uiTest';

const RISKY = '.mirrord/risky.mirrord.json';

suite('UI: target completion', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let cluster: DemoCluster;

  suiteSetup(async () => {
    cluster = await startDemoCluster();
    wb = await Workbench.open({ workspace: 'demo/workspace', env: { KUBECONFIG: cluster.kubeconfig } });
  });

  suiteTeardown(async () => {
    await wb?.close();
    await cluster?.close();
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed') await wb?.reportFailure(this.currentTest.fullTitle());
  });

  test('typing a target name offers the cluster deployments; Enter picks one', async () => {
    await wb.openFile(RISKY);
    // The config is analysed (its squiggle is up): the language server is running.
    await wb.waitForSquiggle('warning');
    const token = wb.editorToken('deployment/checkout');
    const box = await token.boundingBox();
    assert.ok(box, 'the target is visible');
    // A double click on "checkout" selects that word ("/" separates words); typing replaces it.
    await wb.page.mouse.dblclick(box.x + box.width * 0.8, box.y + box.height / 2);
    await wb.page.keyboard.type('se');
    await wb.waitForEditorText('"deployment/se"');
    await wb.page.keyboard.press('Control+Space');
    const rows = wb.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    const search = rows.filter({ hasText: 'search' }).first();
    await search.waitFor({ state: 'visible' });
    const offered = (await rows.allInnerTexts()).map((t) => normalize(t).replace(/\s+/g, ' ').trim());
    const at = offered.findIndex((t) => t.startsWith('search'));
    assert.ok(at >= 0, `offered: ${offered.join(' | ')}`);
    const focused = await rows.evaluateAll((els) => els.findIndex((e) => e.classList.contains('focused')));
    for (let i = Math.max(0, focused); i < at; i++) await wb.page.keyboard.press('ArrowDown');
    const details = wb.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row.focused');
    await details.filter({ hasText: 'search' }).waitFor({ state: 'visible' });
    // Control+Space again opens the focused item's details: its detail line (kind, verdict).
    await wb.page.keyboard.press('Control+Space');
    await wb.page.locator('.suggest-details').filter({ hasText: 'Deployment' }).first().waitFor({ state: 'visible' });
    await wb.screenshot('target-completion');
    await wb.page.keyboard.press('Enter');
    await wb.waitForEditorText('"deployment/search"');
    assert.ok(!(await wb.editorText()).includes('deployment/sesearch'), 'the typed part was replaced');
  });
});
