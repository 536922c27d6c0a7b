// UI: the risky demo config in a real workbench. Run: npm run test:ui
import * as assert from 'node:assert/strict';
import { Workbench, normalize } from './uiTest';

const WORKSPACE = process.env.PROBE_GUARD_UI_WORKSPACE ?? 'demo/workspace';
const RISKY = '.mirrord/risky.mirrord.json';

suite('UI: risky mirrord config', function () {
  this.timeout(240_000);
  let wb: Workbench;

  suiteSetup(async () => {
    wb = await Workbench.open({ workspace: WORKSPACE });
  });

  suiteTeardown(async () => {
    await wb?.close();
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed') await wb?.reportFailure(this.currentTest.fullTitle());
  });

  test('opens from the explorer and shows the file text', async () => {
    await wb.openFile(RISKY);
    const onDisk = normalize(wb.readFile(RISKY)).replace(/\r\n/g, '\n').replace(/\n+$/, '');
    const firstLine = onDisk.split('\n').find((l) => l.trim() !== '')!;
    await wb.waitForEditorText(firstLine.trimEnd());
    const lines = onDisk.split('\n');
    if (lines.length <= 25) {
      // Small file: the whole of it is rendered; compare line by line (Monaco drops trailing spaces visually).
      assert.deepEqual(
        (await wb.editorText()).replace(/\n+$/, '').split('\n').map((l) => l.trimEnd()),
        lines.map((l) => l.trimEnd()),
      );
    }
  });
});
