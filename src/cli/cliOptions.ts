import { parseArgs } from 'node:util';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CliOptions {
  command: 'check' | 'fix';
  config: string;
  manifests: string[];
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  format: OutputFormat;
  mirrordVersion?: string;
  timeoutSeconds: number;
  write: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  probe-guard check <config> [--manifest <file|dir>]... [--kubeconfig <path>] [--context <name>]
                             [--namespace <ns>] [--format text|json|sarif] [--mirrord-version <x.y.z>]
                             [--timeout <seconds>]
  probe-guard fix   <config> [the same options] [--write]

Without --manifest the target is looked up in the cluster of the active kubeconfig.
Exit codes: 0 no liveness/readiness probe stolen, 1 at least one is, 2 bad usage or unreadable
input, 3 the target could not be resolved.`;

export function parseCliArguments(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        manifest: { type: 'string', multiple: true },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string' },
        format: { type: 'string' },
        'mirrord-version': { type: 'string' },
        timeout: { type: 'string' },
        write: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  const [command, config, ...rest] = positionals;
  if (command !== 'check' && command !== 'fix') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  if (!config) throw new UsageError('missing <config>');
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${format}")`);
  if (values.write && command !== 'fix') throw new UsageError('--write only goes with fix');
  const timeoutSeconds = values.timeout === undefined ? 5 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout takes a positive number of seconds');
  if (values['mirrord-version'] !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(values['mirrord-version'])) {
    throw new UsageError('--mirrord-version takes a version such as 3.180.0');
  }
  return {
    command,
    config,
    manifests: values.manifest ?? [],
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace: values.namespace,
    format,
    mirrordVersion: values['mirrord-version'],
    timeoutSeconds,
    write: values.write ?? false,
  };
}
