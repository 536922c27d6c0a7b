/**
 * A regex-syntax class as JS `u`-mode source (no `i` flag), with Rust's order of case folding:
 * regex-syntax folds a bracketed class, a `\p{..}` or an ASCII class before negating it, and
 * folds both operands of `&&`, `--`, `~~` before combining them
 * (rust-lang/regex:regex-syntax/src/hir/translate.rs `unicode_fold_and_negate`,
 * `visit_class_set_binary_op_post`; Perl classes are closed under folding, `hir_perl_unicode_class`).
 *
 * Membership is computed exactly on the domain D = ASCII + U+017F (long s) + U+212A (Kelvin sign):
 * D is a union of simple-case-folding orbits (the only non-ASCII characters that fold with ASCII
 * ones are those two), so folding on D needs no Unicode tables. A class built only from
 * characters of D (literals, ranges, ASCII classes) is then exact everywhere: outside D it is
 * either empty or everything. A class with Unicode properties is exact on D and marked
 * `asciiOnly` (its non-ASCII part follows Node's Unicode tables and is not folded).
 */

import { type ClassNode } from './regexAst';
import { codePointFragment, perlFragment } from './unicodeClasses';

const LONG_S = 0x17f;
const KELVIN = 0x212a;
/** D as code points; index 130 stands for "any character outside D". */
const DOMAIN: number[] = [...Array.from({ length: 128 }, (_, i) => i), LONG_S, KELVIN];
const OUTSIDE = 130;
const SIZE = 131;

export interface EmittedClass {
  source: string;
  /** The translation is exact only on ASCII text. */
  asciiOnly: boolean;
}

export function emitClass(node: ClassNode, caseInsensitive: boolean): EmittedClass {
  const set = topSemantics(node, caseInsensitive);
  if (dClosed(node)) {
    if (set[OUTSIDE]) {
      const excluded = DOMAIN.filter((_, i) => !set[i]);
      return { source: excluded.length === 0 ? '[^]' : `[^${fragments(excluded)}]`, asciiOnly: false };
    }
    const members = DOMAIN.filter((_, i) => set[i]);
    return { source: members.length === 0 ? '[]' : `[${fragments(members)}]`, asciiOnly: false };
  }
  const members = DOMAIN.filter((_, i) => set[i]);
  // A plain union of positive members stays one class (and so linear for the backtracking check):
  // every leaf is a subset of the (folded) class, so adding it changes nothing on D.
  const positive = positiveFragments(node);
  if (positive) return { source: `[${fragments(members)}${positive.join('')}]`, asciiOnly: true };
  const inD = members.length === 0 ? '' : `[${fragments(members)}]|`;
  return { source: `(?:${inD}(?![\\u{0}-\\u{7f}\\u{17f}\\u{212a}])${matcher(node)})`, asciiOnly: true };
}

/** The class-member fragments of a union with no negation or set operation in it; undefined otherwise. */
function positiveFragments(node: ClassNode): string[] | undefined {
  switch (node.k) {
    case 'lit':
      return [codePointFragment(node.cp)];
    case 'range':
      return [`${codePointFragment(node.lo)}-${codePointFragment(node.hi)}`];
    case 'perl':
      return node.negated ? undefined : [perlFragment(node.which)];
    case 'prop':
      return node.negated ? undefined : [node.fragment];
    case 'posix':
      return node.negated ? undefined : node.ranges.map(([lo, hi]) => `${codePointFragment(lo)}-${codePointFragment(hi)}`);
    case 'union': {
      const parts = node.items.map(positiveFragments);
      return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
    }
    case 'bracket':
      return node.negated ? undefined : positiveFragments(node.inner);
    case 'op':
      return undefined;
  }
}

/** The exact members of the class within D, as code points (for tests and the size model). */
export function classMembersInDomain(node: ClassNode, caseInsensitive: boolean): { members: number[]; outside: boolean; exactOutside: boolean } {
  const set = topSemantics(node, caseInsensitive);
  return { members: DOMAIN.filter((_, i) => set[i]), outside: set[OUTSIDE], exactOutside: dClosed(node) };
}

/** A JS matcher for one code point with the class's case-sensitive meaning. */
export function matcher(node: ClassNode): string {
  switch (node.k) {
    case 'lit':
      return `[${codePointFragment(node.cp)}]`;
    case 'range':
      return `[${codePointFragment(node.lo)}-${codePointFragment(node.hi)}]`;
    case 'perl':
      return `[${node.negated ? '^' : ''}${perlFragment(node.which)}]`;
    case 'prop':
      return `[${node.negated ? '^' : ''}${node.fragment}]`;
    case 'posix':
      return `[${node.negated ? '^' : ''}${node.ranges.map(([lo, hi]) => `${codePointFragment(lo)}-${codePointFragment(hi)}`).join('')}]`;
    case 'union':
      return node.items.length === 0 ? '[]' : `(?:${node.items.map(matcher).join('|')})`;
    case 'bracket':
      return node.negated ? `(?!${matcher(node.inner)})[^]` : matcher(node.inner);
    case 'op': {
      const a = matcher(node.lhs);
      const b = matcher(node.rhs);
      if (node.op === 'and') return `(?=${a})${b}`;
      if (node.op === 'minus') return `(?!${b})${a}`;
      return `(?:(?!${b})${a}|(?!${a})${b})`;
    }
  }
}

function fragments(cps: number[]): string {
  // Runs of consecutive code points become ranges.
  const out: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === cps[j] + 1) j++;
    out.push(
      j - i >= 2
        ? `${codePointFragment(cps[i])}-${codePointFragment(cps[j])}`
        : cps
            .slice(i, j + 1)
            .map(codePointFragment)
            .join(''),
    );
    i = j;
  }
  return out.join('');
}

/** True when every leaf lies within D, so the set outside D is empty or everything. */
function dClosed(node: ClassNode): boolean {
  switch (node.k) {
    case 'lit':
      return node.cp < 0x80 || node.cp === LONG_S || node.cp === KELVIN;
    case 'range':
      return node.hi < 0x80 || (node.lo === node.hi && (node.lo === LONG_S || node.lo === KELVIN));
    case 'posix':
      return true;
    case 'perl':
    case 'prop':
      return false;
    case 'union':
      return node.items.every(dClosed);
    case 'bracket':
      return dClosed(node.inner);
    case 'op':
      return dClosed(node.lhs) && dClosed(node.rhs);
  }
}

type Bits = boolean[];

/** A folded literal is the class of its case variants (translate.rs `case_fold_char`); every other class is already closed. */
function topSemantics(node: ClassNode, ci: boolean): Bits {
  const set = semantics(node, ci);
  return ci ? fold(set) : set;
}

function semantics(node: ClassNode, ci: boolean): Bits {
  switch (node.k) {
    case 'lit':
      return bits((cp) => cp === node.cp, false);
    case 'range':
      return bits((cp) => cp >= node.lo && cp <= node.hi, false);
    case 'perl': {
      // Closed under case folding already; negation needs no fold.
      const base = leafBits(matcher({ ...node, negated: false }));
      return node.negated ? not(base) : base;
    }
    case 'prop':
    case 'posix': {
      let base = node.k === 'prop' ? leafBits(`[${node.fragment}]`) : bits((cp) => node.ranges.some(([lo, hi]) => cp >= lo && cp <= hi), false);
      if (ci) base = fold(base);
      return node.negated ? not(base) : base;
    }
    case 'union': {
      const out = new Array<boolean>(SIZE).fill(false);
      for (const item of node.items) semantics(item, ci).forEach((b, i) => (out[i] ||= b));
      return out;
    }
    case 'bracket': {
      let inner = semantics(node.inner, ci);
      if (ci) inner = fold(inner);
      return node.negated ? not(inner) : inner;
    }
    case 'op': {
      let a = semantics(node.lhs, ci);
      let b = semantics(node.rhs, ci);
      if (ci) {
        a = fold(a);
        b = fold(b);
      }
      return a.map((x, i) => (node.op === 'and' ? x && b[i] : node.op === 'minus' ? x && !b[i] : x !== b[i]));
    }
  }
}

function bits(test: (cp: number) => boolean, outside: boolean): Bits {
  return [...DOMAIN.map(test), outside];
}

const leafCache = new Map<string, Bits>();

/** A property leaf on D; "outside" is a placeholder (such leaves are never D-closed). */
function leafBits(source: string): Bits {
  let cached = leafCache.get(source);
  if (!cached) {
    const re = new RegExp(`^${source}$`, 'u');
    cached = bits((cp) => re.test(String.fromCodePoint(cp)), false);
    leafCache.set(source, cached);
  }
  return cached;
}

function not(b: Bits): Bits {
  return b.map((x) => !x);
}

/** Simple case folding closure on D: ASCII letters pair with their other case; k/K with U+212A, s/S with U+017F. */
function fold(b: Bits): Bits {
  return b.map((x, i) => x || orbit(i).some((j) => b[j]));
}

function orbit(i: number): number[] {
  if (i === OUTSIDE) return [];
  const cp = DOMAIN[i];
  const lower = cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp === KELVIN ? 0x6b : cp === LONG_S ? 0x73 : cp;
  if (!(lower >= 0x61 && lower <= 0x7a)) return [];
  const members = [lower, lower - 32];
  if (lower === 0x6b) members.push(KELVIN);
  if (lower === 0x73) members.push(LONG_S);
  return members.filter((m) => m !== cp).map((m) => DOMAIN.indexOf(m));
}
