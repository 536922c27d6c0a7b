/**
 * Activation cost: a fresh Node process per sample (a warm require cache would hide the cost of
 * loading the bundle), each timing require + activate() of the production dist/extension.js.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, round } from './stats';

export interface ActivationResult {
  activation_ms: number;
  require_ms: number;
  runs: number;
  client_node_loaded: boolean;
  /** vscode-languageclient or the server loaded by activate() (they must wait for the first config). */
  language_client_loaded: boolean;
  /** dist/clientFeatures.js (commands, debug guard, countdown, launch.json CodeLens) loaded by activate() (it must wait for first use). */
  features_loaded: boolean;
  bundle: string;
}

export function runActivationBench(extensionJs: string, log: (line: string) => void, runs = 15): ActivationResult {
  const probe = join(__dirname, 'activationProbe.js');
  const samples: { ms: number; requireMs: number; kubeLoaded: boolean; clientLoaded: boolean; featuresLoaded: boolean }[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const out = execFileSync(process.execPath, [probe, extensionJs], { encoding: 'utf8' });
    // The first two only warm the OS file cache.
    if (i >= 2) samples.push(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
  }
  const result: ActivationResult = {
    activation_ms: round(median(samples.map((s) => s.ms)), 2),
    require_ms: round(median(samples.map((s) => s.requireMs)), 2),
    runs: samples.length,
    client_node_loaded: samples.some((s) => s.kubeLoaded),
    language_client_loaded: samples.some((s) => s.clientLoaded),
    features_loaded: samples.some((s) => s.featuresLoaded),
    bundle: extensionJs,
  };
  log(
    `  activation: ${result.activation_ms} ms (require ${result.require_ms} ms), client-node loaded: ${result.client_node_loaded ? 'YES' : 'no'}, language client loaded: ${result.language_client_loaded ? 'YES' : 'no'}, lazy features loaded: ${result.features_loaded ? 'YES' : 'no'}`,
  );
  return result;
}
