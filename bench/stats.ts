/**
 * Timing helpers. Medians over adaptive sample counts: enough runs for a stable median on a busy
 * 2-core machine, bounded so a 1 MB config does not take minutes. Ratios come from samples taken
 * interleaved in the same loop, so machine noise hits both sides alike.
 */

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface SampleBudget {
  /** Stop once this much time was spent sampling (after minRuns). */
  timeMs: number;
  minRuns: number;
  maxRuns: number;
  /** Untimed runs first: JIT, caches the editor would have warm too. */
  warmup: number;
}

export const DEFAULT_BUDGET: SampleBudget = { timeMs: 1500, minRuns: 15, maxRuns: 2000, warmup: 5 };

/** Samples several functions round-robin; returns each one's sample list (ms). */
export async function sampleInterleaved(
  fns: Record<string, () => unknown | Promise<unknown>>,
  budget: SampleBudget = DEFAULT_BUDGET,
): Promise<Record<string, number[]>> {
  const names = Object.keys(fns);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < budget.warmup; i++) for (const n of names) await fns[n]();
  const started = performance.now();
  for (let run = 0; run < budget.maxRuns; run++) {
    for (const n of names) {
      const t0 = performance.now();
      const r = fns[n]();
      if (r instanceof Promise) await r;
      samples[n].push(performance.now() - t0);
    }
    if (run + 1 >= budget.minRuns && performance.now() - started > budget.timeMs) break;
  }
  return samples;
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
