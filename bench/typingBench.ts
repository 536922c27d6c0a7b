/**
 * The typing replay: the edit session goes through AnalysisPipeline (the scheduler's vscode-free
 * core: analyse on every change, look up only when the lookup key changes, stale-result guard)
 * with the real cluster layer against the fake API server loaded with the demo cluster.
 * Counts engine time and cluster requests; the goal is one lookup per target the session settles on.
 */
import { analyzeConfig } from '../src/core/analyze/analyzeConfig';
import { parseConfig } from '../src/core/config/parseConfig';
import type { ConfigFormat, LookupRequest } from '../src/core/types';
import { AnalysisPipeline, DEFAULT_LOOKUP_DELAY_MS, type PipelineEnvironment, type PipelineHost } from '../src/service/analysisPipeline';
import { silentLog } from '../src/service/log';
import { resolveFromManifestFiles } from '../src/service/manifestResolution';
import { readSettings, type SettingKey } from '../src/service/settings';
import { lookUpTarget } from '../src/service/targetLookup';
import type { ClusterResolver } from '../src/kube/clusterTypes';
import { loadKubeModule } from '../src/kube/lazyKube';
import { createBudgetedRegexRunner } from '../src/runtime/budgetedRegexRunner';
import { startDemoCluster } from '../test/support/demoCluster';
import { demoClusterSettings } from './demoTarget';
import { applyEdit, editSession } from './editSession';
import { median, percentile, round } from './stats';

export interface TypingResult {
  edits: number;
  /** parse + analyzeConfig time over the whole session (every keystroke, and re-analyses after lookups). */
  engine_total_ms: number;
  /** HTTP requests the fake API server received during the session. */
  cluster_requests: number;
  /** The resolver's own count (must equal the server's). */
  resolver_request_count: number;
  /** Lookups the pipeline started (debounced; a superseded one is cancelled before any request). */
  lookups_started: number;
  /** Lookups that reached the cluster (object GETs in the server log). */
  lookups_sent: number;
  /** Targets the session settles on (initial + 2 changes). */
  distinct_targets: number;
  /** Every target text the file passed through while the names were retyped. */
  target_texts_seen: number;
  analyses: number;
  per_edit_p50_ms: number;
  per_edit_p99_ms: number;
  wall_ms: number;
  final_status: string;
}

interface BenchDocument {
  uri: string;
  version: number;
  text: string;
  format: ConfigFormat;
}

export async function runTypingBench(log: (line: string) => void): Promise<TypingResult> {
  const demo = await startDemoCluster();
  try {
    const resolver: ClusterResolver = loadKubeModule().createClusterResolver();
    const clusterSettings = demoClusterSettings(demo, 30000);
    const session = editSession(2000);
    const document: BenchDocument = { uri: 'file:///bench/.mirrord/mirrord.json', version: 1, text: session.initial, format: 'json' };
    const regexRunner = createBudgetedRegexRunner();
    const targetsSeen = new Set<string>();
    const values: Partial<Record<SettingKey, unknown>> = { kubeconfig: demo.kubeconfig, cacheTtlSeconds: clusterSettings.cacheTtlMs / 1000 };
    const settings = readSettings((key) => values[key], true);
    const place = { configDir: clusterSettings.configDir, baseDir: clusterSettings.configDir, env: clusterSettings.env };
    const host: PipelineHost<BenchDocument, string, PipelineEnvironment> = {
      engine: () => ({ analyzeConfig, parseConfig }),
      describe: (d) => ({ uri: d.uri, key: d.uri, version: d.version, format: d.format, getText: () => d.text }),
      environment: () => ({ analyzeOptions: { regexRunner }, lookupContext: { kubeconfig: demo.kubeconfig }, cacheTtlMs: clusterSettings.cacheTtlMs }),
      // The service layer's lookup policy, on a resolver whose requests the benchmark counts.
      lookUp: (_d, request: LookupRequest, _e, options) =>
        lookUpTarget(resolver, place, request, settings, { ...options, log: silentLog, resolveManifests: resolveFromManifestFiles }),
      openDocuments: () => [document],
      publish: (state) => {
        if (state.analysis.lookup?.ref.name) targetsSeen.add(state.analysis.lookup.ref.name);
      },
      reportError: (error) => log(`  lookup error: ${String(error)}`),
    };
    const pipeline = new AnalysisPipeline(host);
    const before = demo.api.requests.length;
    const perEdit: number[] = [];
    const started = performance.now();
    pipeline.update(document, { revalidate: true });
    const pauses = new Set(session.pauseAfter);
    for (const [index, edit] of session.edits.entries()) {
      document.text = applyEdit(document.text, edit);
      document.version += 1;
      const t0 = performance.now();
      pipeline.update(document);
      perEdit.push(performance.now() - t0);
      // Let timers and sockets run between keystrokes, as the extension host's event loop does.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // After retyping the target the user stops to read the result: longer than the lookup delay.
      if (pauses.has(index)) await new Promise<void>((resolve) => setTimeout(resolve, DEFAULT_LOOKUP_DELAY_MS + 100));
    }
    await pipeline.whenIdle();
    const wall = performance.now() - started;
    const requests = demo.api.requests.slice(before);
    const final = pipeline.peek(document.uri);
    const result: TypingResult = {
      edits: session.edits.length,
      engine_total_ms: round(pipeline.metrics.engineMs, 1),
      cluster_requests: requests.length,
      resolver_request_count: resolver.requestCount,
      lookups_started: pipeline.metrics.lookupsStarted,
      lookups_sent: requests.filter((r) => /\/deployments\/[^/]+$/.test(r.path)).length,
      distinct_targets: session.targets.length,
      target_texts_seen: targetsSeen.size,
      analyses: pipeline.metrics.analyses,
      per_edit_p50_ms: round(median(perEdit), 4),
      per_edit_p99_ms: round(percentile(perEdit, 99), 4),
      wall_ms: round(wall, 0),
      final_status: `${final?.status.kind}: ${final?.analysis.lookup?.ref.name} ${final?.analysis.probes.map((p) => `${p.probe.probe}=${p.verdict}`).join(' ')}`,
    };
    log(
      `  typing: ${result.edits} edits, engine ${result.engine_total_ms} ms in ${result.analyses} analyses, ${result.lookups_sent} lookups / ${result.cluster_requests} HTTP requests for ${result.distinct_targets} targets (${requests.map((r) => r.path.split('/').slice(-2).join('/')).join(', ')})`,
    );
    return result;
  } finally {
    await demo.close();
  }
}
