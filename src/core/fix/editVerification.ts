import { parseConfig } from '../config/parseConfig';
import type { ParsedConfig, TextEdit } from '../types';
import { applyTextEdits } from './applyTextEdits';
import { plainEquals, toPlainValue, type PlainTree } from './jsonValue';

const TEMPLATE_MARKER = /\{[{%#]/;

/**
 * The safety net behind every edit: the edited text must parse with no more problems than the
 * original, keep every Tera template untouched, and read back as exactly `expectedRoot` (the
 * original data with the one intended change). An editor that got a corner of some format wrong
 * then yields "no fix" instead of a broken config.
 */
export function editsAreSound(parsed: ParsedConfig, edits: TextEdit[], expectedRoot: PlainTree): boolean {
  if (edits.some((edit) => TEMPLATE_MARKER.test(edit.newText))) return false;
  if (edits.some((edit) => parsed.templateSpans.some((span) => touches(edit, span.start, span.end)))) return false;
  if (!editsAreDisjoint(edits, parsed.text.length)) return false;
  const after = parseConfig(applyTextEdits(parsed.text, edits), parsed.format);
  if (after.templateSpans.length !== parsed.templateSpans.length) return false;
  if (after.problems.length > parsed.problems.length) return false;
  if (!after.root) return false;
  return plainEquals(toPlainValue(after.root), expectedRoot);
}

/** An edit that removes template text, or inserts inside a template tag. */
function touches(edit: TextEdit, start: number, end: number): boolean {
  const editEnd = edit.offset + edit.length;
  if (edit.length === 0) return edit.offset > start && edit.offset < end;
  return edit.offset < end && editEnd > start;
}

function editsAreDisjoint(edits: TextEdit[], length: number): boolean {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  let previousEnd = 0;
  for (const edit of sorted) {
    if (edit.offset < previousEnd || edit.length < 0 || edit.offset + edit.length > length) return false;
    previousEnd = edit.offset + edit.length;
  }
  return true;
}
