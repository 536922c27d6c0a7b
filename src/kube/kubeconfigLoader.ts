/**
 * Chooses the kubeconfig files (config field, override, KUBECONFIG, ~/.kube/config) and merges
 * them as kubectl does: for every cluster, user and context name, and for current-context, the
 * first file that sets it wins. Relative paths inside a file resolve against that file's folder.
 *
 * Replaced on purpose: client-node's KubeConfig.loadFromDefault/mergeConfig. It throws on a name
 * that two KUBECONFIG files both define and on a missing file in the list, lets a later file's
 * current-context win, reads process.env rather than the settings' environment, and makes only
 * some paths absolute. kubectl (and mirrord, through kube-rs) do none of that, and Probe Guard
 * must pick the cluster they pick (test/unit/kube/kubectlConfigView.test.ts checks it against
 * kubectl). The chosen cluster and user then go to client-node's loadFromOptions (kubeAuth.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LRUCache } from 'lru-cache';
import { parseDocument } from 'yaml';
import type { ResolveFailure } from '../core/types';
import type { ClusterSettings } from './clusterTypes';
import { expandHome, resolvePathList } from './pathExpansion';

export type KubeconfigOrigin = 'config' | 'override' | 'KUBECONFIG' | 'default';

export interface KubeconfigChoice {
  files: string[];
  origin: KubeconfigOrigin;
}

export interface MergedKubeconfig {
  /** Files actually read, in order. */
  files: string[];
  clusters: Map<string, Record<string, any>>;
  users: Map<string, Record<string, any>>;
  contexts: Map<string, Record<string, any>>;
  currentContext?: string;
  /** Changes whenever a file's path or content changes: part of the cache key. */
  fingerprint: string;
}

const ORIGIN_TEXT: Record<KubeconfigOrigin, string> = {
  config: 'the mirrord config\'s "kubeconfig"',
  override: 'the kubeconfig override (--kubeconfig, or the probeGuard.kubeconfig setting)',
  KUBECONFIG: 'KUBECONFIG',
  default: 'the default location',
};

/** Which files a lookup reads, by mirrord's precedence. Never touches the disk. */
export function chooseKubeconfigFiles(requestKubeconfig: string | undefined, settings: ClusterSettings): KubeconfigChoice {
  const env = settings.env ?? {};
  if (requestKubeconfig && requestKubeconfig.trim()) return { files: resolvePathList(requestKubeconfig, env, settings.configDir), origin: 'config' };
  const override = settings.overrides?.kubeconfig;
  if (override && override.trim()) return { files: resolvePathList(override, env, settings.configDir), origin: 'override' };
  if (env.KUBECONFIG && env.KUBECONFIG.trim()) return { files: resolvePathList(env.KUBECONFIG, env, settings.configDir), origin: 'KUBECONFIG' };
  const home = env.HOME ?? env.USERPROFILE;
  return { files: home ? [path.join(home, '.kube', 'config')] : [], origin: 'default' };
}

function badKubeconfig(message: string): ResolveFailure {
  return { kind: 'bad-kubeconfig', message };
}

function entries(value: unknown, field: string): Array<[string, Record<string, any>]> {
  if (!Array.isArray(value)) return [];
  const out: Array<[string, Record<string, any>]> = [];
  for (const item of value) {
    if (item && typeof item === 'object' && typeof item.name === 'string' && item[field] && typeof item[field] === 'object') out.push([item.name, item[field]]);
  }
  return out;
}

function absolutize(dir: string, value: unknown): unknown {
  return typeof value === 'string' && value !== '' && !path.isAbsolute(value) ? path.join(dir, value) : value;
}

/** kubectl resolves file references relative to the kubeconfig that holds them. */
function makePathsAbsolute(dir: string, kind: 'cluster' | 'user', entry: Record<string, any>): Record<string, any> {
  const out = { ...entry };
  if (kind === 'cluster') {
    out['certificate-authority'] = absolutize(dir, out['certificate-authority']);
    return out;
  }
  for (const key of ['client-certificate', 'client-key', 'tokenFile', 'token-file']) out[key] = absolutize(dir, out[key]);
  // An exec command with a path separator is relative to the file; a bare name is looked up on PATH.
  if (out.exec && typeof out.exec.command === 'string' && (out.exec.command.includes('/') || out.exec.command.includes(path.sep))) {
    out.exec = { ...out.exec, command: absolutize(dir, expandHome(out.exec.command, {})) };
  }
  return out;
}

/** Reads and parses one kubeconfig; a failure names the file and the line, never the content. */
function readOne(file: string): { doc: Record<string, any>; text: string } | ResolveFailure | 'missing' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: any) {
    if (err?.code === 'ENOENT') return 'missing';
    return badKubeconfig(`Cannot read kubeconfig ${file}: ${err?.code ?? 'unreadable'}.`);
  }
  // Every lookup, cached ones included, re-reads the files (a change must be seen at once), but
  // YAML-parsing the same text again cost most of a cached lookup: reuse the parse of equal text.
  const cached = parsedFiles.get(file);
  if (cached && cached.text === text) return cached;
  const parsed = parseOne(file, text);
  if (!('kind' in parsed && 'message' in parsed)) parsedFiles.set(file, parsed as { doc: Record<string, any>; text: string });
  return parsed;
}

/** Last parse per kubeconfig file (LRU, bounded). Parsed documents are only read, never changed, by the loader. */
const MAX_PARSED_FILES = 32;
const parsedFiles = new LRUCache<string, { doc: Record<string, any>; text: string }>({ max: MAX_PARSED_FILES });

function parseOne(file: string, text: string): { doc: Record<string, any>; text: string } | ResolveFailure {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    // The yaml error text quotes the source, which may hold a token: report only where it is.
    const line = doc.errors[0].linePos?.[0]?.line;
    return badKubeconfig(`Kubeconfig ${file} is not valid YAML${line ? ` (line ${line})` : ''}: fix or remove the file.`);
  }
  const value = doc.toJS();
  if (value === null || value === undefined) return { doc: {}, text };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return badKubeconfig(`Kubeconfig ${file} is not a kubeconfig: expected a mapping with clusters, contexts and users.`);
  }
  return { doc: value, text };
}

export function loadKubeconfig(choice: KubeconfigChoice): MergedKubeconfig | ResolveFailure {
  if (choice.files.length === 0) return badKubeconfig('No kubeconfig: HOME is not set and neither KUBECONFIG nor a kubeconfig override names a file.');
  const merged: MergedKubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map(), fingerprint: '' };
  const hash = createHash('sha256');
  for (const file of choice.files) {
    const read = readOne(file);
    if (read === 'missing') {
      // kubectl skips missing KUBECONFIG entries; a file named explicitly must exist.
      if (choice.origin === 'KUBECONFIG') continue;
      return badKubeconfig(`Kubeconfig ${file} (from ${ORIGIN_TEXT[choice.origin]}) does not exist.`);
    }
    if ('kind' in read && 'message' in read) return read as ResolveFailure;
    const { doc, text } = read as { doc: Record<string, any>; text: string };
    hash.update(file).update('\0').update(text).update('\0');
    merged.files.push(file);
    const dir = path.dirname(file);
    for (const [name, cluster] of entries(doc.clusters, 'cluster'))
      if (!merged.clusters.has(name)) merged.clusters.set(name, makePathsAbsolute(dir, 'cluster', cluster));
    for (const [name, user] of entries(doc.users, 'user')) if (!merged.users.has(name)) merged.users.set(name, makePathsAbsolute(dir, 'user', user));
    for (const [name, context] of entries(doc.contexts, 'context')) if (!merged.contexts.has(name)) merged.contexts.set(name, context);
    const current = doc['current-context'];
    if (merged.currentContext === undefined && typeof current === 'string' && current !== '') merged.currentContext = current;
  }
  if (merged.files.length === 0) return badKubeconfig(`None of the KUBECONFIG files exist: ${choice.files.join(', ')}.`);
  merged.fingerprint = hash.digest('hex');
  return merged;
}
