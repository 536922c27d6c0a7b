/**
 * One config checked once, the way the CLI does it: the static analysis, the target looked up by
 * the lookup policy when the session steals (or may), and the analysis again with the target.
 */
import { analyzeConfig } from '../core/analyze/analyzeConfig';
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
  staticAnalysis: Analysis;
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
  const staticAnalysis = analyzeConfig(parsed, undefined, analyzeOptions);
  const notes: string[] = [];
  let resolution: ResolveResult | undefined;
  let info: ClusterInfo | undefined;
  let status: LookupStatus = { kind: 'not-needed' };
  let namespace = staticAnalysis.target.ref?.namespace ?? settings.namespace ?? 'default';
  const blocked = lookupBlocked(settings, request.trusted);
  if (staticAnalysis.lookup && staticAnalysis.steals === false && settings.clusterLookupEnabled) {
    notes.push('not stealing: the cluster was not asked for the target');
  } else if (staticAnalysis.lookup && blocked) {
    status = blocked;
  } else if (staticAnalysis.lookup) {
    const outcome = await lookUpTarget(request.cluster ?? new ClusterLookup(request.log), request.place, staticAnalysis.lookup, settings, {
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
  } else if (staticAnalysis.target.templated) {
    notes.push('target not resolved: a template decides the target');
  }
  const analysis = resolution ? analyzeConfig(parsed, resolution, analyzeOptions) : staticAnalysis;
  const needsTarget = staticAnalysis.steals !== false && (staticAnalysis.lookup !== undefined || staticAnalysis.target.templated);
  return { staticAnalysis, analysis, resolution, status, info, namespace, notes, unresolved: !resolution?.ok && needsTarget };
}

/** Re-analyses a text of the same config (fix-all iterates on it). */
export function analyzeText(text: string, format: ConfigFormat, resolution: ResolveResult | undefined, options: AnalyzeOptions): Analysis {
  return analyzeConfig(parseConfig(text, format), resolution, options);
}
