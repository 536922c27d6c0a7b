/**
 * Expands kubeconfig paths the way mirrord (shellexpand) and kubectl do: `~`, `$VAR` and `${VAR}`,
 * `:`-separated lists, and relative paths against a base folder.
 */
import * as path from 'node:path';

type Env = Record<string, string | undefined>;

/** `~` (alone or followed by `/`) becomes HOME; `$VAR`/`${VAR}` their values. Unset variables stay as written, so the error names them. */
export function expandVariables(raw: string, env: Env): string {
  return expandHome(expandEnvVars(raw, env), env);
}

export function expandHome(text: string, env: Env): string {
  const home = env.HOME ?? env.USERPROFILE;
  if (home && (text === '~' || text.startsWith('~/') || text.startsWith(`~${path.sep}`))) return home + text.slice(1);
  return text;
}

export function expandEnvVars(text: string, env: Env): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = env[(braced ?? bare) as string];
    return value === undefined ? whole : value;
  });
}

/** Splits a path list (`:` on POSIX, `;` on Windows), dropping empty entries as kubectl does. */
export function splitPathList(raw: string): string[] {
  return raw
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Expands and makes absolute against `baseDir`. */
export function resolvePath(raw: string, env: Env, baseDir: string): string {
  return path.resolve(baseDir, expandVariables(raw, env));
}

/** A list of paths, each expanded, absolute and de-duplicated in order. */
export function resolvePathList(raw: string, env: Env, baseDir: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  // Variables first (a variable may hold a whole list), then `~` per entry.
  for (const entry of splitPathList(expandEnvVars(raw, env))) {
    const abs = path.resolve(baseDir, expandHome(entry, env));
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push(abs);
    }
  }
  return out;
}
