import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseManifests, type ManifestObject } from '../core/k8s/manifests';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_FILE_BYTES, MAX_MANIFEST_FILES, MAX_MANIFEST_TOTAL_BYTES } from '../core/limits';

/** An input that cannot be read: exit code 2 with this message. */
export class InputError extends Error {}

export function readConfigFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`);
  }
  if (!stat.isFile()) throw new InputError(`${file} is not a file`);
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new InputError(`${file} is ${megabytes(stat.size)} MB; configs over ${megabytes(MAX_CONFIG_BYTES)} MB are not analysed`);
  }
  try {
    return stripBom(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

export interface LoadedManifests {
  objects: ManifestObject[];
  /** Files skipped or partly unreadable, one line each. */
  warnings: string[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Kubernetes manifests from files and folders (folders walked recursively). */
export function loadManifests(inputs: string[]): LoadedManifests {
  const result: LoadedManifests = { objects: [], warnings: [] };
  const files: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (error) {
      throw new InputError(`cannot read manifest ${input}: ${describeFsError(error)}`);
    }
    if (stat.isDirectory()) collectManifestFiles(input, files, result.warnings);
    else files.push(input);
  }
  let total = 0;
  for (const file of files) {
    const size = safeSize(file);
    if (size > MAX_MANIFEST_FILE_BYTES) {
      result.warnings.push(`skipped ${file}: ${megabytes(size)} MB is over the ${megabytes(MAX_MANIFEST_FILE_BYTES)} MB limit for one manifest`);
      continue;
    }
    if (total + size > MAX_MANIFEST_TOTAL_BYTES) {
      result.warnings.push(`skipped ${file}: manifests over ${megabytes(MAX_MANIFEST_TOTAL_BYTES)} MB in all are not read`);
      continue;
    }
    total += size;
    let text: string;
    try {
      text = stripBom(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      result.warnings.push(`skipped ${file}: ${describeFsError(error)}`);
      continue;
    }
    const parsed = parseManifests(blankIrrelevantDocuments(text), file);
    result.objects.push(...parsed.objects);
    result.warnings.push(...parsed.problems);
  }
  return result;
}

function collectManifestFiles(dir: string, files: string[], warnings: string[]): void {
  const pending = [dir];
  while (pending.length) {
    const current = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (error) {
      warnings.push(`skipped folder ${current}: ${describeFsError(error)}`);
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) pending.push(full);
      } else if (entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        if (files.length >= MAX_MANIFEST_FILES) {
          warnings.push(`stopped reading manifests after ${MAX_MANIFEST_FILES} files`);
          return;
        }
        files.push(full);
      }
    }
  }
}

/**
 * The YAML parser costs about a second per megabyte (and keeps every document's syntax tree), so a
 * 50 MB folder of rendered charts would take a minute. The lookup only uses Pods, workloads,
 * Services and Lists, so in a big file every document that cannot be one of them (no such kind
 * name, no escape that could spell one, no directive) is blanked before parsing: replaced by its
 * newlines, so line numbers stay right. `---` and `...` at the start of a line always end a YAML
 * document (they are forbidden inside content), so splitting on them is exact.
 */
export function blankIrrelevantDocuments(text: string): string {
  if (text.length < BLANKING_THRESHOLD) return text;
  const pieces: string[] = [];
  let start = 0;
  const keepOrBlank = (chunk: string) => (RELEVANT_DOCUMENT.test(chunk) ? chunk : chunk.replace(/[^\n]+/g, ''));
  for (const marker of text.matchAll(DOCUMENT_MARKER)) {
    const at = marker.index ?? 0;
    pieces.push(keepOrBlank(text.slice(start, at)), marker[0]);
    start = at + marker[0].length;
  }
  pieces.push(keepOrBlank(text.slice(start)));
  return pieces.join('');
}

const BLANKING_THRESHOLD = 256 * 1024;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/** A kind the lookup can use, an escape that could spell one, a directive, or a tag. */
const RELEVANT_DOCUMENT = /Pod|Deployment|Rollout|StatefulSet|Job|ReplicaSet|Service|List|\\|^%|!/m;

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (error as Error)?.message ?? String(error);
}
