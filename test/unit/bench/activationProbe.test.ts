/**
 * The activation benchmark runs the production dist/extension.js against a stub `vscode`
 * (bench/vscodeStub.ts). A new `vscode.X` used at activation that the stub lacks made the whole
 * `npm run bench` fail (StatusBarAlignment, with the breakpoint countdown), so this test builds the
 * extension bundle and runs the probe once: activation must succeed and load neither client-node, the
 * language client nor the lazily loaded features (dist/clientFeatures.js). No timing is asserted.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..', '..', '..', '..');

test('the activation probe activates the production extension bundle with the stub vscode', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'probe-guard-activation-probe-'));
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--only', 'extension,clientFeatures', '--outdir', outdir], {
      cwd: root,
    });
    const line = execFileSync(process.execPath, [join(root, 'out', 'bench', 'activationProbe.js'), join(outdir, 'extension.js')], {
      cwd: root,
      encoding: 'utf8',
    });
    const result = JSON.parse(line) as { kubeLoaded: boolean; clientLoaded: boolean; featuresLoaded: boolean; modules: number };
    assert.equal(result.kubeLoaded, false, 'activation loaded client-node or dist/kube.js');
    assert.equal(result.clientLoaded, false, 'activation loaded the language client or the server');
    assert.equal(result.featuresLoaded, false, 'activation loaded dist/clientFeatures.js (commands, debug guard, countdown, CodeLens)');
    assert.ok(existsSync(join(outdir, 'clientFeatures.js')), 'the features bundle was not built');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
