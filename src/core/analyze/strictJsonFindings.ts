import { parseConfig } from '../config/parseConfig';
import { applyTextEdits } from '../fix/applyTextEdits';
import { editsAreSound } from '../fix/editVerification';
import { toPlainValue, type PlainTree } from '../fix/jsonValue';
import { lineEndOf, lineStartOf } from '../fix/textStyle';
import type { Fix, LenientJsonSyntax, ParsedConfig, Span, TextEdit } from '../types';
import { LazyFixFinding } from './keyModelFindings';

/**
 * mirrord reads a `.json` config with serde_json (mirrord/config/src/lib.rs, `from_file`), which
 * refuses comments and trailing commas: the session fails before it starts. The editor reads the
 * file as JSONC, so the rest of the file is still analysed; each one is an error here, with a fix
 * that removes it (offered only when the file reads back with the same data and one less).
 */
export function strictJsonFindings(parsed: ParsedConfig): LazyFixFinding[] {
  const items = parsed.lenientJson ?? [];
  if (items.length === 0 || !parsed.root) return [];
  let expected: PlainTree | undefined;
  const expectedRoot = () => (expected ??= toPlainValue(parsed.root!) as PlainTree);
  let all: { fix: Fix | undefined } | undefined;
  const removeAll = (): Fix | undefined => (all ??= { fix: planRemoveAll() }).fix;
  const planRemoveAll = (): Fix | undefined => {
    if (items.length < 2) return undefined;
    const edits = mergeDeletions(items.map((item) => removalSpan(parsed.text, item)));
    // Preferred when there are several: fix-all removes them in one step.
    return verified(parsed, edits, expectedRoot(), 0) ? { title: `Remove all ${describeAll(items)}`, isPreferred: true, edits } : undefined;
  };
  return items.map((item) => {
    const message =
      item.kind === 'comment'
        ? 'mirrord reads .json configs with a strict JSON parser: a comment makes the session fail to start. Remove it (or move the config to YAML, which has comments).'
        : `mirrord reads .json configs with a strict JSON parser: a comma before "${closerAfter(parsed.text, item.span.end)}" makes the session fail to start.`;
    return new LazyFixFinding('strict-json', message, item.span, () => {
      const fixes: Fix[] = [];
      const edits = mergeDeletions([removalSpan(parsed.text, item)]);
      if (verified(parsed, edits, expectedRoot(), items.length - 1)) {
        fixes.push({ title: item.kind === 'comment' ? 'Remove this comment' : 'Remove the trailing comma', isPreferred: items.length === 1, edits });
      }
      const all = removeAll();
      if (all) fixes.push(all);
      else if (fixes.length === 1) fixes[0].isPreferred = true;
      return fixes;
    });
  });
}

/** The same data, no new problem, and exactly `remaining` lenient constructs left. */
function verified(parsed: ParsedConfig, edits: TextEdit[], expectedRoot: PlainTree, remaining: number): boolean {
  if (!editsAreSound(parsed, edits, expectedRoot)) return false;
  return parseConfig(applyTextEdits(parsed.text, edits), 'json').lenientJson?.length === remaining;
}

/**
 * What to delete: a trailing comma alone; a comment with the blank it leaves (its whole line when
 * nothing else is on it, else the spaces before it, or after it at the start of a line).
 */
function removalSpan(text: string, item: LenientJsonSyntax): Span {
  const { start, end } = item.span;
  if (item.kind === 'trailing-comma') return { start, end };
  const lineStart = lineStartOf(text, start);
  const before = text.slice(lineStart, start);
  const lineEnd = lineEndOf(text, end);
  const after = text.slice(end, lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*$/.test(after)) {
    const next = lineEnd < text.length ? lineEnd + (text.startsWith('\r\n', lineEnd) ? 2 : 1) : lineEnd;
    // The last line of the file: take the line break before it instead.
    if (next === lineEnd && lineStart > 0) return { start: lineStart - (text.slice(lineStart - 2, lineStart) === '\r\n' ? 2 : 1), end: lineEnd };
    return { start: lineStart, end: next };
  }
  const spacesBefore = before.length - before.trimEnd().length;
  if (/^[ \t]*$/.test(before)) {
    const spacesAfter = after.length - after.trimStart().length;
    return { start, end: end + spacesAfter };
  }
  return { start: start - spacesBefore, end };
}

/** Deletions as edits, overlapping ones joined. */
function mergeDeletions(spans: Span[]): TextEdit[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged.map((s) => ({ offset: s.start, length: s.end - s.start, newText: '' }));
}

function closerAfter(text: string, offset: number): string {
  const match = /[}\]]/.exec(text.slice(offset));
  return match ? match[0] : '}';
}

function describeAll(items: LenientJsonSyntax[]): string {
  const comments = items.filter((i) => i.kind === 'comment').length;
  const commas = items.length - comments;
  const parts: string[] = [];
  if (comments) parts.push(`${comments} comment${comments === 1 ? '' : 's'}`);
  if (commas) parts.push(`${commas} trailing comma${commas === 1 ? '' : 's'}`);
  return parts.join(' and ');
}
