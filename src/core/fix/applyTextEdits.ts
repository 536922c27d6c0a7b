import type { TextEdit } from '../types';

/**
 * Applies non-overlapping edits given in any order. Insertions at the same offset keep the order
 * they were given in. Edits that overlap or fall outside the text are a caller bug: the text is
 * returned unchanged rather than half-edited.
 */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const source = typeof text === 'string' ? text : '';
  if (!Array.isArray(edits) || edits.length === 0) return source;
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.offset - b.edit.offset || a.edit.length - b.edit.length || a.index - b.index);
  const chunks: string[] = [];
  let copiedUpTo = 0;
  for (const { edit } of ordered) {
    const valid =
      Number.isInteger(edit.offset) &&
      Number.isInteger(edit.length) &&
      edit.length >= 0 &&
      edit.offset >= copiedUpTo &&
      edit.offset + edit.length <= source.length &&
      typeof edit.newText === 'string';
    if (!valid) return source;
    chunks.push(source.slice(copiedUpTo, edit.offset), edit.newText);
    copiedUpTo = edit.offset + edit.length;
  }
  chunks.push(source.slice(copiedUpTo));
  return chunks.join('');
}
