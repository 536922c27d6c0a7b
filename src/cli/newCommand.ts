/**
 * `probe-guard new <kind/name>`: the CLI twin of the editor's New mirrord Config. The policy (the
 * lookup, the container check, the engine's verification, the free file name) is the service
 * layer's (src/service/newConfigTargets.ts); this reads the flags, prints or writes, and picks the
 * exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTargetPath } from '../core/target/targetPath';
import { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
import { ClusterLookup } from '../service/clusterLookup';
import { describeFsError, InputError } from '../service/inputFiles';
import { silentLog } from '../service/log';
import { resolveFromManifestFiles } from '../service/manifestResolution';
import { verifiedNewConfig } from '../service/newConfig';
import { freeConfigFileName, isNewConfigKind, NEW_CONFIG_KINDS, newConfigTextFor } from '../service/newConfigTargets';
import { analyzeOptionsFor } from '../service/settings';
import { EXIT, type ExitCode } from './checkReport';
import { UsageError, type NewOptions } from './cliOptions';
import { cliSettings } from './runChecks';

export interface NewIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

export async function runNew(options: NewOptions, io: NewIo): Promise<ExitCode> {
  const usage = (message: string) => new UsageError(message, 'new');
  const parsed = parseTargetPath(options.target);
  if (!parsed.ok) throw usage(parsed.message);
  const ref = parsed.ref;
  if (!isNewConfigKind(ref.kind) || !ref.name) {
    throw usage(`a new config targets a workload: ${NEW_CONFIG_KINDS.map((k) => `${k}/NAME`).join(', ')} (got "${options.target}")`);
  }
  if (ref.container && options.container && ref.container !== options.container) {
    throw usage(`two containers: "${ref.container}" in ${options.target} and --container ${options.container}`);
  }
  const settings = cliSettings(options, io.cwd);
  // The config's own session decides MIRRORD_* later; it is verified as written.
  const analyzeOptions = analyzeOptionsFor(settings, {}, createBudgetedRegexRunner());
  const result = await newConfigTextFor(
    new ClusterLookup(silentLog),
    { configDir: io.cwd, baseDir: io.cwd, env: io.env },
    { kind: ref.kind, name: ref.name, namespace: options.namespace, container: ref.container ?? options.container },
    settings,
    {
      // The user runs the CLI on purpose: the kubeconfig and manifests are trusted.
      trusted: true,
      log: silentLog,
      resolveManifests: resolveFromManifestFiles,
      missingManifests: 'error',
      verify: (target, resolution) => verifiedNewConfig(target, resolution, analyzeOptions),
    },
  );
  if (!result.ok) {
    io.stderr.write(`probe-guard: no config written for ${ref.kind}/${ref.name}: ${result.reason}\n`);
    if (result.otherNamespaces?.length) io.stderr.write(`probe-guard: pick one with ${result.otherNamespaces.map((ns) => `--namespace ${ns}`).join(' or ')}\n`);
    return result.why === 'unsafe' ? EXIT.failed : result.why === 'invalid' ? EXIT.usage : EXIT.unresolved;
  }
  const note = (message: string) => {
    if (!options.quiet) io.stderr.write(`probe-guard: ${message}\n`);
  };
  for (const title of result.applied) note(`applied "${title}"`);
  note(`verified against ${ref.kind}/${ref.name} in namespace "${result.target.namespace}" (${result.source}): no liveness or readiness probe stolen`);
  // Not quiet-able: without it, mirrord may run against another cluster than the one verified.
  if (result.kubeconfigNote) io.stderr.write(`probe-guard: warning: ${result.kubeconfigNote}\n`);
  if (options.writeDir === undefined) {
    io.stdout.write(result.text);
    return EXIT.ok;
  }
  const folder = path.resolve(io.cwd, options.writeDir, '.mirrord');
  const file = writeNewFile(folder, ref.name, result.text);
  io.stdout.write(`${path.relative(io.cwd, file) || file}\n`);
  return EXIT.ok;
}

/** Writes `<folder>/<name>.mirrord.json`, or the first free `<name>-N.mirrord.json`; never over an existing file. */
function writeNewFile(folder: string, name: string, text: string): string {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create ${folder}: ${describeFsError(error)}`);
  }
  for (;;) {
    const file = path.join(
      folder,
      // lstat: a dangling symlink is taken too (existsSync follows it and says free, and `wx` would refuse it forever).
      freeConfigFileName(name, (fileName) => lstatOrUndefined(path.join(folder, fileName)) !== undefined),
    );
    try {
      // `wx`: if another process took the name meanwhile, try the next one.
      fs.writeFileSync(file, text, { flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'EEXIST') continue;
      throw new InputError(`cannot write ${file}: ${describeFsError(error)}`);
    }
  }
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}
