/**
 * The countdown of one debug session (src/service/breakpointCountdownTimer.ts) on a manual clock:
 * started at a stop, ticking each second, warning after the safe hold time, cleared on continue
 * and end, a short run carried over, and the restart counts read before and after the window.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { atRiskProbe, type PodRestarts } from '../../../src/core/report/breakpointCountdown';
import { BreakpointCountdown, type CountdownDisplay } from '../../../src/service/breakpointCountdownTimer';
import { scaledClock } from '../../../src/service/clock';
import { ManualClock } from '../../support/manualClock';

const DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 };
const liveness = atRiskProbe({ container: 'checkout', probe: 'liveness', handler: 'httpGet', port: 8080, path: '/healthz', ...DEFAULTS });
const readiness = atRiskProbe({ container: 'checkout', probe: 'readiness', handler: 'httpGet', port: 8080, path: '/ready', ...DEFAULTS });

function setup(readRestarts?: () => Promise<PodRestarts[] | undefined>) {
  const clock = new ManualClock(1_000_000);
  const shown: (CountdownDisplay | undefined)[] = [];
  const countdown = new BreakpointCountdown([readiness, liveness], { clock, show: (d) => shown.push(d), readRestarts });
  const last = () => shown.at(-1);
  return { clock, shown, countdown, last };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BreakpointCountdown', () => {
  test('counts down the most urgent probe from the stop, then warns', () => {
    const { clock, countdown, last } = setup();
    assert.equal(countdown.subject, liveness);
    countdown.stopped();
    assert.deepEqual({ text: last()?.text, level: last()?.level }, { text: 'checkout: liveness restarts the pod in 21 s', level: 'counting' });
    assert.match(last()?.tooltip ?? '', /checkout liveness :8080\/healthz: acts 21 to 31 s/);
    clock.advance(4_000);
    assert.equal(last()?.text, 'checkout: liveness restarts the pod in 17 s');
    clock.advance(17_000);
    assert.deepEqual({ text: last()?.text, level: last()?.level }, { text: 'the kubelet has probably restarted container checkout', level: 'warning' });
    clock.advance(60_000);
    assert.equal(clock.pending, 0, 'no timer left once the window is over');
  });

  test('a stop reported late (the verdict came after it) counts from when it happened', () => {
    const { clock, countdown, last } = setup();
    const at = clock.now();
    clock.advance(3_000);
    countdown.stopped(at);
    assert.equal(last()?.text, 'checkout: liveness restarts the pod in 18 s');
  });

  test('continue clears it and stops the timer', () => {
    const { clock, countdown, last } = setup();
    countdown.stopped();
    clock.advance(5_000);
    countdown.continued();
    assert.equal(last(), undefined);
    assert.equal(countdown.holding, false);
    assert.equal(clock.pending, 0);
  });

  test('a second stop while stopped (another thread) changes nothing', () => {
    const { clock, countdown, last } = setup();
    countdown.stopped();
    clock.advance(3_000);
    countdown.stopped();
    assert.equal(last()?.text, 'checkout: liveness restarts the pod in 18 s');
  });

  test('a run shorter than a period carries the hold over; a longer one starts again', () => {
    const { clock, countdown, last } = setup();
    countdown.stopped();
    clock.advance(15_000);
    countdown.continued();
    clock.advance(2_000);
    countdown.stopped();
    assert.equal(last()?.text, 'checkout: liveness restarts the pod in 6 s');
    countdown.continued();
    clock.advance(10_000);
    countdown.stopped();
    assert.equal(last()?.text, 'checkout: liveness restarts the pod in 21 s');
  });

  test('the end of the session clears it, and a later stop starts afresh', () => {
    const { clock, countdown, last } = setup();
    countdown.stopped();
    clock.advance(15_000);
    countdown.ended();
    assert.equal(last(), undefined);
    countdown.stopped();
    assert.equal(last()?.text, 'checkout: liveness restarts the pod in 21 s');
  });

  test('after the window the restart counts say what happened', async () => {
    let counts = [{ name: 'checkout-7d9c', restarts: 2 }];
    const reads: number[] = [];
    const { clock, countdown, last } = setup(async () => {
      reads.push(clock.now());
      return counts;
    });
    countdown.stopped();
    await settle();
    counts = [{ name: 'checkout-7d9c', restarts: 3 }];
    clock.advance(31_000);
    await settle();
    assert.equal(reads.length, 2, 'read at the stop and after the window');
    assert.deepEqual(
      { text: last()?.text, level: last()?.level },
      { text: 'the kubelet restarted container checkout: restarts of checkout-7d9c (2 → 3)', level: 'warning' },
    );
  });

  test('unchanged counts: said so, as an outcome', async () => {
    const { clock, countdown, last } = setup(async () => [{ name: 'checkout-7d9c', restarts: 2 }]);
    countdown.stopped();
    clock.advance(31_000);
    await settle();
    assert.deepEqual(
      { text: last()?.text, level: last()?.level },
      { text: 'container checkout was not restarted (restart count unchanged)', level: 'outcome' },
    );
  });

  test('counts that cannot be read leave the warning', async () => {
    const { clock, countdown, last } = setup(async () => undefined);
    countdown.stopped();
    clock.advance(31_000);
    await settle();
    assert.equal(last()?.text, 'the kubelet has probably restarted container checkout');
  });

  test('a read that comes back after continue shows nothing', async () => {
    let release: (v: PodRestarts[]) => void = () => undefined;
    let calls = 0;
    const { clock, countdown, shown } = setup(() => {
      calls++;
      return calls === 1 ? Promise.resolve([{ name: 'p', restarts: 0 }]) : new Promise((resolve) => (release = resolve));
    });
    countdown.stopped();
    clock.advance(31_000);
    await settle();
    countdown.continued();
    const count = shown.length;
    release([{ name: 'p', restarts: 1 }]);
    await settle();
    assert.equal(shown.length, count);
    assert.equal(shown.at(-1), undefined);
  });

  test('no probe at risk: never shows anything', () => {
    const clock = new ManualClock(1_000_000);
    const shown: unknown[] = [];
    const countdown = new BreakpointCountdown([], { clock, show: (d) => shown.push(d) });
    countdown.stopped();
    clock.advance(60_000);
    assert.deepEqual(shown, []);
  });
});

describe('scaledClock', () => {
  test('runs faster than its base, timers shortened by the same factor', () => {
    const base = new ManualClock(1_000_000);
    const fast = scaledClock(20, base);
    const start = fast.now();
    let fired = false;
    fast.setTimeout(() => (fired = true), 20_000);
    base.advance(999);
    assert.equal(fired, false);
    base.advance(1);
    assert.equal(fired, true);
    assert.equal(fast.now() - start, 20_000);
  });

  test('a scale of 1 or a bad value is the base clock itself', () => {
    const base = new ManualClock(1_000_000);
    assert.equal(scaledClock(1, base), base);
    assert.equal(scaledClock(Number.NaN, base), base);
    assert.equal(scaledClock(-2, base), base);
  });
});
