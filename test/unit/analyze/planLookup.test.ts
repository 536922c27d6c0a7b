/**
 * planLookup (what a front end resolves before its one analysis) gives exactly what a full static
 * analysis gives for the lookup: the request, whether the session steals, the target; on every
 * demo and fixture config, with and without MIRRORD_* overrides, and on broken input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig, planLookup } from '../../../src/core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../../../src/core/config/parseConfig';
import { isMirrordConfigPath } from '../../../src/service/configFiles';
import { repoRoot } from './analyzeSupport';

function configsUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    if (entry.isFile() && isMirrordConfigPath(full)) found.push(full);
  }
  return found.sort();
}

const ENVS: Record<string, string>[] = [
  {},
  { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true', MIRRORD_TARGET_NAMESPACE: 'other' },
  { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'false', MIRRORD_IMPERSONATED_TARGET: 'pod/x/container/y', MIRRORD_KUBE_CONTEXT: 'c' },
  { MIRRORD_IMPERSONATED_TARGET: 'nonsense' },
];

test('planLookup agrees with the static analysis on every demo and fixture config', () => {
  const root = repoRoot();
  const files = [...configsUnder(path.join(root, 'demo')), ...configsUnder(path.join(root, 'test', 'fixtures'))];
  assert.ok(files.length >= 10, `${files.length} configs`);
  const texts = files.map((f) => [fs.readFileSync(f, 'utf8'), configFormatForFileName(f)] as const);
  texts.push(
    ['{"target": "deployment/a", "feature": {"network": {"incoming": ', 'json'],
    ['target: [\n', 'yaml'],
    ['', 'toml'],
    ['{"target": "{{ get_env(name=\\"T\\") }}"}', 'json'],
  );
  for (const [text, format] of texts) {
    for (const env of ENVS) {
      const parsed = parseConfig(text, format);
      const full = analyzeConfig(parsed, undefined, { env });
      const plan = planLookup(parsed, { env });
      assert.deepEqual(plan.lookup, full.lookup);
      assert.equal(plan.steals, full.steals);
      assert.deepEqual(plan.target, full.target);
    }
  }
});
