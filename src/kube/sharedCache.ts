/**
 * A TTL cache whose concurrent misses for one key share ONE in-flight fetch. Each caller may
 * cancel its own wait; the shared fetch is aborted only when every caller waiting on it has
 * cancelled. `clear()` also detaches in-flight fetches so their results are not stored.
 *
 * The stored results live in lru-cache (bounded, each entry dropped when its TTL has passed). The
 * in-flight sharing stays here: lru-cache's own fetch() aborts the shared fetch when any one
 * caller's signal aborts, not when the last waiter gives up.
 */
import { LRUCache } from 'lru-cache';
import { withDeadline } from './deadline';

export type CacheOutcome<T> = { status: 'ok'; value: T; fromCache: boolean; fetchedAt: number } | { status: 'cancelled' };

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

interface InFlight<T> {
  promise: Promise<Entry<T>>;
  controller: AbortController;
  waiters: number;
}

export interface CacheGetOptions<T> {
  ttlMs: number;
  signal?: AbortSignal;
  /** Skip a stored entry (an in-flight fetch is still joined: it is fresh). */
  refresh?: boolean;
  /** Whether a result may be kept for ttlMs (e.g. not a cancellation). */
  cacheable?: (value: T) => boolean;
}

const FOREVER = 2 ** 31 - 1;
const DEFAULT_MAX_ENTRIES = 256;

export class SharedCache<T> {
  private readonly entries: LRUCache<string, Entry<T>>;
  private inFlight = new Map<string, InFlight<T>>();

  constructor(
    private readonly now: () => number = Date.now,
    maxEntries = DEFAULT_MAX_ENTRIES,
  ) {
    // The same clock for lru-cache's TTLs as for the ages reported (tests inject one); no timers.
    this.entries = new LRUCache<string, Entry<T>>({ max: maxEntries, perf: { now }, ttlResolution: 0 });
  }

  clear(): void {
    this.entries.clear();
    this.inFlight = new Map();
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, produce: (signal: AbortSignal) => Promise<T>, options: CacheGetOptions<T>): Promise<CacheOutcome<T>> {
    if (options.signal?.aborted) return { status: 'cancelled' };
    const stored = this.entries.get(key);
    if (stored && !options.refresh && this.now() - stored.fetchedAt < options.ttlMs) {
      return { status: 'ok', value: stored.value, fromCache: true, fetchedAt: stored.fetchedAt };
    }
    let flight = this.inFlight.get(key);
    if (!flight) flight = this.start(key, produce, options);
    flight.waiters += 1;
    const current = flight;
    const outcome = await withDeadline(current.promise, FOREVER, options.signal);
    current.waiters -= 1;
    if (outcome.status === 'ok') return { status: 'ok', value: outcome.value.value, fromCache: false, fetchedAt: outcome.value.fetchedAt };
    if (outcome.status === 'cancelled' && current.waiters === 0) {
      current.controller.abort();
      // A later caller must start afresh rather than join the aborted fetch.
      if (this.inFlight.get(key) === current) this.inFlight.delete(key);
    }
    if (outcome.status === 'error') throw outcome.error;
    return { status: 'cancelled' };
  }

  private start(key: string, produce: (signal: AbortSignal) => Promise<T>, options: CacheGetOptions<T>): InFlight<T> {
    const controller = new AbortController();
    const map = this.inFlight;
    const flight: InFlight<T> = {
      controller,
      waiters: 0,
      promise: produce(controller.signal).then((value) => {
        const entry = { value, fetchedAt: this.now() };
        // Only store when nobody cleared the cache meanwhile (map identity changes on clear).
        if (map === this.inFlight && map.get(key) === flight) {
          map.delete(key);
          if (!controller.signal.aborted && options.ttlMs > 0 && (options.cacheable?.(value) ?? true)) this.entries.set(key, entry, { ttl: options.ttlMs });
        }
        return entry;
      }),
    };
    flight.promise.catch(() => {
      if (map === this.inFlight && map.get(key) === flight) map.delete(key);
    });
    map.set(key, flight);
    return flight;
  }
}
