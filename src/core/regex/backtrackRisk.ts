/**
 * A conservative static check on translated JS regex source: true only when the pattern cannot
 * backtrack catastrophically, so it can run without the time-budget machinery.
 * Refuses: any quantified group (max > 1) that contains a quantifier or an alternation, any
 * backreference, and more than MAX_UNBOUNDED unbounded quantifiers (polynomial blow-up).
 * False negatives are fine (the pattern just runs under a budget); false positives are not.
 */

const MAX_UNBOUNDED = 2;
/** A bounded repetition this large behaves like an unbounded one for backtracking. */
const LARGE_BOUND = 50;

interface GroupFrame {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

export function isLinearSafe(source: string): boolean {
  if (typeof source !== 'string') return false;
  const stack: GroupFrame[] = [{ hasQuantifier: false, hasAlternation: false }];
  let unbounded = 0;
  /** The frame of the group that just closed, when the previous atom was a group. */
  let lastGroup: GroupFrame | undefined;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return false;
      if (/[1-9]/.test(next) || next === 'k') return false; // backreference
      if ((next === 'u' || next === 'p' || next === 'P' || next === 'x') && source[i + 2] === '{') {
        const end = source.indexOf('}', i);
        if (end < 0) return false;
        i = end + 1;
      } else {
        i += 2;
      }
      lastGroup = undefined;
      continue;
    }
    if (c === '[') {
      const end = classEnd(source, i);
      if (end < 0) return false;
      i = end;
      lastGroup = undefined;
      continue;
    }
    if (c === '(') {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      lastGroup = undefined;
      i++;
      // Skip the group prefix (`?:`, `?=`, `?<!`, `?<name>`) so it is not read as a quantifier.
      const prefix = /^\?(?:<[A-Za-z_][A-Za-z0-9_]*>|<=|<!|[:=!])/.exec(source.slice(i));
      if (prefix) i += prefix[0].length;
      continue;
    }
    if (c === ')') {
      const closed = stack.pop();
      if (closed === undefined || stack.length === 0) return false;
      const parent = stack[stack.length - 1];
      parent.hasQuantifier ||= closed.hasQuantifier;
      parent.hasAlternation ||= closed.hasAlternation;
      lastGroup = closed;
      i++;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1].hasAlternation = true;
      lastGroup = undefined;
      i++;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier) {
      const { max, length } = quantifier;
      if (max > 1 && lastGroup && (lastGroup.hasQuantifier || lastGroup.hasAlternation)) return false;
      if (max > LARGE_BOUND) unbounded++;
      if (unbounded > MAX_UNBOUNDED) return false;
      // Even `?` counts: `(a?){30}` has 2^30 ways to split a run of a's.
      stack[stack.length - 1].hasQuantifier = true;
      i += length;
      if (source[i] === '?') i++; // lazy marker
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
    i++;
  }
  return stack.length === 1;
}

function readQuantifier(source: string, i: number): { max: number; length: number } | undefined {
  const c = source[i];
  if (c === '*' || c === '+') return { max: Infinity, length: 1 };
  if (c === '?') return { max: 1, length: 1 };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { max, length: m[0].length };
  }
  return undefined;
}

/** Index just past the `]` closing the class that opens at `start`, or -1. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  while (i < source.length) {
    if (source[i] === '\\') i += 2;
    else if (source[i] === ']') return i + 1;
    else i++;
  }
  return -1;
}
