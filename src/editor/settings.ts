import * as vscode from 'vscode';
import type { Severity } from '../core/types';

export const SETTINGS_SECTION = 'probeGuard';

export interface ProbeGuardSettings {
  clusterLookupEnabled: boolean;
  kubeconfig?: string;
  kubeContext?: string;
  namespace?: string;
  timeoutMs: number;
  cacheTtlMs: number;
  severityOverrides: Record<string, Severity | 'off'>;
  mirrordVersion?: string;
  manifests: string[];
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Reads `probeGuard.*` for one resource. In Restricted Mode the settings that name files or
 * clusters are dropped here as well, not only by VS Code's restrictedConfigurations, because a
 * user-level value must not make an untrusted workspace reach a cluster either.
 */
export function readSettings(scope: vscode.Uri | undefined, trusted: boolean): ProbeGuardSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const text = (key: string): string | undefined => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const seconds = (key: string, fallback: number, min: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) ? Math.max(min, value) : fallback;
  };
  const severityOverrides: Record<string, Severity | 'off'> = {};
  const rawSeverity = config.get<unknown>('severity');
  if (rawSeverity && typeof rawSeverity === 'object') {
    for (const [code, level] of Object.entries(rawSeverity as Record<string, unknown>)) {
      if (typeof level === 'string' && SEVERITIES.has(level)) severityOverrides[code] = level as Severity | 'off';
    }
  }
  const manifests = config.get<unknown>('manifests');
  return {
    clusterLookupEnabled: config.get<boolean>('clusterLookup.enabled', true) !== false,
    kubeconfig: trusted ? text('kubeconfig') : undefined,
    kubeContext: trusted ? text('kubeContext') : undefined,
    namespace: trusted ? text('namespace') : undefined,
    timeoutMs: seconds('timeoutSeconds', 5, 0.1) * 1000,
    cacheTtlMs: seconds('cacheTtlSeconds', 30, 0) * 1000,
    severityOverrides,
    mirrordVersion: text('mirrordVersion'),
    manifests: trusted && Array.isArray(manifests) ? manifests.filter((m): m is string => typeof m === 'string' && m.trim() !== '') : [],
  };
}
