/**
 * The pod shapes real manifests have: several containers, native sidecars, Istio-injected pods,
 * several objects of one name, Service and label targets, job targets; and port_mapping.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import { renderProbeReportMarkdown } from '../../../src/core/report/probeReport';
import { analyse, API_MANIFEST, deployment, findingCodes, findingOf, jsonConfig, verdicts } from './analyzeSupport';

const RECIPE = '{"mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)"}}';

/** An app container plus a regular metrics-exporter sidecar on its own port. */
const TWO_CONTAINERS = deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: [{containerPort: 8080, name: http}]
          livenessProbe:
            httpGet: {path: /healthz, port: http}
        - name: exporter
          image: ghcr.io/example/exporter:0.9.0
          ports: [{containerPort: 9187, name: metrics}]
          livenessProbe:
            httpGet: {path: /, port: metrics}
          readinessProbe:
            exec:
              command: ["wget", "-qO-", "http://localhost:9187/"]
`);

/**
 * What `istioctl kube-inject` (or the injector) makes of a pod: the app's probes point at
 * pilot-agent, the originals are in ISTIO_KUBE_APP_PROBERS; istio-proxy has its own readiness probe.
 */
const ISTIO_POD = `apiVersion: v1
kind: Pod
metadata:
  name: reviews-v1-5d8f6c9b7-abcde
  namespace: shop
  labels: {app: reviews}
spec:
  containers:
    - name: reviews
      image: ghcr.io/example/reviews:2.0.0
      ports: [{containerPort: 9080, name: http}]
      livenessProbe:
        httpGet: {path: /app-health/reviews/livez, port: 15020, scheme: HTTP}
        periodSeconds: 5
      readinessProbe:
        httpGet: {path: /app-health/reviews/readyz, port: 15020, scheme: HTTP}
      startupProbe:
        httpGet: {path: /app-health/reviews/startupz, port: 15020}
    - name: istio-proxy
      image: docker.io/istio/proxyv2:1.23.0
      ports:
        - {containerPort: 15090, name: http-envoy-prom}
        - {containerPort: 15021, name: status-port}
      env:
        - name: ISTIO_KUBE_APP_PROBERS
          value: '{"/app-health/reviews/livez":{"httpGet":{"path":"/health","port":9080,"scheme":"HTTP"},"timeoutSeconds":1},"/app-health/reviews/readyz":{"tcpSocket":{"port":9080},"timeoutSeconds":1}}'
      readinessProbe:
        httpGet: {path: /healthz/ready, port: 15021}
        periodSeconds: 15
`;

const ISTIO_CONFIG = jsonConfig('"steal"', '', '{"path": "pod/reviews-v1-5d8f6c9b7-abcde", "namespace": "shop"}');

describe('several containers in one pod', () => {
  test("another regular container's probes are conditional; the target container's keep their severity", () => {
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', TWO_CONTAINERS);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'stolen', 'exporter/liveness': 'conditional', 'exporter/readiness': 'conditional' });
    assert.deepEqual(findingCodes(analysis), ['liveness-probe-stolen:error', 'sidecar-probe-conditional:information', 'sidecar-probe-conditional:information']);
    const exec = analysis.probes.find((p) => p.probe.container === 'exporter' && p.probe.probe === 'readiness')!;
    assert.match(exec.condition ?? '', /^stolen if your local app listens on :9187/);
  });

  test('targeting the other container turns the verdicts round', () => {
    const { analysis } = analyse(jsonConfig('"steal"', '', '{"path": "deployment/api/container/exporter", "namespace": "shop"}'), 'json', TWO_CONTAINERS);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'conditional', 'exporter/liveness': 'stolen', 'exporter/readiness': 'stolen' });
  });

  test('conditional probes are never safe, and a fix protects them too', () => {
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', TWO_CONTAINERS);
    const fix = findingOf(analysis, 'liveness-probe-stolen').fixes[0];
    assert.ok(fix, 'a fix is offered');
  });

  test('the probe report explains conditional verdicts in one sentence and gives the breakpoint window', () => {
    const { analysis, resolution } = analyse(jsonConfig('"steal"'), 'json', TWO_CONTAINERS);
    const markdown = renderProbeReportMarkdown(analysis, resolution);
    assert.match(markdown, /ℹ️ stolen if your local app listens on :9187/);
    assert.match(markdown, /A probe on another container's port \(a sidecar, a mesh proxy\) is stolen only if your local app listens on that port too/);
    assert.match(markdown, /\| 21-31 s \|/);
    assert.match(markdown, /safe hold time/);
    assert.match(markdown, /wget -qO- http:\/\/localhost:9187\//, 'an exec probe shows its command');
  });
});

describe('Istio-injected pods', () => {
  test('rewritten probes are judged by their originals on the app port; istio-proxy 15021 is conditional', () => {
    const { analysis } = analyse(ISTIO_CONFIG, 'json', ISTIO_POD);
    assert.deepEqual(verdicts(analysis), {
      'reviews/liveness': 'stolen',
      'reviews/readiness': 'safe',
      'reviews/startup': 'unknown',
      'istio-proxy/readiness': 'conditional',
    });
    const liveness = analysis.probes.find((p) => p.probe.container === 'reviews' && p.probe.probe === 'liveness')!;
    assert.equal(liveness.probe.port, 9080);
    assert.equal(liveness.probe.path, '/health');
    assert.equal(liveness.probe.periodSeconds, 5, "the kubelet's timing stays");
    assert.match(liveness.reason, /through pilot-agent/);
    assert.match(findingOf(analysis, 'liveness-probe-stolen').message, /via pilot-agent :15020/);
    assert.doesNotMatch(findingOf(analysis, 'liveness-probe-stolen').message, /\.\)|\.\./, 'one full stop per sentence');
    const startup = analysis.probes.find((p) => p.probe.probe === 'startup')!;
    assert.match(startup.reason, /not in the ISTIO_KUBE_APP_PROBERS env/);
  });

  test('the kube-probe recipe protects a rewritten probe (pilot-agent keeps the kubelet User-Agent)', () => {
    const config = jsonConfig(RECIPE, '', '{"path": "pod/reviews-v1-5d8f6c9b7-abcde", "namespace": "shop"}');
    const { analysis } = analyse(config, 'json', ISTIO_POD);
    assert.equal(analysis.probes.find((p) => p.probe.container === 'reviews' && p.probe.probe === 'liveness')!.verdict, 'safe');
  });

  test('Linkerd-injected pods: as without a mesh; linkerd-proxy probes are conditional', () => {
    const linkerd = deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
        - name: linkerd-proxy
          image: cr.l5d.io/linkerd/proxy:edge-24.1.1
          ports: [{containerPort: 4191, name: linkerd-admin}]
          livenessProbe:
            httpGet: {path: /live, port: 4191}
`);
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', linkerd);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'stolen', 'linkerd-proxy/liveness': 'conditional' });
  });

  test('without a container in the target, mirrord skips istio-proxy: the app is the target container', () => {
    const podFirst = ISTIO_POD.replace('  containers:\n    - name: reviews', '  containers:\n    - name: placeholder\n      image: x\n    - name: reviews');
    const config = jsonConfig('"steal"', '', '{"path": "pod/reviews-v1-5d8f6c9b7-abcde/container/reviews", "namespace": "shop"}');
    assert.equal(verdicts(analyse(config, 'json', podFirst).analysis)['reviews/liveness'], 'stolen');
  });
});

describe('native sidecars', () => {
  test("a native sidecar's exec probe against its own port is conditional; against the app's port, stolen", () => {
    const manifest = deployment(
      `        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: [{containerPort: 8080}]
`,
      `      initContainers:
        - name: proxy
          image: ghcr.io/example/proxy:1.0.0
          restartPolicy: Always
          ports: [{containerPort: 15000}]
          livenessProbe:
            exec:
              command: ["curl", "-f", "http://127.0.0.1:15000/ready"]
          readinessProbe:
            exec:
              command: ["sh", "-c", "curl -f http://127.0.0.1:8080/healthz"]
`,
    );
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', manifest);
    assert.deepEqual(verdicts(analysis), { 'proxy/liveness': 'conditional', 'proxy/readiness': 'stolen' });
  });
});

describe('port_mapping as mirrord applies it (layer: listen subscribes get_by_left(local) or the local port)', () => {
  const probes8080and9090 = deployment(`        - name: app
          image: x
          ports: [{containerPort: 8080}, {containerPort: 9090}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
          readinessProbe:
            httpGet: {path: /ready, port: 9090}
`);
  test('[[8080, 9090]]: nothing reaches remote 8080 (no alarm); remote 9090 is reached by local 8080', () => {
    const { analysis } = analyse(jsonConfig('{"mode": "steal", "port_mapping": [[8080, 9090]]}'), 'json', probes8080and9090);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'safe', 'app/readiness': 'stolen' });
    assert.match(analysis.probes[0].reason, /port_mapping sends local port 8080 to remote port 9090/);
  });

  test('[[8080, 9090], [7000, 8080]]: remote 8080 is reached again, by local 7000', () => {
    const { analysis } = analyse(jsonConfig('{"mode": "steal", "port_mapping": [[8080, 9090], [7000, 8080]]}'), 'json', probes8080and9090);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'stolen', 'app/readiness': 'stolen' });
  });

  test('ignore_ports names the local port of a mapping', () => {
    const { analysis } = analyse(jsonConfig('{"mode": "steal", "port_mapping": [[8080, 9090]], "ignore_ports": [8080]}'), 'json', probes8080and9090);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'safe', 'app/readiness': 'safe' });
  });
});

/** Parses several manifest files, as `--manifest a.yaml --manifest b.yaml` would. */
function analyseFiles(config: string, files: Record<string, string>) {
  const parsed = parseConfig(config, 'json');
  const first = analyzeConfig(parsed);
  const objects = Object.entries(files).flatMap(([file, text]) => parseManifests(text, file).objects);
  const resolution = resolveFromManifests(first.lookup!.ref, first.lookup!.namespace ?? 'default', objects);
  return { analysis: analyzeConfig(parsed, resolution), resolution };
}

describe('ambiguous targets and workload names', () => {
  const base = deployment(`        - name: app
          image: x
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
`);
  const overlay = deployment(`        - name: app
          image: x
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /livez, port: 8080}
`);

  test('two objects of one kind, name and namespace: every candidate judged, each named by file:line, and a warning', () => {
    const { analysis, resolution } = analyseFiles(jsonConfig('"steal"'), {
      'base/deploy.yaml': base,
      'overlays/prod/deploy.yaml': overlay,
    });
    assert.ok(resolution.ok);
    assert.deepEqual(
      analysis.probes.map((p) => [p.podDescription, p.probe.path, p.verdict]),
      [
        ['deployment/api (base/deploy.yaml:1)', '/healthz', 'stolen'],
        ['deployment/api (overlays/prod/deploy.yaml:1)', '/livez', 'stolen'],
      ],
    );
    const ambiguity = findingOf(analysis, 'ambiguous-target');
    assert.equal(ambiguity.severity, 'warning');
    assert.match(ambiguity.message, /matches 2 objects in the manifests \(base\/deploy\.yaml:1, overlays\/prod\/deploy\.yaml:1\)/);
    assert.deepEqual(
      ambiguity.related?.map((r) => r.file),
      ['base/deploy.yaml', 'overlays/prod/deploy.yaml'],
    );
  });

  test('a path filter "^/livez" steals only the overlay candidate: its finding names the workload and points at its file', () => {
    const { analysis } = analyseFiles(jsonConfig('{"mode": "steal", "http_filter": {"path_filter": "^/livez"}}'), {
      'base/deploy.yaml': base,
      'overlays/prod/deploy.yaml': overlay,
    });
    assert.deepEqual(
      analysis.probes.map((p) => p.verdict),
      ['safe', 'stolen'],
    );
    const stolen = findingOf(analysis, 'liveness-probe-stolen');
    assert.match(stolen.message, /of deployment\/api \(overlays\/prod\/deploy\.yaml:1\)/);
    assert.equal(stolen.related?.[0].file, 'overlays/prod/deploy.yaml');
  });

  test('a Service target: every probe names its workload (the message and the report)', () => {
    const service = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
${API_MANIFEST}`;
    const { analysis, resolution } = analyse(jsonConfig('"steal"', '', '{"path": "service/api", "namespace": "shop"}'), 'json', service);
    assert.ok(analysis.probes.every((p) => p.podDescription === 'deployment/api (picked by service/api)'));
    assert.match(findingOf(analysis, 'liveness-probe-stolen').message, /of deployment\/api \(picked by service\/api\)/);
    assert.match(renderProbeReportMarkdown(analysis, resolution), /Container `app of deployment\/api \(picked by service\/api\)`/);
  });

  test('a label target judges every matching workload', () => {
    const two = `${deployment(
      `        - name: app
          image: x
          livenessProbe:
            httpGet: {path: /a, port: 8080}
`,
      '',
      'api',
    ).replace('app: api\n  template', 'app: api\n  template')}
---
${deployment(
  `        - name: app
          image: x
          livenessProbe:
            httpGet: {path: /b, port: 8080}
`,
  '',
  'api-canary',
).replace(/app: api-canary/g, 'app: api')}`;
    const { analysis } = analyse(jsonConfig('"steal"', '', '{"path": "label/app=api", "namespace": "shop"}'), 'json', two);
    assert.deepEqual(analysis.probes.map((p) => p.podDescription).sort(), [
      'deployment/api (picked by label app=api)',
      'deployment/api-canary (picked by label app=api)',
    ]);
  });
});

describe('mirrord 3.2xx rules', () => {
  const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: x
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
`;
  const jobConfig = jsonConfig('"steal"', '', '{"path": "job/migrate", "namespace": "shop"}');

  test('a job target runs on a copy since 3.237: no probe at risk, and the reason says why', () => {
    const { analysis } = analyse(jobConfig, 'json', job);
    assert.deepEqual(verdicts(analysis), { 'migrate/liveness': 'safe' });
    assert.match(analysis.probes[0].reason, /since mirrord 3\.237 a job target always runs on a copy of the pod/);
    assert.deepEqual(findingCodes(analysis), []);
  });

  test('before 3.237 a job target is judged like any workload', () => {
    const { analysis } = analyse(jobConfig, 'json', job, { mirrordVersion: '3.236.0' });
    assert.deepEqual(verdicts(analysis), { 'migrate/liveness': 'stolen' });
  });
});

describe("the container mirrord targets when the target names none (mirrord's choose_container)", () => {
  /** A log shipper listed before the app, both with a liveness probe on their own port. */
  const shipperFirst = (annotation: string) =>
    deployment(
      `        - name: log-shipper
          image: ghcr.io/example/shipper:1.2.0
          ports: [{containerPort: 2020, name: metrics}]
          livenessProbe:
            httpGet: {path: /api/v1/health, port: metrics}
        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: [{containerPort: 8080, name: http}]
          livenessProbe:
            httpGet: {path: /healthz, port: http}
`,
    ).replace('    metadata:\n      labels:\n        app: api\n', `    metadata:\n      labels:\n        app: api\n${annotation}`);

  test('without an annotation: the first container that is not skipped (here the log shipper)', () => {
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', shipperFirst(''));
    assert.deepEqual(verdicts(analysis), { 'log-shipper/liveness': 'stolen', 'app/liveness': 'conditional' });
  });

  test('kubectl.kubernetes.io/default-container on the pod template: that container, and the condition says so', () => {
    const annotated = shipperFirst('      annotations:\n        kubectl.kubernetes.io/default-container: app\n');
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', annotated);
    assert.deepEqual(verdicts(analysis), { 'log-shipper/liveness': 'conditional', 'app/liveness': 'stolen' });
    assert.equal(findingOf(analysis, 'liveness-probe-stolen').severity, 'error');
    const shipper = analysis.probes.find((p) => p.probe.container === 'log-shipper')!;
    assert.match(shipper.condition ?? '', /mirrord targets container "app", the pod's kubectl\.kubernetes\.io\/default-container/);
  });

  test('an annotation naming no container of the pod is ignored, as mirrord ignores it', () => {
    const annotated = shipperFirst('      annotations:\n        kubectl.kubernetes.io/default-container: gone\n');
    assert.deepEqual(verdicts(analyse(jsonConfig('"steal"'), 'json', annotated).analysis), { 'log-shipper/liveness': 'stolen', 'app/liveness': 'conditional' });
  });

  test('a container named in the target wins over the annotation', () => {
    const annotated = shipperFirst('      annotations:\n        kubectl.kubernetes.io/default-container: app\n');
    const config = jsonConfig('"steal"', '', '{"path": "deployment/api/container/log-shipper", "namespace": "shop"}');
    assert.deepEqual(verdicts(analyse(config, 'json', annotated).analysis), { 'log-shipper/liveness': 'stolen', 'app/liveness': 'conditional' });
  });

  test("Knative's queue-proxy is skipped like the mesh proxies", () => {
    const knative = deployment(`        - name: queue-proxy
          image: gcr.io/knative-releases/queue:1.15.0
          ports: [{containerPort: 8012, name: http1}]
          readinessProbe:
            httpGet: {path: /, port: 8012}
        - name: user-container
          image: ghcr.io/example/api:1.4.2
          ports: [{containerPort: 8080, name: user-port}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
`);
    assert.deepEqual(verdicts(analyse(jsonConfig('"steal"'), 'json', knative).analysis), {
      'queue-proxy/readiness': 'conditional',
      'user-container/liveness': 'stolen',
    });
  });
});
