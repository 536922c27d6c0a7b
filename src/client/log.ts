import * as vscode from 'vscode';

/**
 * The extension's one output channel, a LogOutputChannel so the user picks the level.
 * Nothing logged here may contain a credential: callers log failure messages from the cluster
 * layer (already scrubbed), context and server names, file paths and timings only.
 */
let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Probe Guard', { log: true });
  return channel;
}

export function log(): vscode.LogOutputChannel {
  return createLog();
}
