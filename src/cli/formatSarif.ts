import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, Notification, Result } from 'sarif';
import { RULE_CODES, RULES, ruleDocsUrl, type Severity } from '../service/rules';
import { EXIT, type RunReport } from './checkReport';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * SARIF 2.1.0 for code-scanning upload: one run, every rule of the registry (src/core/rules.ts)
 * in its order, a result per finding in whichever config it is, every checked config as an
 * artifact. The invocation carries what the results alone cannot: configs that could not be read
 * (error notifications), the lookup notes, and the MIRRORD_* variables that applied (also on each
 * result of that config, `properties.mirrordEnvironment`). Positions are one-based here.
 */
export function formatSarif(run: RunReport, cwd: string): string {
  const appliedEnv: Record<string, string> = {};
  const notifications: Notification[] = [];
  const results: Result[] = [];
  for (const config of run.configs) {
    const artifactLocation = { uri: toUri(config.config, cwd) };
    for (const o of config.environment) appliedEnv[o.name] = o.value;
    if (config.error)
      notifications.push({ level: 'error', message: { text: `${config.config}: ${config.error}` }, locations: [{ physicalLocation: { artifactLocation } }] });
    for (const note of config.notes)
      notifications.push({ level: 'note', message: { text: `${config.config}: ${note}` }, locations: [{ physicalLocation: { artifactLocation } }] });
    const environment = config.environment.map((o) => `${o.name}=${o.value}`);
    for (const f of config.findings) {
      results.push({
        ruleId: f.code,
        ruleIndex: RULE_CODES.indexOf(f.code),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation,
              region: {
                startLine: f.range.start.line + 1,
                startColumn: f.range.start.character + 1,
                endLine: f.range.end.line + 1,
                endColumn: f.range.end.character + 1,
              },
            },
          },
        ],
        ...(environment.length ? { properties: { mirrordEnvironment: environment } } : {}),
      });
    }
  }
  // Typed against @types/sarif so a field out of the 2.1.0 shape fails to compile.
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'probe-guard',
            version: run.tool.version,
            informationUri: 'https://github.com/probe-guard/mirrord-probe-guard',
            rules: RULE_CODES.map((id) => ({
              id,
              name: RULES[id].title,
              shortDescription: { text: RULES[id].summary },
              fullDescription: { text: RULES[id].description },
              defaultConfiguration: { level: LEVEL[RULES[id].defaultSeverity] },
              helpUri: ruleDocsUrl(id),
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: run.exitCode !== EXIT.usage,
            exitCode: run.exitCode,
            ...(Object.keys(appliedEnv).length ? { environmentVariables: appliedEnv } : {}),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        artifacts: run.configs.map((c) => ({ location: { uri: toUri(c.config, cwd) } })),
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/**
 * A path relative to the working folder with forward slashes, as code scanning expects for files
 * in the repository; a file outside it as a file:// URI.
 */
function toUri(file: string, cwd: string): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(absolute).href;
  return relative.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}
