/**
 * Engine speed: full analysis (parse + target + verdicts + findings, resolved target, budgeted
 * regex runner) per size and format, against two references on the same JSON text:
 * jsonc-parser's parseTree alone (the floor: we cannot be faster than parsing) and
 * vscode-json-languageservice validating with our schema (what VS Code already does per change).
 */
import { parseTree } from 'jsonc-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';
import { analyzeConfig } from '../src/core/analyze/analyzeConfig';
import { parseConfig } from '../src/core/config/parseConfig';
import type { Analysis, ConfigFormat, ResolveResult } from '../src/core/types';
import { createBudgetedRegexRunner } from '../src/runtime/budgetedRegexRunner';
import { type ConfigSize, FORMATS, generateConfig, SIZES } from './configs';
import { demoResolution } from './demoTarget';
import { median, round, sampleInterleaved, type SampleBudget } from './stats';

export interface EngineResult {
  small_p50_ms: number;
  large_p50_ms: number;
  huge_p50_ms: number;
  /** Full analysis / parseTree alone (JSON, large config). */
  vs_parse_ratio: number;
  /** Full analysis / JSON language service validation (JSON, large config). */
  /** The same two ratios for each size, to show how they scale. */
  ratios_by_size: Record<ConfigSize, { vs_parse: number; vs_json_ls: number; parse_p50_ms: number; json_ls_p50_ms: number }>;
  /** Full analysis medians per size and format, and the text sizes. */
  by_format: Record<ConfigFormat, Record<ConfigSize, { p50_ms: number; runs: number; bytes: number }>>;
  /** Sanity: what the analysis of the JSON configs said (the benchmark must exercise the verdicts). */
  verdicts: string;
}

const BUDGETS: Record<ConfigSize, SampleBudget> = {
  small: { timeMs: 1500, minRuns: 200, maxRuns: 20000, warmup: 50 },
  large: { timeMs: 2500, minRuns: 20, maxRuns: 2000, warmup: 5 },
  huge: { timeMs: 5000, minRuns: 9, maxRuns: 200, warmup: 2 },
};

/** One analysis as the editor runs it: parse, then analyse with a resolved target. */
export function fullAnalysis(text: string, format: ConfigFormat, resolution: ResolveResult, runner = createBudgetedRegexRunner()): Analysis {
  return analyzeConfig(parseConfig(text, format), resolution, { regexRunner: runner });
}

function jsonLanguageService(): { validate(text: string): Promise<unknown> } {
  const schemaPath = join(__dirname, '..', '..', 'schemas', 'mirrord.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JSONSchema;
  const ls = getLanguageService({});
  ls.configure({ validate: true, allowComments: true, schemas: [{ uri: 'file:///mirrord.schema.json', fileMatch: ['*mirrord.json'], schema }] });
  let version = 0;
  return {
    // What the JSON extension does on a change: parse the document, then validate it.
    validate(text) {
      const document = TextDocument.create('file:///bench/bench.mirrord.json', 'jsonc', ++version, text);
      return Promise.resolve(ls.doValidation(document, ls.parseJSONDocument(document), { comments: 'ignore', trailingCommas: 'error' }));
    },
  };
}

export async function runEngineBench(log: (line: string) => void): Promise<EngineResult> {
  const resolution = demoResolution();
  const ls = jsonLanguageService();
  const byFormat = {} as EngineResult['by_format'];
  const ratios = {} as EngineResult['ratios_by_size'];
  const verdicts: string[] = [];
  for (const format of FORMATS) {
    byFormat[format] = {} as Record<ConfigSize, { p50_ms: number; runs: number; bytes: number }>;
    for (const size of SIZES) {
      const text = generateConfig(size, format);
      // One runner per document, as the editor keeps one for the session.
      const runner = createBudgetedRegexRunner();
      if (format === 'json') {
        const first = fullAnalysis(text, format, resolution, runner);
        verdicts.push(`${size}: ${first.probes.map((p) => `${p.probe.probe}=${p.verdict}`).join(' ')}, ${first.findings.length} findings`);
        const samples = await sampleInterleaved(
          {
            analysis: () => fullAnalysis(text, format, resolution, runner),
            parse: () => parseTree(text, [], { allowTrailingComma: true }),
            jsonLs: () => ls.validate(text),
          },
          BUDGETS[size],
        );
        const [a, p, j] = [median(samples.analysis), median(samples.parse), median(samples.jsonLs)];
        byFormat[format][size] = { p50_ms: round(a, 4), runs: samples.analysis.length, bytes: text.length };
        ratios[size] = { vs_parse: round(a / p, 2), vs_json_ls: round(a / j, 3), parse_p50_ms: round(p, 4), json_ls_p50_ms: round(j, 4) };
        log(
          `  engine ${format} ${size} (${(text.length / 1024).toFixed(0)} KB): analysis ${a.toFixed(3)} ms, parseTree ${p.toFixed(3)} ms, json-ls ${j.toFixed(3)} ms (${samples.analysis.length} runs)`,
        );
      } else {
        const samples = await sampleInterleaved({ analysis: () => fullAnalysis(text, format, resolution, runner) }, BUDGETS[size]);
        const a = median(samples.analysis);
        byFormat[format][size] = { p50_ms: round(a, 4), runs: samples.analysis.length, bytes: text.length };
        log(`  engine ${format} ${size} (${(text.length / 1024).toFixed(0)} KB): analysis ${a.toFixed(3)} ms (${samples.analysis.length} runs)`);
      }
    }
  }
  return {
    small_p50_ms: byFormat.json.small.p50_ms,
    large_p50_ms: byFormat.json.large.p50_ms,
    huge_p50_ms: byFormat.json.huge.p50_ms,
    vs_parse_ratio: ratios.large.vs_parse,
    ratios_by_size: ratios,
    by_format: byFormat,
    verdicts: verdicts.join('; '),
  };
}
