/**
 * A RegexRunner for the CLI and the editor: a user-written regex can backtrack catastrophically,
 * and the analysis runs on every keystroke, so matching gets a time budget.
 * Patterns that pass `isLinearSafe` run directly (a vm call costs ~190 µs); others run through
 * `vm.Script#runInContext` with a timeout, which V8 enforces even inside a running regex and
 * reports as ERR_SCRIPT_EXECUTION_TIMEOUT -> 'timeout'. Outcomes are cached in an LRU keyed by
 * (source, flags, input) so the same match is not re-run while the user types. Never throws.
 *
 * The budget per match alone does not bound an analysis: a config with twenty hostile all_of
 * items would take twenty budgets. So budgeted runs also share a total budget per analysis
 * (reset by `beginAnalysis`, which analyzeConfig calls): once it is spent, uncached risky
 * matches answer 'timeout' at once. Such starved answers, and runs cut short by the remaining
 * total, are not cached, so the next analysis tries them again with a fresh budget.
 */

import * as vm from 'node:vm';
import { LRUCache } from 'lru-cache';
import { isLinearSafe } from '../core/regex/backtrackRisk';
import { type RegexOutcome, type RegexRunner } from '../core/types';

export interface BudgetedRegexRunnerOptions {
  /** Time budget per match, in milliseconds. Default 100. */
  budgetMs?: number;
  /** Number of (regex, input) outcomes remembered. Default 1000. */
  cacheSize?: number;
  /** Time all budgeted matches of one analysis may take together, in milliseconds. Default 1000. */
  totalBudgetMs?: number;
  /** Clock for the total budget (tests). Default performance.now. */
  now?: () => number;
}

const DEFAULT_BUDGET_MS = 100;
const DEFAULT_TOTAL_BUDGET_MS = 1000;
const DEFAULT_CACHE_SIZE = 1000;

export function createBudgetedRegexRunner(options: BudgetedRegexRunnerOptions = {}): RegexRunner {
  const budgetMs = positiveOr(options.budgetMs, DEFAULT_BUDGET_MS);
  const totalBudgetMs = positiveOr(options.totalBudgetMs, Math.max(DEFAULT_TOTAL_BUDGET_MS, budgetMs));
  const now = options.now ?? (() => performance.now());
  const fullTimeout = Math.max(1, Math.floor(budgetMs));
  let spentMs = 0;
  const cacheSize = Math.floor(positiveOr(options.cacheSize, DEFAULT_CACHE_SIZE));
  const outcomes = new LRUCache<string, RegexOutcome>({ max: cacheSize });
  const linearSafe = new LRUCache<string, boolean>({ max: cacheSize });
  const context = vm.createContext({ re: /(?:)/, s: '' });
  const script = new vm.Script('re.lastIndex = 0; re.test(s)');

  /** `cacheable` is false when the run got less than the full per-match budget. */
  const runBudgeted = (regex: RegExp, input: string): { outcome: RegexOutcome; cacheable: boolean } => {
    const remaining = totalBudgetMs - spentMs;
    if (remaining < 1) return { outcome: 'timeout', cacheable: false };
    const timeout = Math.max(1, Math.floor(Math.min(fullTimeout, remaining)));
    context.re = regex;
    context.s = input;
    const started = now();
    try {
      return { outcome: script.runInContext(context, { timeout }) === true, cacheable: true };
    } catch {
      // ERR_SCRIPT_EXECUTION_TIMEOUT, or the regex engine giving up (stack/memory): not an answer.
      return { outcome: 'timeout', cacheable: timeout >= fullTimeout };
    } finally {
      spentMs += Math.max(0, now() - started);
      context.re = /(?:)/;
      context.s = '';
    }
  };

  return {
    beginAnalysis(): void {
      spentMs = 0;
    },
    test(regex: RegExp, input: string): RegexOutcome {
      try {
        const key = `${regex.source}\u0000${regex.flags}\u0000${input}`;
        const cached = outcomes.get(key);
        if (cached !== undefined) return cached;
        let safe = linearSafe.get(regex.source);
        if (safe === undefined) {
          safe = isLinearSafe(regex.source);
          linearSafe.set(regex.source, safe);
        }
        if (safe) {
          regex.lastIndex = 0;
          const outcome = regex.test(input);
          outcomes.set(key, outcome);
          return outcome;
        }
        const { outcome, cacheable } = runBudgeted(regex, input);
        if (cacheable) outcomes.set(key, outcome);
        return outcome;
      } catch {
        return 'timeout';
      }
    },
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
