/**
 * editor.vs_json_ls_latency_ratio: bench/editor/editorLatency.test.ts in code-server's extension
 * host (the same runner as the extension-host tests), medians of at least 30 edits each.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSuite } from '../test/vscode-runner/runExtensionTests';
import { median, percentile, round } from './stats';

export interface EditorBenchResult {
  edits: number;
  keystroke_to_diagnostic_p50_ms: number;
  keystroke_to_diagnostic_p95_ms: number;
  json_validation_p50_ms: number;
  json_validation_p95_ms: number;
  /** Probe Guard's median over VS Code's JSON validation median, for the same edits. */
  vs_json_ls_latency_ratio: number;
}

export async function runEditorBench(log: (line: string) => void): Promise<EditorBenchResult> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-editor-bench-')), 'latency.json');
  const code = await runSuite({
    name: 'bench-editor',
    workspace: 'test/fixtures/workspace',
    tests: 'out/bench/editor',
    trust: 'trusted',
    env: { PROBE_GUARD_BENCH_OUT: out },
    timeoutSeconds: 600,
  });
  if (code !== 0 || !fs.existsSync(out)) throw new Error(`the editor latency bench failed (exit ${code})`);
  const raw = JSON.parse(fs.readFileSync(out, 'utf8')) as { probe_guard_ms: number[]; json_validation_ms: number[] };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const pg = median(raw.probe_guard_ms);
  const json = median(raw.json_validation_ms);
  const result: EditorBenchResult = {
    edits: raw.probe_guard_ms.length,
    keystroke_to_diagnostic_p50_ms: round(pg, 1),
    keystroke_to_diagnostic_p95_ms: round(percentile(raw.probe_guard_ms, 95), 1),
    json_validation_p50_ms: round(json, 1),
    json_validation_p95_ms: round(percentile(raw.json_validation_ms, 95), 1),
    vs_json_ls_latency_ratio: round(pg / json, 2),
  };
  log(
    `  editor: keystroke to Probe Guard diagnostic p50 ${result.keystroke_to_diagnostic_p50_ms} ms / p95 ${result.keystroke_to_diagnostic_p95_ms} ms; JSON validation p50 ${result.json_validation_p50_ms} ms; ratio ${result.vs_json_ls_latency_ratio}x (${result.edits} edits)`,
  );
  return result;
}
