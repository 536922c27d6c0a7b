/**
 * The hover's and probe report's "Acts after" column (src/core/report/probeReport.ts): the
 * breakpoint window of every probe, and for each stolen liveness or readiness probe its safe hold
 * time, from the probe's own timing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderProbeReportMarkdown } from '../../../src/core/report/probeReport';
import { analyse, repoRoot } from '../analyze/analyzeSupport';

const root = repoRoot();
const checkout = fs.readFileSync(path.join(root, 'demo', 'manifests', 'checkout.yaml'), 'utf8');
const demoConfig = (name: string) => fs.readFileSync(path.join(root, 'demo', 'workspace', '.mirrord', name), 'utf8');
const row = (markdown: string, probe: string) => markdown.split('\n').find((l) => l.startsWith(`| ${probe} |`)) ?? '';

describe('probe report: the breakpoint window', () => {
  test('a stolen probe shows its window and its safe hold time', () => {
    const { analysis, resolution } = analyse(demoConfig('risky.mirrord.json'), 'json', checkout);
    const markdown = renderProbeReportMarkdown(analysis, resolution);
    assert.match(row(markdown, 'liveness'), /\| 21-31 s, safe hold 21 s \|/);
    assert.match(row(markdown, 'readiness'), /\| 11-16 s, safe hold 11 s \|/);
  });

  test('a safe probe shows the window only', () => {
    const { analysis, resolution } = analyse(demoConfig('safe.mirrord.json'), 'json', checkout);
    const markdown = renderProbeReportMarkdown(analysis, resolution);
    assert.match(row(markdown, 'liveness'), /\| 21-31 s \|/);
    assert.doesNotMatch(markdown, /safe hold \d/);
  });
});
