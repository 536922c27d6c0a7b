/**
 * The breakpoint countdown's pure logic (src/core/report/breakpointCountdown.ts): which stolen
 * probe acts first, the text at each moment of a hold, when it changes, what a short run carries
 * over, and what the restart counts say afterwards.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  atRiskProbe,
  carriedOverHoldMs,
  countdownView,
  mostUrgent,
  nextChangeMs,
  restartOutcome,
  type AtRiskProbe,
} from '../../../src/core/report/breakpointCountdown';

const DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 };
const liveness = atRiskProbe({ container: 'checkout', probe: 'liveness', handler: 'httpGet', port: 8080, path: '/healthz', ...DEFAULTS });
const readiness = atRiskProbe({ container: 'checkout', probe: 'readiness', handler: 'httpGet', port: 8080, path: '/ready', ...DEFAULTS });

describe('atRiskProbe', () => {
  test('the window of the default timing is 21 to 31 s', () => {
    assert.deepEqual(liveness, {
      container: 'checkout',
      probe: 'liveness',
      port: 8080,
      path: '/healthz',
      periodSeconds: 10,
      safeHoldSeconds: 21,
      latestSeconds: 31,
    });
  });

  test('a gRPC probe is named grpc, and its own timing gives its window', () => {
    const grpc = atRiskProbe({
      container: 'inventory',
      probe: 'readiness',
      handler: 'grpc',
      port: 9090,
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 2,
    });
    assert.equal(grpc.path, 'grpc');
    assert.equal(grpc.safeHoldSeconds, 7);
    assert.equal(grpc.latestSeconds, 12);
  });
});

describe('mostUrgent', () => {
  test('the shortest safe hold time wins, whatever the kind', () => {
    const quickReadiness = atRiskProbe({ container: 'web', probe: 'readiness', handler: 'httpGet', periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 1 });
    assert.equal(mostUrgent([liveness, quickReadiness]), quickReadiness);
  });

  test('on a tie liveness comes first', () => {
    assert.equal(mostUrgent([readiness, liveness]), liveness);
  });

  test('nothing at risk: no subject', () => {
    assert.equal(mostUrgent([]), undefined);
  });
});

describe('countdownView', () => {
  test('counts down the safe hold time in whole seconds', () => {
    assert.deepEqual(countdownView(liveness, 0), { phase: 'holding', secondsLeft: 21, text: 'checkout: liveness restarts the pod in 21 s' });
    assert.equal(countdownView(liveness, 4_000).text, 'checkout: liveness restarts the pod in 17 s');
    assert.equal(countdownView(liveness, 4_001).secondsLeft, 17);
    assert.equal(countdownView(liveness, 20_999).secondsLeft, 1);
  });

  test('warns once the safe hold time is over, and past the window', () => {
    assert.deepEqual(countdownView(liveness, 21_000), { phase: 'acting', secondsLeft: 0, text: 'the kubelet has probably restarted container checkout' });
    assert.equal(countdownView(liveness, 31_000).phase, 'acted');
  });

  test('readiness: out of its Service', () => {
    assert.equal(countdownView(readiness, 1_000).text, 'checkout: readiness takes the pod out of its Service in 20 s');
    assert.equal(countdownView(readiness, 25_000).text, 'checkout is out of its Service');
  });

  test('several probes: the first to act is counted down, then what happened and the liveness countdown', () => {
    const fastReadiness = atRiskProbe({
      container: 'checkout',
      probe: 'readiness',
      handler: 'httpGet',
      port: 8080,
      path: '/ready',
      periodSeconds: 5,
      timeoutSeconds: 1,
      failureThreshold: 3,
    });
    const both = [liveness, fastReadiness];
    assert.equal(countdownView(both, 0).text, 'checkout: readiness takes the pod out of its Service in 11 s');
    assert.deepEqual(countdownView(both, 12_000), {
      phase: 'acting',
      secondsLeft: 9,
      text: 'checkout is out of its Service · checkout: liveness restarts the pod in 9 s',
    });
    assert.equal(countdownView(both, 21_000).text, 'the kubelet has probably restarted container checkout');
    const sidecarReadiness = { ...fastReadiness, container: 'envoy' };
    assert.equal(
      countdownView([liveness, sidecarReadiness], 21_000).text,
      'the kubelet has probably restarted container checkout · envoy is out of its Service',
    );
    assert.equal(countdownView(both, 30_000).phase, 'acting');
    assert.equal(countdownView(both, 31_000).phase, 'acted');
    assert.equal(nextChangeMs(both, 11_000), 12_000);
    assert.equal(nextChangeMs(both, 21_000), 31_000);
  });

  test('the texts go through the translate function', () => {
    const t = (message: string, ...args: string[]) => `[${message}|${args.join(',')}]`;
    assert.equal(countdownView(liveness, 0, t).text, '[{0}: liveness restarts the pod in {1} s|checkout,21]');
  });

  test('a negative elapsed time (a clock step back) counts as no time', () => {
    assert.equal(countdownView(liveness, -5_000).secondsLeft, 21);
  });
});

describe('nextChangeMs', () => {
  test('each second while holding, then the end of the window, then never', () => {
    assert.equal(nextChangeMs(liveness, 0), 1_000);
    assert.equal(nextChangeMs(liveness, 500), 1_000);
    assert.equal(nextChangeMs(liveness, 20_000), 21_000);
    assert.equal(nextChangeMs(liveness, 21_000), 31_000);
    assert.equal(nextChangeMs(liveness, 31_000), undefined);
  });

  test('every change it announces is a change of the view', () => {
    let elapsed = 0;
    const seen: string[] = [];
    for (let next = nextChangeMs(liveness, elapsed); next !== undefined; next = nextChangeMs(liveness, elapsed)) {
      const before = countdownView(liveness, elapsed);
      elapsed = next;
      const after = countdownView(liveness, elapsed);
      assert.notDeepEqual(after, before, `no change at ${elapsed} ms`);
      seen.push(after.phase);
    }
    assert.equal(seen.length, 22);
    assert.equal(seen.at(-1), 'acted');
  });
});

describe('carriedOverHoldMs', () => {
  test('a run shorter than one period may have answered no probe: the hold goes on', () => {
    assert.equal(carriedOverHoldMs(liveness, 15_000, 3_000), 15_000);
  });

  test('a run of a period or more has answered one: the count starts again', () => {
    assert.equal(carriedOverHoldMs(liveness, 15_000, 10_000), 0);
  });
});

describe('restartOutcome', () => {
  const probe: AtRiskProbe = liveness;

  test('a restart count that went up: restarted', () => {
    const outcome = restartOutcome(probe, [{ name: 'checkout-1', restarts: 3 }], [{ name: 'checkout-1', restarts: 4 }]);
    assert.deepEqual(outcome, { restarted: true, text: 'the kubelet restarted container checkout: restarts of checkout-1 (3 → 4)' });
  });

  test('the same counts: not restarted', () => {
    const outcome = restartOutcome(probe, [{ name: 'checkout-1', restarts: 3 }], [{ name: 'checkout-1', restarts: 3 }]);
    assert.equal(outcome.restarted, false);
    assert.equal(outcome.text, 'container checkout was not restarted (restart count unchanged)');
  });

  test('a pod that is gone was replaced', () => {
    const outcome = restartOutcome(probe, [{ name: 'checkout-1', restarts: 0 }], [{ name: 'checkout-2', restarts: 0 }]);
    assert.equal(outcome.restarted, true);
    assert.match(outcome.text, /checkout-1.*gone/);
  });

  test('readiness never restarts: said so', () => {
    assert.match(restartOutcome(readiness, [{ name: 'a', restarts: 0 }], [{ name: 'a', restarts: 0 }]).text, /readiness only takes it out of its Service/);
  });
});
