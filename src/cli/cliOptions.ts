import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isRuleCode, type RuleCode, type Severity } from '../service/rules';
import { SEVERITY_LEVELS, type SeverityOverrides } from '../service/settings';
import type { HelpTopic } from './help';

export type OutputFormat = 'text' | 'json' | 'sarif';

/** When a config fails the run (exit 1): a liveness or readiness probe stolen, a finding at or above a severity, or never. */
export type FailOn = 'stolen' | Severity | 'never';
export const FAIL_ON_VALUES: readonly FailOn[] = ['stolen', 'error', 'warning', 'information', 'hint', 'never'];

export interface CheckOptions {
  command: 'check' | 'fix';
  /** Files, folders and globs; empty means the current folder. */
  paths: string[];
  manifests: string[];
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  format: OutputFormat;
  /** Write the report here instead of stdout. */
  output?: string;
  /** Also write SARIF here (CI: the text report in the log, SARIF for code scanning). */
  sarifOutput?: string;
  mirrordVersion?: string;
  timeoutSeconds: number;
  rules: SeverityOverrides;
  failOn: FailOn;
  envFiles: string[];
  quiet: boolean;
  write: boolean;
}

/** `probe-guard new <kind/name>`: a verified new config for a workload. */
export interface NewOptions {
  /** `deployment/api`, `rollout/web/container/app`... as typed. */
  target: string;
  container?: string;
  namespace?: string;
  manifests: string[];
  kubeconfig?: string;
  context?: string;
  timeoutSeconds: number;
  mirrordVersion?: string;
  /** Write `<dir>/.mirrord/<name>.mirrord.json` (the current folder when `--write` has no DIR); absent: print the config. */
  writeDir?: string;
  quiet: boolean;
}

export type CliCommand =
  { kind: 'help'; topic: HelpTopic } | { kind: 'version' } | { kind: 'rules' } | { kind: 'run'; options: CheckOptions } | { kind: 'new'; options: NewOptions };

/** Bad usage: exit 2 with the message and a pointer to `--help`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: HelpTopic = 'main',
  ) {
    super(message);
  }
}

const RUN_OPTIONS = {
  manifest: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'sarif-output': { type: 'string' },
  'mirrord-version': { type: 'string' },
  timeout: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'fail-on': { type: 'string' },
  'env-file': { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  write: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

const NEW_OPTIONS = {
  container: { type: 'string' },
  namespace: { type: 'string' },
  manifest: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  timeout: { type: 'string' },
  'mirrord-version': { type: 'string' },
  write: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const COMMANDS = ['check', 'fix', 'new', 'rules', 'help'] as const;
type Command = (typeof COMMANDS)[number];

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}

export function parseCliArguments(argv: string[]): CliCommand {
  const commandIndex = argv.findIndex((arg) => !arg.startsWith('-'));
  const word = commandIndex >= 0 ? argv[commandIndex] : undefined;
  if (word === undefined || !isCommand(word)) {
    const globals = strictParse(argv, GLOBAL_OPTIONS, 'main', true);
    if (globals.values.help) return { kind: 'help', topic: 'main' };
    if (globals.values.version) return { kind: 'version' };
    throw new UsageError(word ? `unknown command "${word}" (the commands are check, fix, new, rules and help)` : 'missing command');
  }
  const command = word;
  const before = argv.slice(0, commandIndex);
  const rest = argv.slice(commandIndex + 1);
  if (before.includes('--version') || before.includes('-v')) return { kind: 'version' };
  if (before.includes('--help') || before.includes('-h')) return { kind: 'help', topic: command === 'help' ? 'main' : command };
  const unknownBefore = before[0];
  if (unknownBefore) throw new UsageError(`unknown option ${unknownBefore.split('=')[0]} before "${command}"`);

  if (command === 'help') {
    const topic = rest.find((arg) => !arg.startsWith('-'));
    if (topic === undefined) return { kind: 'help', topic: 'main' };
    if (topic === 'check' || topic === 'fix' || topic === 'new' || topic === 'rules') return { kind: 'help', topic };
    throw new UsageError(`no help for "${topic}" (the commands are check, fix, new and rules)`);
  }
  if (command === 'new') return newCommand(rest);
  if (command === 'rules') {
    const parsed = strictParse(rest, { help: GLOBAL_OPTIONS.help }, 'rules', false);
    if (parsed.values.help) return { kind: 'help', topic: 'rules' };
    return { kind: 'rules' };
  }
  const parsed = strictParse(rest, RUN_OPTIONS, command, true);
  const values = parsed.values;
  if (values.help) return { kind: 'help', topic: command };
  return { kind: 'run', options: checkOptions(command, values, parsed.positionals) };
}

/**
 * `new <kind/name> [options] [--write [DIR]]`: `--write` takes an optional folder, the word after
 * it when that is not an option and the target is given elsewhere (`--write=DIR` always).
 */
function newCommand(args: string[]): CliCommand {
  const usage = (message: string) => new UsageError(message, 'new');
  let writeDir: string | undefined;
  const rest = [...args];
  const at = rest.findIndex((arg) => arg === '--write' || arg.startsWith('--write='));
  if (at >= 0) {
    const flag = rest[at];
    if (flag.startsWith('--write=')) {
      writeDir = flag.slice('--write='.length);
      if (writeDir === '') throw usage('--write= needs a folder (or leave out "=" to write in the current folder)');
      rest[at] = '--write';
    } else {
      const next = rest[at + 1];
      const otherPositionals = rest.filter((arg, i) => i !== at + 1 && !arg.startsWith('-') && !isOptionValue(rest, i));
      if (next !== undefined && !next.startsWith('-') && otherPositionals.length > 0) {
        writeDir = next;
        rest.splice(at + 1, 1);
      }
    }
  }
  const parsed = strictParse(rest, NEW_OPTIONS, 'new', true);
  const values = parsed.values;
  if (values.help) return { kind: 'help', topic: 'new' };
  if (parsed.positionals.length === 0) throw usage('name the workload: probe-guard new deployment/NAME');
  if (parsed.positionals.length > 1) throw usage(`one workload at a time (got ${parsed.positionals.map((p) => `"${p}"`).join(', ')})`);
  const timeoutSeconds = values.timeout === undefined ? 5 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw usage('--timeout takes a positive number of seconds');
  if (values['mirrord-version'] !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(values['mirrord-version'])) {
    throw usage('--mirrord-version takes a version such as 3.180.0');
  }
  const options: NewOptions = {
    target: parsed.positionals[0],
    container: values.container,
    namespace: values.namespace,
    manifests: values.manifest ?? [],
    kubeconfig: values.kubeconfig,
    context: values.context,
    timeoutSeconds,
    mirrordVersion: values['mirrord-version'],
    quiet: values.quiet ?? false,
  };
  if (values.write) options.writeDir = writeDir ?? '.';
  return { kind: 'new', options };
}

/** Whether `args[i]` is the value of the string option before it (`--namespace shop`). */
function isOptionValue(args: string[], i: number): boolean {
  const before = args[i - 1];
  if (!before?.startsWith('--') || before.includes('=')) return false;
  const spec = (NEW_OPTIONS as Record<string, { type: string } | undefined>)[before.slice(2)];
  return spec?.type === 'string';
}

type RunValues = ReturnType<typeof strictParse<typeof RUN_OPTIONS>>['values'];

function checkOptions(command: 'check' | 'fix', values: RunValues, paths: string[]): CheckOptions {
  const usage = (message: string) => new UsageError(message, command);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw usage(`--format must be text, json or sarif (got "${format}")`);
  if (command === 'fix') {
    for (const flag of ['format', 'output', 'sarif-output', 'fail-on'] as const) {
      if (values[flag] !== undefined) throw usage(`--${flag} only goes with check (fix reports on stderr)`);
    }
  }
  if (values.write && command !== 'fix') throw usage('--write only goes with fix');
  const timeoutSeconds = values.timeout === undefined ? 5 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw usage('--timeout takes a positive number of seconds');
  if (values['mirrord-version'] !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(values['mirrord-version'])) {
    throw usage('--mirrord-version takes a version such as 3.180.0');
  }
  const failOn = (values['fail-on'] ?? 'stolen') as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn)) throw usage(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${values['fail-on']}")`);
  return {
    command,
    paths,
    manifests: values.manifest ?? [],
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace: values.namespace,
    format,
    output: values.output,
    sarifOutput: values['sarif-output'],
    mirrordVersion: values['mirrord-version'],
    timeoutSeconds,
    rules: parseRules(values.rule ?? [], usage),
    failOn,
    envFiles: values['env-file'] ?? [],
    quiet: values.quiet ?? false,
    write: values.write ?? false,
  };
}

/** `--rule CODE=LEVEL`, as the editor's `probeGuard.severity`: a registered code, one of its levels. */
function parseRules(rules: string[], usage: (message: string) => UsageError): SeverityOverrides {
  const overrides: SeverityOverrides = {};
  for (const rule of rules) {
    const at = rule.lastIndexOf('=');
    const code = at > 0 ? rule.slice(0, at).trim() : rule.trim();
    const level = at > 0 ? rule.slice(at + 1).trim() : '';
    if (!isRuleCode(code)) throw usage(`--rule ${rule}: "${code}" is not a Probe Guard rule code (probe-guard rules lists them)`);
    if (!(SEVERITY_LEVELS as readonly string[]).includes(level)) throw usage(`--rule ${rule}: the level must be one of ${SEVERITY_LEVELS.join(', ')}`);
    overrides[code as RuleCode] = level as Severity | 'off';
  }
  return overrides;
}

/**
 * parseArgs, with errors that name the option and say what to do (node's own messages are about
 * its API: "To specify a positional argument starting with a '-', place it at the end...").
 */
function strictParse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, topic: HelpTopic, allowPositionals: boolean) {
  const loose = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of loose.tokens) {
    if (token.kind === 'positional' && !allowPositionals) throw new UsageError(`unexpected argument "${token.value}"`, topic);
    if (token.kind !== 'option') continue;
    const spec = (options as Record<string, { type: 'string' | 'boolean' } | undefined>)[token.name];
    if (!spec) throw new UsageError(`unknown option ${token.rawName}`, topic);
    if (spec.type === 'string' && token.value === undefined) throw new UsageError(`option ${token.rawName} needs a value`, topic);
    if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError(`option ${token.rawName} takes no value`, topic);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message, topic);
  }
}
