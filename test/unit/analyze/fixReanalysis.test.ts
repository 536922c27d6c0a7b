/**
 * The offered fix is correct for every pod shape (docs/semantics.md section 5): for multi-container
 * pods, native sidecars, Istio-injected pods, HTTPS probes and exec probes of each tool family,
 * the preferred fix is APPLIED to the config text and the result re-analysed: no liveness or
 * readiness probe is stolen (or conditional) afterwards, and an ordinary request of the app's own
 * traffic is still stolen where the fix keeps stealing it (HTTP), or says it no longer is (TLS and
 * other protocols pass through a filtered port).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideProbe } from '../../../src/core/analyze/probeVerdict';
import { readNetworkSettings } from '../../../src/core/analyze/readNetworkSettings';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { applyTextEdits } from '../../../src/core/fix/structuralEdits';
import { directRegexRunner } from '../../../src/core/regex/directRunner';
import type { ExecWire, HeaderLine, ProbeInfo } from '../../../src/core/types';
import { analyse, deployment, jsonConfig } from './analyzeSupport';

const RECIPE = '{"mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)"}}';
const BROWSER: HeaderLine[] = [
  { name: 'user-agent', value: 'Mozilla/5.0 (X11; Linux x86_64)' },
  { name: 'accept', value: 'text/html' },
];

/** How the app's own traffic on `port` fares under a config: the engine's verdict for one such request. */
function appTrafficVerdict(configText: string, port: number, options: { headers?: HeaderLine[]; tls?: boolean; wire?: ExecWire } = {}): string {
  const settings = readNetworkSettings(parseConfig(configText, 'json').root);
  const request = { method: 'GET', path: '/api/orders', pathAndQuery: '/api/orders?page=2', headers: options.headers ?? BROWSER };
  const probe: ProbeInfo =
    options.wire === 'tcp'
      ? {
          // Traffic that is not HTTP (Redis, PostgreSQL): read through the exec path, which knows wires.
          container: 'app',
          containerRole: 'container',
          probe: 'readiness',
          handler: 'exec',
          command: ['client'],
          exec: {
            connections: [{ command: 'client', tool: 'client', host: '127.0.0.1', port, wire: 'tcp', tls: false, requests: [] }],
            harmless: [],
            unreadable: [],
          },
          periodSeconds: 10,
          timeoutSeconds: 1,
          failureThreshold: 3,
          specPath: [],
        }
      : {
          container: 'app',
          containerRole: 'container',
          probe: 'readiness',
          handler: 'httpGet',
          port,
          path: request.path,
          scheme: options.tls ? 'HTTPS' : 'HTTP',
          request,
          periodSeconds: 10,
          timeoutSeconds: 1,
          failureThreshold: 3,
          specPath: [],
        };
  return decideProbe(probe, { settings, filterPortsRule: 'unlisted-ports-stolen-whole', regexRunner: directRegexRunner }).verdict;
}

interface Applied {
  before: string;
  fixed: string;
  title: string;
}

/**
 * Applies the preferred fix of the first fixable finding, then re-analyses the fixed text against the
 * same manifests: still stealing, no liveness/readiness probe stolen or conditional, nothing more to
 * fix (applying it twice changes nothing).
 */
function applyPreferredFix(config: string, manifest: string): Applied {
  const { analysis, parsed } = analyse(config, 'json', manifest);
  assert.ok(
    analysis.probes.some((p) => p.probe.probe !== 'startup' && (p.verdict === 'stolen' || p.verdict === 'conditional')),
    `the config puts a probe at risk before the fix: ${analysis.probes.map((p) => `${p.probe.container}/${p.probe.probe}=${p.verdict}`).join(', ')}`,
  );
  const finding = analysis.findings.find((f) => f.fixes.some((x) => x.isPreferred));
  assert.ok(finding, `a preferred fix is offered: ${analysis.findings.map((f) => f.code).join(', ')}`);
  const fix = finding.fixes.find((x) => x.isPreferred)!;
  const fixed = applyTextEdits(parsed.text, fix.edits);
  const again = analyse(fixed, 'json', manifest).analysis;
  assert.equal(again.steals, true, 'the fixed config still steals');
  for (const p of again.probes) {
    if (p.probe.probe === 'startup') continue;
    assert.ok(p.verdict !== 'stolen' && p.verdict !== 'conditional', `${p.probe.container}/${p.probe.probe} after "${fix.title}": ${p.verdict}: ${p.reason}`);
  }
  assert.deepEqual(
    again.findings.filter((f) => f.fixes.length > 0 && f.code !== 'strict-json').map((f) => f.code),
    [],
    'nothing is left to fix',
  );
  return { before: config, fixed, title: fix.title };
}

/** A container `app` on 8080 (and a metrics port) whose liveness probe is given (YAML, indent 10). */
function appWith(liveness: string, ports = '[{containerPort: 8080, name: http}, {containerPort: 9100, name: metrics}]'): string {
  return deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: ${ports}
          livenessProbe:
${liveness}`);
}

const exec = (command: string) => `            exec:\n              command: ${command}\n`;

describe('the preferred fix, applied and re-analysed, for each exec tool family', () => {
  const families: { name: string; command: string; title: string }[] = [
    { name: 'curl', command: '["curl", "-fsS", "http://localhost:8080/healthz"]', title: 'Add kube-probe filter, excluding /healthz' },
    { name: 'curl inside sh -c', command: '["sh", "-c", "curl -f localhost:8080/healthz || exit 1"]', title: 'Add kube-probe filter, excluding /healthz' },
    { name: 'wget', command: '["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/ready"]', title: 'Add kube-probe filter, excluding /ready' },
    { name: 'wget to [::1]', command: '["wget", "-qO-", "http://[::1]:8080/ready"]', title: 'Add kube-probe filter, excluding /ready' },
    {
      name: 'grpc_health_probe',
      command: '["/bin/grpc_health_probe", "-addr=:8080"]',
      title: 'Add kube-probe filter, excluding /grpc.health.v1.Health/Check',
    },
    {
      name: 'a host:port binary (podcli)',
      command: '["podcli", "check", "http", "localhost:8080/healthz"]',
      title: 'Add kube-probe filter, excluding /healthz',
    },
  ];
  for (const family of families) {
    test(`${family.name}: the fix leaves the probe to the pod and still steals the app's requests`, () => {
      const { fixed, title } = applyPreferredFix(jsonConfig('"steal"'), appWith(exec(family.command)));
      assert.equal(title, family.title);
      // The tool sends its own User-Agent, which the kube-probe filter alone would steal: the fix
      // excludes the probe's path too.
      assert.match(fixed, /"all_of"/);
      assert.equal(appTrafficVerdict(fixed, 8080), 'stolen', fixed);
    });
  }

  test('the same tools with the recipe already in the file: the fix adds the path exclusion to it', () => {
    for (const family of families) {
      const { fixed, title } = applyPreferredFix(jsonConfig(RECIPE), appWith(exec(family.command)));
      assert.equal(title, family.title.replace('Add kube-probe filter, excluding ', 'Exclude ') + ' from the filter', 'only the exclusion is added');
      assert.equal(appTrafficVerdict(fixed, 8080), 'stolen', `${family.name}: ${fixed}`);
    }
  });

  test('an exec probe on a port outside http_filter.ports: listing the port is not enough, the fix excludes its path too', () => {
    // As podinfo's probes (podcli check http localhost:9898/healthz) under the recipe limited to another port.
    const manifest = appWith(exec('["podcli", "check", "http", "localhost:8080/healthz"]'));
    const config = jsonConfig('{"mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)", "ports": [9100]}}');
    const { fixed, title } = applyPreferredFix(config, manifest);
    assert.equal(title, 'Exclude /healthz from the filter and add 8080 to http_filter.ports');
    assert.equal(appTrafficVerdict(fixed, 8080), 'stolen', fixed);
    assert.equal(appTrafficVerdict(fixed, 9100), 'stolen', fixed);
  });

  test('nc -z is a bare connect (safe); the fix for the httpGet probe next to it keeps it safe', () => {
    const manifest = deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: [{containerPort: 8080, name: http}]
          livenessProbe:
${exec('["nc", "-z", "localhost", "8080"]')}          readinessProbe:
            httpGet: {path: /ready, port: http}
`);
    const { fixed } = applyPreferredFix(jsonConfig('"steal"'), manifest);
    const again = analyse(fixed, 'json', manifest).analysis;
    assert.equal(again.probes.find((p) => p.probe.probe === 'liveness')?.verdict, 'safe');
    assert.equal(appTrafficVerdict(fixed, 8080), 'stolen');
  });

  // Protocols that are not HTTP: on a port with a filter, mirrord's agent passes every connection
  // that is not HTTP through to the pod, the probe's and the app's alike.
  const databases: { name: string; command: string; port: number }[] = [
    { name: 'redis-cli ping', command: '["redis-cli", "-h", "127.0.0.1", "ping"]', port: 6379 },
    { name: 'pg_isready over TCP', command: '["pg_isready", "-h", "127.0.0.1", "-p", "5432"]', port: 5432 },
    { name: 'mysqladmin ping over TCP', command: '["mysqladmin", "ping", "-h", "127.0.0.1", "-P", "3306"]', port: 3306 },
  ];
  for (const db of databases) {
    test(`${db.name}: the filter fix passes the probe through, and the app's non-HTTP traffic with it`, () => {
      const manifest = appWith(exec(db.command), `[{containerPort: ${db.port}, name: db}]`);
      const { fixed } = applyPreferredFix(jsonConfig('"steal"'), manifest);
      assert.equal(appTrafficVerdict(fixed, db.port, { wire: 'tcp' }), 'safe', 'non-HTTP traffic is no longer stolen on a filtered port');
      assert.equal(appTrafficVerdict(jsonConfig('"steal"'), db.port, { wire: 'tcp' }), 'stolen', 'it was before the fix');
    });
  }
});

describe('the preferred fix, applied and re-analysed, for each pod shape', () => {
  test('several containers: the app probe and the exporter sidecar (httpGet and exec wget) are all protected', () => {
    const manifest = deployment(`        - name: app
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
    const { fixed } = applyPreferredFix(jsonConfig('"steal"'), manifest);
    assert.equal(appTrafficVerdict(fixed, 8080), 'stolen', fixed);
    // Targeting the exporter: its own probes are the stolen ones; the app's become conditional.
    const toExporter = jsonConfig('"steal"', '', '{"path": "deployment/api/container/exporter", "namespace": "shop"}');
    const exporterFix = applyPreferredFix(toExporter, manifest);
    assert.equal(appTrafficVerdict(exporterFix.fixed, 9187), 'stolen', exporterFix.fixed);
  });

  test('a native sidecar whose port is outside http_filter.ports: the fix lists the port, the user filter keeps stealing', () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata: {name: ledger, namespace: shop}
spec:
  initContainers:
    - name: envoy
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
      ports: [{containerPort: 15021, name: status-port}]
      readinessProbe:
        httpGet: {path: /healthz/ready, port: status-port}
  containers:
    - name: ledger
      image: ghcr.io/example/ledger:3.1.0
      ports: [{containerPort: 8080, name: http}]
      livenessProbe:
        exec:
          command: ["sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8080/ready"]
`;
    const config = jsonConfig(
      '{"mode": "steal", "http_filter": {"header_filter": "^x-debug-user: alice$", "ports": [8080]}}',
      '',
      '{"path": "pod/ledger/container/ledger", "namespace": "shop"}',
    );
    const { fixed, title } = applyPreferredFix(config, manifest);
    assert.match(fixed, /"ports": \[8080, 15021\]/);
    assert.equal(title, 'Add 15021 to http_filter.ports', 'the title says what the fix does: it adds a port, not a kube-probe filter');
    assert.equal(appTrafficVerdict(fixed, 8080, { headers: [...BROWSER, { name: 'x-debug-user', value: 'alice' }] }), 'stolen');
  });

  test('a native sidecar probing the app port by exec: protected by the path exclusion', () => {
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
    const { fixed } = applyPreferredFix(jsonConfig('"steal"'), manifest);
    assert.equal(appTrafficVerdict(fixed, 8080), 'stolen', fixed);
  });

  test('an Istio-injected pod: the recipe protects the original probe pilot-agent re-sends, and istio-proxy 15021', () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata: {name: reviews-v1-5d8f6c9b7-abcde, namespace: shop}
spec:
  containers:
    - name: reviews
      image: ghcr.io/example/reviews:2.0.0
      ports: [{containerPort: 9080, name: http}]
      livenessProbe:
        httpGet: {path: /app-health/reviews/livez, port: 15020}
      readinessProbe:
        httpGet: {path: /app-health/reviews/readyz, port: 15020}
    - name: istio-proxy
      image: docker.io/istio/proxyv2:1.23.0
      ports: [{containerPort: 15021, name: status-port}]
      env:
        - name: ISTIO_KUBE_APP_PROBERS
          value: '{"/app-health/reviews/livez":{"httpGet":{"path":"/health","port":9080}},"/app-health/reviews/readyz":{"httpGet":{"path":"/ready","port":9080}}}'
      readinessProbe:
        httpGet: {path: /healthz/ready, port: 15021}
`;
    const config = jsonConfig('"steal"', '', '{"path": "pod/reviews-v1-5d8f6c9b7-abcde", "namespace": "shop"}');
    const { fixed, title } = applyPreferredFix(config, manifest);
    assert.equal(title, 'Add kube-probe filter');
    assert.match(fixed, /"header_filter": "\^User-Agent: \(\?!kube-probe\)"/);
    assert.equal(appTrafficVerdict(fixed, 9080), 'stolen');
  });

  test('HTTPS probes with TLS stealing set up: the filter judges the decrypted probe, the recipe protects it', () => {
    const manifest = appWith(`            httpGet: {path: /livez, port: 8443, scheme: HTTPS}\n`, '[{containerPort: 8443, name: https}]');
    const config = jsonConfig('{"mode": "steal", "https_delivery": {"protocol": "tls"}}');
    const { fixed } = applyPreferredFix(config, manifest);
    assert.equal(appTrafficVerdict(fixed, 8443, { tls: true }), 'stolen', fixed);
  });

  test('HTTPS probes without TLS stealing: the filter fix passes TLS through, the probe and the app traffic alike', () => {
    const manifest = appWith(`            httpGet: {path: /livez, port: 8443, scheme: HTTPS}\n`, '[{containerPort: 8443, name: https}]');
    const { fixed } = applyPreferredFix(jsonConfig('"steal"'), manifest);
    assert.equal(appTrafficVerdict(fixed, 8443, { tls: true }), 'safe', 'TLS is not stolen on a filtered port without https_delivery');
    assert.equal(appTrafficVerdict(fixed, 8443), 'stolen', 'plain HTTP on that port still is');
  });

  test('a probe-only port (the app serves 8080, the probes 8081): the filter fix and ignore_ports both re-analyse clean', () => {
    const manifest = appWith(`            httpGet: {path: /healthz, port: 8081}\n`, '[{containerPort: 8080, name: http}, {containerPort: 8081, name: health}]');
    const { analysis, parsed } = analyse(jsonConfig('"steal"'), 'json', manifest);
    const fixes = analysis.findings.find((f) => f.code === 'liveness-probe-stolen')!.fixes;
    const ignore = fixes.find((f) => /ignore_ports/.test(f.title));
    assert.ok(ignore, fixes.map((f) => f.title).join(' / '));
    const fixed = applyTextEdits(parsed.text, ignore.edits);
    const again = analyse(fixed, 'json', manifest).analysis;
    assert.deepEqual(
      again.probes.map((p) => p.verdict),
      ['safe'],
    );
    assert.equal(appTrafficVerdict(fixed, 8080), 'stolen', 'ignore_ports keeps stealing everything on the app port, unfiltered');
    assert.equal(appTrafficVerdict(applyPreferredFix(jsonConfig('"steal"'), manifest).fixed, 8080), 'stolen');
  });
});
