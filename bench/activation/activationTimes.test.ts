/**
 * Runs inside code-server's extension host (bench/activationRealBench.ts starts it): Probe Guard's
 * activation as the extension host itself timed it. The extension host marks, for every extension
 * it activates, `code/extHost/willLoadExtensionCode/ID` and `didLoadExtensionCode` around the
 * require of its main module, then `willActivateExtension` and `didActivateExtension` around
 * `activate()` and the promise it returns. These are the marks it sends to the workbench for
 * "Developer: Startup Performance"; it keeps them in `globalThis.MonacoPerformanceMarks` (the
 * extension host's performance module, millisecond resolution). Between the two pairs the host
 * waits for the extension context it builds in parallel (storage, secrets), which is its own work.
 * Results go to $PROBE_GUARD_BENCH_OUT as JSON.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const ID = 'probe-guard.mirrord-probe-guard';

interface PerformanceMark {
  name: string;
  startTime: number;
}

function extensionHostMarks(): PerformanceMark[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): PerformanceMark[] } }).MonacoPerformanceMarks;
  assert.ok(perf, "the extension host's performance marks (globalThis.MonacoPerformanceMarks) are not there");
  return perf.getMarks();
}

suite('bench: activation in the extension host', () => {
  test("Probe Guard's activation, from the extension host's own marks", async () => {
    const out = process.env.PROBE_GUARD_BENCH_OUT;
    assert.ok(out, 'PROBE_GUARD_BENCH_OUT is not set');
    const extension = vscode.extensions.getExtension(ID);
    assert.ok(extension, `${ID} is not installed`);
    // Activated at start-up by workspaceContains (the workspace has mirrord configs); activate()
    // returns the same activation when it is still under way.
    await extension.activate();
    const marks = extensionHostMarks();
    const at = (step: string): number => {
      const mark = marks.find((m) => m.name === `code/extHost/${step}/${ID}`);
      assert.ok(mark, `no ${step} mark for ${ID}`);
      return mark.startTime;
    };
    const willLoad = at('willLoadExtensionCode');
    const didLoad = at('didLoadExtensionCode');
    const willActivate = at('willActivateExtension');
    const didActivate = at('didActivateExtension');
    assert.ok(willLoad <= didLoad && didLoad <= willActivate && willActivate <= didActivate, 'the marks are out of order');
    fs.writeFileSync(
      out,
      JSON.stringify({
        code_loading_ms: didLoad - willLoad,
        activate_ms: didActivate - willActivate,
        host_total_ms: didActivate - willLoad,
        server_started: (extension.exports as { serverStarted(): boolean }).serverStarted(),
      }),
    );
  });
});
