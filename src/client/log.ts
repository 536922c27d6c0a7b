import * as vscode from 'vscode';

/**
 * The extension's one output channel, a LogOutputChannel so the user picks the level.
 * Nothing logged here may contain a credential: callers log failure messages from the cluster
 * layer (already scrubbed), context and server names, file paths and timings only.
 *
 * Kept on globalThis, not in this module: the lazily loaded parts (dist/clientFeatures.js, see
 * src/client/lazyFeatures.ts) carry their own copy of this module and must write to the same channel.
 */
const CHANNEL = Symbol.for('probeGuard.outputChannel');
const shared = globalThis as { [CHANNEL]?: vscode.LogOutputChannel };

export function createLog(): vscode.LogOutputChannel {
  shared[CHANNEL] ??= vscode.window.createOutputChannel('Probe Guard', { log: true });
  return shared[CHANNEL];
}

export function log(): vscode.LogOutputChannel {
  return createLog();
}
