/**
 * The one line the launch.json CodeLens shows above a launch configuration that runs under
 * mirrord: the incoming mode, the target, the liveness/readiness verdict and the config file
 * ("mirrord: steal deployment/api, liveness stolen · .mirrord/api.mirrord.json").
 */
import * as l10n from '@vscode/l10n';
import type { Analysis, TargetRef } from '../core/types';
import type { LaunchVerdictResult } from './lspProtocol';
import { lookupStatusText } from './lookupStatusText';
import type { LookupStatus } from './targetLookup';

export interface LaunchVerdictInput {
  analysis: Pick<Analysis, 'incomingMode' | 'steals' | 'target' | 'probes' | 'findings' | 'envOverrides'>;
  status: LookupStatus;
  /** The config as the user knows it (relative to the folder); undefined: no config file. */
  configLabel?: string;
}

/** `deployment/api`, `pod/api-1/container/app`, `label/app=api`, `targetless`. */
export function targetLabel(ref: TargetRef | undefined): string | undefined {
  if (!ref) return undefined;
  if (ref.kind === 'targetless') return 'targetless';
  const name =
    ref.kind === 'label'
      ? Object.entries(ref.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
      : (ref.name ?? '');
  return `${ref.kind}/${name}${ref.container ? `/container/${ref.container}` : ''}`;
}

export function launchVerdict(input: LaunchVerdictInput): Omit<LaunchVerdictResult, 'problem'> {
  const { analysis, status } = input;
  const mode = analysis.incomingMode ?? (analysis.steals === true ? 'steal' : analysis.steals === false ? 'mirror' : 'unknown');
  const target = targetLabel(analysis.target.ref);
  const atRisk: LaunchVerdictResult['atRisk'] = [];
  for (const verdict of analysis.probes) {
    const probe = verdict.probe.probe;
    if (probe === 'startup' || verdict.verdict === 'safe') continue;
    atRisk.push({ probe, verdict: verdict.verdict, container: verdict.probe.container });
  }
  const what = `${modeWord(mode)} ${target ?? (analysis.target.templated ? l10n.t('a templated target') : l10n.t('no target'))}`;
  const title = [`mirrord: ${what}, ${verdictPhrase(input, mode, atRisk)}`, input.configLabel ?? l10n.t("mirrord's defaults (no config file)")].join(' · ');
  const details = analysis.envOverrides.map((o) => `${o.name}=${o.value}: ${o.effect}`);
  if (mode === 'steal' || mode === 'unknown') details.push(lookupStatusText(status));
  return { title, details, mode, target, atRisk, lookup: status.kind };
}

function modeWord(mode: LaunchVerdictResult['mode']): string {
  switch (mode) {
    case 'steal':
      return l10n.t('steal');
    case 'mirror':
      return l10n.t('mirror');
    case 'off':
      return l10n.t('incoming off');
    case 'unknown':
      return l10n.t('templated mode');
  }
}

/** "liveness stolen", "liveness and readiness stolen", "probes safe", "probes not looked up"... */
function verdictPhrase(input: LaunchVerdictInput, mode: LaunchVerdictResult['mode'], atRisk: LaunchVerdictResult['atRisk']): string {
  const refused = input.analysis.findings.filter((f) => f.severity === 'error' && !f.code.endsWith('-probe-stolen')).length;
  const refusal = refused > 0 ? l10n.t(', mirrord refuses this config ({0} error(s))', refused) : '';
  if (mode === 'mirror' || mode === 'off') return l10n.t('no probe stolen') + refusal;
  const stolen = kinds(atRisk.filter((r) => r.verdict === 'stolen'));
  if (stolen) return l10n.t('{0} stolen', stolen) + refusal;
  const conditional = kinds(atRisk.filter((r) => r.verdict === 'conditional'));
  if (conditional) return l10n.t('{0} stolen if the local app listens on its port', conditional) + refusal;
  const unknown = kinds(atRisk.filter((r) => r.verdict === 'unknown'));
  if (unknown) return l10n.t('{0} cannot be judged', unknown) + refusal;
  const { status } = input;
  if (status.kind === 'resolved') {
    const judged = input.analysis.probes.some((p) => p.probe.probe !== 'startup');
    return (judged ? l10n.t('probes safe') : l10n.t('no liveness or readiness probe')) + refusal;
  }
  if (status.kind === 'restricted') return l10n.t('probes not looked up (Restricted Mode)') + refusal;
  if (status.kind === 'turned-off') return l10n.t('probes not looked up (lookups turned off)') + refusal;
  if (status.kind === 'pending') return l10n.t('looking up the probes…') + refusal;
  if (status.kind === 'failed') return l10n.t('target not resolved ({0})', status.failure.kind) + refusal;
  if (input.analysis.target.templated) return l10n.t('a template decides the target') + refusal;
  return (input.analysis.target.ref ? l10n.t('probes not looked up') : l10n.t('no target to look up')) + refusal;
}

/** "liveness", "readiness", "liveness and readiness" (each once). */
function kinds(risks: LaunchVerdictResult['atRisk']): string | undefined {
  const liveness = risks.some((r) => r.probe === 'liveness');
  const readiness = risks.some((r) => r.probe === 'readiness');
  if (liveness && readiness) return l10n.t('liveness and readiness');
  if (liveness) return l10n.t('liveness');
  if (readiness) return l10n.t('readiness');
  return undefined;
}
