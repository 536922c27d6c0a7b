/**
 * Races a promise against a timer and an abort signal, and always clears the timer, so nothing
 * keeps the process alive or fires late.
 */
export type DeadlineOutcome<T> = { status: 'ok'; value: T } | { status: 'error'; error: unknown } | { status: 'timeout' } | { status: 'cancelled' };

export function withDeadline<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<DeadlineOutcome<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: DeadlineOutcome<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => finish({ status: 'cancelled' });
    const timer = setTimeout(() => finish({ status: 'timeout' }), timeoutMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish({ status: 'ok', value }),
      (error) => finish({ status: 'error', error }),
    );
  });
}
