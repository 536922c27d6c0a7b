/**
 * Which launch configurations run under mirrord, with which config file and which environment: one
 * answer for every part of Probe Guard that reads launch.json (the active config, the launch.json
 * CodeLens, the check before F5). Plain data in, plain data out: no vscode, no file system.
 *
 * As the official mirrord extension decides (metalbear-co/mirrord-vscode: src/config.ts
 * `resolveMirrordConfig`, src/debugger.ts; its docs for `MIRRORD_ACTIVE`):
 * - `MIRRORD_ACTIVE: "0"` in a launch configuration's `env` keeps mirrord off for it, `"1"` on;
 * - the config file is the active config selected in the mirrord extension, else the launch
 *   configuration's `MIRRORD_CONFIG_FILE` (`${workspaceFolder}` expanded), else the folder's
 *   default: the first `.mirrord/*mirrord.{toml,json,yml,yaml}` by `localeCompare` of the path;
 * - mirrord itself reads every `MIRRORD_*` variable of its environment over the file
 *   (docs/semantics.md section 1), so the launch `env` is part of what the session does.
 */
import * as path from 'node:path';

/** The workspace folder a launch configuration belongs to. */
export interface LaunchFolder {
  /** Absolute file system path. */
  path: string;
  name: string;
}

export interface LaunchContext {
  folder: LaunchFolder;
  /** For `${userHome}`; the process's home when absent. */
  home?: string;
  /** The folder's default config (see `defaultConfigOf`), absolute, when there is one. */
  folderDefaultConfig?: string;
  /**
   * The official mirrord extension, when Probe Guard knows its state: `enabled` means it runs
   * every launch configuration under mirrord (its status bar toggle); `activeConfig` is the config
   * selected with its "Select active config" command (absolute), which wins over everything.
   */
  mirrordExtension?: { enabled: boolean; activeConfig?: string };
}

/** Why a launch configuration runs under mirrord. */
export type MirrordLaunchReason =
  /** Its `env` names `MIRRORD_CONFIG_FILE`. */
  | 'config-file-env'
  /** Its `env` sets `MIRRORD_ACTIVE` to `1`. */
  | 'mirrord-active-env'
  /** Its `env` sets other `MIRRORD_*` variables (mirrord's own settings). */
  | 'mirrord-env'
  /** The mirrord extension is enabled: it runs every launch configuration under mirrord. */
  | 'mirrord-extension';

export interface MirrordLaunch {
  /** Index in the `configurations` array. */
  index: number;
  /** The configuration's `name` ('' when it has none). */
  name: string;
  reason: MirrordLaunchReason;
  /** The config file mirrord would load (absolute), undefined when there is none (mirrord would make a default one). */
  configFile?: string;
  /** Where `configFile` comes from. */
  configSource: 'mirrord-active-config' | 'launch-env' | 'folder-default' | 'none';
  /** `MIRRORD_CONFIG_FILE` as written in `env`, when it is set. */
  configFileAsWritten?: string;
  /** The string entries of the configuration's `env`: what the session gets over the process environment. */
  env: Record<string, string>;
  /** The `MIRRORD_*` entries of `env`: mirrord applies them over the file. */
  mirrordEnv: Record<string, string>;
}

/** The env variable naming the config file; the one turning mirrord on or off for one configuration. */
export const CONFIG_FILE_VARIABLE = 'MIRRORD_CONFIG_FILE';
export const ACTIVE_VARIABLE = 'MIRRORD_ACTIVE';

/** Every configuration of `configurations` (launch.json's array) that runs under mirrord, in order. */
export function mirrordLaunches(configurations: unknown, context: LaunchContext): MirrordLaunch[] {
  if (!Array.isArray(configurations)) return [];
  const launches: MirrordLaunch[] = [];
  configurations.forEach((configuration, index) => {
    const launch = mirrordLaunchOf(configuration, index, context);
    if (launch) launches.push(launch);
  });
  return launches;
}

/** One launch (or debug) configuration: how it runs under mirrord, or undefined when it does not. */
export function mirrordLaunchOf(configuration: unknown, index: number, context: LaunchContext): MirrordLaunch | undefined {
  if (!isRecord(configuration)) return undefined;
  const env = stringEntries(configuration.env);
  const active = env[ACTIVE_VARIABLE];
  if (active === '0') return undefined;
  const mirrordEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (key.startsWith('MIRRORD_') && key !== ACTIVE_VARIABLE) setOwn(mirrordEnv, key, value);
  const written = env[CONFIG_FILE_VARIABLE]?.trim() || undefined;
  let reason: MirrordLaunchReason | undefined;
  if (written) reason = 'config-file-env';
  else if (active === '1') reason = 'mirrord-active-env';
  else if (Object.keys(mirrordEnv).length > 0) reason = 'mirrord-env';
  else if (context.mirrordExtension?.enabled) reason = 'mirrord-extension';
  if (!reason) return undefined;

  const launch: MirrordLaunch = {
    index,
    name: typeof configuration.name === 'string' ? configuration.name : '',
    reason,
    configSource: 'none',
    env,
    mirrordEnv,
  };
  if (written) launch.configFileAsWritten = written;
  const selected = context.mirrordExtension?.activeConfig;
  if (selected) {
    launch.configFile = selected;
    launch.configSource = 'mirrord-active-config';
  } else if (written) {
    launch.configFile = resolveLaunchPath(written, context);
    launch.configSource = 'launch-env';
  } else if (context.folderDefaultConfig) {
    launch.configFile = context.folderDefaultConfig;
    launch.configSource = 'folder-default';
  }
  return launch;
}

/**
 * A path from a launch configuration as the session would see it: `${workspaceFolder}` (also
 * `${workspaceFolder:name}` and the old `${workspaceRoot}`), `${workspaceFolderBasename}` and
 * `${userHome}` expanded; a relative path is taken from the workspace folder (the debuggee's usual
 * working folder, and how the mirrord extension opens such a config).
 */
export function resolveLaunchPath(written: string, context: Pick<LaunchContext, 'folder' | 'home'>): string {
  const home = context.home ?? process.env.HOME ?? process.env.USERPROFILE ?? '~';
  const expanded = written
    .replace(/\$\{workspaceFolder(?::[^}]*)?\}|\$\{workspaceRoot\}/g, () => context.folder.path)
    .replace(/\$\{workspaceFolderBasename\}/g, () => context.folder.name)
    .replace(/\$\{userHome\}/g, () => home);
  return path.isAbsolute(expanded) ? path.normalize(expanded) : path.join(context.folder.path, expanded);
}

/** The names the mirrord extension looks for in `.mirrord/` (`*mirrord.{toml,json,yml,yaml}`). */
export function isDefaultConfigName(fileName: string): boolean {
  return /mirrord\.(toml|json|yml|yaml)$/.test(fileName);
}

/**
 * The folder's default config among the files of its `.mirrord/` folder (absolute paths): the
 * first matching name by `localeCompare` of the path, as the mirrord extension sorts them.
 */
export function defaultConfigOf(mirrordFolderFiles: readonly string[]): string | undefined {
  return mirrordFolderFiles.filter((file) => isDefaultConfigName(path.basename(file))).sort((a, b) => a.localeCompare(b))[0];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The string values of an `env` object (launch.json may hold numbers or nulls there: the debugger drops them). */
function stringEntries(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(env)) return out;
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') setOwn(out, key, value);
  return out;
}

/** Plain assignment would let a `__proto__` key change the object's prototype. */
function setOwn(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
