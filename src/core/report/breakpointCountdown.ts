/**
 * What the breakpoint countdown shows while a debugged mirrord session is stopped: which stolen
 * probe acts first, and the text at each moment of the hold. Pure: the caller passes the elapsed
 * time (its clock is injectable, see src/service/clock.ts) and a translate function.
 *
 * The moments come from the probe's breakpoint window (probeTiming.ts, docs/semantics.md
 * section 3): before the safe hold time nothing has happened; between it and the window's upper
 * bound the kubelet has probably acted; after the upper bound it certainly has, unless the local
 * app answered in between.
 */
import type { ProbeInfo } from '../types';
import { englishOnly, type Translate } from './probeReport';
import { breakpointWindow } from './probeTiming';

/** A liveness or readiness probe the session steals, with what the countdown needs of it. */
export interface AtRiskProbe {
  container: string;
  probe: 'liveness' | 'readiness';
  /** The port the kubelet calls, when known. */
  port?: number;
  /** httpGet path or `grpc`, for naming the probe. */
  path?: string;
  periodSeconds: number;
  safeHoldSeconds: number;
  latestSeconds: number;
}

export function atRiskProbe(
  probe: Pick<ProbeInfo, 'container' | 'port' | 'path' | 'handler' | 'periodSeconds' | 'timeoutSeconds' | 'failureThreshold'> & {
    probe: 'liveness' | 'readiness';
  },
): AtRiskProbe {
  const window = breakpointWindow(probe);
  const risk: AtRiskProbe = {
    container: probe.container,
    probe: probe.probe,
    periodSeconds: probe.periodSeconds,
    safeHoldSeconds: window.safeHoldSeconds,
    latestSeconds: window.latestSeconds,
  };
  if (probe.port !== undefined) risk.port = probe.port;
  const path = probe.handler === 'grpc' ? 'grpc' : probe.path;
  if (path !== undefined) risk.path = path;
  return risk;
}

/** The probe whose safe hold time runs out first; on a tie liveness (a restart costs more than a Service). */
export function mostUrgent(probes: readonly AtRiskProbe[]): AtRiskProbe | undefined {
  return [...probes].sort(
    (a, b) => a.safeHoldSeconds - b.safeHoldSeconds || rank(a) - rank(b) || a.latestSeconds - b.latestSeconds || a.container.localeCompare(b.container),
  )[0];
}

function rank(p: AtRiskProbe): number {
  return p.probe === 'liveness' ? 0 : 1;
}

/**
 * `holding`: every probe within its safe hold time (nothing happened yet); `acting`: the kubelet
 * has probably acted on at least one; `acted`: every window is over (it has, if nothing answered).
 */
export type CountdownPhase = 'holding' | 'acting' | 'acted';

export interface CountdownView {
  phase: CountdownPhase;
  /** Whole seconds left of the safe hold time of the probe counted down (0 when none is left). */
  secondsLeft: number;
  text: string;
}

/**
 * The text at `elapsedMs` into a hold: the countdown of the most urgent probe; once a probe's
 * safe hold time is over, what the kubelet has probably done, followed by the countdown of a
 * liveness probe still holding (a pod out of its Service is restarted next).
 */
export function countdownView(probes: AtRiskProbe | readonly AtRiskProbe[], elapsedMs: number, t: Translate = englishOnly): CountdownView {
  const all = Array.isArray(probes) ? (probes as readonly AtRiskProbe[]) : [probes as AtRiskProbe];
  const elapsed = Math.max(0, elapsedMs);
  const acted = all.filter((p) => elapsed >= p.safeHoldSeconds * 1000);
  const holding = all.filter((p) => elapsed < p.safeHoldSeconds * 1000);
  const next =
    acted.length === 0 ? mostUrgent(holding) : mostUrgent(holding.filter((p) => p.probe === 'liveness' && !acted.some((a) => a.probe === 'liveness')));
  const secondsLeft = next ? Math.ceil((next.safeHoldSeconds * 1000 - elapsed) / 1000) : 0;
  const parts: string[] = [];
  const warned = new Set<string>();
  const restarted = new Set(acted.filter((p) => p.probe === 'liveness').map((p) => p.container));
  for (const p of [...acted].sort((a, b) => rank(a) - rank(b) || a.container.localeCompare(b.container))) {
    // A restarted container is out of its Service as well: the restart says it all.
    if (p.probe === 'readiness' && restarted.has(p.container)) continue;
    const text = p.probe === 'liveness' ? t('the kubelet has probably restarted container {0}', p.container) : t('{0} is out of its Service', p.container);
    if (!warned.has(text)) parts.push(text);
    warned.add(text);
  }
  if (next) {
    parts.push(
      next.probe === 'liveness'
        ? t('{0}: liveness restarts the pod in {1} s', next.container, String(secondsLeft))
        : t('{0}: readiness takes the pod out of its Service in {1} s', next.container, String(secondsLeft)),
    );
  }
  const phase: CountdownPhase = acted.length === 0 ? 'holding' : all.every((p) => elapsed >= p.latestSeconds * 1000) ? 'acted' : 'acting';
  return { phase, secondsLeft, text: parts.join(' · ') };
}

/** When (elapsed ms) the view may change next: whole seconds while a probe holds, then the windows' ends. */
export function nextChangeMs(probes: AtRiskProbe | readonly AtRiskProbe[], elapsedMs: number): number | undefined {
  const all = Array.isArray(probes) ? (probes as readonly AtRiskProbe[]) : [probes as AtRiskProbe];
  const changes = all.map((p) => probeNextChangeMs(p, elapsedMs)).filter((c): c is number => c !== undefined);
  return changes.length ? Math.min(...changes) : undefined;
}

function probeNextChangeMs(probe: AtRiskProbe, elapsedMs: number): number | undefined {
  const elapsed = Math.max(0, elapsedMs);
  const safeMs = probe.safeHoldSeconds * 1000;
  if (elapsed < safeMs) {
    // The seconds left change when `safeMs - elapsed` crosses a multiple of 1000.
    const left = safeMs - elapsed;
    const step = left % 1000 === 0 ? 1000 : left % 1000;
    return elapsed + step;
  }
  const latestMs = probe.latestSeconds * 1000;
  return elapsed < latestMs ? latestMs : undefined;
}

/**
 * How much of a previous stop still counts after the program ran for `runningMs`: the kubelet's
 * failure count resets only when a probe succeeds, and probes come once a period, so a run
 * shorter than one period may have answered none (the conservative answer: the hold goes on).
 */
export function carriedOverHoldMs(probe: AtRiskProbe, previousHoldMs: number, runningMs: number): number {
  return runningMs < probe.periodSeconds * 1000 ? Math.max(0, previousHoldMs) : 0;
}

/** The restart count of one pod behind the target. */
export interface PodRestarts {
  name: string;
  restarts: number;
}

export interface RestartOutcome {
  restarted: boolean;
  text: string;
}

/**
 * What happened, from the restart counts read when the debugger stopped and after the window:
 * a pod whose count went up was restarted; a pod that is gone was replaced.
 */
export function restartOutcome(probe: AtRiskProbe, before: readonly PodRestarts[], after: readonly PodRestarts[], t: Translate = englishOnly): RestartOutcome {
  const now = new Map(after.map((p) => [p.name, p.restarts]));
  const restarted = before.filter((p) => (now.get(p.name) ?? p.restarts) > p.restarts);
  const gone = before.filter((p) => !now.has(p.name));
  if (restarted.length > 0) {
    const pods = restarted.map((p) => `${p.name} (${p.restarts} → ${now.get(p.name)})`).join(', ');
    return { restarted: true, text: t('the kubelet restarted container {0}: restarts of {1}', probe.container, pods) };
  }
  if (gone.length > 0) return { restarted: true, text: t('pod {0} of {1} is gone (replaced)', gone.map((p) => p.name).join(', '), probe.container) };
  if (probe.probe === 'readiness') return { restarted: false, text: t('{0} was not restarted (readiness only takes it out of its Service)', probe.container) };
  return { restarted: false, text: t('container {0} was not restarted (restart count unchanged)', probe.container) };
}
