import type { Position, Range, Span } from '../types';

/**
 * Converts between UTF-16 offsets and zero-based line/character positions.
 * Line breaks are `\n`, `\r\n` and a lone `\r`, the same set VS Code's TextDocument uses, so a
 * position computed here means the same spot in the editor.
 */
export class LineIndex {
  /** Offset of the first character of each line; always starts with 0. */
  private readonly lineStarts: number[];
  private readonly textLength: number;
  /** Offset where each line's content ends (before its line break). */
  private readonly lineEnds: number[];

  constructor(text: string) {
    const source = typeof text === 'string' ? text : '';
    this.textLength = source.length;
    this.lineStarts = [0];
    this.lineEnds = [];
    for (let i = 0; i < source.length; i++) {
      const code = source.charCodeAt(i);
      if (code === 10 /* \n */) {
        this.lineEnds.push(i);
        this.lineStarts.push(i + 1);
      } else if (code === 13 /* \r */) {
        this.lineEnds.push(i);
        if (source.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
    this.lineEnds.push(source.length);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Out-of-range offsets are clamped; an offset inside a `\r\n` pair maps to the end of that line. */
  positionAt(offset: number): Position {
    const clamped = clamp(Math.floor(Number.isFinite(offset) ? offset : 0), 0, this.textLength);
    const line = this.lineOfOffset(clamped);
    const start = this.lineStarts[line];
    const character = Math.min(clamped, this.lineEnds[line]) - start;
    return { line, character };
  }

  /** Out-of-range lines and characters are clamped to the text and to the line's content. */
  offsetAt(pos: Position): number {
    if (!pos || !Number.isFinite(pos.line) || pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.textLength;
    const line = Math.floor(pos.line);
    const start = this.lineStarts[line];
    const character = Number.isFinite(pos.character) ? Math.max(0, Math.floor(pos.character)) : 0;
    return Math.min(start + character, this.lineEnds[line]);
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** Binary search for the last line whose start is <= offset. */
  private lineOfOffset(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
