/**
 * "Did you mean" for a name that is not found: the names of that kind in the namespace closest to
 * it by edit distance, plus those sharing a prefix or containing it.
 */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

export function closestNames(wanted: string, candidates: string[], max = 5): string[] {
  const target = wanted.toLowerCase();
  const scored = [...new Set(candidates)]
    .map((name) => {
      const lower = name.toLowerCase();
      const distance = editDistance(target, lower);
      const related = lower.includes(target) || target.includes(lower) || lower.startsWith(target.slice(0, 3));
      return { name, distance, related };
    })
    // Close enough to be a typo (about a third of the length), or clearly related.
    .filter((s) => s.related || s.distance <= Math.max(2, Math.ceil(target.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}
