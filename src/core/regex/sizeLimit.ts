/**
 * Would regex-automata refuse the pattern as too big? fancy-regex compiles a pattern without
 * fancy features as one regex-automata meta regex (fancy-regex/fancy-regex:src/lib.rs
 * `new_options`, src/compile.rs `compile_inner`, no size option set), whose Thompson NFAs (a forward
 * one and a reverse one, regex-automata/src/meta/strategy.rs `Core::new`) may use at most
 * `nfa_size_limit` = 10 MiB (regex-automata/src/meta/regex.rs `get_nfa_size_limit`). The builder
 * counts 32 bytes per state plus 8 per sparse transition and 4 per union alternate
 * (regex-automata/src/nfa/thompson/builder.rs `memory_usage`, `State::memory_usage`).
 *
 * The model below follows regex-automata/src/nfa/thompson/compiler.rs (`c_exactly`, `c_bounded`,
 * `c_at_least`, `c_unicode_class`, `c_unicode_class_reverse_with_suffix`) with lower and upper
 * bounds where the real numbers depend on hash-map caching or on Unicode tables (regex-syntax has
 * Unicode 16, Node its own). Over the limit by the lower bound: an error; under it by the upper
 * bound: fine; in between: nobody can tell without running the real crate.
 */

import { matcher } from './classEmit';
import { type ClassNode, type RegexNode } from './regexAst';

export const NFA_SIZE_LIMIT = 10 * (1 << 20);
const STATE = 32;
const TRANSITION = 8;
const ALTERNATE = 4;
/** Unicode 16 (Rust) against Node's tables: class sizes may differ by a few percent. */
const TABLE_SLACK = 0.1;
/**
 * An upper bound for one copy of any class in both NFAs (the largest Unicode classes, `\p{Assigned}`
 * and `\w`, stay well under it: see the sizeLimit test), and for one literal character (4 UTF-8 bytes).
 */
export const CLASS_COPY_MAX = 160 * 1024;
const LITERAL_COPY_MAX = 4 * 32;

export type SizeVerdict = { kind: 'ok' } | { kind: 'too-big'; bytes: number } | { kind: 'unknown'; low: number; high: number };

interface Bounds {
  fwdLo: number;
  fwdHi: number;
  revLo: number;
  revHi: number;
}

const ZERO: Bounds = { fwdLo: 0, fwdHi: 0, revLo: 0, revHi: 0 };

export function checkNfaSize(root: RegexNode): SizeVerdict {
  // Most patterns are far from the limit: no need to measure their classes.
  if (classWeight(root, 1) * CLASS_COPY_MAX + literalWeight(root, 1) * LITERAL_COPY_MAX < NFA_SIZE_LIMIT / 2) return { kind: 'ok' };
  const b = add(bounds(root), flat(STATE * 6 + TRANSITION * 2));
  const lo = Math.max(b.fwdLo, b.revLo);
  const hi = Math.max(b.fwdHi, b.revHi);
  if (hi <= NFA_SIZE_LIMIT) return { kind: 'ok' };
  // Only a pattern without fancy features is one NFA; fancy ones are split into several.
  if (lo > NFA_SIZE_LIMIT && !isFancy(root)) return { kind: 'too-big', bytes: lo };
  return { kind: 'unknown', low: lo, high: hi };
}

/** fancy-regex's `hard` expressions (analyze.rs): these go to its backtracking VM. */
function isFancy(node: RegexNode): boolean {
  switch (node.t) {
    case 'look':
    case 'backref':
    case 'atomic':
    case 'keepOut':
    case 'searchStart':
      return true;
    case 'assert':
      return node.kind !== 'textStart' && node.kind !== 'textEnd' && node.kind !== 'lineStart' && node.kind !== 'lineEnd';
    case 'seq':
      return node.items.some(isFancy);
    case 'alt':
      return node.alternatives.some(isFancy);
    case 'group':
    case 'repeat':
      return isFancy(node.child);
    default:
      return false;
  }
}

function copies(node: RegexNode): number {
  return node.t === 'repeat' ? (node.max === Infinity ? node.min + 1 : Math.max(node.max, 1)) : 1;
}

/** Classes (and folded literals) weighted by how many times the NFA repeats them. */
function classWeight(node: RegexNode, times: number): number {
  switch (node.t) {
    case 'class':
    case 'any':
      return times;
    case 'literal':
      return node.caseInsensitive ? times : 0;
    case 'seq':
      return node.items.reduce((sum, item) => sum + classWeight(item, times), 0);
    case 'alt':
      return node.alternatives.reduce((sum, item) => sum + classWeight(item, times), 0);
    case 'group':
    case 'look':
    case 'atomic':
      return classWeight(node.child, times);
    case 'repeat':
      return classWeight(node.child, times * copies(node));
    default:
      return 0;
  }
}

function literalWeight(node: RegexNode, times: number): number {
  switch (node.t) {
    case 'literal':
    case 'assert':
    case 'backref':
      return times;
    case 'seq':
      return node.items.reduce((sum, item) => sum + literalWeight(item, times), 0);
    case 'alt':
      return node.alternatives.reduce((sum, item) => sum + literalWeight(item, times), 0);
    case 'group':
    case 'look':
    case 'atomic':
      return literalWeight(node.child, times);
    case 'repeat':
      return literalWeight(node.child, times * copies(node));
    default:
      return 0;
  }
}

function flat(n: number): Bounds {
  return { fwdLo: n, fwdHi: n, revLo: n, revHi: n };
}

function add(a: Bounds, b: Bounds): Bounds {
  return { fwdLo: a.fwdLo + b.fwdLo, fwdHi: a.fwdHi + b.fwdHi, revLo: a.revLo + b.revLo, revHi: a.revHi + b.revHi };
}

function times(a: Bounds, n: number): Bounds {
  return { fwdLo: a.fwdLo * n, fwdHi: a.fwdHi * n, revLo: a.revLo * n, revHi: a.revHi * n };
}

function bounds(node: RegexNode): Bounds {
  switch (node.t) {
    case 'empty':
    case 'keepOut':
      return flat(STATE);
    case 'assert':
    case 'searchStart':
      return flat(STATE);
    case 'literal':
      return node.caseInsensitive ? classBounds({ k: 'lit', cp: node.cp }, true) : flat(STATE * utf8Length(node.cp));
    case 'any':
      return classBounds({ k: 'bracket', negated: true, inner: node.dotAll ? { k: 'union', items: [] } : { k: 'lit', cp: 10 } }, false);
    case 'class':
      return classBounds(node.set, node.caseInsensitive);
    case 'seq':
      return node.items.map(bounds).reduce(add, ZERO);
    case 'alt': {
      const parts = node.alternatives.map(bounds);
      const sum = parts.reduce(add, ZERO);
      // Literal alternations become a trie that shares prefixes: the largest branch is the floor.
      const floor = { ...sum, fwdLo: Math.max(...parts.map((p) => p.fwdLo)), revLo: Math.max(...parts.map((p) => p.revLo)) };
      return add(floor, { fwdLo: 0, revLo: 0, fwdHi: 2 * STATE + ALTERNATE * parts.length, revHi: 2 * STATE + ALTERNATE * parts.length });
    }
    case 'group':
      // Capture states exist only in the forward NFA (the reverse one has none).
      return add(bounds(node.child), { fwdLo: 2 * STATE, fwdHi: 2 * STATE, revLo: 0, revHi: 0 });
    case 'look':
    case 'atomic':
      return bounds(node.child);
    case 'backref':
      return flat(STATE);
    case 'repeat': {
      const child = bounds(node.child);
      const union = flat(STATE + 2 * ALTERNATE);
      const { min, max } = node;
      if (max === Infinity) return add(times(child, Math.max(min, 1)), add(times(union, 2), flat(STATE)));
      const optional = max - min;
      return add(times(child, min + optional), add(times(union, optional), flat(STATE)));
    }
  }
}

const classCache = new Map<string, Bounds>();

/** The largest upper bound of one class (forward or reverse), for the test of CLASS_COPY_MAX. */
export function classUpperBound(set: ClassNode, caseInsensitive: boolean): number {
  const b = classBounds(set, caseInsensitive);
  return Math.max(b.fwdHi, b.revHi);
}

function classBounds(set: ClassNode, caseInsensitive: boolean): Bounds {
  const source = matcher(set);
  const key = `${caseInsensitive ? 'i' : ''}${source}`;
  const hit = classCache.get(key);
  if (hit) return hit;
  const ranges = codePointRanges(source, caseInsensitive);
  let result: Bounds;
  if (ranges.length === 0) {
    result = flat(STATE);
  } else if (ranges[ranges.length - 1][1] < 0x80) {
    result = flat(2 * STATE + TRANSITION * ranges.length);
  } else {
    const sequences = ranges.flatMap(([lo, hi]) => utf8Sequences(lo, hi));
    const trie = trieStats(sequences);
    const totalBytes = sequences.reduce((sum, s) => sum + s.length, 0);
    const low = 1 - TABLE_SLACK;
    const high = 1 + TABLE_SLACK;
    result = {
      fwdLo: low * ((trie.minimalInternal + 2) * STATE + trie.minimalEdges * TRANSITION),
      fwdHi: high * ((trie.internal + 2) * STATE + trie.edges * TRANSITION),
      revLo: low * (2 * STATE + trie.nodes * STATE + sequences.length * ALTERNATE),
      revHi: high * (2 * STATE + totalBytes * STATE + sequences.length * ALTERNATE),
    };
  }
  classCache.set(key, result);
  return result;
}

/** The class's code points as sorted ranges, by testing every scalar value (cached per class). */
function codePointRanges(source: string, caseInsensitive: boolean): [number, number][] {
  const re = new RegExp(source, caseInsensitive ? 'iuy' : 'uy');
  const ranges: [number, number][] = [];
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    let member = false;
    if (cp <= 0x10ffff) {
      re.lastIndex = 0;
      member = re.test(String.fromCodePoint(cp));
    }
    if (member && start < 0) start = cp;
    if (!member && start >= 0) {
      ranges.push([start, prevScalar(cp)]);
      start = -1;
    }
  }
  return ranges;
}

function prevScalar(cp: number): number {
  return cp === 0xe000 ? 0xd7ff : cp - 1;
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

type ByteRange = [number, number];

/** Split a scalar range into UTF-8 byte-range sequences (the algorithm of regex-syntax's `Utf8Sequences`). */
export function utf8Sequences(lo: number, hi: number): ByteRange[][] {
  const out: ByteRange[][] = [];
  const stack: [number, number][] = [[lo, hi]];
  while (stack.length > 0) {
    let [s, e] = stack.pop()!;
    for (;;) {
      if (s < 0xe000 && e > 0xd7ff) {
        // Skip the surrogates.
        if (s <= 0xd7ff) {
          if (e >= 0xe000) stack.push([0xe000, e]);
          e = 0xd7ff;
        } else if (e >= 0xe000) {
          s = 0xe000;
        } else break;
      }
      if (s > e) break;
      const boundary = [0x7f, 0x7ff, 0xffff].find((max) => s <= max && max < e);
      if (boundary !== undefined) {
        stack.push([boundary + 1, e]);
        e = boundary;
        continue;
      }
      if (e <= 0x7f) {
        out.push([[s, e]]);
        break;
      }
      let split = false;
      for (let i = 1; i < 4; i++) {
        const m = (1 << (6 * i)) - 1;
        if ((s & ~m) !== (e & ~m)) {
          if ((s & m) !== 0) {
            stack.push([(s | m) + 1, e]);
            e = s | m;
            split = true;
            break;
          }
          if ((e & m) !== m) {
            stack.push([e & ~m, e]);
            e = (e & ~m) - 1;
            split = true;
            break;
          }
        }
      }
      if (split) continue;
      const a = encode(s);
      const b = encode(e);
      out.push(a.map((byte, i) => [byte, b[i]] as ByteRange));
      break;
    }
  }
  return out;
}

function encode(cp: number): number[] {
  return [...Buffer.from(String.fromCodePoint(cp), 'utf8')];
}

/** Prefix-trie size of the sequences, and the size of its minimal (suffix-shared) form. */
function trieStats(sequences: ByteRange[][]): { nodes: number; internal: number; edges: number; minimalInternal: number; minimalEdges: number } {
  interface TrieNode {
    children: Map<string, TrieNode>;
  }
  const root: TrieNode = { children: new Map() };
  let nodes = 0;
  for (const seq of sequences) {
    let at = root;
    for (const [lo, hi] of seq) {
      const key = `${lo}-${hi}`;
      let next = at.children.get(key);
      if (!next) {
        next = { children: new Map() };
        at.children.set(key, next);
        nodes++;
      }
      at = next;
    }
  }
  let internal = 0;
  const ids = new Map<string, number>();
  let minimalEdges = 0;
  const signature = (node: TrieNode): number => {
    if (node.children.size === 0) return 0;
    internal++;
    const parts = [...node.children.entries()].map(([key, child]) => `${key}>${signature(child)}`).sort();
    const sig = parts.join(',');
    let id = ids.get(sig);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(sig, id);
      minimalEdges += parts.length;
    }
    return id;
  };
  signature(root);
  return { nodes, internal, edges: nodes, minimalInternal: ids.size, minimalEdges };
}
