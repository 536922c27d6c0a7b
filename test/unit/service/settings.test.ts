import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSettings, sectionReader, TRUST_RESTRICTED_KEYS } from '../../../src/service/settings';

describe('settings model', () => {
  test('nested objects and dotted keys read the same (clients send either)', () => {
    const nested = readSettings(sectionReader({ clusterLookup: { enabled: false }, timeoutSeconds: 9 }), true);
    const dotted = readSettings(sectionReader({ 'clusterLookup.enabled': false, timeoutSeconds: 9 }), true);
    assert.equal(nested.clusterLookupEnabled, false);
    assert.equal(nested.timeoutMs, 9000);
    assert.deepEqual(dotted, nested);
  });

  test('defaults for an empty or missing section', () => {
    for (const section of [undefined, null, {}, 'garbage']) {
      const settings = readSettings(sectionReader(section), true);
      assert.equal(settings.clusterLookupEnabled, true);
      assert.equal(settings.timeoutMs, 5000);
      assert.equal(settings.cacheTtlMs, 30000);
      assert.deepEqual(settings.manifests, []);
      assert.deepEqual(settings.problems, []);
    }
  });

  test('untrusted: the settings that name files or clusters are dropped', () => {
    const section = { kubeconfig: '/k', kubeContext: 'c', namespace: 'n', manifests: ['k8s/'], mirrordVersion: '3.180.0' };
    const trusted = readSettings(sectionReader(section), true);
    const untrusted = readSettings(sectionReader(section), false);
    assert.deepEqual([trusted.kubeconfig, trusted.kubeContext, trusted.namespace, trusted.manifests], ['/k', 'c', 'n', ['k8s/']]);
    assert.deepEqual([untrusted.kubeconfig, untrusted.kubeContext, untrusted.namespace, untrusted.manifests], [undefined, undefined, undefined, []]);
    assert.equal(untrusted.mirrordVersion, '3.180.0');
    assert.deepEqual([...TRUST_RESTRICTED_KEYS].sort(), ['kubeContext', 'kubeconfig', 'manifests', 'namespace']);
  });

  test('severity overrides: registered codes only, known levels only; the rest is reported', () => {
    const settings = readSettings(
      sectionReader({ severity: { 'readiness-probe-stolen': 'error', 'startup-probe-stolen': 'off', 'no-such-rule': 'error', 'invalid-port': 'loud' } }),
      true,
    );
    assert.deepEqual(settings.severityOverrides, { 'readiness-probe-stolen': 'error', 'startup-probe-stolen': 'off' });
    assert.equal(settings.problems.length, 2);
    assert.match(settings.problems.join('\n'), /no-such-rule/);
    assert.match(settings.problems.join('\n'), /invalid-port/);
  });

  test('a timeout that is not a number falls back to the default, with a message', () => {
    const settings = readSettings(sectionReader({ timeoutSeconds: 'soon', cacheTtlSeconds: -4 }), true);
    assert.equal(settings.timeoutMs, 5000);
    assert.equal(settings.cacheTtlMs, 0);
    assert.match(settings.problems[0], /timeoutSeconds/);
  });
});
