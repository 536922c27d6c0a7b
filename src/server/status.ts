import * as l10n from '@vscode/l10n';
import { clusterLabel, lookupStatusText } from '../service/lookupStatusText';
import { STATUS, type StatusParams } from '../service/lspProtocol';
import type { ServerState } from './documentAnalyzer';

export const STATUS_NOTIFICATION = STATUS;

/** What a client's status item shows for a published state (VS Code's language status item). */
export function statusParams(state: ServerState, lookupRunning: boolean): StatusParams {
  const { context, namespace } = clusterLabel(state);
  const status = state.status;
  const failed = status.kind === 'failed' || (status.kind === 'resolved' && status.source === 'manifests' && status.clusterFailure !== undefined);
  return {
    uri: state.uri,
    version: state.version,
    lookup: status.kind,
    clusterText: status.kind === 'restricted' ? l10n.t('Restricted Mode') : `${context ?? l10n.t('current context')} · ${namespace ?? 'default'}`,
    lookupText: lookupStatusText(status),
    severity: failed ? 'warning' : 'information',
    busy: status.kind === 'pending' || lookupRunning,
  };
}
