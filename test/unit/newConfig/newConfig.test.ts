/**
 * New config for a workload: the generated text, and the engine's verification of it against the
 * workload's own probes (plain HTTP, an exec curl probe, a second port, none, several containers,
 * and one the engine cannot judge, which is refused).
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { newConfigText } from '../../../src/core/config/newConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import type { KubeObject } from '../../../src/core/types';
import { verifiedNewConfig } from '../../../src/service/newConfig';
import { candidateResolution } from '../../../src/service/targetCatalog';

function deploymentWith(containers: object[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers } } },
  };
}

const httpApp = {
  name: 'app',
  ports: [{ name: 'http', containerPort: 8080 }],
  livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
};

function generate(containers: object[], container?: string) {
  const object = deploymentWith(containers);
  const resolution = candidateResolution('deployment', object, 'shop', 'cluster', container)!;
  assert.ok(resolution, 'the deployment resolves');
  const outcome = verifiedNewConfig({ kind: 'deployment', name: 'api', namespace: 'shop', container }, resolution);
  return { outcome, resolution };
}

function probeVerdicts(text: string, resolution: ReturnType<typeof generate>['resolution']) {
  return analyzeConfig(parseConfig(text, 'json'), resolution).probes.map((p) => `${p.probe.container}/${p.probe.probe}:${p.verdict}`);
}

test('the generated text: target path and namespace, steal with the kube-probe filter, no $schema', () => {
  const config = JSON.parse(newConfigText({ kind: 'deployment', name: 'api', namespace: 'shop' }));
  assert.deepEqual(config, {
    target: { path: 'deployment/api', namespace: 'shop' },
    feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: '^User-Agent: (?!kube-probe)' } } } },
  });
  assert.equal(JSON.parse(newConfigText({ kind: 'rollout', name: 'web', container: 'c', namespace: 'n' })).target.path, 'rollout/web/container/c');
});

test('plain HTTP probes: the recipe alone, both probes safe under the engine', () => {
  const { outcome, resolution } = generate([httpApp]);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.applied, []);
  assert.ok(!outcome.text.includes('$schema'));
  assert.deepEqual(probeVerdicts(outcome.text, resolution), ['app/liveness:safe', 'app/readiness:safe']);
});

test('an exec curl probe to the stolen port: its path is excluded from the filter as well', () => {
  const curl = { ...httpApp, livenessProbe: { exec: { command: ['curl', '-f', 'http://localhost:8080/healthz'] } } };
  const { outcome, resolution } = generate([curl]);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.ok(outcome.applied.length > 0, 'a fix was applied');
  assert.match(outcome.text, /healthz/);
  assert.ok(!outcome.text.includes('$schema'));
  assert.deepEqual(probeVerdicts(outcome.text, resolution), ['app/liveness:safe', 'app/readiness:safe']);
  // Without the fix the recipe steals curl's request (its own User-Agent).
  assert.ok(probeVerdicts(newConfigText({ kind: 'deployment', name: 'api', namespace: 'shop' }), resolution).includes('app/liveness:stolen'));
});

test('probes on a second port: the result is proven safe for both ports', () => {
  const twoPorts = {
    name: 'app',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'health', containerPort: 9090 },
    ],
    livenessProbe: { httpGet: { path: '/healthz', port: 9090 } },
    readinessProbe: { httpGet: { path: '/ready', port: 'health' } },
  };
  const { outcome, resolution } = generate([twoPorts]);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(probeVerdicts(outcome.text, resolution), ['app/liveness:safe', 'app/readiness:safe']);
  assert.equal(JSON.parse(outcome.text).feature.network.incoming.mode, 'steal');
});

test('no probes: the recipe, nothing at risk', () => {
  const { outcome } = generate([{ name: 'app', ports: [{ containerPort: 8080 }] }]);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(JSON.parse(outcome.text).target.path, 'deployment/api');
});

test('several containers: the chosen container is in the path and the sidecar probes are judged too', () => {
  const sidecar = { name: 'envoy', ports: [{ containerPort: 9901 }], readinessProbe: { httpGet: { path: '/ready', port: 9901 } } };
  const { outcome, resolution } = generate([httpApp, sidecar], 'app');
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(JSON.parse(outcome.text).target.path, 'deployment/api/container/app');
  assert.ok(
    probeVerdicts(outcome.text, resolution).every((v) => v.endsWith(':safe')),
    probeVerdicts(outcome.text, resolution).join(),
  );
});

test('a probe the engine cannot judge is refused, with the reason', () => {
  const opaque = { ...httpApp, livenessProbe: { exec: { command: ['/bin/sh', '-c', '$(cat /etc/probe-command)'] } } };
  const { outcome } = generate([opaque]);
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.deepEqual(
    outcome.probes.map((p) => `${p.probe}:${p.verdict}`),
    ['liveness:unknown'],
  );
  assert.match(outcome.reason, /liveness probe of app: unknown/);
});

test('a workload that was not found is refused', () => {
  const outcome = verifiedNewConfig({ kind: 'deployment', name: 'gone', namespace: 'shop' }, {
    ok: false,
    failure: { kind: 'not-found', message: 'no' },
  } as never);
  assert.equal(outcome.ok, false);
});
