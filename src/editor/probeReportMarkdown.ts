import * as vscode from 'vscode';
import { engine } from './lazyEngine';
import type { DocumentState } from './analysisScheduler';
import { lookupStatusText } from './lookupStatusText';

/**
 * The hover and the report command show the same thing: where the target was looked up, what
 * the lookup said, and the engine's probe table (or why there is none and what was assumed).
 */
export function targetReportMarkdown(state: DocumentState, options: { heading: boolean }): string {
  const lines: string[] = [];
  const analysis = state.analysis;
  const info = state.info;
  if (options.heading) lines.push(`# ${vscode.l10n.t('Probe report for {0}', vscode.workspace.asRelativePath(state.uri))}`, '');
  if (analysis.target.templated) lines.push(vscode.l10n.t('The target is set by a template: it is known only when mirrord renders the file.'), '');
  lines.push(`${vscode.l10n.t('Lookup')}: ${lookupStatusText(state.status)}`, '');
  if (state.resolution && !state.resolution.ok) {
    const failure = state.resolution.failure;
    if (failure.suggestions?.length) lines.push(vscode.l10n.t('Did you mean: {0}?', failure.suggestions.map((s) => `\`${s}\``).join(', ')), '');
  }
  lines.push(
    engine().renderProbeReportMarkdown(analysis, state.resolution, {
      context: info?.context,
      namespace: state.resolution?.ok ? state.resolution.target.namespace : info?.namespace,
      server: info?.server,
    }, vscode.l10n.t),
  );
  return lines.join('\n');
}
