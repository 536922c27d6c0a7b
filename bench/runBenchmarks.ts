/**
 * `npm run bench`: every benchmark in one process (the ratios are measured side by side in the
 * same run), a readable table on stdout, and bench/results.json (git-ignored).
 *   node out/bench/runBenchmarks.js   (after npm run build && npm run compile-tests)
 *   node out/bench/runBenchmarks.js --only kubectl,activation_real   (some parts; see PARTS)
 * With --only, the parts run are written over the previous bench/results.json (when there is one),
 * so the file keeps the other parts' last numbers; the goals are evaluated when every part is there.
 * The load average (os.loadavg, as `uptime` prints it) is logged before and after each part and
 * kept in results.json: the numbers of a loaded 2-core machine are not an idle machine's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runActivationBench } from './activationBench';
import { runActivationRealBench } from './activationRealBench';
import { removeBundleDir, repoRoot, runBundleBench, type BundleResult } from './bundleBench';
import { runCliBench } from './cliBench';
import { runEngineBench } from './engineBench';
import type { BenchResults } from './benchResults';
import { evaluateGoals } from './goals';
import { runKubectlBench, runLookupBench } from './lookupBench';
import { runMemoryBench } from './memoryBench';
import { runServerBench } from './serverBench';
import { runCompletionBench } from './completionBench';
import { runEditorBench } from './editorBench';
import { runTypingBench } from './typingBench';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The load average over 1, 5 and 15 minutes, as `uptime` prints it. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

type Results = Partial<BenchResults>;

interface Run {
  results: Results;
  /** The production build of the bundle part, made once for the parts that need it. */
  bundle(): BundleResult;
}

/**
 * The parts, in the order a full run takes them. `kubectl` is the CLI-vs-kubectl half of `lookup`
 * alone (lookup.vs_kubectl_ratio and lookup.cli_vs_kubectl); `lookup` includes it.
 */
const PARTS: Record<string, (run: Run) => Promise<void>> = {
  engine: async (run) => {
    run.results.engine = await runEngineBench(log);
  },
  typing: async (run) => {
    run.results.typing = await runTypingBench(log);
  },
  lookup: async (run) => {
    run.results.lookup = await runLookupBench(log);
  },
  kubectl: async (run) => {
    const cli = await runKubectlBench(log);
    run.results.lookup = { ...(run.results.lookup as BenchResults['lookup']), ...cli };
  },
  bundle: async (run) => {
    const { dir: _dir, ...sizes } = run.bundle();
    run.results.bundle = sizes;
  },
  activation: async (run) => {
    const activation = runActivationBench(join(run.bundle().dir, 'dist', 'extension.js'), log);
    run.results.activation = activation;
    run.results.activation_ms = activation.activation_ms;
  },
  activation_real: async (run) => {
    log('  (the extension host timing the production build in code-server)');
    try {
      const real = await runActivationRealBench(run.bundle().dir, log);
      run.results.activation_real = real;
      run.results.activation_real_ms = real.activation_real_ms;
      delete run.results.activation_real_error;
    } catch (error) {
      run.results.activation_real_error = error instanceof Error ? error.message : String(error);
      run.results.activation_real = null;
      run.results.activation_real_ms = null;
      log(`  activation in code-server: not measured: ${run.results.activation_real_error}`);
    }
  },
  memory: async (run) => {
    run.results.memory = runMemoryBench(log);
  },
  server: async (run) => {
    log('  (hover during a hostile-regex analysis)');
    run.results.server = await runServerBench(log);
  },
  completion: async (run) => {
    log('  (target completion over the protocol: 60 deployments, a name typed character by character)');
    run.results.editor = { ...(run.results.editor as BenchResults['editor']), ...(await runCompletionBench(log)) };
  },
  editor: async (run) => {
    log('  (editor latency in code-server: Probe Guard vs VS Code JSON validation)');
    try {
      run.results.editor = { ...(run.results.editor as BenchResults['editor']), ...(await runEditorBench(log)) };
      delete run.results.editor_error;
    } catch (error) {
      run.results.editor_error = error instanceof Error ? error.message : String(error);
      log(`  editor: not measured: ${run.results.editor_error}`);
    }
  },
  cli: async (run) => {
    log('  (npm package build, 200 configs vs 1)');
    run.results.cli = await runCliBench(log);
  },
};

/** The part names of `--only a,b` (all when absent); unknown names are an error. */
export function selectedParts(argv: string[]): string[] {
  const at = argv.indexOf('--only');
  if (at < 0) return Object.keys(PARTS).filter((p) => p !== 'kubectl');
  const names = (argv[at + 1] ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in PARTS));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of: ${Object.keys(PARTS).join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return Object.keys(PARTS).filter((p) => names.includes(p));
}

async function main(): Promise<void> {
  const root = repoRoot();
  const started = Date.now();
  const parts = selectedParts(process.argv.slice(2));
  const partial = process.argv.includes('--only');
  const file = join(root, 'bench', 'results.json');
  const previous: Results = partial && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : {};
  const results: Results = { ...previous, load_average: { ...previous.load_average } };
  let bundle: BundleResult | undefined;
  const run: Run = {
    results,
    bundle: () => {
      if (!bundle) {
        log('  (production build + vsix in a temp copy)');
        bundle = runBundleBench(log);
      }
      return bundle;
    },
  };
  log(`load average ${loadAverage()} (1, 5, 15 min; ${cpus().length} cores)`);
  try {
    for (const part of parts) {
      const before = loadAverage();
      log(`${part}... (load average ${before})`);
      await PARTS[part](run);
      const after = loadAverage();
      results.load_average![part] = { before, after };
      log(`  load average after ${part}: ${after}`);
    }
  } finally {
    if (bundle) removeBundleDir(bundle.dir);
  }
  results.machine = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
  let complete = true;
  try {
    results.goals = evaluateGoals(results as BenchResults);
  } catch {
    // A partial run without an earlier full one: some parts' results are missing.
    complete = false;
    delete results.goals;
  }
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  if (complete) process.stdout.write(table(results as BenchResults));
  else process.stdout.write(`${JSON.stringify(Object.fromEntries(parts.map((p) => [p, partResult(results, p)])), null, 2)}\n`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (${parts.join(', ')}); load average ${loadAverage()}; bench/results.json written`);
}

function partResult(r: Results, part: string): unknown {
  if (part === 'kubectl') return r.lookup?.cli_vs_kubectl;
  if (part === 'completion') return r.editor;
  return (r as Record<string, unknown>)[part];
}

function table(r: BenchResults): string {
  const rows: string[][] = [['measure', 'result', 'goal', 'status']];
  for (const goal of r.goals ?? []) rows.push([goal.name, goal.measured, goal.target, goal.met === null ? '-' : goal.met ? 'met' : 'MISSED']);
  const e = r.engine;
  const lines: string[] = [];
  lines.push(`Probe Guard benchmarks (${r.machine.node}, ${r.machine.cpus} cores, ${r.machine.cpu})`, '');
  const loads = Object.entries(r.load_average ?? {});
  if (loads.length > 0)
    lines.push(`Load average (1, 5, 15 min) before -> after each part: ${loads.map(([part, l]) => `${part} ${l.before} -> ${l.after}`).join('; ')}`, '');
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
