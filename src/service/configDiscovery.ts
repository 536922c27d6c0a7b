/**
 * Which mirrord configs a run over files, folders and globs checks (the CLI's `check .`, a
 * repository's CI): named files as they are, folders searched for the names the editor treats as
 * configs (configFiles.ts), globs expanded. Never `node_modules`, `.git` or what git ignores: in
 * a git work tree git itself decides (`git ls-files --cached --others --exclude-standard`: every
 * .gitignore, `.git/info/exclude`, `core.excludesFile`, and tracked files even when a rule matches
 * them); elsewhere the `.gitignore` files of the searched tree are applied with the `ignore`
 * library (the matcher eslint uses). Symbolic links are not followed while searching.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { globSync } from 'tinyglobby';
import { isMirrordConfigPath } from './configFiles';
import { InputError, describeFsError } from './inputFiles';

export interface DiscoveredConfigs {
  /** Absolute paths, in a stable order (sorted per input), each once. */
  files: string[];
  /** Inputs that matched nothing, one sentence each. */
  warnings: string[];
}

/** Folders never searched, whatever the ignore files say. */
const NEVER_SEARCHED = new Set(['node_modules', '.git']);

/** A glob character: `*`, `?`, `{`, `[` (a folder or file name otherwise). */
export function isGlobPattern(entry: string): boolean {
  return /[*?{[]/.test(entry);
}

/**
 * The configs of `inputs` (files, folders, globs; relative to `cwd`); no input means `cwd`. A
 * named file that does not exist is an InputError; a folder or glob without configs is a warning.
 */
export function discoverConfigs(inputs: readonly string[], cwd: string): DiscoveredConfigs {
  const files: string[] = [];
  const seen = new Set<string>();
  const warnings: string[] = [];
  const add = (file: string) => {
    const key = realPath(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const input of inputs.length ? inputs : ['.']) {
    if (isGlobPattern(input)) {
      const matches = globMatches(input, cwd);
      if (matches.length === 0) warnings.push(`no file matches ${input}`);
      matches.forEach(add);
      continue;
    }
    const absolute = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      throw new InputError(`cannot read ${input}: ${describeFsError(error)}`);
    }
    if (!stat.isDirectory()) {
      add(absolute);
      continue;
    }
    const found = searchFolder(absolute);
    if (found.length === 0) warnings.push(`no mirrord config in ${input} (looked for *mirrord.{json,yaml,yml,toml} and .mirrord/*)`);
    found.forEach(add);
  }
  return { files, warnings };
}

/** The configs under a folder, sorted. */
export function searchFolder(dir: string): string[] {
  const listed = gitListedFiles(dir);
  const candidates = listed ? listed.filter((file) => isMirrordConfigPath(file) && isRegularFile(file)) : walkFolder(dir);
  return candidates.filter((file) => !hasNeverSearchedPart(path.relative(dir, file))).sort();
}

/** Glob matches that are not ignored (any file name: the pattern chose them), sorted. */
function globMatches(pattern: string, cwd: string): string[] {
  const matches = globSync(pattern.split(path.sep).join('/'), {
    cwd,
    absolute: true,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**', '**/.git/**'],
  }).map((file) => path.normalize(file));
  const ignored = gitIgnored(matches, cwd) ?? new GitignoreRules(cwd).filterIgnored(matches);
  return matches.filter((file) => !ignored.has(file)).sort();
}

function hasNeverSearchedPart(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => NEVER_SEARCHED.has(part));
}

function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** What git lists under `dir` (tracked, and untracked but not ignored); undefined outside a work tree or without git. */
function gitListedFiles(dir: string): string[] | undefined {
  const result = runGit(dir, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate']);
  if (result === undefined) return undefined;
  return result
    .split('\0')
    .filter(Boolean)
    .map((relative) => path.join(dir, relative));
}

/** Which of `files` git ignores (and does not track); undefined when `cwd` is not in a work tree. */
function gitIgnored(files: string[], cwd: string): Set<string> | undefined {
  if (files.length === 0) return new Set();
  const result = runGit(cwd, ['check-ignore', '-z', '--stdin'], files.join('\0'));
  if (result === undefined) return undefined;
  return new Set(
    result
      .split('\0')
      .filter(Boolean)
      .map((file) => path.resolve(cwd, file)),
  );
}

/**
 * git's stdout, or undefined when git is missing or `cwd` is not in a work tree (git exits 128
 * there; check-ignore exits 1 for "none ignored"). One process: no separate rev-parse first.
 */
function runGit(cwd: string, args: string[], input?: string): string | undefined {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'ignore'] });
  if (result.error || (result.status !== 0 && !(args[0] === 'check-ignore' && result.status === 1))) return undefined;
  return result.stdout;
}

/** Outside git: the folder walked, `.gitignore` files applied on the way down, ignored folders not entered. */
function walkFolder(root: string): string[] {
  const rules = new GitignoreRules(root);
  const found: string[] = [];
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NEVER_SEARCHED.has(entry.name) && !rules.ignores(full, true)) pending.push(full);
      } else if (entry.isFile() && isMirrordConfigPath(full) && !rules.ignores(full, false)) {
        found.push(full);
      }
    }
  }
  return found;
}

/**
 * The `.gitignore` files from `root` down, each applied to the paths below its folder (the
 * library checks the parent folders of a path within one file). One simplification against git:
 * a `!negation` in a deeper file does not undo a rule of a higher one.
 */
class GitignoreRules {
  private readonly byFolder = new Map<string, Ignore | null>();

  constructor(private readonly root: string) {}

  ignores(target: string, isDirectory: boolean): boolean {
    const relative = path.relative(this.root, target);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    const parts = relative.split(path.sep);
    let folder = this.root;
    for (let i = 0; i < parts.length; i++) {
      const below = parts.slice(i).join('/') + (isDirectory ? '/' : '');
      if (this.rulesOf(folder)?.ignores(below)) return true;
      folder = path.join(folder, parts[i]);
    }
    return false;
  }

  filterIgnored(files: string[]): Set<string> {
    return new Set(files.filter((file) => this.ignores(file, false)));
  }

  private rulesOf(folder: string): Ignore | null {
    let rules = this.byFolder.get(folder);
    if (rules === undefined) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(path.join(folder, '.gitignore'), 'utf8');
      } catch {
        text = undefined;
      }
      rules = text === undefined ? null : ignore().add(text);
      this.byFolder.set(folder, rules);
    }
    return rules;
  }
}
