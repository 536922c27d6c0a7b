// Target completion's pure parts: where the cursor is in `target` (JSON, YAML, TOML, every form),
// what a typed path asks for next, what an item says about a workload, and the engine's verdicts
// for a candidate that is not the config's own target.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictsForCandidate } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { pathStage, targetCompletionSite } from '../../../src/core/target/targetCompletionSite';
import { summarizeWorkload } from '../../../src/core/target/workloadSummary';
import type { ConfigFormat } from '../../../src/core/types';
import { candidateResolution } from '../../../src/service/targetCatalog';
import { container, deployment } from '../../support/kubeFixtures';

/** The site at the `|` of `marked`. */
function siteAt(marked: string, format: ConfigFormat) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const site = targetCompletionSite(parseConfig(text, format), offset);
  return site && { ...site, contentText: text.slice(site.content.start, site.content.end) };
}

describe('targetCompletionSite', () => {
  it('the target string in JSON, YAML and TOML: the text without quotes, typed up to the cursor', () => {
    for (const [marked, format] of [
      ['{"target": "deployment/ap|i"}', 'json'],
      ['target: deployment/ap|i\n', 'yaml'],
      ['target: "deployment/ap|i"\n', 'yaml'],
      ['target = "deployment/ap|i"\n', 'toml'],
      ["target = 'deployment/ap|i'\n", 'toml'],
    ] as const) {
      const site = siteAt(marked, format);
      assert.equal(site?.slot, 'path', marked);
      assert.equal(site.typed, 'deployment/ap', marked);
      assert.equal(site.contentText, 'deployment/api', marked);
    }
  });

  it('empty values: "" in JSON and TOML, nothing after the colon in YAML', () => {
    assert.equal(siteAt('{"target": "|"}', 'json')?.typed, '');
    assert.equal(siteAt('target = "|"\n', 'toml')?.typed, '');
    assert.deepEqual(siteAt('target: |\nfeature: {}\n', 'yaml')?.slot, 'path');
    assert.equal(siteAt('target:\n  path: |\n  namespace: shop\n', 'yaml')?.slot, 'path');
  });

  it('target.path with its namespace; target.namespace; the object form name and container', () => {
    const path = siteAt('{"target": {"path": "pod/|", "namespace": "shop"}}', 'json');
    assert.equal(path?.slot, 'path');
    assert.equal(path.slot === 'path' && path.namespace, 'shop');
    const ns = siteAt('[target]\npath = "pod/x"\nnamespace = "sh|"\n', 'toml');
    assert.equal(ns?.slot, 'namespace');
    assert.equal(ns.typed, 'sh');
    const name = siteAt('{"target": {"cron_job": "ni|"}}', 'json');
    assert.deepEqual(name && { slot: name.slot, kind: name.slot === 'object-name' && name.kind, typed: name.typed }, {
      slot: 'object-name',
      kind: 'cronjob',
      typed: 'ni',
    });
    const nested = siteAt('target:\n  path:\n    deployment: api\n    container: a|\n  namespace: shop\n', 'yaml');
    assert.equal(nested?.slot, 'object-container');
    assert.equal(nested.slot === 'object-container' && nested.name, 'api');
    assert.equal(nested.slot === 'object-container' && nested.namespace, 'shop');
  });

  it('nothing outside a target value: another key, a number, a label object, the key itself, a multi-line value', () => {
    assert.equal(siteAt('{"target": "x", "kube_context": "|"}', 'json'), undefined);
    assert.equal(siteAt('{"target": 4|2}', 'json'), undefined);
    assert.equal(siteAt('{"target": {"labels": {"app": "|"}}}', 'json'), undefined);
    assert.equal(siteAt('{"tar|get": "deployment/x"}', 'json'), undefined);
    assert.equal(siteAt('{"target": {"container": "|"}}', 'json'), undefined);
    assert.equal(siteAt('target: null|\n', 'yaml'), undefined);
    assert.equal(siteAt('target = """deploy|ment/\nx"""\n', 'toml'), undefined);
    assert.equal(siteAt('', 'json'), undefined);
  });
});

describe('pathStage', () => {
  it('kind, name, the /container/ keyword, a container; nothing for label, targetless-like or unknown kinds', () => {
    assert.deepEqual(pathStage(''), { stage: 'kind' });
    assert.deepEqual(pathStage('depl'), { stage: 'kind' });
    assert.deepEqual(pathStage('deployment/ap'), { stage: 'name', kind: 'deployment', prefix: 'deployment/' });
    assert.deepEqual(pathStage('deploy/'), { stage: 'name', kind: 'deployment', prefix: 'deploy/' });
    assert.deepEqual(pathStage('statefulset/db/'), { stage: 'container-keyword', kind: 'statefulset', name: 'db', prefix: 'statefulset/db/' });
    assert.deepEqual(pathStage('pod/x/cont'), { stage: 'container-keyword', kind: 'pod', name: 'x', prefix: 'pod/x/' });
    assert.deepEqual(pathStage('pod/x/container/a'), { stage: 'container', kind: 'pod', name: 'x', prefix: 'pod/x/container/' });
    assert.equal(pathStage('label/app=x'), undefined);
    assert.equal(pathStage('deployments/x'), undefined);
    assert.equal(pathStage('pod//'), undefined);
    assert.equal(pathStage('pod/x/other/a'), undefined);
    assert.equal(pathStage('pod/x/container/a/b'), undefined);
  });
});

describe('summarizeWorkload', () => {
  it('ready replicas from the status, the pod phase, the schedule, the containers of each kind', () => {
    const live = { ...deployment('api', { app: 'api' }), status: { readyReplicas: 1 } };
    assert.deepEqual(summarizeWorkload('deployment', live), {
      name: 'api',
      kind: 'deployment',
      namespace: 'shop',
      containers: ['api'],
      replicas: { ready: 1, desired: 2 },
    });
    // A manifest has no status: no replica count is made up.
    assert.equal(summarizeWorkload('deployment', deployment('api', { app: 'api' })).replicas, undefined);
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
    };
    assert.deepEqual(summarizeWorkload('pod', pod).pod, { phase: 'Running', ready: false });
    assert.deepEqual(summarizeWorkload('pod', pod).containers, ['a', 'b']);
    const cron = { metadata: { name: 'n' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job' }] } } } } } };
    assert.deepEqual(summarizeWorkload('cronjob', cron), { name: 'n', kind: 'cronjob', containers: ['job'], schedule: '0 3 * * *' });
    assert.deepEqual(summarizeWorkload('service', { metadata: { name: 's' }, spec: { selector: { app: 'x' } } }).containers, []);
    assert.deepEqual(summarizeWorkload('deployment', { metadata: { name: 5 }, spec: { template: { spec: { containers: 'x' } } }, status: 'up' }), {
      name: '5',
      kind: 'deployment',
      containers: [],
    });
  });
});

describe('verdictsForCandidate', () => {
  const steal = (network: object) => parseConfig(JSON.stringify({ target: 'deployment/', feature: { network } }), 'json');
  const twoContainers = deployment('cart', { app: 'cart' });
  twoContainers.spec.template.spec.containers = [container('cart', 8080), container('envoy', 9901)];

  it('judges a workload the config does not name yet, under the config: stolen without a filter, safe with the kube-probe filter, safe in mirror mode', () => {
    const candidate = candidateResolution('deployment', twoContainers, 'shop', 'cluster');
    assert.ok(candidate?.ok);
    const verdicts = (network: object) => verdictsForCandidate(steal(network), candidate).map((v) => `${v.probe.container}:${v.probe.probe}:${v.verdict}`);
    assert.deepEqual(verdicts({ incoming: 'steal' }), [
      'cart:liveness:stolen',
      'cart:readiness:stolen',
      'envoy:liveness:conditional',
      'envoy:readiness:conditional',
    ]);
    assert.deepEqual(verdicts({ incoming: { mode: 'steal', http_filter: { header_filter: '^User-Agent: (?!kube-probe)' } } }), [
      'cart:liveness:safe',
      'cart:readiness:safe',
      'envoy:liveness:safe',
      'envoy:readiness:safe',
    ]);
    assert.ok(verdicts({ incoming: 'mirror' }).every((v) => v.endsWith(':safe')));
  });

  it("a container candidate: the probes of that container are the target's, another container's are conditional", () => {
    const envoy = candidateResolution('deployment', twoContainers, 'shop', 'cluster', 'envoy');
    assert.ok(envoy?.ok);
    const verdicts = verdictsForCandidate(steal({ incoming: 'steal' }), envoy).map((v) => `${v.probe.container}:${v.probe.probe}:${v.verdict}`);
    assert.deepEqual(verdicts, ['cart:liveness:conditional', 'cart:readiness:conditional', 'envoy:liveness:stolen', 'envoy:readiness:stolen']);
  });

  it("a Service is judged by its selected pods (or templates), a workloadRef Rollout by its Deployment's template", () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { selector: { app: 'cart' } } };
    const candidate = candidateResolution('service', service, 'shop', 'manifests', undefined, [twoContainers, deployment('other', { app: 'other' })]);
    assert.ok(candidate?.ok);
    assert.deepEqual(
      verdictsForCandidate(steal({ incoming: 'steal' }), candidate).map((v) => `${v.probe.container}:${v.probe.probe}:${v.verdict}`),
      ['cart:liveness:stolen', 'cart:readiness:stolen', 'envoy:liveness:conditional', 'envoy:readiness:conditional'],
    );
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r', namespace: 'shop' },
      spec: { workloadRef: { kind: 'Deployment', name: 'cart' } },
    };
    const borrowed = candidateResolution('rollout', rollout, 'shop', 'cluster', undefined, [twoContainers]);
    assert.ok(borrowed?.ok);
    assert.equal(borrowed.target.pods[0].object.metadata.name, 'cart');
    // Nothing selected: no resolution, so the item is offered without verdicts.
    assert.equal(candidateResolution('service', service, 'shop', 'cluster', undefined, [deployment('other', { app: 'other' })]), undefined);
  });

  it('no candidate resolution where the listed object holds no pod template (a Service, a Rollout with workloadRef)', () => {
    assert.equal(candidateResolution('service', { metadata: { name: 's' }, spec: { selector: { app: 'x' } } }, 'shop', 'cluster'), undefined);
    assert.equal(
      candidateResolution('rollout', { metadata: { name: 'r' }, spec: { workloadRef: { kind: 'Deployment', name: 'd' } } }, 'shop', 'cluster'),
      undefined,
    );
    assert.equal(candidateResolution('deployment', { metadata: { name: 'empty' }, spec: {} }, 'shop', 'manifests'), undefined);
  });
});
