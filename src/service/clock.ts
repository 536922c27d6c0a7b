/**
 * The clock the breakpoint countdown runs on, injectable so that tests never wait for a real
 * safe hold time: `now()` in milliseconds and a one-shot timer that can be cancelled.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * A clock that runs `scale` times faster than `base` (the UI test's 21 s hold in about a second).
 * Only the test-only setting `probeGuard.debug.testTimeScale` makes one (the UI test).
 */
export function scaledClock(scale: number, base: Clock = systemClock): Clock {
  if (!Number.isFinite(scale) || scale <= 0 || scale === 1) return base;
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) * scale,
    setTimeout: (callback, ms) => base.setTimeout(callback, ms / scale),
  };
}
