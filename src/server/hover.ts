import * as l10n from '@vscode/l10n';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeConfig } from '../core/analyze/analyzeConfig';
import { configFormatForFileName } from '../core/config/configFormat';
import { parseConfig } from '../core/config/parseConfig';
import type { Analysis, Span } from '../core/types';
import type { LivePodsView } from '../service/livePods';
import { targetReportMarkdown } from '../service/probeReportMarkdown';
import type { ServerState } from './documentAnalyzer';
import { uriPathOrName } from './uris';

/** Above this, the protocol thread does not parse a text to place a hover (the worker will). */
const QUICK_PARSE_LIMIT = 256 * 1024;

/**
 * Hover on the `target` value and on the `incoming` setting: the probe table and the live pods,
 * from the latest published state. It never waits for an analysis: while the current version is
 * being analysed (a hostile regex may take a second), the spans come from a parse on this thread
 * that evaluates no regex, and the tables from the previous version, marked as such.
 */
export async function hoverFor(
  document: TextDocument,
  position: Position,
  state: ServerState | undefined,
  options: { livePods(state: ServerState): Promise<LivePodsView | undefined>; cancelled(): boolean },
): Promise<Hover | null> {
  const offset = document.offsetAt(position);
  const current = state?.version === document.version;
  const spansFrom = current ? state.analysis : quickAnalysis(document);
  if (!spansFrom) return null;
  const hit = [spansFrom.target.span, spansFrom.incomingSpan].filter((s): s is Span => s !== undefined).find((s) => s.start <= offset && offset <= s.end);
  if (!hit) return null;
  let markdown: string;
  if (!state) {
    markdown = `**Probe Guard** · ${l10n.t('analysing this file…')}`;
  } else {
    const livePods = current ? await options.livePods(state) : undefined;
    if (options.cancelled()) return null;
    markdown = targetReportMarkdown(state, { livePods });
    if (!current) markdown += `\n\n_${l10n.t('Analysing the latest edit: these are the results of the previous version.')}_`;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: markdown },
    range: { start: document.positionAt(hit.start), end: document.positionAt(hit.end) },
  };
}

/** Where `target` and `incoming` are, without evaluating any regex (every match answers "timeout"). */
function quickAnalysis(document: TextDocument): Analysis | undefined {
  const text = document.getText();
  if (text.length > QUICK_PARSE_LIMIT) return undefined;
  try {
    const parsed = parseConfig(text, configFormatForFileName(uriPathOrName(document.uri)));
    return analyzeConfig(parsed, undefined, { regexRunner: { test: () => 'timeout' } });
  } catch {
    return undefined;
  }
}
