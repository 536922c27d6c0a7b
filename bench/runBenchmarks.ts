/**
 * `npm run bench`: every benchmark in one process (the ratios are measured side by side in the
 * same run), a readable table on stdout, and bench/results.json (git-ignored).
 *   node out/bench/runBenchmarks.js   (after npm run build && npm run compile-tests)
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type ActivationResult, runActivationBench } from './activationBench';
import { type ActivationRealResult, runActivationRealBench } from './activationRealBench';
import { removeBundleDir, repoRoot, runBundleBench } from './bundleBench';
import { runCliBench } from './cliBench';
import { runEngineBench } from './engineBench';
import type { BenchResults } from './benchResults';
import { evaluateGoals } from './goals';
import { runLookupBench } from './lookupBench';
import { runMemoryBench } from './memoryBench';
import { runServerBench } from './serverBench';
import { runCompletionBench } from './completionBench';
import { runEditorBench, type EditorBenchResult } from './editorBench';
import { runTypingBench } from './typingBench';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const root = repoRoot();
  const started = Date.now();
  log('engine...');
  const engine = await runEngineBench(log);
  log('typing replay...');
  const typing = await runTypingBench(log);
  log('lookup...');
  const lookup = await runLookupBench(log);
  log('bundle (production build + vsix in a temp copy)...');
  const bundle = runBundleBench(log);
  let activation: ActivationResult;
  let activationReal: ActivationRealResult | null = null;
  let activationRealError: string | undefined;
  try {
    log('activation...');
    activation = runActivationBench(join(bundle.dir, 'dist', 'extension.js'), log);
    log('activation in code-server (the extension host timing the production build)...');
    try {
      activationReal = await runActivationRealBench(bundle.dir, log);
    } catch (error) {
      activationRealError = error instanceof Error ? error.message : String(error);
      log(`  activation in code-server: not measured: ${activationRealError}`);
    }
  } finally {
    removeBundleDir(bundle.dir);
  }
  log('memory...');
  const memory = runMemoryBench(log);
  log('language server (hover during a hostile-regex analysis)...');
  const server = await runServerBench(log);
  log('target completion over the protocol (60 deployments, a name typed character by character)...');
  const completion = await runCompletionBench(log);
  log('editor latency in code-server (Probe Guard vs VS Code JSON validation)...');
  let editor: EditorBenchResult | null = null;
  let editorError: string | undefined;
  try {
    editor = await runEditorBench(log);
  } catch (error) {
    editorError = error instanceof Error ? error.message : String(error);
    log(`  editor: not measured: ${editorError}`);
  }
  log('cli (npm package build, 200 configs vs 1)...');
  const cli = await runCliBench(log);
  const { dir: _dir, ...bundleSizes } = bundle;
  const results: BenchResults = {
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      platform: `${process.platform}-${process.arch}`,
      date: new Date().toISOString(),
    },
    engine,
    typing,
    lookup,
    activation_ms: activation.activation_ms,
    activation,
    activation_real_ms: activationReal?.activation_real_ms ?? null,
    activation_real: activationReal,
    ...(activationRealError ? { activation_real_error: activationRealError } : {}),
    bundle: bundleSizes,
    memory,
    server,
    editor: { ...completion, ...(editor ?? {}) },
    ...(editorError ? { editor_error: editorError } : {}),
    cli,
  };
  results.goals = evaluateGoals(results);
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(table(results));
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; bench/results.json written`);
}

function table(r: BenchResults): string {
  const rows: string[][] = [['measure', 'result', 'goal', 'status']];
  for (const goal of r.goals ?? []) rows.push([goal.name, goal.measured, goal.target, goal.met === null ? '-' : goal.met ? 'met' : 'MISSED']);
  const e = r.engine;
  const lines: string[] = [];
  lines.push(`Probe Guard benchmarks (${r.machine.node}, ${r.machine.cpus} cores, ${r.machine.cpu})`, '');
  lines.push('Full analysis, median ms (JSON / YAML / TOML):');
  for (const size of ['small', 'large', 'huge'] as const) {
    const f = (fmt: 'json' | 'yaml' | 'toml'): string => `${e.by_format[fmt][size].p50_ms.toFixed(3)}`;
    const kb = (e.by_format.json[size].bytes / 1024).toFixed(0);
    lines.push(
      `  ${size.padEnd(6)} ${`${kb} KB`.padStart(7)}  ${f('json').padStart(9)} / ${f('yaml').padStart(9)} / ${f('toml').padStart(9)}   parseTree ${e.ratios_by_size[size].parse_p50_ms.toFixed(3)}  json-ls ${e.ratios_by_size[size].json_ls_p50_ms.toFixed(3)}`,
    );
  }
  lines.push(`  verdicts: ${e.verdicts}`, '');
  lines.push(
    `Typing: ${r.typing.edits} edits, engine ${r.typing.engine_total_ms} ms total (${r.typing.analyses} analyses, p50 ${r.typing.per_edit_p50_ms} ms, p99 ${r.typing.per_edit_p99_ms} ms per edit), ${r.typing.lookups_sent} lookups, ${r.typing.cluster_requests} HTTP requests (resolver: ${r.typing.resolver_request_count}), ${r.typing.distinct_targets} targets`,
  );
  lines.push(
    `Lookup: cold ${r.lookup.cold_ms} ms (${r.lookup.requests_per_cold_lookup} requests), warm ${r.lookup.warm_ms} ms, raw client-node ${r.lookup.raw_client_ms} ms (reused client ${r.lookup.raw_client_reused_ms} ms); live pods on demand after a lookup ${r.lookup.live_pods_after_lookup.ms} ms (${r.lookup.live_pods_after_lookup.requests} requests)`,
  );
  lines.push(
    `CLI vs kubectl: probe-guard check ${r.lookup.cli_vs_kubectl.probe_guard_ms} ms, kubectl get -o json ${r.lookup.cli_vs_kubectl.kubectl_ms} ms (empty discovery cache ${r.lookup.cli_vs_kubectl.kubectl_cold_cache_ms} ms), ratio ${r.lookup.vs_kubectl_ratio}x; node start-up ${r.lookup.cli_vs_kubectl.node_startup_ms} ms, check --manifest ${r.lookup.cli_vs_kubectl.probe_guard_manifest_ms} ms`,
    `Bundle: extension.js ${r.bundle.main_kb} KB, languageClient.js ${r.bundle.client_kb} KB, server ${r.bundle.server_kb} KB, kube.js ${r.bundle.kube_kb} KB, vsix ${r.bundle.vsix_kb ?? `n/a (${r.bundle.vsix_error})`} KB`,
    '',
  );
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const [i, row] of rows.entries()) {
    lines.push(row.map((cell, c) => cell.padEnd(widths[c])).join(' | '));
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
