import type { ProbeInfo } from '../types';

/**
 * When the kubelet acts on a probe that stops being answered: the failures start counting at the
 * first probe after the local app stops answering, which comes up to one period later, and the
 * last one fails after its timeout. So the container is restarted (liveness) or taken out of its
 * Services (readiness) between `(failureThreshold - 1) × period + timeout` and
 * `failureThreshold × period + timeout` (21 to 31 s with the defaults). The lower bound is the
 * safe hold time: a breakpoint held for less never costs the pod (docs/semantics.md section 3).
 */
export interface BreakpointWindow {
  safeHoldSeconds: number;
  latestSeconds: number;
}

export function breakpointWindow(p: Pick<ProbeInfo, 'failureThreshold' | 'periodSeconds' | 'timeoutSeconds'>): BreakpointWindow {
  return {
    safeHoldSeconds: (p.failureThreshold - 1) * p.periodSeconds + p.timeoutSeconds,
    latestSeconds: p.failureThreshold * p.periodSeconds + p.timeoutSeconds,
  };
}

/** `21-31 s`, for table cells. */
export function breakpointWindowShort(p: Pick<ProbeInfo, 'failureThreshold' | 'periodSeconds' | 'timeoutSeconds'>): string {
  const w = breakpointWindow(p);
  return `${w.safeHoldSeconds}-${w.latestSeconds} s`;
}

/** `between 21 and 31 s after the local app stops answering (safe hold time 21 s: (3-1) × 10 s + 1 s)`. */
export function breakpointWindowText(p: Pick<ProbeInfo, 'failureThreshold' | 'periodSeconds' | 'timeoutSeconds'>): string {
  const w = breakpointWindow(p);
  return (
    `between ${w.safeHoldSeconds} and ${w.latestSeconds} s after the local app stops answering ` +
    `(safe hold time ${w.safeHoldSeconds} s: (${p.failureThreshold}-1) × ${p.periodSeconds} s + ${p.timeoutSeconds} s)`
  );
}
