import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configFormatForFileName, parseConfig } from '../../../src/core/config/parseConfig';
import { getPath } from '../../../src/core/config/configQuery';
import { parseManifests, type ManifestObject } from '../../../src/core/k8s/manifests';
import { extractProbes } from '../../../src/core/k8s/probes';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import { readTarget } from '../../../src/core/target/readTarget';

// Compiled to out/test/unit/k8s: the repository root is four levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MANIFESTS = path.join(ROOT, 'demo', 'manifests');
const CONFIGS = path.join(ROOT, 'demo', 'workspace', '.mirrord');

function loadManifests(): { objects: ManifestObject[]; problems: string[]; files: string[] } {
  const files = fs.readdirSync(MANIFESTS).filter((f) => /\.(ya?ml|json)$/.test(f));
  const objects: ManifestObject[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const parsed = parseManifests(fs.readFileSync(path.join(MANIFESTS, file), 'utf8'), file);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
  }
  return { objects, problems, files };
}

test('every demo manifest parses cleanly and yields objects', () => {
  const { objects, problems, files } = loadManifests();
  assert.ok(files.length >= 6);
  assert.deepEqual(problems, []);
  for (const file of files)
    assert.ok(
      objects.some((o) => o.file === file),
      `${file} has objects`,
    );
  const kinds = new Set(objects.map((o) => o.object.kind));
  for (const kind of ['Deployment', 'Rollout', 'StatefulSet', 'CronJob', 'Service', 'Pod']) assert.ok(kinds.has(kind), kind);
});

test("every demo config's target is found in the demo manifests, with probes", () => {
  const { objects } = loadManifests();
  const configs = fs.readdirSync(CONFIGS);
  assert.ok(configs.length >= 7);
  for (const file of configs) {
    const parsed = parseConfig(fs.readFileSync(path.join(CONFIGS, file), 'utf8'), configFormatForFileName(file));
    assert.deepEqual(parsed.problems, [], file);
    const reading = readTarget(getPath(parsed.root, ['target']));
    assert.deepEqual(reading.problems, [], file);
    assert.ok(reading.ref, `${file} names a target`);
    const result = resolveFromManifests(reading.ref, reading.ref.namespace ?? 'default', objects);
    assert.ok(result.ok, `${file}: ${result.ok ? '' : result.failure.message}`);
    if (!result.ok) continue;
    const probes = result.target.pods.flatMap((pod) => extractProbes(pod.podSpec, pod.specPath));
    assert.ok(probes.length > 0, `${file}: the target has probes`);
    assert.ok(
      probes.every((p) => p.portProblem === undefined),
      `${file}: every probe port resolves`,
    );
  }
});

test('the demo shapes the README promises', () => {
  const { objects } = loadManifests();
  const resolve = (kind: 'deployment' | 'pod' | 'rollout', name: string) => {
    const result = resolveFromManifests({ kind, name }, 'shop', objects);
    assert.ok(result.ok, name);
    return result.ok ? result.target.pods.flatMap((pod) => extractProbes(pod.podSpec, pod.specPath)) : [];
  };
  const checkout = resolve('deployment', 'checkout');
  assert.deepEqual(
    checkout.map((p) => [p.probe, p.portName, p.port, p.path]),
    [
      ['liveness', 'http', 8080, '/healthz'],
      ['readiness', 'http', 8080, '/ready'],
    ],
  );
  const ledger = resolve('pod', 'ledger');
  assert.ok(ledger.some((p) => p.containerRole === 'sidecar' && p.port === 15021 && p.handler === 'httpGet'));
  const search = resolve('deployment', 'search');
  assert.ok(search.every((p) => p.request?.headers.some((h) => h.name === 'user-agent' && h.value === 'health-checker/2.0')));
  const recommendations = resolve('rollout', 'recommendations');
  assert.deepEqual(
    recommendations.map((p) => p.path),
    ['/livez', '/readyz'],
  );
  const launch = JSON.parse(fs.readFileSync(path.join(ROOT, 'demo', 'workspace', '.vscode', 'launch.json'), 'utf8'));
  assert.equal(launch.configurations[0].env.MIRRORD_CONFIG_FILE, '.mirrord/risky.mirrord.json');
});
