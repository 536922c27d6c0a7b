/**
 * The language server under a hostile regex: a config whose filter `^(a+)+z{N}$` backtracks on the
 * target's probe header until its time budget runs out (about a second per analysis). For each of
 * SAMPLES edits (a new N each time, so no cached outcome helps), a hover on `target` is sent right
 * after the change; its latency counts only when the analysis of that version was still running
 * when the hover was answered (its diagnostics not yet published). Over stdio, as an editor talks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../test/protocol/lspTestClient';
import { percentile, median, round } from './stats';

export interface ServerBenchResult {
  /** Hover round trip while the same file's hostile analysis ran, p95 / p50 (ms). */
  hover_during_hostile_regex_p95_ms: number;
  hover_during_hostile_regex_p50_ms: number;
  /** Samples where the analysis was indeed still running when the hover came back. */
  samples_during_analysis: number;
  samples: number;
  /** Keystroke to updated diagnostics of the hostile file (the analysis itself), median ms. */
  hostile_analysis_median_ms: number;
}

const SAMPLES = 30;

function hostileManifest(): string {
  const probe = { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'a'.repeat(30), value: 'a'.repeat(30) }] } };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hostile', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'h' } },
      template: { metadata: { labels: { app: 'h' } }, spec: { containers: [{ name: 'h', image: 'x', livenessProbe: probe }] } },
    },
  });
}

const config = (n: number) =>
  JSON.stringify(
    {
      target: { path: 'deployment/hostile', namespace: 'shop' },
      feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: `^(a+)+z{${n}}$` } } } },
    },
    null,
    2,
  );

export async function runServerBench(log: (line: string) => void): Promise<ServerBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-server-bench-'));
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(path.join(dir, 'k8s', 'hostile.json'), hostileManifest());
  const client = await LspTestClient.start({
    workspaceFolder: dir,
    trusted: true,
    settings: { clusterLookup: { enabled: false }, manifests: ['k8s'] },
    env: { PATH: process.env.PATH, HOME: dir },
  });
  try {
    const uri = pathToFileURL(path.join(dir, '.mirrord', 'hostile.mirrord.json')).href;
    await client.open(uri, config(1));
    await client.diagnosticsOf(uri, (d) => d.diagnostics.some((x) => x.code === 'probe-verdict-unknown'));
    const during: number[] = [];
    const analyses: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const text = config(i + 2);
      const line = text.split('\n').findIndex((l) => l.includes('deployment/hostile'));
      const t0 = performance.now();
      const version = await client.change(uri, text);
      let published: number | undefined;
      const analysed = client.diagnosticsOf(uri).then(() => (published = performance.now()));
      await client.hover(uri, { line, character: text.split('\n')[line].indexOf('deployment') + 2 });
      const answered = performance.now();
      await analysed;
      if (published === undefined || published > answered) during.push(answered - t0);
      analyses.push((published ?? answered) - t0);
      if (client.version(uri) !== version) throw new Error('version moved');
    }
    const result: ServerBenchResult = {
      hover_during_hostile_regex_p95_ms: round(percentile(during, 95), 1),
      hover_during_hostile_regex_p50_ms: round(median(during), 1),
      samples_during_analysis: during.length,
      samples: SAMPLES,
      hostile_analysis_median_ms: round(median(analyses), 0),
    };
    log(
      `  server: hover during a hostile-regex analysis p95 ${result.hover_during_hostile_regex_p95_ms} ms (p50 ${result.hover_during_hostile_regex_p50_ms} ms, ${during.length}/${SAMPLES} while analysing; the analysis takes ${result.hostile_analysis_median_ms} ms)`,
    );
    return result;
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
