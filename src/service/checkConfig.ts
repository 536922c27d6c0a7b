/**
 * One config checked once, the way the CLI does it: the lookup request read from the file, the
 * target looked up by the lookup policy when the session steals (or may), and one analysis with
 * what the lookup found.
 */
import { analyzeConfig, planLookup } from '../core/analyze/analyzeConfig';
import { parseConfig } from '../core/config/parseConfig';
import type { Analysis, AnalyzeOptions, ConfigFormat, ResolveResult } from '../core/types';
import type { ClusterInfo } from '../kube/clusterTypes';
import { ClusterLookup } from './clusterLookup';
import type { ServiceLog } from './log';
import { resolveFromManifestFiles } from './manifestResolution';
import type { ProbeGuardSettings } from './settings';
import { lookupBlocked, lookUpTarget, type LookupOptions, type LookupPlace, type LookupStatus } from './targetLookup';

export interface CheckRequest {
  text: string;
  format: ConfigFormat;
  settings: ProbeGuardSettings;
  place: LookupPlace;
  analyzeOptions: AnalyzeOptions;
  trusted: boolean;
  log: ServiceLog;
  /** A missing manifest entry is an error (the CLI's explicit `--manifest`) or a note. */
  missingManifests: 'error' | 'warn';
  /** Shared by the configs of one run, so that each distinct target is looked up once (the resolver's cache). */
  cluster?: ClusterLookup;
  /** Reads and resolves manifests; default `resolveFromManifestFiles`. A run over many configs passes `ManifestCache.resolve`. */
  resolveManifests?: LookupOptions['resolveManifests'];
}

export interface CheckResult {
  analysis: Analysis;
  resolution?: ResolveResult;
  status: LookupStatus;
  info?: ClusterInfo;
  namespace: string;
  notes: string[];
  /** The session steals (or may) and names a target or a template, and it was not resolved. */
  unresolved: boolean;
}

export async function checkConfig(request: CheckRequest): Promise<CheckResult> {
  const { settings, analyzeOptions } = request;
  const parsed = parseConfig(request.text, request.format);
  // The lookup request first (no findings), then one analysis with whatever the lookup found.
  const plan = planLookup(parsed, analyzeOptions);
  const notes: string[] = [];
  let resolution: ResolveResult | undefined;
  let info: ClusterInfo | undefined;
  let status: LookupStatus = { kind: 'not-needed' };
  let namespace = plan.target.ref?.namespace ?? settings.namespace ?? 'default';
  const blocked = lookupBlocked(settings, request.trusted);
  if (plan.lookup && plan.steals === false && settings.clusterLookupEnabled) {
    notes.push('not stealing: the cluster was not asked for the target');
  } else if (plan.lookup && blocked) {
    status = blocked;
  } else if (plan.lookup) {
    const outcome = await lookUpTarget(request.cluster ?? new ClusterLookup(request.log), request.place, plan.lookup, settings, {
      log: request.log,
      missingManifests: request.missingManifests,
      resolveManifests: request.resolveManifests ?? resolveFromManifestFiles,
    });
    resolution = outcome.resolution;
    status = outcome.status;
    info = outcome.info;
    namespace = outcome.namespace;
    notes.push(...outcome.notes);
    if (resolution && !resolution.ok) notes.push(`target not resolved: ${resolution.failure.message}`);
  } else if (plan.target.templated) {
    notes.push('target not resolved: a template decides the target');
  }
  const analysis = analyzeConfig(parsed, resolution, analyzeOptions);
  const needsTarget = plan.steals !== false && (plan.lookup !== undefined || plan.target.templated);
  return { analysis, resolution, status, info, namespace, notes, unresolved: !resolution?.ok && needsTarget };
}

/** Re-analyses a text of the same config (fix-all iterates on it). */
export function analyzeText(text: string, format: ConfigFormat, resolution: ResolveResult | undefined, options: AnalyzeOptions): Analysis {
  return analyzeConfig(parseConfig(text, format), resolution, options);
}
