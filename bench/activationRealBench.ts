/**
 * activation_real_ms: Probe Guard's activation in code-server, as the extension host times it
 * (bench/activation/activationTimes.test.ts reads its marks). One fresh code-server per sample, with
 * the production build as the extension under test, in the fixture workspace (its mirrord configs
 * activate the extension at start-up through workspaceContains, as they would for a user).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSuite } from '../test/vscode-runner/runExtensionTests';
import { median, round } from './stats';

export interface ActivationRealResult {
  /**
   * Median of code loading + activate, per run: what VS Code's Running Extensions view shows as an
   * extension's activation time (its codeLoadingTime + activateCallTime).
   */
  activation_real_ms: number;
  /** The require of dist/extension.js (the host's vscode API object for the extension included). */
  code_loading_ms: number;
  /** activate() and the promise it returns. */
  activate_ms: number;
  /** From the require to activate() resolved, with the host's wait for the extension context it builds in parallel. */
  host_total_ms: number;
  runs: number;
  samples: Sample[];
  /** The language server must not start during activation (it starts with the first config opened). */
  server_started_by_activation: boolean;
  extension_path: string;
}

interface Sample {
  code_loading_ms: number;
  activate_ms: number;
  host_total_ms: number;
  server_started: boolean;
}

export async function runActivationRealBench(
  extensionPath: string,
  log: (line: string) => void,
  runs = Number(process.env.PROBE_GUARD_ACTIVATION_RUNS ?? 5),
): Promise<ActivationRealResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-activation-bench-'));
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const out = path.join(dir, `activation-${i}.json`);
      const code = await runSuite({
        name: `bench-activation-${i + 1}`,
        workspace: 'test/fixtures/workspace',
        tests: 'out/bench/activation',
        trust: 'trusted',
        extensionPath,
        env: { PROBE_GUARD_BENCH_OUT: out },
        timeoutSeconds: 300,
      });
      if (code !== 0 || !fs.existsSync(out)) throw new Error(`the activation bench failed (exit ${code})`);
      samples.push(JSON.parse(fs.readFileSync(out, 'utf8')) as Sample);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const result: ActivationRealResult = {
    activation_real_ms: round(median(samples.map((s) => s.code_loading_ms + s.activate_ms)), 1),
    code_loading_ms: round(median(samples.map((s) => s.code_loading_ms)), 1),
    activate_ms: round(median(samples.map((s) => s.activate_ms)), 1),
    host_total_ms: round(median(samples.map((s) => s.host_total_ms)), 1),
    runs: samples.length,
    samples,
    server_started_by_activation: samples.some((s) => s.server_started),
    extension_path: extensionPath,
  };
  log(
    `  activation in code-server: ${result.activation_real_ms} ms (code loading ${result.code_loading_ms} ms, activate ${result.activate_ms} ms; with the host's context wait ${result.host_total_ms} ms; samples ${samples.map((s) => s.code_loading_ms + s.activate_ms).join(', ')} ms), server started by activation: ${result.server_started_by_activation ? 'YES' : 'no'}`,
  );
  return result;
}
