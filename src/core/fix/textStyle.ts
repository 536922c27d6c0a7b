/**
 * How a file is laid out, so inserted text looks like the text around it: its line break, its
 * indentation unit, and line-level helpers shared by the format editors.
 */

/** The file's first line break: `\r\n`, `\n`, or a bare `\r` (classic Mac; JSON and YAML allow it). */
export function detectEol(text: string): string {
  const brk = /\r\n|\r|\n/.exec(text);
  return brk ? brk[0] : '\n';
}

/**
 * The indentation step of the file: a tab when lines are tab-indented, else the smallest positive
 * difference between the indentation of consecutive non-blank lines (2 when nothing is indented).
 */
export function detectIndentUnit(text: string, fallback = '  '): string {
  let previous = 0;
  let smallest = Infinity;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.startsWith('\t')) return '\t';
    const width = indent.length;
    if (width > previous && width - previous < smallest) smallest = width - previous;
    previous = width;
  }
  return smallest === Infinity || smallest > 8 ? fallback : ' '.repeat(smallest);
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset of the line break ending the line that holds `offset` (or the text's end). */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The spaces and tabs that start the line holding `offset`. */
export function indentOfLine(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, lineEndOf(text, start)))![0];
}

/** Column of `offset` within its line, counting each character (tabs included) as one. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** True when `offset` is the first non-blank character of its line. */
export function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStartOf(text, offset), offset).trim() === '';
}

/** Offset just after the last non-whitespace character at or before `offset - 1` (not before `floor`). */
export function skipBackOverWhitespace(text: string, offset: number, floor = 0): number {
  let i = offset;
  while (i > floor && /\s/.test(text[i - 1])) i--;
  return i;
}

export function spansOneLine(text: string, start: number, end: number): boolean {
  return !/[\r\n]/.test(text.slice(start, end));
}
