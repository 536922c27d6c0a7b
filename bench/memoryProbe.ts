/**
 * Run with `node --expose-gc`: 10,000 analyses of the texts an editing session goes through
 * (resolved target, one budgeted regex runner for the whole run, as the editor keeps), sampling
 * heapUsed after a forced full GC every 500 analyses. Prints one JSON line with the samples.
 */
import { analyzeConfig } from '../src/core/analyze/analyzeConfig';
import { parseConfig } from '../src/core/config/parseConfig';
import type { Analysis } from '../src/core/types';
import { createBudgetedRegexRunner } from '../src/runtime/budgetedRegexRunner';
import { demoResolution } from './demoTarget';
import { applyEdit, editSession } from './editSession';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with node --expose-gc\n');
  process.exit(2);
}

const TOTAL = 10_000;
const EVERY = 500;
const session = editSession(2000);
const texts: string[] = [];
let text = session.initial;
for (const edit of session.edits) texts.push((text = applyEdit(text, edit)));
const resolution = demoResolution();
const runner = createBudgetedRegexRunner();
const heapKb = (): number => {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 1024;
};

const samples: { analyses: number; heap_kb: number }[] = [{ analyses: 0, heap_kb: heapKb() }];
let keep: Analysis | undefined;
for (let i = 1; i <= TOTAL; i++) {
  // The editor keeps the latest analysis per document and drops the previous one.
  keep = analyzeConfig(parseConfig(texts[i % texts.length], 'json'), resolution, { regexRunner: runner });
  if (i % EVERY === 0) samples.push({ analyses: i, heap_kb: Math.round(heapKb()) });
}
process.stdout.write(`${JSON.stringify({ samples, lastFindings: keep?.findings.length })}\n`);
