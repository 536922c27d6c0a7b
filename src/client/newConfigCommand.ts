/**
 * Probe Guard: New mirrord Config for a Target… (probeGuard.newConfig). Loaded with the other
 * commands (dist/clientFeatures.js, src/client/lazyFeatures.ts), never at activation. The folder (its settings pick the cluster),
 * then a workload from probeGuard/newConfigCandidates, then a container when it has several; the
 * server returns the config its engine verified (probeGuard/newConfigText), which is written to
 * `.mirrord/<name>.mirrord.json` of the folder (`<name>-2`, `-3`... when taken: never overwritten)
 * and opened. Run on an empty mirrord config (its code action), the text goes into that file.
 * What is offered and what is written is the server's policy; this only asks and writes.
 */
import * as vscode from 'vscode';
import { newConfigFileName } from '../core/config/newConfig';
import {
  NEW_CONFIG_CANDIDATES,
  NEW_CONFIG_TEXT,
  type NewConfigCandidate,
  type NewConfigCandidatesResult,
  type NewConfigTextParams,
  type NewConfigTextResult,
} from '../service/lspProtocol';
import { folderForCommand, type ClientPrompts } from './folders';
import { log } from './log';

export interface NewConfigArgs {
  /** An empty mirrord config to fill in, instead of writing a new file. */
  document?: vscode.Uri;
  /** The folder to list from and write to. */
  folder?: vscode.Uri;
}

/** The language client's requests (languageClient.ts's ProbeGuardClient). */
export interface NewConfigRequester {
  request<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R>;
}

interface WorkloadItem extends vscode.QuickPickItem {
  candidate: NewConfigCandidate;
}

/** Runs the command; resolves with the config written (or filled in), undefined when cancelled or refused. */
export async function newMirrordConfig(client: NewConfigRequester, prompts: ClientPrompts, args: NewConfigArgs = {}): Promise<vscode.Uri | undefined> {
  const target = args.document ? await emptyConfig(args.document) : undefined;
  if (args.document && !target) {
    // Asked to fill in a config that has text by now: say so rather than write another file.
    return notInserted(args.document);
  }
  const folder = await folderForCommand(prompts, vscode.l10n.t('New mirrord config in which folder?'), { uri: args.document ?? args.folder });
  if (folder === 'cancelled') return undefined;
  const folderUri = folder?.uri.toString();

  const listed = await withCancellableProgress(vscode.l10n.t('Probe Guard: listing workloads'), (token) =>
    client.request<NewConfigCandidatesResult>(NEW_CONFIG_CANDIDATES, { folderUri }, token),
  );
  if (!listed) return undefined;
  if (listed.candidates.length === 0) {
    const message = listed.message ?? vscode.l10n.t('No workload found.');
    log().info(`New mirrord config: no workloads (${message}).`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Probe Guard: no workload to make a mirrord config for. {0}', message));
    return undefined;
  }
  if (listed.message) log().info(`New mirrord config: ${listed.message}`);
  const items: WorkloadItem[] = listed.candidates.map((candidate) => ({
    label: `${candidate.kind}/${candidate.name}`,
    description: describeCandidate(candidate),
    detail: vscode.l10n.t('containers: {0}', candidate.containers.join(', ')),
    candidate,
  }));
  const picked = await prompts.pickItem(items, {
    title: vscode.l10n.t('New mirrord config for a target'),
    placeHolder: listed.message ?? vscode.l10n.t('The workload to steal from (its liveness and readiness probes stay with the pod)'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const workload = picked.candidate;

  let container: string | undefined;
  if (workload.containers.length > 1) {
    const chosen = await prompts.pickItem(
      workload.containers.map((name, i) => ({ label: name, description: i === 0 ? vscode.l10n.t('first container') : undefined })),
      { title: vscode.l10n.t('Which container of {0}/{1}?', workload.kind, workload.name), ignoreFocusOut: true },
    );
    if (!chosen) return undefined;
    container = chosen.label;
  }

  const params: NewConfigTextParams = { workload: { kind: workload.kind, name: workload.name, namespace: workload.namespace }, folderUri };
  if (container) params.container = container;
  const made = await withCancellableProgress(vscode.l10n.t('Probe Guard: checking a config for {0}/{1}', workload.kind, workload.name), (token) =>
    client.request<NewConfigTextResult>(NEW_CONFIG_TEXT, params, token),
  );
  if (!made) return undefined;
  if (!made.ok) {
    log().warn(`New mirrord config for ${workload.kind}/${workload.name} refused: ${made.reason}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Probe Guard wrote no config for {0}/{1}: {2}', workload.kind, workload.name, made.reason));
    return undefined;
  }
  for (const title of made.applied) log().info(`New mirrord config for ${workload.kind}/${workload.name}: applied "${title}".`);
  if (made.kubeconfigNote) {
    log().warn(`New mirrord config for ${workload.kind}/${workload.name}: ${made.kubeconfigNote}`);
    void vscode.window.showWarningMessage(made.kubeconfigNote);
  }

  if (target) return fillIn(target, made.text);
  if (!folder) {
    // No folder to write to: an unsaved document with the text, saved wherever the user likes.
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: made.text });
    await vscode.window.showTextDocument(document);
    return document.uri;
  }
  const file = await writeNew(vscode.Uri.joinPath(folder.uri, '.mirrord'), workload.name, made.text);
  log().info(`New mirrord config: wrote ${vscode.workspace.asRelativePath(file)} for ${workload.kind}/${workload.name}.`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
  return file;
}

/** A request under a cancellable notification; undefined when the user cancelled it. */
async function withCancellableProgress<T>(title: string, work: (token: vscode.CancellationToken) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    try {
      return await work(token);
    } catch (error) {
      if (token.isCancellationRequested) return undefined;
      throw error;
    }
  });
}

/** `shop · 2/2 ready`, `shop · from api.yaml:3`. */
function describeCandidate(candidate: NewConfigCandidate): string {
  const parts = [candidate.namespace];
  if (candidate.replicas) parts.push(vscode.l10n.t('{0}/{1} ready', candidate.replicas.ready, candidate.replicas.desired));
  else if (candidate.source === 'manifests' && candidate.file) {
    const file = candidate.file.split(/[\\/]/).pop() ?? candidate.file;
    parts.push(vscode.l10n.t('from {0}', candidate.line === undefined ? file : `${file}:${candidate.line + 1}`));
  }
  return parts.join(' · ');
}

/** The document to fill in, when it is (still) empty. */
async function emptyConfig(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  return document.getText().trim() === '' ? document : undefined;
}

/** The config to fill in has text (typed meanwhile): nothing is inserted, and the user is told. */
function notInserted(uri: vscode.Uri): undefined {
  void vscode.window.showWarningMessage(vscode.l10n.t('{0} is no longer empty: the new config was not inserted.', vscode.workspace.asRelativePath(uri)));
  return undefined;
}

async function fillIn(document: vscode.TextDocument, text: string): Promise<vscode.Uri | undefined> {
  if (document.getText().trim() !== '') return notInserted(document.uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) return undefined;
  await vscode.window.showTextDocument(document, { preview: false });
  return document.uri;
}

/**
 * Writes `<folder>/<name>.mirrord.json` or the first free `<name>-N.mirrord.json`. Created
 * exclusively (a WorkspaceEdit's `createFile` without `overwrite`): a file that takes the name
 * between the check and the write (another window, a checkout) is left alone and the next name is
 * tried, as the CLI does with `wx`.
 */
async function writeNew(folder: vscode.Uri, name: string, text: string): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  const contents = new TextEncoder().encode(text);
  for (let n = 1; ; n++) {
    const file = vscode.Uri.joinPath(folder, newConfigFileName(name, n));
    if (await exists(file)) continue;
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(file, { overwrite: false, ignoreIfExists: false, contents });
    const created = await vscode.workspace.applyEdit(edit).then(
      (applied) => applied,
      () => false,
    );
    if (created) return file;
    // Taken meanwhile: the next name. Still free: the folder refuses the write, and the user is told.
    if (!(await exists(file))) throw new Error(vscode.l10n.t('Probe Guard could not create {0}.', vscode.workspace.asRelativePath(file)));
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
