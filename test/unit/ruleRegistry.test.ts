import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeConfig } from '../../src/core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../../src/core/config/parseConfig';
import { RULE_CODES, RULES, ruleDocsUrl, type RuleCode } from '../../src/core/rules';
import { resolveFromManifests } from '../../src/core/k8s/resolveFromManifests';
import { parseManifests } from '../../src/core/k8s/manifests';

const root = path.join(__dirname, '..', '..', '..');
const docs = fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');

/** `### code` headings with the group (`## ...`) they stand under and their first paragraph. */
function documentedRules(): Map<string, { group: string; body: string }> {
  const rules = new Map<string, { group: string; body: string }>();
  let group = '';
  const lines = docs.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const groupMatch = /^## (.+)$/.exec(lines[i]);
    if (groupMatch) group = groupMatch[1];
    const ruleMatch = /^### ([a-z-]+)$/.exec(lines[i]);
    if (ruleMatch) rules.set(ruleMatch[1], { group, body: lines.slice(i + 1, i + 4).join(' ') });
  }
  return rules;
}

const GROUP_HEADINGS: Record<string, string> = { probes: 'Probes at risk', 'mirrord-rejects': 'What mirrord itself rejects', other: 'Other' };

// The diagnostics link to docs/rules.md#<code>: every code needs its heading there, in its group.
test('docs/rules.md documents exactly the registered codes, each under its group', () => {
  const documented = documentedRules();
  for (const code of RULE_CODES) {
    const doc = documented.get(code);
    assert.ok(doc, `docs/rules.md lacks "### ${code}"`);
    assert.equal(doc.group, GROUP_HEADINGS[RULES[code].group], `${code} is documented under "${doc.group}"`);
    assert.ok(ruleDocsUrl(code).endsWith(`/docs/rules.md#${code}`));
  }
  for (const heading of documented.keys()) assert.ok((RULE_CODES as string[]).includes(heading), `docs/rules.md documents unknown code ${heading}`);
});

test('a severity stated in docs/rules.md is the default severity of the registry', () => {
  for (const [code, doc] of documentedRules()) {
    const stated = /^\*\*(Error|Warning|Information|Hint)\b/.exec(doc.body.trim());
    if (stated) assert.equal(RULES[code as RuleCode].defaultSeverity, stated[1].toLowerCase(), `${code}: docs say ${stated[1]}`);
  }
});

test('every registered rule has a title, a one-sentence summary and a description', () => {
  for (const code of RULE_CODES) {
    const rule = RULES[code];
    assert.ok(rule.title.length > 0 && rule.title.length < 40, code);
    assert.match(rule.summary, /\.$/, code);
    assert.ok(rule.description.length >= rule.title.length, code);
  }
});

// The engine writes severities where it creates findings: they must be the registry's defaults.
test('findings over the demo configs and the test fixtures carry their registry default severity', () => {
  const manifests = fs.readdirSync(path.join(root, 'demo', 'manifests')).flatMap((name) => {
    const file = path.join(root, 'demo', 'manifests', name);
    return parseManifests(fs.readFileSync(file, 'utf8'), file).objects;
  });
  const configs: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/mirrord\.(json|ya?ml|toml)$/.test(entry.name) || dir.endsWith('.mirrord')) configs.push(full);
    }
  };
  walk(path.join(root, 'demo', 'workspace'));
  walk(path.join(root, 'test', 'fixtures'));
  assert.ok(configs.length >= 8, `found ${configs.length} configs`);
  const seen = new Set<string>();
  for (const file of configs) {
    const parsed = parseConfig(fs.readFileSync(file, 'utf8'), configFormatForFileName(file));
    const first = analyzeConfig(parsed);
    const resolution = first.lookup ? resolveFromManifests(first.lookup.ref, first.lookup.namespace ?? 'default', manifests) : undefined;
    for (const finding of analyzeConfig(parsed, resolution).findings) {
      seen.add(finding.code);
      assert.equal(finding.severity, RULES[finding.code].defaultSeverity, `${path.relative(root, file)}: ${finding.code}`);
    }
  }
  assert.ok(seen.size >= 5, `only ${[...seen].join(', ')} seen`);
});
