/**
 * "Did you mean" for a Kubernetes name that is not found (a target, a container), the same for the
 * cluster and the manifests: up to three names within an edit distance of about a third of the
 * name, or containing it (`checkout` for `checkout-v2`, and the other way round), closest first.
 */
import { damerauLevenshtein } from './closestKey';

export function closestNames(name: string, candidates: string[], max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const contains = wanted.length >= 3 && (lower.includes(wanted) || (lower.length >= 3 && wanted.includes(lower)));
      // The distance is at least the difference in length, and exactly that when one name contains
      // the other: no quadratic comparison when the lengths alone are too far apart (a pasted blob).
      const apart = Math.abs(wanted.length - lower.length);
      const distance = apart > limit ? (contains ? apart : Infinity) : damerauLevenshtein(wanted, lower);
      return { candidate, distance, contains };
    })
    .filter((c) => c.distance <= limit || c.contains)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map((c) => c.candidate);
}
