/**
 * What a debug session under mirrord puts at risk (src/service/sessionRisk.ts), on the demo's
 * checkout deployment: stolen liveness and readiness probes, the launch's MIRRORD_* overrides
 * applied as mirrord applies them, findings turned off, and the static verdict without a target.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sessionRisk } from '../../../src/service/sessionRisk';
import { analyse, repoRoot } from '../analyze/analyzeSupport';

const root = repoRoot();
const checkout = fs.readFileSync(path.join(root, 'demo', 'manifests', 'checkout.yaml'), 'utf8');
const demoConfig = (name: string) => fs.readFileSync(path.join(root, 'demo', 'workspace', '.mirrord', name), 'utf8');

describe('sessionRisk', () => {
  test('the risky demo config steals liveness and readiness of checkout, each with its window', () => {
    const { analysis } = analyse(demoConfig('risky.mirrord.json'), 'json', checkout);
    const risk = sessionRisk(analysis, true);
    assert.equal(risk.assumed, false);
    assert.equal(risk.target, 'deployment/checkout');
    assert.deepEqual(
      risk.probes.map((p) => `${p.container}/${p.probe} :${p.port}${p.path} ${p.safeHoldSeconds}-${p.latestSeconds}`),
      ['checkout/liveness :8080/healthz 21-31', 'checkout/readiness :8080/ready 11-16'],
    );
  });

  test('the safe demo config: nothing at risk', () => {
    const { analysis } = analyse(demoConfig('safe.mirrord.json'), 'json', checkout);
    assert.deepEqual(sessionRisk(analysis, true).probes, []);
  });

  test("the launch's MIRRORD_HTTP_HEADER_FILTER protects the risky config, as mirrord applies it over the file", () => {
    const { analysis } = analyse(demoConfig('risky.mirrord.json'), 'json', checkout, { env: { MIRRORD_HTTP_HEADER_FILTER: '^User-Agent: (?!kube-probe)' } });
    assert.deepEqual(sessionRisk(analysis, true).probes, []);
  });

  test("the launch's MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true turns a mirror config into a stealing one", () => {
    const { analysis } = analyse(demoConfig('mirror.mirrord.json'), 'json', checkout, { env: { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' } });
    assert.deepEqual(
      sessionRisk(analysis, true).probes.map((p) => p.probe),
      ['liveness', 'readiness'],
    );
  });

  test('a finding turned off does not put its probe at risk', () => {
    const { analysis } = analyse(demoConfig('risky.mirrord.json'), 'json', checkout, { severityOverrides: { 'readiness-probe-stolen': 'off' } });
    assert.deepEqual(
      sessionRisk(analysis, true).probes.map((p) => p.probe),
      ['liveness'],
    );
  });

  test('without the target (Restricted Mode): the static verdict, with the default timing, marked assumed', () => {
    const { analysis } = analyse(demoConfig('risky.mirrord.json'), 'json');
    const risk = sessionRisk(analysis, false);
    assert.equal(risk.assumed, true);
    assert.deepEqual(
      risk.probes.map((p) => `${p.container}/${p.probe} ${p.safeHoldSeconds}`),
      ['checkout/liveness 21', 'checkout/readiness 21'],
    );
  });

  test('without the target, a safe filter is no static risk', () => {
    const { analysis } = analyse(demoConfig('safe.mirrord.json'), 'json');
    assert.deepEqual(sessionRisk(analysis, false), { probes: [], assumed: false, target: 'deployment/checkout' });
  });

  test('without the target, the backwards filter is a static risk', () => {
    const { analysis } = analyse(demoConfig('backwards-filter.mirrord.json'), 'json');
    assert.equal(sessionRisk(analysis, false).probes.length, 2);
  });

  test('mirror mode: nothing at risk, whatever is known', () => {
    const { analysis } = analyse(demoConfig('mirror.mirrord.json'), 'json', checkout);
    assert.deepEqual(sessionRisk(analysis, true).probes, []);
    assert.deepEqual(sessionRisk(analyse(demoConfig('mirror.mirrord.json'), 'json').analysis, false).probes, []);
  });
});
