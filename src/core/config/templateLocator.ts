import type { ConfigNode, Span } from '../types';

/**
 * Answers "does this span touch a Tera template piece?" in O(log n), so building the tree of a
 * large config with many templates stays linear-ish instead of quadratic.
 */
export class TemplateLocator {
  private readonly spans: Span[];
  /** Parsers ask in text order: remember where the last answer was found to skip the search. */
  private cursor = 0;
  private lastStart = 0;

  constructor(spans: Span[]) {
    this.spans = [...spans].sort((a, b) => a.start - b.start);
  }

  /** A zero-length span counts as touching a template it sits strictly inside. */
  overlaps(span: Span): boolean {
    const spans = this.spans;
    if (spans.length === 0) return false;
    const end = Math.max(span.end, span.start + 1);
    // First template whose end lies after span.start (template spans do not overlap each other,
    // so their ends are sorted too).
    let low: number;
    if (span.start >= this.lastStart) {
      low = this.cursor;
      // A few linear steps cover the in-order case; fall back to binary search for big jumps.
      for (let steps = 0; low < spans.length && spans[low].end <= span.start; steps++, low++) {
        if (steps === 8) {
          low = this.search(span.start, low, spans.length);
          break;
        }
      }
    } else {
      low = this.search(span.start, 0, spans.length);
    }
    this.cursor = low;
    this.lastStart = span.start;
    return low < spans.length && spans[low].start < end;
  }

  /** First index in [low, high) whose template ends after `offset`. */
  private search(offset: number, low: number, high: number): number {
    const spans = this.spans;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (spans[mid].end <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** What every format's tree builder needs: the original text (for template text) and the locator. */
export interface TreeBuildContext {
  text: string;
  templates: TemplateLocator;
}

/** A scalar, or a TemplateNode carrying the original source text when a template touches it. */
export function scalarOrTemplate(context: TreeBuildContext, span: Span, value: string | number | boolean | null): ConfigNode {
  if (context.templates.overlaps(span)) {
    return { kind: 'template', span, text: context.text.slice(span.start, span.end) };
  }
  return { kind: 'scalar', span, value };
}

/**
 * The key as parsed, or, when a template touches it, its source text without surrounding quotes
 * (`"pod-{{ x }}"` -> `pod-{{ x }}`): readable in messages, and it never equals a real key name.
 */
export function keyOrTemplateSource(context: TreeBuildContext, keySpan: Span, key: string): string {
  if (!context.templates.overlaps(keySpan)) return key;
  const source = context.text.slice(keySpan.start, keySpan.end);
  const quoted = source.length >= 2 && (source[0] === '"' || source[0] === "'") && source[source.length - 1] === source[0];
  return quoted ? source.slice(1, -1) : source;
}
