import { getEntry } from '../config/configQuery';
import { directRegexRunner } from '../regex/directRunner';
import { isRiskCode } from '../rules';
import { readTarget } from '../target/readTarget';
import type { Analysis, AnalyzeOptions, EnvOverride, Finding, Fix, LookupRequest, ParsedConfig, ProbeVerdict, ResolveResult, TargetSummary } from '../types';
import { applyNetworkEnv, applyTargetEnv, clusterEnv } from './envOverrides';
import type { AnalysisState } from './analysisState';
import { conditionSentence } from '../report/verdictText';
import { configProblemFindings } from './configFindings';
import { otherContainerOf } from './containerPorts';
import { planFixes } from './fixPlanner';
import { ambiguousTargetFinding, probeFindings, staticRiskFindings } from './probeFindings';
import { notFoundFindings } from './targetFixes';
import { decideProbe, type FilterPortsRule, type ProbeDecision, type VerdictContext } from './probeVerdict';
import { strictJsonFindings } from './strictJsonFindings';
import { readNetworkSettings, type NetworkSettings } from './readNetworkSettings';
import { probesOfTarget, type TargetProbe } from './targetProbes';
import { elideLongQuotes } from '../text/elideQuoted';

/**
 * The engine's entry point: what this config would do to the target's probes.
 * `resolution` is the target as found in a cluster or in manifests; without it only the static
 * findings (config errors, a filter that selects probes, steal with no filter) come back.
 * Pure and synchronous; never throws on any input.
 */
export function analyzeConfig(parsed: ParsedConfig, resolution?: ResolveResult, options: AnalyzeOptions = {}): Analysis {
  try {
    options.regexRunner?.beginAnalysis?.();
    return analyzeUnsafe(parsed, resolution, options);
  } catch (error) {
    // A bug must cost a finding, not the editor's analysis of the file.
    return {
      format: parsed.format,
      target: { templated: false },
      steals: 'unknown',
      probes: [],
      filterPortsRule: filterPortsRuleFor(options.mirrordVersion),
      envOverrides: [],
      findings: [
        {
          code: 'internal-error',
          severity: 'information',
          message: `Probe Guard could not analyse this file: ${(error as Error)?.message ?? String(error)}`,
          span: { start: 0, end: 0 },
          fixes: [],
        },
      ],
    };
  }
}

/** The network settings and the target, with the environment applied: what a lookup and an analysis start from. */
function readSettingsAndTarget(parsed: ParsedConfig, env: Record<string, string | undefined>) {
  const envOverrides: EnvOverride[] = [];
  const settings = readNetworkSettings(parsed.root);
  applyNetworkEnv(env, settings, envOverrides);
  const targetReading = readTarget(getEntry(parsed.root, 'target')?.value);
  const target: TargetSummary = { ref: targetReading.ref, templated: targetReading.templated, span: targetReading.pathNode?.span };
  applyTargetEnv(env, target, settings.problems, envOverrides);
  return { settings, targetReading, target, envOverrides };
}

function stealsOf(settings: NetworkSettings): Analysis['steals'] {
  return settings.mode === 'steal' ? true : settings.mode === 'unknown' ? 'unknown' : false;
}

/**
 * What a front end needs before the target is resolved (the lookup request, whether the session
 * steals, whether a template decides the target), without the findings: so that a config is
 * analysed once, with its resolution, instead of once before the lookup and again after it.
 * The same values as `analyzeConfig(parsed, undefined, options)` gives. Never throws.
 */
export function planLookup(parsed: ParsedConfig, options: AnalyzeOptions = {}): Pick<Analysis, 'lookup' | 'steals' | 'target'> {
  try {
    const env = options.env ?? {};
    const { settings, target, envOverrides } = readSettingsAndTarget(parsed, env);
    return { target, lookup: lookupRequest(target, parsed.root, env, envOverrides), steals: stealsOf(settings) };
  } catch {
    return { target: { templated: false }, steals: 'unknown' };
  }
}

function analyzeUnsafe(parsed: ParsedConfig, resolution: ResolveResult | undefined, options: AnalyzeOptions): Analysis {
  const env = options.env ?? {};
  const root = parsed.root;
  const { settings, targetReading, target, envOverrides } = readSettingsAndTarget(parsed, env);

  const filterPortsRule = filterPortsRuleFor(options.mirrordVersion);
  const context: VerdictContext = {
    settings,
    filterPortsRule,
    regexRunner: options.regexRunner ?? directRegexRunner,
    targetKind: target.ref?.kind,
    jobsRunOnCopy: versionAtLeast(options.mirrordVersion, 3, 237),
  };
  const state: AnalysisState = { parsed, settings, targetRef: target.ref, context, resolution, options };

  const findings: Finding[] = configProblemFindings(parsed, settings, targetReading, target.ref, options.mirrordVersion);
  const probes: ProbeVerdict[] = [];
  if (resolution?.ok) {
    const decided = probesOfTarget(resolution).map((targetProbe) => {
      const decision = decideProbe(targetProbe.probe, context);
      const verdict = probeVerdictOf(targetProbe, decision);
      verdict.reason = elideLongQuotes(verdict.reason);
      probes.push(verdict);
      return { verdict, decision, pod: targetProbe.pod };
    });
    const ambiguity = ambiguousTargetFinding(resolution, target);
    if (ambiguity) findings.push(ambiguity);
    findings.push(...probeFindings(state, decided));
  } else {
    findings.push(...staticRiskFindings(state));
    if (resolution && !resolution.ok && settings.mode === 'steal') findings.push(notFoundFindings(parsed, resolution.failure, target, options.env));
  }
  // Last, so that "fix all" and `probe-guard fix` take the probe fixes first.
  findings.push(...strictJsonFindings(parsed));
  for (const finding of findings) finding.message = elideLongQuotes(finding.message);

  return {
    format: parsed.format,
    target,
    lookup: lookupRequest(target, root, env, envOverrides),
    steals: stealsOf(settings),
    incomingMode: settings.mode,
    incomingSpan: settings.incomingEntry?.value.span ?? settings.modeSpan,
    probes,
    findings: applySeverityOverrides(attachLazyFixes(findings, state), options.severityOverrides),
    filterPortsRule,
    envOverrides,
  };
}

/**
 * The verdicts this config would give another target than its own: a completion candidate (a
 * workload of the cluster or the manifests) judged under the config's network settings and
 * environment, as if the config named it. Pure; never throws (an empty list on a bug).
 */
export function verdictsForCandidate(parsed: ParsedConfig, candidate: ResolveResult & { ok: true }, options: AnalyzeOptions = {}): ProbeVerdict[] {
  try {
    const { settings } = readSettingsAndTarget(parsed, options.env ?? {});
    const context: VerdictContext = {
      settings,
      filterPortsRule: filterPortsRuleFor(options.mirrordVersion),
      regexRunner: options.regexRunner ?? directRegexRunner,
      targetKind: candidate.target.ref.kind,
      jobsRunOnCopy: versionAtLeast(options.mirrordVersion, 3, 237),
    };
    return probesOfTarget(candidate).map((targetProbe) => probeVerdictOf(targetProbe, decideProbe(targetProbe.probe, context)));
  } catch {
    return [];
  }
}

export function filterPortsRuleFor(version: string | undefined): FilterPortsRule {
  return versionAtLeast(version, 3, 181) ? 'unlisted-ports-stolen-whole' : 'unlisted-ports-not-stolen';
}

/** True for an unreadable or absent version: the current rules apply by default. */
function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version?.trim() ?? '');
  if (!match) return true;
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have > major || (have === major && haveMinor >= minor);
}

/**
 * A stolen decision on a port of another container of the pod is `conditional`: the local app
 * (a build of the target container) must listen there for mirrord to steal it.
 */
function probeVerdictOf(targetProbe: TargetProbe, decision: ProbeDecision): ProbeVerdict {
  const { probe, podDescription, ports } = targetProbe;
  const verdict: ProbeVerdict = { probe, podDescription, verdict: decision.verdict, reason: decision.reason };
  if (decision.port !== undefined) verdict.port = decision.port;
  if (decision.verdict === 'stolen' && decision.port !== undefined) {
    const owner = otherContainerOf(decision.port, probe, ports);
    if (owner) {
      verdict.verdict = 'conditional';
      verdict.condition = conditionSentence(decision.port, owner, { name: ports.targetContainer, defaulted: ports.defaulted, defaultedBy: ports.defaultedBy });
    }
  }
  return verdict;
}

function lookupRequest(
  target: TargetSummary,
  root: ParsedConfig['root'],
  env: Record<string, string | undefined>,
  applied: EnvOverride[],
): LookupRequest | undefined {
  const ref = target.ref;
  if (!ref || target.templated || ref.kind === 'targetless') return undefined;
  const request: LookupRequest = { ref };
  if (ref.namespace) request.namespace = ref.namespace;
  const fromEnv = clusterEnv(env, applied);
  const kubeconfig = fromEnv.kubeconfig ?? stringValue(getEntry(root, 'kubeconfig')?.value);
  const kubeContext = fromEnv.kubeContext ?? stringValue(getEntry(root, 'kube_context')?.value);
  if (kubeconfig) request.kubeconfig = kubeconfig;
  if (kubeContext) request.kubeContext = kubeContext;
  return request;
}

function stringValue(node: ParsedConfig['root']): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' && node.value !== '' ? node.value : undefined;
}

/**
 * Fixes are planned only when someone asks for them (a quick-fix menu, `probe-guard fix`):
 * planning re-analyses the fixed text, which would otherwise double the cost of every keystroke.
 * All risk findings of one analysis share one plan.
 */
function attachLazyFixes(findings: Finding[], state: AnalysisState): Finding[] {
  let plan: Fix[] | undefined;
  const planOnce = (): Fix[] => {
    if (plan) return plan;
    // Planning re-analyses fixed texts: it gets a total regex budget of its own.
    state.options.regexRunner?.beginAnalysis?.();
    return (plan = planFixes(state, analyzeForVerification));
  };
  return findings.map((finding) => (isRiskCode(finding.code) && finding.fixes.length === 0 ? new LazyFixFinding(finding, planOnce) : finding));
}

class LazyFixFinding implements Finding {
  code: Finding['code'];
  severity: Finding['severity'];
  message: string;
  span: Finding['span'];
  related?: Finding['related'];
  constructor(
    finding: Finding,
    private readonly plan: () => Fix[],
  ) {
    this.code = finding.code;
    this.severity = finding.severity;
    this.message = finding.message;
    this.span = finding.span;
    if (finding.related) this.related = finding.related;
  }
  get fixes(): Fix[] {
    return this.plan();
  }
}

/** Re-analysis used to prove a fix correct; it never plans fixes itself. */
function analyzeForVerification(parsed: ParsedConfig, state: AnalysisState): Analysis {
  return analyzeUnsafe(parsed, state.resolution, state.options);
}

function applySeverityOverrides(findings: Finding[], overrides: AnalyzeOptions['severityOverrides']): Finding[] {
  if (!overrides) return findings;
  const kept: Finding[] = [];
  for (const finding of findings) {
    const override = overrides[finding.code];
    if (override === 'off') continue;
    if (override) finding.severity = override;
    kept.push(finding);
  }
  return kept;
}
