/**
 * Which fixes apply, for every front end: the preferred fix of a finding, fix-all (the CLI's `fix`
 * and `source.fixAll.probeGuard`), and finding a listed fix again on a changed text (a quick fix
 * picked after an edit is recomputed on the current text, or refused; stale offsets are never
 * applied).
 */
import { applyTextEdits } from '../core/fix/applyTextEdits';
import type { Analysis, Finding, Fix, TextEdit } from '../core/types';

/**
 * Applies a fix's offset edits as the engine verified them (and as an editor applies a
 * WorkspaceEdit): insertions at the same offset in the order given, e.g. `,` then the new entry.
 * Overlapping or out-of-range edits leave the text unchanged.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return applyTextEdits(text, [...edits]);
}

/** The one edit that turns `before` into `after`, keeping the common head and tail untouched. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let head = 0;
  const max = Math.min(before.length, after.length);
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { offset: head, length: before.length - head - tail, newText: after.slice(head, after.length - tail) };
}

/**
 * The fix "auto fix" and fix-all apply for a finding: its preferred one, even when it is the only
 * fix. A fix that is not preferred is a guess (the closest key of an unknown key) or one choice
 * among several: it is offered, never applied on its own.
 */
export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.isPreferred);
}

/** The findings whose fixes change the target: applied only after the new target is looked up. */
export const TARGET_FIX_CODES: ReadonlySet<string> = new Set(['stale-pod-target', 'target-unresolved']);

/**
 * The target fix fix-all may apply for a target that was not found: the stale pod's owner, or the
 * one other namespace that has it (with several, picking one would be a guess). The caller looks
 * the new target up before keeping it.
 */
export function targetFix(analysis: Analysis): Fix | undefined {
  for (const finding of analysis.findings) {
    if (finding.code === 'stale-pod-target') {
      // The retarget (preferred), else the one other namespace that has the pod.
      const fix = preferredFix(finding) ?? (finding.fixes.length === 1 ? finding.fixes[0] : undefined);
      if (fix && fix.edits.length > 0) return fix;
    }
    if (finding.code === 'target-unresolved' && finding.fixes.length === 1 && finding.fixes[0].edits.length > 0) return finding.fixes[0];
  }
  return undefined;
}

export interface FixAllResult {
  text: string;
  /** The fixes applied, in order. */
  applied: Fix[];
}

/**
 * Fix all: applies the preferred fix of the first fixable finding, re-analyses, and repeats, so
 * fixes that touch the same node (two probes under one `incoming`) compose instead of colliding.
 * Stops when nothing fixable is left or a fix stops making progress. `include` limits it to some
 * findings (the check before a debug session fixes only the probe risks).
 */
export function fixAll(text: string, analyze: (text: string) => Analysis, maxRounds = 20, include: (finding: Finding) => boolean = () => true): FixAllResult {
  let current = text;
  const applied: Fix[] = [];
  const seen = new Set<string>([current]);
  for (let round = 0; round < maxRounds; round++) {
    const fix = analyze(current)
      .findings.filter(include)
      .map(preferredFix)
      .find((f): f is Fix => f !== undefined && f.edits.length > 0);
    if (!fix) break;
    const next = applyEdits(current, fix.edits);
    if (seen.has(next)) break;
    seen.add(next);
    applied.push(fix);
    current = next;
  }
  return { text: current, applied };
}

/** What a listed quick fix needs to be found again when it is applied. */
export interface FixIdentity {
  /** The document version the fix was listed for. */
  version: number;
  code: string;
  /** The finding's span when listed. */
  start: number;
  end: number;
  title: string;
}

/**
 * The listed fix in an analysis of the current text: at the same span when the version is the
 * same; after an edit, the same finding by code and fix title, the nearest one if several.
 * Undefined when it no longer exists (the caller refuses rather than guesses).
 */
export function findFix(analysis: Analysis, identity: FixIdentity, currentVersion: number): Fix | undefined {
  const candidates = analysis.findings.filter((f) => f.code === identity.code && f.fixes.some((x) => x.title === identity.title));
  let finding: Finding | undefined;
  if (currentVersion === identity.version) finding = candidates.find((f) => f.span.start === identity.start && f.span.end === identity.end);
  finding ??= candidates.sort((a, b) => Math.abs(a.span.start - identity.start) - Math.abs(b.span.start - identity.start))[0];
  return finding?.fixes.find((x) => x.title === identity.title);
}
