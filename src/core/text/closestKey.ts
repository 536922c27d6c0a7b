/**
 * "Did you mean": the known key closest to a mistyped one. Case, `-` for `_` and word order
 * slips (`filter_header`) count as near; otherwise the edit distance must be small for the key's
 * length (a third of it, at least 2), so an unrelated key is never suggested.
 */
export function closestKey(wanted: string, candidates: Iterable<string>): string | undefined {
  const target = normalize(wanted);
  let best: { key: string; score: number } | undefined;
  for (const key of candidates) {
    if (key === wanted) continue;
    const normalized = normalize(key);
    const limit = Math.max(2, Math.ceil(Math.min(target.length, normalized.length) / 3));
    const near = normalized === target || sameWords(normalized, target);
    // The distance is at least the difference in length: a far longer key (a pasted blob) is not
    // compared character by character, which costs its length times the candidate's.
    if (!near && Math.abs(target.length - normalized.length) > limit) continue;
    const score = near ? 0 : damerauLevenshtein(target, normalized);
    if (score > limit) continue;
    if (!best || score < best.score || (score === best.score && key < best.key)) best = { key, score };
  }
  return best?.key;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/-/g, '_');
}

function sameWords(a: string, b: string): boolean {
  const words = (s: string) => s.split('_').filter(Boolean).sort().join('_');
  return a.includes('_') && words(a) === words(b);
}

/** Edit distance counting a swap of two neighbouring characters as one edit. */
export function damerauLevenshtein(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
