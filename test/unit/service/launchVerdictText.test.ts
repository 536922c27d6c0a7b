import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import type { ResolveResult } from '../../../src/core/types';
import { launchVerdict, targetLabel } from '../../../src/service/launchVerdictText';
import type { LookupStatus } from '../../../src/service/targetLookup';

const probe = (port: number) => ({ httpGet: { path: '/healthz', port }, periodSeconds: 10 });
function deployment(containers: object[]): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers } } },
  });
}
const APP = { name: 'app', image: 'x', ports: [{ containerPort: 8080 }], livenessProbe: probe(8080), readinessProbe: probe(8080) };
const resolved: LookupStatus = { kind: 'resolved', source: 'manifests', files: ['k8s/api.json'], fetchedAt: 0 };

function verdictOf(config: object, options: { manifest?: string; status?: LookupStatus; env?: Record<string, string>; label?: string } = {}) {
  const manifest = options.manifest ?? deployment([APP]);
  const resolution: ResolveResult | undefined =
    options.status?.kind === 'resolved' || options.status === undefined
      ? resolveFromManifests({ kind: 'deployment', name: 'api' }, 'shop', parseManifests(manifest, 'api.json').objects)
      : undefined;
  const analysis = analyzeConfig(parseConfig(JSON.stringify(config), 'json'), resolution, { env: options.env });
  return launchVerdict({ analysis, status: options.status ?? resolved, configLabel: options.label ?? '.mirrord/api.mirrord.json' });
}

const steal = (incoming: unknown) => ({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming } } });

describe('the launch.json CodeLens line', () => {
  test('steal without a filter: both probes stolen, named in one line with the config', () => {
    const result = verdictOf(steal('steal'));
    assert.equal(result.title, 'mirrord: steal deployment/api, liveness and readiness stolen · .mirrord/api.mirrord.json');
    assert.deepEqual(result.atRisk, [
      { probe: 'liveness', verdict: 'stolen', container: 'app' },
      { probe: 'readiness', verdict: 'stolen', container: 'app' },
    ]);
  });

  test('only liveness stolen; the safe filter; mirror and off', () => {
    const onlyLiveness = deployment([{ ...APP, readinessProbe: { tcpSocket: { port: 8080 } } }]);
    assert.match(verdictOf(steal('steal'), { manifest: onlyLiveness }).title, /, liveness stolen · /);
    assert.match(verdictOf(steal({ mode: 'steal', http_filter: { header_filter: '^User-Agent: (?!kube-probe)' } })).title, /, probes safe · /);
    assert.equal(verdictOf(steal('mirror')).title, 'mirrord: mirror deployment/api, no probe stolen · .mirrord/api.mirrord.json');
    assert.match(verdictOf(steal('off')).title, /^mirrord: incoming off deployment\/api, no probe stolen/);
  });

  test('MIRRORD_* env overrides count and are listed in the details', () => {
    const result = verdictOf(steal('mirror'), { env: { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' } });
    assert.equal(result.mode, 'steal');
    assert.match(result.title, /^mirrord: steal deployment\/api, liveness and readiness stolen/);
    assert.ok(
      result.details.some((d) => d.startsWith('MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true: ')),
      result.details.join('\n'),
    );
  });

  test('a sidecar probe is conditional, never safe; no probes; not looked up; not found', () => {
    const sidecar = { name: 'proxy', image: 'y', ports: [{ containerPort: 15021 }], readinessProbe: probe(15021) };
    const withSidecar = deployment([{ ...APP, livenessProbe: undefined, readinessProbe: undefined }, sidecar]);
    assert.match(verdictOf(steal('steal'), { manifest: withSidecar }).title, /, readiness stolen if the local app listens on its port · /);
    const none = deployment([{ ...APP, livenessProbe: undefined, readinessProbe: undefined }]);
    assert.match(verdictOf(steal('steal'), { manifest: none }).title, /, no liveness or readiness probe · /);
    assert.match(verdictOf(steal('steal'), { status: { kind: 'restricted' } }).title, /, probes not looked up \(Restricted Mode\) · /);
    const failed: LookupStatus = { kind: 'failed', source: 'cluster', fetchedAt: 0, failure: { kind: 'not-found', message: 'no such deployment' } };
    assert.match(verdictOf(steal('steal'), { status: failed }).title, /, target not resolved \(not-found\) · /);
  });

  test('a config mirrord refuses says so; no config file is named as such', () => {
    const refused = verdictOf({ target: 'targetless', feature: { network: { incoming: 'steal' } } }, { status: { kind: 'not-needed' } });
    assert.match(refused.title, /^mirrord: steal targetless, .*mirrord refuses this config \(1 error\(s\)\)/);
    const analysis = analyzeConfig(parseConfig('{}', 'json'), undefined, {});
    assert.equal(
      launchVerdict({ analysis, status: { kind: 'not-needed' } }).title,
      "mirrord: mirror no target, no probe stolen · mirrord's defaults (no config file)",
    );
  });

  test('target labels', () => {
    assert.equal(targetLabel({ kind: 'pod', name: 'api-1', container: 'app' }), 'pod/api-1/container/app');
    assert.equal(targetLabel({ kind: 'label', labels: { app: 'api', tier: 'web' } }), 'label/app=api,tier=web');
    assert.equal(targetLabel({ kind: 'targetless' }), 'targetless');
    assert.equal(targetLabel(undefined), undefined);
  });
});
