/**
 * The typing replay on the language server's own analysis path: the edit session goes through
 * src/server/documentAnalyzer.ts (what the server runs on every didChange: one analysis in flight
 * per document in its worker thread, the newest text next, the lookup policy of the service
 * layer's LookupTracker, stale results dropped) with a real WorkerPool and the real cluster layer
 * against the fake API server loaded with the demo cluster. Counts engine time and cluster
 * requests; the goal is one lookup per target the session settles on.
 */
import type { ConfigFormat } from '../src/core/types';
import type { ClusterResolver } from '../src/kube/clusterTypes';
import { loadKubeModule } from '../src/kube/lazyKube';
import { DocumentAnalyzer, type DocumentEnvironment } from '../src/server/documentAnalyzer';
import { WorkerPool } from '../src/server/workerPool';
import type { WorkerAnswer, WorkerJob } from '../src/server/workerJobs';
import { silentLog } from '../src/service/log';
import { DEFAULT_LOOKUP_DELAY_MS } from '../src/service/lookupTracker';
import { resolveFromManifestFiles } from '../src/service/manifestResolution';
import { readSettings, type SettingKey } from '../src/service/settings';
import { lookUpTarget } from '../src/service/targetLookup';
import { startDemoCluster } from '../test/support/demoCluster';
import { demoClusterSettings } from './demoTarget';
import { applyEdit, editSession } from './editSession';
import { median, percentile, round } from './stats';

export interface TypingResult {
  edits: number;
  /** Engine time of the analyses in the server's worker over the whole session (as the worker measures it). */
  engine_total_ms: number;
  /** HTTP requests the fake API server received during the session. */
  cluster_requests: number;
  /** The resolver's own count (must equal the server's). */
  resolver_request_count: number;
  /** Lookups the analyzer started (debounced; a superseded one is cancelled before any request). */
  lookups_started: number;
  /** Lookups that reached the cluster (object GETs in the server log). */
  lookups_sent: number;
  /** Targets the session settles on (initial + 2 changes). */
  distinct_targets: number;
  /** Every target text the published states passed through while the names were retyped. */
  target_texts_seen: number;
  /** Analyses the worker ran (each edit, the open, and again when a lookup settled). */
  analyses: number;
  /** Queued analyses replaced by a newer text before they started. */
  superseded: number;
  /** Engine time per analysis of an edit in the worker (the open not counted), median and p99. */
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

/** The worker pool, with the engine time of each analysis it answers recorded. */
class TimedPool extends WorkerPool {
  readonly analysisMs: number[] = [];

  override async run(job: WorkerJob, options: Parameters<WorkerPool['run']>[1]): Promise<WorkerAnswer> {
    const before = this.metrics.engineMs;
    const answer = await super.run(job, options);
    // One document, one analysis lane: nothing else finished in between.
    if (job.kind === 'analyze') this.analysisMs.push(this.metrics.engineMs - before);
    return answer;
  }
}

export async function runTypingBench(log: (line: string) => void): Promise<TypingResult> {
  const demo = await startDemoCluster();
  const pool = new TimedPool(silentLog);
  let analyzer: DocumentAnalyzer | undefined;
  try {
    const resolver: ClusterResolver = loadKubeModule().createClusterResolver();
    const clusterSettings = demoClusterSettings(demo, 30000);
    const session = editSession(2000);
    const document: BenchDocument = { uri: 'file:///bench/.mirrord/mirrord.json', version: 1, text: session.initial, format: 'json' };
    const targetsSeen = new Set<string>();
    const values: Partial<Record<SettingKey, unknown>> = { kubeconfig: demo.kubeconfig, cacheTtlSeconds: clusterSettings.cacheTtlMs / 1000 };
    const environment: DocumentEnvironment = {
      settings: readSettings((key) => values[key], true),
      trusted: true,
      place: { configDir: clusterSettings.configDir, baseDir: clusterSettings.configDir, env: clusterSettings.env },
      sessionEnv: {},
    };
    const current = (analyzer = new DocumentAnalyzer({
      pool,
      log: silentLog,
      document: (uri) => (uri === document.uri ? { uri, version: document.version, format: document.format, getText: () => document.text } : undefined),
      environment: () => Promise.resolve(environment),
      // The service layer's lookup policy, as the server calls it, on a resolver whose requests the benchmark counts.
      lookUp: (env, request, options) =>
        lookUpTarget(resolver, env.place, request, env.settings, { ...options, log: silentLog, resolveManifests: resolveFromManifestFiles }),
      publish: (state) => {
        if (state.analysis.lookup?.ref.name) targetsSeen.add(state.analysis.lookup.ref.name);
      },
    }));
    const before = demo.api.requests.length;
    const started = performance.now();
    // As the server does on didOpen and on each didChange. The open (the worker loading the
    // engine) is not one of the edits.
    current.schedule(document.uri, { delayMs: 0, revalidate: true });
    await current.whenAnalysed(document.uri, document.version);
    const openAnalyses = pool.analysisMs.length;
    const pauses = new Set(session.pauseAfter);
    for (const [index, edit] of session.edits.entries()) {
      document.text = applyEdit(document.text, edit);
      document.version += 1;
      current.schedule(document.uri);
      // The next keystroke after this one's diagnostics (a typist is slower than an analysis), so
      // every edit is analysed; the lookup debounce still sees a burst of target edits.
      await current.whenAnalysed(document.uri, document.version);
      // After retyping the target the user stops to read the result: longer than the lookup delay.
      if (pauses.has(index)) await new Promise<void>((resolve) => setTimeout(resolve, DEFAULT_LOOKUP_DELAY_MS + 100));
    }
    await current.whenAnalysed(document.uri, document.version);
    await current.whenIdle();
    const wall = performance.now() - started;
    const requests = demo.api.requests.slice(before);
    const final = current.latest(document.uri);
    const result: TypingResult = {
      edits: session.edits.length,
      engine_total_ms: round(pool.metrics.engineMs, 1),
      cluster_requests: requests.length,
      resolver_request_count: resolver.requestCount,
      lookups_started: current.lookupMetrics.lookupsStarted,
      lookups_sent: requests.filter((r) => /\/deployments\/[^/]+$/.test(r.path)).length,
      distinct_targets: session.targets.length,
      target_texts_seen: targetsSeen.size,
      analyses: pool.analysisMs.length,
      superseded: pool.metrics.superseded,
      per_edit_p50_ms: round(median(pool.analysisMs.slice(openAnalyses)), 4),
      per_edit_p99_ms: round(percentile(pool.analysisMs.slice(openAnalyses), 99), 4),
      wall_ms: round(wall, 0),
      final_status: `${final?.status.kind}: ${final?.analysis.lookup?.ref.name} ${final?.analysis.probes.map((p) => `${p.probe.probe}=${p.verdict}`).join(' ')}`,
    };
    log(
      `  typing: ${result.edits} edits, engine ${result.engine_total_ms} ms in ${result.analyses} analyses in the server's worker (${result.superseded} superseded), ${result.lookups_sent} lookups / ${result.cluster_requests} HTTP requests for ${result.distinct_targets} targets (${requests.map((r) => r.path.split('/').slice(-2).join('/')).join(', ')})`,
    );
    return result;
  } finally {
    analyzer?.dispose();
    pool.dispose();
    await demo.close();
  }
}
