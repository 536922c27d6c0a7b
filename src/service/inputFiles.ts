/**
 * Input limits and file reading for every front end: the config file (size limit, BOM), and the
 * Kubernetes manifests of `--manifest` / `probeGuard.manifests` (files, folders, globs; size and
 * count limits; documents that cannot hold a pod spec skipped in big files). The CLI and the
 * language server read through these functions only; they follow paths, so the lookup policy
 * (targetLookup.ts) calls them only for a trusted workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LRUCache } from 'lru-cache';
import { globSync } from 'tinyglobby';
import { configFormatForFileName } from '../core/config/configFormat';
import { parseManifests, type ManifestObject } from '../core/k8s/manifests';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_FILE_BYTES, MAX_MANIFEST_FILES, MAX_MANIFEST_TOTAL_BYTES, megabytes } from './inputLimits';

/** An input that cannot be read: the CLI exits 2 with this message, the editor shows it. */
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
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`);
  }
  const text = decodeConfig(bytes, file);
  // mirrord's JSON parser refuses a byte order mark: the analysis says so (and `fix` removes it).
  return configFormatForFileName(file) === 'json' ? text : stripBom(text);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A config's bytes as text. mirrord reads the file with Rust's `fs::read_to_string`, which refuses
 * bytes that are not UTF-8: such a file is an input error, not text with replacement characters
 * (analysed as something mirrord never reads, and written back by `fix --write` with the bytes lost).
 */
function decodeConfig(bytes: Buffer, file: string): string {
  const starts = (...head: number[]) => head.every((byte, i) => bytes[i] === byte);
  const wide = starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff) ? 'UTF-32' : starts(0xff, 0xfe) || starts(0xfe, 0xff) ? 'UTF-16' : undefined;
  if (wide) throw new InputError(`${file} is ${wide} text; mirrord reads configs as UTF-8 only (save it as UTF-8)`);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new InputError(`${file} is not UTF-8 text; mirrord reads configs as UTF-8 only (save it as UTF-8)`);
  }
}

export interface LoadedManifests {
  objects: ManifestObject[];
  /** Files skipped or partly unreadable, one line each. */
  warnings: string[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ManifestReadOptions {
  /** Relative entries are read from here (the CLI's working folder, the config's workspace folder). */
  baseDir: string;
  /** A missing file or folder: an InputError (the CLI's explicit `--manifest`) or a warning (a setting). */
  missing: 'error' | 'warn';
  /** Parsed files kept between reads (the language server's worker): a file is parsed again only when it changed. */
  parsedFiles?: ParsedManifestFiles;
}

/**
 * Source bytes of parsed manifest files kept between reads. A parsed file holds about 40 times its
 * size (its YAML syntax tree, measured: 4 MB of Deployments kept 157 MB), in each worker thread.
 */
const PARSED_MANIFEST_CACHE_BYTES = 1024 * 1024;

interface ParsedFile {
  /** Size, modification and change times, inode: a file whose stat differs is read again. */
  stamp: string;
  /** The file's size: what the cache is bounded by. */
  bytes: number;
  objects: ManifestObject[];
  problems: string[];
}

/**
 * Parsed manifest files by path, checked against each file's stat on every read, so that an editor
 * asking for completions and lookups on every keystroke does not parse a folder of rendered charts
 * (about a second per megabyte) each time. Folders and globs are still listed on every read (new
 * files are seen). Bounded by the bytes of the files held; the objects are shared, never mutated.
 */
export class ParsedManifestFiles {
  private readonly files = new LRUCache<string, ParsedFile>({
    // A parsed file keeps its YAML syntax tree (for line numbers), many times the file's bytes:
    // a project's own manifests fit; a folder of rendered charts beyond this is parsed as before.
    maxSize: PARSED_MANIFEST_CACHE_BYTES,
    sizeCalculation: (entry) => Math.max(1, entry.bytes),
  });

  get(file: string, stamp: string): ParsedFile | undefined {
    const entry = this.files.get(file);
    return entry?.stamp === stamp ? entry : undefined;
  }

  set(file: string, entry: ParsedFile): void {
    this.files.set(file, entry);
  }
}

/** Files of the entries, in order, without repeats: see `loadManifests`. */
export function manifestFiles(inputs: string[], options: ManifestReadOptions, warnings: string[]): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  let stopped = false;
  const add = (file: string) => {
    if (seen.has(file) || stopped) return;
    if (files.length >= MAX_MANIFEST_FILES) {
      stopped = true;
      warnings.push(`stopped reading manifests after ${MAX_MANIFEST_FILES} files`);
      return;
    }
    seen.add(file);
    files.push(file);
  };
  for (const input of inputs) {
    const entry = input.trim().replace(/[\\/]+$/, '') || input;
    const absolute = path.resolve(options.baseDir, entry);
    if (isGlob(entry)) {
      const matches = globSync(entry.split(path.sep).join('/'), { cwd: options.baseDir, absolute: true, ignore: ['**/node_modules/**'], onlyFiles: true });
      const manifests = matches.filter((file) => MANIFEST_EXTENSIONS.has(path.extname(file).toLowerCase())).sort();
      if (manifests.length === 0) warnings.push(`no manifest file matches ${entry}`);
      for (const file of manifests) add(path.normalize(file));
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      const message = `cannot read manifest ${input}: ${describeFsError(error)}`;
      if (options.missing === 'error') throw new InputError(message);
      warnings.push(message);
      continue;
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      collectManifestFiles(absolute, found, warnings);
      for (const file of found) add(file);
    } else add(absolute);
  }
  return files;
}

/** A glob character: `*`, `?`, `{`, `[` (a folder or file name otherwise). */
function isGlob(entry: string): boolean {
  return /[*?{[]/.test(entry);
}

/**
 * Kubernetes manifests from files, folders (walked recursively: `.yaml`, `.yml`, `.json`, not
 * `node_modules` or dot folders) and globs, within the size and count limits.
 */
export function loadManifests(
  inputs: string[],
  options: ManifestReadOptions = { baseDir: process.cwd(), missing: 'error' },
): LoadedManifests & { files: string[] } {
  const result: LoadedManifests & { files: string[] } = { objects: [], warnings: [], files: [] };
  const files = manifestFiles(inputs, options, result.warnings);
  let total = 0;
  for (const file of files) {
    const stat = safeStat(file);
    const size = stat?.size ?? 0;
    if (size > MAX_MANIFEST_FILE_BYTES) {
      result.warnings.push(`skipped ${file}: ${megabytes(size)} MB is over the ${megabytes(MAX_MANIFEST_FILE_BYTES)} MB limit for one manifest`);
      continue;
    }
    if (total + size > MAX_MANIFEST_TOTAL_BYTES) {
      result.warnings.push(`skipped ${file}: manifests over ${megabytes(MAX_MANIFEST_TOTAL_BYTES)} MB in all are not read`);
      continue;
    }
    total += size;
    result.files.push(file);
    const stamp = stat ? `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}` : undefined;
    const kept = stamp !== undefined ? options.parsedFiles?.get(file, stamp) : undefined;
    if (kept) {
      result.objects.push(...kept.objects);
      result.warnings.push(...kept.problems);
      continue;
    }
    let text: string;
    try {
      text = stripBom(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      result.warnings.push(`skipped ${file}: ${describeFsError(error)}`);
      continue;
    }
    const parsed = parseManifests(blankIrrelevantDocuments(text), file);
    if (stamp !== undefined) options.parsedFiles?.set(file, { stamp, bytes: size, objects: parsed.objects, problems: parsed.problems });
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
        files.push(full);
        if (files.length > MAX_MANIFEST_FILES) return;
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

function safeStat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A file system error as a few words (`no such file`, `permission denied`...). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (error as Error)?.message ?? String(error);
}
