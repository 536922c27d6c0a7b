/**
 * Translations by pattern, so re-analysing a config on every keystroke does not re-parse the
 * same regexes. Bounded: oldest entries go first once the limit is reached.
 */

import { type RegexTranslation, translateMirrordRegex } from './translateRegex';

const MAX_ENTRIES = 500;
const cache = new Map<string, RegexTranslation>();

export function cachedTranslation(pattern: string): RegexTranslation {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const translation = translateMirrordRegex(pattern);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(pattern, translation);
  return translation;
}
