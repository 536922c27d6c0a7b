/**
 * The lookups of the open configs, one per lookup key (the config's lookup request plus every
 * setting the result depends on): started when a key is first needed, shared by every document
 * with that key, debounced (typing `deployment/ap...` settles before the cluster is asked),
 * cancelled when no document needs the key any more, and retried on their own after a failure
 * the cluster may recover from. The language server uses it for every open config.
 */
import type { LookupRequest } from '../core/types';
import type { LookupOutcome, LookupStatus } from './targetLookup';

export interface LookupTrackerHost<C> {
  lookUp(context: C, request: LookupRequest, options: { signal: AbortSignal; refresh: boolean }): Promise<LookupOutcome>;
  /** A lookup settled with an outcome: re-analyse the documents bound to `key`. */
  settled(key: string, documentKeys: string[]): void;
  /** An automatic retry is due: re-run the lookup for this document (refresh, retry). */
  retry(key: string, documentKey: string): void;
  reportError(error: unknown): void;
  /** One line for the log (automatic retries). */
  info?(message: string): void;
}

export const DEFAULT_LOOKUP_DELAY_MS = 250;

/**
 * Automatic retries of a failed cluster lookup, so the editor recovers on its own when the cluster
 * comes back (a failure used to stay until Refresh, a kubeconfig change or reopening the file):
 * exponential back-off from RETRY_BASE_MS, capped at RETRY_MAX_MS, at most MAX_RETRIES in a row.
 * Failures where the server did not answer (unreachable, timeout, 5xx) are retried on the back-off;
 * failures the server answered (401, 403, 404) not before the cache TTL has passed either.
 * A retry is cancelled when its lookup is dropped (document closed, target or settings changed).
 */
export const RETRY_BASE_MS = 2000;
export const RETRY_MAX_MS = 60_000;
export const MAX_RETRIES = 8;
const TRANSIENT_FAILURES = new Set<string>(['unreachable', 'timeout', 'server-error']);
const ANSWERED_FAILURES = new Set<string>(['unauthorized', 'forbidden', 'not-found']);

interface LookupEntry {
  outcome?: LookupOutcome;
  running?: Promise<void>;
  controller?: AbortController;
  /** A pending automatic retry after a failed cluster lookup. */
  retryTimer?: ReturnType<typeof setTimeout>;
  /** Automatic retries made since the last lookup that was not itself a retry. */
  retries?: number;
}

export interface LookupAsk {
  /** Skip the cached outcome (Refresh Target, a retry). */
  refresh?: boolean;
  /** Re-run a lookup whose outcome is older than the cache TTL (a document was opened). */
  revalidate?: boolean;
  /** This ask is an automatic retry (keeps the retry count). */
  retry?: boolean;
  cacheTtlMs: number;
}

export class LookupTracker<C> {
  private readonly documentKeys = new Map<string, string>();
  private readonly lookups = new Map<string, LookupEntry>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly lookupDelayMs: number;
  readonly metrics = { lookupsStarted: 0 };

  constructor(
    private readonly host: LookupTrackerHost<C>,
    options: { lookupDelayMs?: number } = {},
  ) {
    this.lookupDelayMs = options.lookupDelayMs ?? DEFAULT_LOOKUP_DELAY_MS;
  }

  /** Binds a document to its lookup key (undefined: it needs none), dropping a lookup nobody needs now. */
  bind(documentKey: string, key: string | undefined): void {
    const previous = this.documentKeys.get(documentKey);
    if (key) this.documentKeys.set(documentKey, key);
    else this.documentKeys.delete(documentKey);
    if (previous && previous !== key) this.dropUnused(previous);
  }

  keyOf(documentKey: string): string | undefined {
    return this.documentKeys.get(documentKey);
  }

  /** The last outcome for `key` (undefined while none is in), starting a lookup when one is due. */
  ask(key: string, context: C, request: LookupRequest, ask: LookupAsk): LookupOutcome | undefined {
    const entry = this.lookups.get(key) ?? {};
    this.lookups.set(key, entry);
    const outcome = entry.outcome;
    const expired = outcome !== undefined && ask.revalidate === true && isExpired(outcome.status, ask.cacheTtlMs);
    if (!entry.running && (!outcome || ask.refresh || expired)) this.start(key, entry, context, request, ask);
    return outcome;
  }

  /** True while the lookup of `key` waits or runs. */
  isRunning(key: string): boolean {
    return this.lookups.get(key)?.running !== undefined;
  }

  /** Drops every outcome (trust granted, kubeconfig changed): the next ask looks up again. */
  forgetAll(): void {
    for (const entry of this.lookups.values()) cancelEntry(entry);
    this.lookups.clear();
  }

  forgetDocument(documentKey: string): void {
    this.bind(documentKey, undefined);
  }

  /** Resolves when no lookup is waiting or running. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  dispose(): void {
    this.forgetAll();
  }

  private start(key: string, entry: LookupEntry, context: C, request: LookupRequest, ask: LookupAsk): void {
    if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    if (!ask.retry) entry.retries = 0;
    const controller = new AbortController();
    entry.controller = controller;
    this.metrics.lookupsStarted += 1;
    const run = (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.lookupDelayMs);
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (controller.signal.aborted) return;
      const outcome = await this.host.lookUp(context, request, { signal: controller.signal, refresh: ask.refresh === true });
      if (controller.signal.aborted || this.lookups.get(key) !== entry) return;
      entry.outcome = outcome;
      entry.controller = undefined;
    })()
      .catch((error: unknown) => this.host.reportError(error))
      .finally(() => {
        if (entry.running === run) entry.running = undefined;
        this.inFlight.delete(run);
        if (this.lookups.get(key) === entry && entry.outcome) {
          try {
            this.host.settled(key, this.documentsOf(key));
          } catch (error) {
            this.host.reportError(error);
          }
          this.scheduleRetry(key, entry, ask.cacheTtlMs);
        }
      });
    entry.running = run;
    this.inFlight.add(run);
  }

  private documentsOf(key: string): string[] {
    return [...this.documentKeys].filter(([, used]) => used === key).map(([documentKey]) => documentKey);
  }

  /** After a cluster failure worth asking again: one retry on the back-off (see MAX_RETRIES). */
  private scheduleRetry(key: string, entry: LookupEntry, cacheTtlMs: number): void {
    if (entry.running || entry.retryTimer !== undefined) return;
    const failure = retryableFailure(entry.outcome?.status);
    const retries = entry.retries ?? 0;
    if (!failure) {
      entry.retries = 0;
      return;
    }
    if (retries >= MAX_RETRIES) {
      this.host.info?.(`Cluster lookup still failing (${failure}) after ${retries} automatic retries; use Refresh Target to ask again.`);
      return;
    }
    const backOff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** retries);
    const delay = ANSWERED_FAILURES.has(failure) ? Math.max(backOff, cacheTtlMs) : backOff;
    this.host.info?.(`Cluster lookup failed (${failure}): retrying in ${Math.round(delay / 100) / 10} s (retry ${retries + 1} of ${MAX_RETRIES}).`);
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      if (this.lookups.get(key) !== entry || entry.running) return;
      const documentKey = this.documentsOf(key)[0];
      if (documentKey === undefined) return;
      entry.retries = retries + 1;
      try {
        this.host.retry(key, documentKey);
      } catch (error) {
        this.host.reportError(error);
      }
    }, delay);
  }

  private dropUnused(key: string): void {
    for (const used of this.documentKeys.values()) if (used === key) return;
    const entry = this.lookups.get(key);
    if (entry) cancelEntry(entry);
    this.lookups.delete(key);
  }
}

/** Aborts a running lookup and any pending retry of it. */
function cancelEntry(entry: LookupEntry): void {
  entry.controller?.abort();
  if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
  entry.retryTimer = undefined;
}

/** The cluster failure kind of an outcome when an automatic retry may fix it. */
function retryableFailure(status: LookupStatus | undefined): string | undefined {
  if (!status) return undefined;
  let kind: string | undefined;
  if (status.kind === 'failed' && status.source === 'cluster') kind = status.failure.kind;
  else if (status.kind === 'resolved' && status.source === 'manifests') kind = status.clusterFailure?.kind;
  return kind && (TRANSIENT_FAILURES.has(kind) || ANSWERED_FAILURES.has(kind)) ? kind : undefined;
}

function isExpired(status: LookupStatus, ttlMs: number): boolean {
  return 'fetchedAt' in status && Date.now() - status.fetchedAt > ttlMs;
}

/** The lookup key: the request and everything else a lookup's result depends on. */
export function lookupKey(request: LookupRequest | undefined, context: unknown): string | undefined {
  return request ? JSON.stringify({ lookup: request, context }) : undefined;
}
