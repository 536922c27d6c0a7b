import * as vscode from 'vscode';
import type { Span } from '../core/types';
import type { AnalysisScheduler } from './analysisScheduler';
import { targetReportMarkdown } from '../service/probeReportMarkdown';

/**
 * Hover on the `target` value and on the `incoming` setting: what the probes are and their fate.
 * The live pods are requested here, on demand (never while typing), waiting at most the lookup
 * timeout; without them in time the hover says they are loading.
 */
export class ProbeGuardHover implements vscode.HoverProvider {
  constructor(private readonly scheduler: AnalysisScheduler) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token?: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const state = this.scheduler.stateFor(document);
    const offset = document.offsetAt(position);
    const spans = [state.analysis.target.span, state.analysis.incomingSpan].filter((s): s is Span => s !== undefined);
    const hit = spans.find((s) => s.start <= offset && offset <= s.end);
    if (!hit) return undefined;
    const livePods = await this.scheduler.livePodsFor(document, state, token);
    if (token?.isCancellationRequested) return undefined;
    const markdown = new vscode.MarkdownString(targetReportMarkdown(state, { livePods }));
    // Links in the table only point at our own commands (refresh, log).
    markdown.isTrusted = { enabledCommands: ['probeGuard.refreshTarget', 'probeGuard.showLog'] };
    markdown.appendMarkdown(`\n\n[${vscode.l10n.t('Refresh')}](command:probeGuard.refreshTarget) · [${vscode.l10n.t('Show log')}](command:probeGuard.showLog)`);
    return new vscode.Hover(markdown, new vscode.Range(document.positionAt(hit.start), document.positionAt(hit.end)));
  }
}
