/**
 * A new mirrord config for a workload, verified before anyone writes it: the generated text
 * (src/core/config/newConfig.ts) is analysed against the same workload, the fix planner's
 * preferred fixes for any probe still at risk are applied (the quick fixes' recipe), and the
 * result is analysed again. Refused when a liveness or readiness probe would still be stolen, or
 * when the engine cannot tell.
 */
import { analyzeConfig } from '../core/analyze/analyzeConfig';
import { newConfigText, type NewConfigTarget } from '../core/config/newConfig';
import { parseConfig } from '../core/config/parseConfig';
import { isRiskCode } from '../core/rules';
import type { AnalyzeOptions, ResolveResult } from '../core/types';
import { fixAll } from './fixes';

export type NewConfigOutcome =
  { ok: true; text: string; applied: string[] } | { ok: false; reason: string; probes: { container: string; probe: string; verdict: string }[] };

export function verifiedNewConfig(target: NewConfigTarget, resolution: ResolveResult, options: AnalyzeOptions = {}): NewConfigOutcome {
  if (!resolution.ok) return { ok: false, reason: `The workload ${target.kind}/${target.name} was not found.`, probes: [] };
  const analyze = (text: string) => analyzeConfig(parseConfig(text, 'json'), resolution, options);
  const fixed = fixAll(newConfigText(target), analyze, undefined, (finding) => isRiskCode(finding.code));
  const analysis = analyze(fixed.text);
  const atRisk = analysis.probes
    .filter((p) => p.probe.probe !== 'startup' && p.verdict !== 'safe')
    .map((p) => ({ container: p.probe.container, probe: p.probe.probe, verdict: p.verdict }));
  const problems = analysis.findings.filter((f) => f.severity === 'error' || isRiskCode(f.code));
  if (analysis.steals !== true || atRisk.length > 0 || problems.length > 0) {
    const described = atRisk.map((p) => `${p.probe} probe of ${p.container}: ${p.verdict}`).concat(problems.map((f) => f.message));
    return {
      ok: false,
      reason: `No config that steals from ${target.kind}/${target.name} was proven safe for its probes (${described.join('; ')}).`,
      probes: atRisk,
    };
  }
  return { ok: true, text: fixed.text, applied: fixed.applied.map((f) => f.title) };
}
