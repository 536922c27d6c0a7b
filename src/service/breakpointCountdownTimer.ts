/**
 * The breakpoint countdown of one debug session under mirrord whose config steals probes: started
 * when the debugger stops, cleared when the program continues or the session ends. Runs on an
 * injected clock; what it shows at each moment is core/report/breakpointCountdown.ts. After the
 * window, when the restart counts can be read (trusted, from the cluster), it says what happened.
 */
import {
  carriedOverHoldMs,
  countdownView,
  mostUrgent,
  nextChangeMs,
  restartOutcome,
  type AtRiskProbe,
  type PodRestarts,
} from '../core/report/breakpointCountdown';
import { englishOnly, type Translate } from '../core/report/probeReport';
import type { Clock } from './clock';

export interface CountdownDisplay {
  text: string;
  tooltip: string;
  /** `counting`: within the safe hold time; `warning`: the kubelet has (probably) acted; `outcome`: the restart count says it did not. */
  level: 'counting' | 'warning' | 'outcome';
}

export interface CountdownHost {
  clock: Clock;
  /** Shows the display, or clears it (undefined). */
  show(display: CountdownDisplay | undefined): void;
  /** The restart counts of the target's pods; undefined when they cannot be read. Never rejects. */
  readRestarts?(): Promise<PodRestarts[] | undefined>;
  t?: Translate;
}

export class BreakpointCountdown {
  private readonly probes: readonly AtRiskProbe[];
  /** The probe whose restart the outcome is about: a liveness probe when one is at risk. */
  private readonly probe: AtRiskProbe | undefined;
  private readonly t: Translate;
  /** Clock time the current hold counts from; undefined while the program runs. */
  private holdStart: number | undefined;
  private timer: { cancel(): void } | undefined;
  private lastContinue: { at: number; heldMs: number } | undefined;
  private restartsBefore: Promise<PodRestarts[] | undefined> | undefined;
  /** Bumped on every continue and end, so a late restart read of an earlier stop shows nothing. */
  private generation = 0;

  constructor(
    probes: readonly AtRiskProbe[],
    private readonly host: CountdownHost,
  ) {
    this.probes = [...probes];
    this.probe = mostUrgent(probes.filter((p) => p.probe === 'liveness')) ?? mostUrgent(probes);
    this.t = host.t ?? englishOnly;
  }

  /** The probe the restart outcome is about (the most urgent liveness probe, else the most urgent one); undefined when none is at risk. */
  get subject(): AtRiskProbe | undefined {
    return this.probe;
  }

  get holding(): boolean {
    return this.holdStart !== undefined;
  }

  /**
   * The debugger stopped (breakpoint, exception, pause, step end) at `at` (clock time, default
   * now). A second stop while stopped changes nothing.
   */
  stopped(at?: number): void {
    const probe = this.probe;
    if (!probe || this.holdStart !== undefined) return;
    const now = Math.min(at ?? this.host.clock.now(), this.host.clock.now());
    const shortest = [...this.probes].sort((a, b) => a.periodSeconds - b.periodSeconds)[0] ?? probe;
    const carried = this.lastContinue ? carriedOverHoldMs(shortest, this.lastContinue.heldMs, now - this.lastContinue.at) : 0;
    this.lastContinue = undefined;
    this.holdStart = now - carried;
    // A hold that goes on keeps the counts read when it began.
    if (carried === 0 || !this.restartsBefore) this.restartsBefore = this.host.readRestarts?.();
    this.render();
  }

  /** The program runs again (continue, step). */
  continued(): void {
    if (this.holdStart === undefined) return;
    const now = this.host.clock.now();
    this.lastContinue = { at: now, heldMs: now - this.holdStart };
    this.clear();
  }

  /** The session ended. */
  ended(): void {
    this.lastContinue = undefined;
    this.restartsBefore = undefined;
    if (this.holdStart !== undefined) this.clear();
  }

  private clear(): void {
    this.holdStart = undefined;
    this.generation++;
    this.timer?.cancel();
    this.timer = undefined;
    this.host.show(undefined);
  }

  private render(): void {
    const probe = this.probe;
    if (!probe || this.holdStart === undefined) return;
    const elapsed = this.host.clock.now() - this.holdStart;
    const view = countdownView(this.probes, elapsed, this.t);
    this.host.show({ text: view.text, tooltip: this.tooltip(), level: view.phase === 'holding' ? 'counting' : 'warning' });
    const next = nextChangeMs(this.probes, elapsed);
    if (next !== undefined) {
      this.timer = this.host.clock.setTimeout(() => this.render(), Math.max(0, next - elapsed));
    } else {
      this.timer = undefined;
      void this.showOutcome(probe);
    }
  }

  private async showOutcome(probe: AtRiskProbe): Promise<void> {
    const generation = this.generation;
    const before = await this.restartsBefore;
    if (!before || !this.host.readRestarts) return;
    const after = await this.host.readRestarts();
    if (!after || generation !== this.generation || this.holdStart === undefined) return;
    const outcome = restartOutcome(probe, before, after, this.t);
    this.host.show({ text: outcome.text, tooltip: this.tooltip(), level: outcome.restarted ? 'warning' : 'outcome' });
  }

  private tooltip(): string {
    const lines = [...this.probes]
      .sort((a, b) => a.safeHoldSeconds - b.safeHoldSeconds)
      .map((p) => {
        const where = p.port !== undefined ? ` :${p.port}${p.path && p.path !== 'grpc' ? p.path : ''}` : '';
        return this.t(
          '{0} {1}{2}: acts {3} to {4} s after the local app stops answering',
          p.container,
          p.probe,
          where,
          String(p.safeHoldSeconds),
          String(p.latestSeconds),
        );
      });
    return [
      this.t(
        'Probe Guard: this mirrord session steals these probes, and while the debugger is stopped nothing answers them. Continue within the safe hold time (the first number) to keep the pod.',
      ),
      ...lines,
    ].join('\n');
  }
}
