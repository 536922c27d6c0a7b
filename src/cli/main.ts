import * as fs from 'node:fs';
import { configFormatForFileName } from '../core/config/parseConfig';
import { describeProbe } from '../core/k8s/probes';
import { analyzeText } from '../service/checkConfig';
import { discoverConfigs } from '../service/configDiscovery';
import { applyEdits, fixAll, TARGET_FIX_CODES, targetFix } from '../service/fixes';
import { describeFsError, InputError } from '../service/inputFiles';
import { isRiskCode, RULE_CODES, RULES } from '../service/rules';
import { version as VERSION } from '../../package.json';
import { buildConfigReport, buildRunReport, configExit, EXIT, unreadableConfigReport, worstExit, type ConfigReport, type ExitCode } from './checkReport';
import { parseCliArguments, UsageError, type CheckOptions } from './cliOptions';
import { sessionEnvironment } from './envFile';
import { formatSarif } from './formatSarif';
import { formatText, type TextEntry } from './formatText';
import { helpText } from './help';
import { runNew } from './newCommand';
import { checkAll, checkText, createRunContext, type ConfigRun, type RunContext } from './runChecks';
import { useColour } from './terminal';

export { EXIT } from './checkReport';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stdout is a terminal (colour). */
  isTty: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const command = parseCliArguments(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(`${helpText(command.topic)}\n`);
        return EXIT.ok;
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return EXIT.ok;
      case 'rules':
        io.stdout.write(rulesTable());
        return EXIT.ok;
      case 'new':
        return await runNew(command.options, io);
      default:
        return await run(command.options, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.topic === 'main' ? 'probe-guard --help' : `probe-guard ${error.topic} --help`;
      io.stderr.write(`probe-guard: ${error.message}\nRun "${help}" for the usage.\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      io.stderr.write(`probe-guard: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`probe-guard: unexpected failure: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.usage;
  }
}

async function run(options: CheckOptions, io: CliIo): Promise<number> {
  const env = sessionEnvironment(io.env, options.envFiles);
  const warn = (message: string) => {
    if (!options.quiet) io.stderr.write(`probe-guard: warning: ${message}\n`);
  };
  const discovered = discoverConfigs(options.paths, io.cwd);
  discovered.warnings.forEach(warn);
  if (discovered.files.length === 0) {
    throw new InputError(`no mirrord config found in ${options.paths.length ? options.paths.join(', ') : 'the current folder'}`);
  }
  if (options.command === 'fix' && !options.write && discovered.files.length > 1) {
    throw new UsageError(`fix over ${discovered.files.length} configs writes them in place: add --write (or name one config to print its fixed text)`, 'fix');
  }
  const { context, warnings } = createRunContext(options, env, io.cwd);
  warnings.forEach(warn);
  if (options.command === 'fix') {
    const fixes = await Promise.all(await checkAll(discovered.files, context, (r) => fixOne(options, r, context)));
    for (const fix of fixes) {
      for (const message of fix.messages) io.stderr.write(`probe-guard: ${message}\n`);
      if (fix.stdout !== undefined) io.stdout.write(fix.stdout);
    }
    return worstExit(fixes.map((f) => f.exit));
  }
  return writeCheckReport(options, await checkAll(discovered.files, context, (r) => textEntryOf(r, options)), io);
}

function reportOf(configRun: ConfigRun, options: CheckOptions): ConfigReport {
  if (configRun.error || !configRun.checked || configRun.text === undefined) return unreadableConfigReport(configRun.display, configRun.error ?? 'not checked');
  return buildConfigReport(configRun.display, { text: configRun.text, ...configRun.checked }, options.failOn);
}

/** A checked config as its report, at once: its syntax tree and analysis are not kept. */
function textEntryOf(configRun: ConfigRun, options: CheckOptions): TextEntry {
  return { report: reportOf(configRun, options), probeDescriptions: configRun.checked?.analysis.probes.map((p) => describeProbe(p.probe)) ?? [] };
}

function writeCheckReport(options: CheckOptions, entries: TextEntry[], io: CliIo): number {
  const report = buildRunReport(
    entries.map((e) => e.report),
    options.failOn,
    VERSION,
  );
  let text: string;
  if (options.format === 'json') text = `${JSON.stringify(report, null, 2)}\n`;
  else if (options.format === 'sarif') text = formatSarif(report, io.cwd);
  else text = formatText(report, entries, { colour: !options.output && useColour(io.env, io.isTty), quiet: options.quiet });
  if (options.format !== 'text') {
    for (const { report: config } of entries) {
      if (config.error) io.stderr.write(`probe-guard: ${config.error}\n`);
      else if (!options.quiet) for (const note of config.notes) io.stderr.write(`probe-guard: ${config.config}: ${note}\n`);
    }
  }
  if (options.output) writeReportFile(options.output, text);
  else io.stdout.write(text);
  if (options.sarifOutput) writeReportFile(options.sarifOutput, options.format === 'sarif' ? text : formatSarif(report, io.cwd));
  return report.exitCode;
}

function writeReportFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${describeFsError(error)}`);
  }
}

interface FixOutcome {
  exit: ExitCode;
  /** For stderr, in the order of the configs. */
  messages: string[];
  /** The fixed text, without --write. */
  stdout?: string;
}

/**
 * `fix` of one config: every fix that applies (fix-all), each re-checked by re-analysing the fixed
 * text; the exit code from the fixed text. A target that was not found is retargeted first (the
 * stale pod's owner, or the one namespace that has it), kept only when the new target is found,
 * and the rest is fixed against the new target's probes.
 */
async function fixOne(options: CheckOptions, first: ConfigRun, context: RunContext): Promise<FixOutcome> {
  let configRun = first;
  if (configRun.error || !configRun.checked || configRun.text === undefined)
    return { exit: EXIT.usage, messages: [configRun.error ?? `${configRun.display}: not checked`] };
  const { display, text: original } = configRun;
  const messages: string[] = [];
  const applied: string[] = [];
  const retarget = targetFix(configRun.checked.analysis);
  if (retarget) {
    const again = await checkText(configRun.file, applyEdits(original, retarget.edits), context);
    if (again.checked?.resolution?.ok) {
      configRun = again;
      applied.push(retarget.title);
    } else {
      const why =
        again.checked?.resolution && !again.checked.resolution.ok
          ? again.checked.resolution.failure.message
          : (again.error ?? 'the new target was not looked up');
      messages.push(`${display}: did not apply "${retarget.title}": ${why}`);
    }
  }
  const checked = configRun.checked!;
  const text = configRun.text!;
  const analyze = (t: string) => analyzeText(t, configFormatForFileName(configRun.file), checked.resolution, context.analyzeOptions);
  // Target fixes are not applied again: re-analysing with this lookup (of the current target) cannot verify them.
  const fixed = fixAll(text, analyze, undefined, (finding) => !TARGET_FIX_CODES.has(finding.code));
  applied.push(...fixed.applied.map((f) => f.title));
  if (!options.quiet) for (const title of applied) messages.push(`${display}: applied "${title}"`);
  const after = fixed.text === text ? checked.analysis : analyze(fixed.text);
  if (applied.length === 0) {
    if (after.findings.some((f) => isRiskCode(f.code))) messages.push(`${display}: no fix is certainly correct for this config; see \`probe-guard check\``);
    else if (!options.quiet) messages.push(`${display}: nothing to fix`);
  }
  if (options.write && fixed.text !== original) {
    try {
      fs.writeFileSync(configRun.file, fixed.text);
    } catch (error) {
      return { exit: EXIT.usage, messages: [...messages, `cannot write ${display}: ${describeFsError(error)}`] };
    }
  }
  return { exit: configExit(after, checked.unresolved, 'stolen'), messages, stdout: options.write ? undefined : fixed.text };
}

function rulesTable(): string {
  const width = Math.max(...RULE_CODES.map((code) => code.length));
  const lines = RULE_CODES.map((code) => `${code.padEnd(width)}  ${RULES[code].defaultSeverity.padEnd(11)}  ${RULES[code].title}`);
  return `${'code'.padEnd(width)}  ${'default'.padEnd(11)}  title\n${lines.join('\n')}\n`;
}

/** The `probe-guard` command (bin/probe-guard.js). */
export function main(): void {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTty: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT.usage;
    },
  );
}
