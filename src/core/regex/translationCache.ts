/**
 * Translations by pattern, so re-analysing a config on every keystroke does not re-parse the
 * same regexes. Bounded: the least recently used go first once the limit is reached (lru-cache
 * without a TTL: no clock, no timers, so the engine stays pure).
 */
import { LRUCache } from 'lru-cache';

import { type RegexTranslation, translateMirrordRegex } from './translateRegex';

const MAX_ENTRIES = 500;
const cache = new LRUCache<string, RegexTranslation>({ max: MAX_ENTRIES });

export function cachedTranslation(pattern: string): RegexTranslation {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const translation = translateMirrordRegex(pattern);
  cache.set(pattern, translation);
  return translation;
}
