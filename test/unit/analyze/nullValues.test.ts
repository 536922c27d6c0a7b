import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          ports: [{containerPort: 8080}]
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
`;

function analyse(config: string) {
  const parsed = parseConfig(config, 'json');
  const resolution = resolveFromManifests({ kind: 'deployment', name: 'api' }, 'shop', parseManifests(MANIFEST, 'm.yaml').objects);
  return analyzeConfig(parsed, resolution);
}

// mirrord's file config fields are `Option`s: null is "not set", not a wrong value.
test('explicit nulls in incoming are "not set": no config error, the rules as if absent', () => {
  const analysis = analyse(`{"target": "deployment/api", "feature": {"network": {"incoming": {
    "mode": "steal", "ports": null, "ignore_ports": null, "port_mapping": null, "http_filter": null}}}}`);
  assert.deepEqual(
    analysis.findings.map((f) => f.code),
    ['liveness-probe-stolen'],
  );
  assert.match(analysis.probes[0].reason, /no http_filter/);
});

test('a null filter kind next to a real one counts as absent', () => {
  const analysis = analyse(`{"target": "deployment/api", "feature": {"network": {"incoming": {
    "mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)", "path_filter": null, "ports": null}}}}}`);
  assert.deepEqual(
    analysis.findings.map((f) => f.code),
    [],
  );
  assert.equal(analysis.probes[0].verdict, 'safe');
});

test('a null mode is the default (mirror)', () => {
  const analysis = analyse(`{"target": "deployment/api", "feature": {"network": {"incoming": {"mode": null}}}}`);
  assert.deepEqual(
    analysis.findings.map((f) => f.code),
    [],
  );
  assert.equal(analysis.steals, false);
});
