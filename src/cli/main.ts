import * as fs from 'node:fs';
import * as path from 'node:path';
import { configFormatForFileName } from '../core/config/parseConfig';
import { describeProbe } from '../core/k8s/probes';
import type { Analysis } from '../core/types';
import { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
import { analyzeText, checkConfig } from '../service/checkConfig';
import { fixAll } from '../service/fixes';
import { InputError, readConfigFile } from '../service/inputFiles';
import { silentLog } from '../service/log';
import { analyzeOptionsFor, readSettings, type ProbeGuardSettings, type SettingKey } from '../service/settings';
import { buildCheckReport, stealsLivenessOrReadiness } from './checkReport';
import { parseCliArguments, USAGE, type CliOptions } from './cliOptions';
import { formatSarif } from './formatSarif';
import { formatText } from './formatText';

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

/** The CLI's flags as the settings model: `--manifest` means "these manifests, no cluster". */
function settingsOf(options: CliOptions): ProbeGuardSettings {
  const values: Partial<Record<SettingKey, unknown>> = {
    'clusterLookup.enabled': options.manifests.length === 0,
    kubeconfig: options.kubeconfig,
    kubeContext: options.context,
    namespace: options.namespace,
    timeoutSeconds: options.timeoutSeconds,
    cacheTtlSeconds: 0,
    mirrordVersion: options.mirrordVersion,
    manifests: options.manifests,
  };
  return readSettings((key) => values[key], true);
}

async function run(options: CliOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, isTty: boolean): Promise<number> {
  const text = readConfigFile(options.config);
  const format = configFormatForFileName(options.config);
  const settings = settingsOf(options);
  const analyzeOptions = analyzeOptionsFor(settings, process.env, createBudgetedRegexRunner());
  const checked = await checkConfig({
    text,
    format,
    settings,
    analyzeOptions,
    place: { configDir: path.dirname(path.resolve(options.config)), baseDir: process.cwd(), env: process.env },
    // The user runs the CLI on purpose: the config and its kubeconfig are trusted.
    trusted: true,
    log: silentLog,
    missingManifests: 'error',
  });
  const { analysis, resolution, notes, unresolved } = checked;

  if (options.command === 'fix') return runFix(options, text, analysis, unresolved, out, err, (t) => analyzeText(t, format, resolution, analyzeOptions));

  const report = buildCheckReport(options.config, text, analysis, resolution, checked.namespace);
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

/** `fix`: every fix that applies (fix-all), each re-checked by re-analysing the fixed text. */
function runFix(
  options: CliOptions,
  text: string,
  analysis: Analysis,
  unresolved: boolean,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  analyze: (text: string) => Analysis,
): number {
  const fixed = fixAll(text, analyze);
  for (const fix of fixed.applied) err.write(`probe-guard: applied "${fix.title}"\n`);
  if (fixed.applied.length === 0) {
    if (stealsLivenessOrReadiness(analysis) || analysis.findings.some((f) => f.code === 'steal-without-filter' || f.code === 'filter-selects-probes')) {
      err.write('probe-guard: no fix is certainly correct for this config; see `probe-guard check`\n');
    } else err.write('probe-guard: nothing to fix\n');
  }
  if (options.write) {
    if (fixed.text !== text) fs.writeFileSync(options.config, fixed.text);
  } else {
    out.write(fixed.text);
  }
  if (fixed.applied.length === 0 && stealsLivenessOrReadiness(analysis)) return EXIT.probesStolen;
  return unresolved ? EXIT.unresolved : EXIT.ok;
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
