import * as fs from 'node:fs';
import { analyzeConfig } from '../core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../core/config/parseConfig';
import { applyTextEdits } from '../core/fix/structuralEdits';
import { describeProbe } from '../core/k8s/probes';
import type { Analysis, AnalyzeOptions, Fix, ResolveResult } from '../core/types';
import { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
import { buildCheckReport, stealsLivenessOrReadiness } from './checkReport';
import { parseCliArguments, USAGE, type CliOptions } from './cliOptions';
import { formatSarif } from './formatSarif';
import { formatText } from './formatText';
import { InputError, readConfigFile } from './readInputs';
import { resolveTarget } from './resolveTarget';

const VERSION = '0.1.0';

export const EXIT = { ok: 0, probesStolen: 1, usage: 2, unresolved: 3 } as const;

export async function runCli(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, isTty: boolean): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArguments(argv);
  } catch (error) {
    const message = (error as Error).message;
    err.write(message ? `probe-guard: ${message}\n\n${USAGE}\n` : `${USAGE}\n`);
    return message ? EXIT.usage : EXIT.ok;
  }
  try {
    return await run(options, out, err, isTty);
  } catch (error) {
    if (error instanceof InputError) {
      err.write(`probe-guard: ${error.message}\n`);
      return EXIT.usage;
    }
    err.write(`probe-guard: unexpected failure: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.usage;
  }
}

async function run(options: CliOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, isTty: boolean): Promise<number> {
  const text = readConfigFile(options.config);
  const format = configFormatForFileName(options.config);
  const analyzeOptions: AnalyzeOptions = { mirrordVersion: options.mirrordVersion, env: process.env, regexRunner: createBudgetedRegexRunner() };
  const parsed = parseConfig(text, format);
  const staticAnalysis = analyzeConfig(parsed, undefined, analyzeOptions);

  let resolution: ResolveResult | undefined;
  let namespace = staticAnalysis.target.ref?.namespace ?? options.namespace ?? 'default';
  const notes: string[] = [];
  const skipCluster = staticAnalysis.steals === false && options.manifests.length === 0;
  if (staticAnalysis.lookup && skipCluster) {
    notes.push('not stealing: the cluster was not asked for the target');
  } else if (staticAnalysis.lookup) {
    const lookup = await resolveTarget(staticAnalysis.lookup, options, options.config);
    resolution = lookup.resolution;
    namespace = lookup.namespace;
    notes.push(...lookup.notes);
    if (!resolution.ok) notes.push(`target not resolved: ${resolution.failure.message}`);
  } else if (staticAnalysis.target.templated) {
    notes.push('target not resolved: a template decides the target');
  }
  const analysis = resolution ? analyzeConfig(parsed, resolution, analyzeOptions) : staticAnalysis;
  const unresolved = !resolution?.ok && needsTarget(staticAnalysis);

  if (options.command === 'fix') return runFix(options, text, analysis, unresolved, out, err);

  const report = buildCheckReport(options.config, text, analysis, resolution, namespace);
  if (options.format === 'json') out.write(JSON.stringify(report, null, 2) + '\n');
  else if (options.format === 'sarif') out.write(formatSarif(report, VERSION));
  else
    out.write(
      formatText(
        report,
        analysis.probes.map((p) => describeProbe(p.probe)),
        notes,
        isTty && !process.env.NO_COLOR,
      ),
    );
  if (options.format !== 'text') for (const note of notes) err.write(`probe-guard: ${note}\n`);
  if (stealsLivenessOrReadiness(analysis)) return EXIT.probesStolen;
  return unresolved ? EXIT.unresolved : EXIT.ok;
}

/** A target must be resolved when the session steals (or may) and names a target or a template. */
function needsTarget(analysis: Analysis): boolean {
  if (analysis.steals === false) return false;
  return analysis.lookup !== undefined || analysis.target.templated;
}

function runFix(options: CliOptions, text: string, analysis: Analysis, unresolved: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const fix = preferredFix(analysis);
  const fixed = fix ? applyTextEdits(text, fix.edits) : text;
  if (fix) err.write(`probe-guard: applied "${fix.title}"\n`);
  else if (stealsLivenessOrReadiness(analysis) || analysis.findings.some((f) => f.code === 'steal-without-filter' || f.code === 'filter-selects-probes')) {
    err.write('probe-guard: no fix is certainly correct for this config; see `probe-guard check`\n');
  } else err.write('probe-guard: nothing to fix\n');
  if (options.write) {
    if (fixed !== text) fs.writeFileSync(options.config, fixed);
  } else {
    out.write(fixed);
  }
  if (!fix && stealsLivenessOrReadiness(analysis)) return EXIT.probesStolen;
  return unresolved ? EXIT.unresolved : EXIT.ok;
}

function preferredFix(analysis: Analysis): Fix | undefined {
  for (const finding of analysis.findings) {
    const fix = finding.fixes.find((f) => f.isPreferred) ?? finding.fixes[0];
    if (fix) return fix;
  }
  return undefined;
}

/** The `probe-guard` command (bin/probe-guard.js). */
export function main(): void {
  runCli(process.argv.slice(2), process.stdout, process.stderr, Boolean(process.stdout.isTTY)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT.usage;
    },
  );
}
