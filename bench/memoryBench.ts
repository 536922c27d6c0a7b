/**
 * Heap growth over 10k analyses, in a child process with --expose-gc. The first 2,000 analyses
 * fill the bounded caches (regex outcomes, translations) and are the baseline; after that the
 * least-squares slope of heapUsed-after-GC is the trend, and growth is last minus baseline.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { round } from './stats';

export interface MemoryResult {
  heap_growth_kb_after_10k_analyses: number;
  /** KB per 1,000 analyses, after the caches are full. */
  trend_kb_per_1k: number;
  samples: { analyses: number; heap_kb: number }[];
}

/** Below this slope the heap is flat: a few KB of noise (JIT code, inline caches) per 1k runs. */
export const FLAT_TREND_KB_PER_1K = 16;

export function runMemoryBench(log: (line: string) => void): MemoryResult {
  const out = execFileSync(process.execPath, ['--expose-gc', join(__dirname, 'memoryProbe.js')], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const { samples } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { samples: { analyses: number; heap_kb: number }[] };
  const steady = samples.filter((s) => s.analyses >= 2000);
  const baseline = steady[0].heap_kb;
  const last = steady[steady.length - 1].heap_kb;
  const result: MemoryResult = {
    heap_growth_kb_after_10k_analyses: round(last - baseline, 0),
    trend_kb_per_1k: round(
      slope(
        steady.map((s) => s.analyses / 1000),
        steady.map((s) => s.heap_kb),
      ),
      2,
    ),
    samples,
  };
  log(
    `  memory: heap ${samples[0].heap_kb.toFixed(0)} KB at start, ${baseline} KB after 2k, ${last} KB after 10k; trend ${result.trend_kb_per_1k} KB per 1k analyses`,
  );
  return result;
}

function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
