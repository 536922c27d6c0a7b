/**
 * One run over many configs, in one process: the engine loaded once, the manifests read once
 * (ManifestCache), and one ClusterLookup whose resolver cache lasts the run, so that configs
 * naming the same target (kind, name, namespace, kubeconfig, context) share one lookup, even
 * when they ask at the same time (the resolver shares in-flight requests).
 */
import * as path from 'node:path';
import { configFormatForFileName } from '../core/config/parseConfig';
import type { AnalyzeOptions } from '../core/types';
import { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
import { checkConfig, type CheckResult } from '../service/checkConfig';
import { ClusterLookup } from '../service/clusterLookup';
import { InputError, readConfigFile } from '../service/inputFiles';
import { silentLog } from '../service/log';
import { ManifestCache } from '../service/manifestResolution';
import { analyzeOptionsFor, readSettings, type ProbeGuardSettings, type SettingKey } from '../service/settings';
import { kubeconfigRelativeTo } from '../service/workspaceFolders';
import type { CheckOptions } from './cliOptions';

/** Configs checked at the same time (their cluster lookups overlap; the analysis itself is synchronous). */
const CONCURRENCY = 8;
/** A CLI run is one snapshot of the cluster: nothing it looked up expires while it runs. */
const RUN_CACHE_SECONDS = 24 * 60 * 60;

export interface RunContext {
  cwd: string;
  env: Record<string, string | undefined>;
  settings: ProbeGuardSettings;
  analyzeOptions: AnalyzeOptions;
  cluster: ClusterLookup;
  manifests: ManifestCache;
}

/** One config of the run: read and checked, or why not. */
export interface ConfigRun {
  file: string;
  /** The path as reports show it: relative to the working folder when inside it. */
  display: string;
  text?: string;
  checked?: CheckResult;
  error?: string;
}

/** The target flags every command takes (check, fix, new). */
export interface CliTargetFlags {
  manifests: string[];
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  timeoutSeconds: number;
  mirrordVersion?: string;
}

/**
 * The CLI's flags as the settings model: `--manifest` means "these manifests, no cluster", a
 * relative `--kubeconfig` is from the current folder. `extra` adds what one command sets besides.
 */
export function cliSettings(flags: CliTargetFlags, cwd: string, extra: Partial<Record<SettingKey, unknown>> = {}): ProbeGuardSettings {
  const values: Partial<Record<SettingKey, unknown>> = {
    'clusterLookup.enabled': flags.manifests.length === 0,
    kubeconfig: kubeconfigRelativeTo(flags.kubeconfig, cwd),
    kubeContext: flags.context,
    namespace: flags.namespace,
    timeoutSeconds: flags.timeoutSeconds,
    mirrordVersion: flags.mirrordVersion,
    manifests: flags.manifests,
    ...extra,
  };
  return readSettings((key) => values[key], true);
}

function settingsOf(options: CheckOptions, cwd: string): ProbeGuardSettings {
  return cliSettings(options, cwd, { cacheTtlSeconds: RUN_CACHE_SECONDS, severity: options.rules });
}

/**
 * The shared state of a run. The manifests are read here, once: a missing `--manifest` entry is
 * an InputError before any config is checked; skipped manifest files come back as warnings.
 */
export function createRunContext(options: CheckOptions, env: Record<string, string | undefined>, cwd: string): { context: RunContext; warnings: string[] } {
  const settings = settingsOf(options, cwd);
  const manifests = new ManifestCache();
  const warnings = settings.manifests.length ? manifests.load(settings.manifests, { baseDir: cwd, missing: 'error' }).warnings : [];
  const context: RunContext = {
    cwd,
    env,
    settings,
    analyzeOptions: analyzeOptionsFor(settings, env, createBudgetedRegexRunner()),
    cluster: new ClusterLookup(silentLog),
    manifests,
  };
  return { context, warnings };
}

export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export async function checkOne(file: string, context: RunContext): Promise<ConfigRun> {
  const display = displayPath(file, context.cwd);
  let text: string;
  try {
    text = readConfigFile(file);
  } catch (error) {
    const message = error instanceof InputError ? error.message : `cannot read ${file}: ${String(error)}`;
    return { file, display, error: message.split(file).join(display) };
  }
  return checkText(file, text, context);
}

/** A config's text checked as `file` (its folder and format); `fix` re-checks a retargeted text this way. */
export async function checkText(file: string, text: string, context: RunContext): Promise<ConfigRun> {
  const display = displayPath(file, context.cwd);
  try {
    const checked = await checkConfig({
      text,
      format: configFormatForFileName(file),
      settings: context.settings,
      analyzeOptions: context.analyzeOptions,
      place: { configDir: path.dirname(file), baseDir: context.cwd, env: context.env },
      // The user runs the CLI on purpose: the configs and their kubeconfigs are trusted.
      trusted: true,
      log: silentLog,
      missingManifests: 'error',
      cluster: context.cluster,
      resolveManifests: context.manifests.resolve,
    });
    return { file, display, text, checked };
  } catch (error) {
    return { file, display, text, error: `unexpected failure: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Every config, CONCURRENCY at a time, each handed to `consume` as soon as it is checked (so its
 * syntax tree and analysis can go before the next ones are parsed); the results in the order of `files`.
 */
export async function checkAll<T>(files: string[], context: RunContext, consume: (run: ConfigRun) => T): Promise<T[]> {
  const results: T[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = consume(await checkOne(files[i], context));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return results;
}
