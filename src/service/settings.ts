import type { AnalyzeOptions, RegexRunner } from '../core/types';
import { isRuleCode, type RuleCode, type Severity } from './rules';
import { SETTINGS_SECTION } from './settingsSection';

/**
 * The settings model: the `probeGuard.*` keys, read the same way by the VS Code extension (from
 * `workspace.getConfiguration`) and by the language server (from `workspace/configuration`,
 * section `probeGuard`, where clients send either nested objects or dotted keys).
 */
export { SETTINGS_SECTION };

export const SETTING_KEYS = [
  'clusterLookup.enabled',
  'kubeconfig',
  'kubeContext',
  'namespace',
  'timeoutSeconds',
  'cacheTtlSeconds',
  'severity',
  'mirrordVersion',
  'manifests',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Settings that name files or clusters: ignored until the workspace is trusted. */
export const TRUST_RESTRICTED_KEYS: readonly SettingKey[] = ['kubeconfig', 'kubeContext', 'namespace', 'manifests'];

export type SeverityOverrides = Partial<Record<RuleCode, Severity | 'off'>>;

export interface ProbeGuardSettings {
  clusterLookupEnabled: boolean;
  kubeconfig?: string;
  kubeContext?: string;
  namespace?: string;
  timeoutMs: number;
  cacheTtlMs: number;
  severityOverrides: SeverityOverrides;
  mirrordVersion?: string;
  manifests: string[];
  /** Values that were ignored, one sentence each (for the log). */
  problems: string[];
}

export const DEFAULT_TIMEOUT_SECONDS = 5;
export const DEFAULT_CACHE_TTL_SECONDS = 30;
/** The levels `probeGuard.severity` (and the CLI's `--rule CODE=LEVEL`) take. */
export const SEVERITY_LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;
const SEVERITIES = new Set<string>(SEVERITY_LEVELS);

/**
 * Reads `probeGuard.*` through `get` (one key at a time). Untrusted, the settings that name files
 * or clusters are dropped here as well, not only by VS Code's restrictedConfigurations, because a
 * user-level value must not make an untrusted workspace reach a cluster either.
 */
export function readSettings(get: (key: SettingKey) => unknown, trusted: boolean): ProbeGuardSettings {
  const problems: string[] = [];
  const text = (key: SettingKey): string | undefined => {
    const value = get(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const seconds = (key: SettingKey, fallback: number, min: number): number => {
    const value = get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(min, value);
    problems.push(`${SETTINGS_SECTION}.${key} must be a number of seconds; using ${fallback}.`);
    return fallback;
  };
  const severityOverrides: SeverityOverrides = {};
  const rawSeverity = get('severity');
  if (rawSeverity && typeof rawSeverity === 'object') {
    for (const [code, level] of Object.entries(rawSeverity as Record<string, unknown>)) {
      if (!isRuleCode(code)) problems.push(`${SETTINGS_SECTION}.severity: "${code}" is not a Probe Guard rule code (see docs/rules.md).`);
      else if (typeof level !== 'string' || !SEVERITIES.has(level))
        problems.push(`${SETTINGS_SECTION}.severity.${code} must be error, warning, information, hint or off.`);
      else severityOverrides[code] = level as Severity | 'off';
    }
  }
  const manifests = get('manifests');
  const enabled = get('clusterLookup.enabled');
  return {
    clusterLookupEnabled: enabled !== false,
    kubeconfig: trusted ? text('kubeconfig') : undefined,
    kubeContext: trusted ? text('kubeContext') : undefined,
    namespace: trusted ? text('namespace') : undefined,
    timeoutMs: seconds('timeoutSeconds', DEFAULT_TIMEOUT_SECONDS, 0.1) * 1000,
    cacheTtlMs: seconds('cacheTtlSeconds', DEFAULT_CACHE_TTL_SECONDS, 0) * 1000,
    severityOverrides,
    mirrordVersion: text('mirrordVersion'),
    manifests: trusted && Array.isArray(manifests) ? manifests.filter((m): m is string => typeof m === 'string' && m.trim() !== '') : [],
    problems,
  };
}

/**
 * `get` over the `probeGuard` section as a JSON value: `{"clusterLookup": {"enabled": false}}`
 * and `{"clusterLookup.enabled": false}` both work (editors differ in how they send it).
 */
export function sectionReader(section: unknown): (key: SettingKey) => unknown {
  const root = section && typeof section === 'object' ? (section as Record<string, unknown>) : {};
  return (key) => {
    if (Object.prototype.hasOwnProperty.call(root, key)) return root[key];
    let node: unknown = root;
    for (const part of key.split('.')) {
      if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node;
  };
}

/** The engine options a front end's settings and session environment give. */
export function analyzeOptionsFor(settings: ProbeGuardSettings, env: Record<string, string | undefined> | undefined, regexRunner: RegexRunner): AnalyzeOptions {
  return { mirrordVersion: settings.mirrordVersion, env, regexRunner, severityOverrides: settings.severityOverrides };
}
