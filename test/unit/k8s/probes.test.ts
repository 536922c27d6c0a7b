import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProbe, extractProbes, kubeletAgentVariants, kubeletMajorMinor } from '../../../src/core/k8s/probes';
import { breakpointWindow } from '../../../src/core/report/probeTiming';
import type { ProbeInfo } from '../../../src/core/types';

const BASE = ['spec', 'template', 'spec'];

function header(p: ProbeInfo, name: string): string[] {
  return (p.request?.headers ?? []).filter((h) => h.name === name).map((h) => h.value);
}

test('httpGet with defaults: GET /, default headers, Kubernetes timing defaults', () => {
  const [p] = extractProbes({ containers: [{ name: 'app', livenessProbe: { httpGet: { port: 8080 } } }] }, BASE);
  assert.equal(p.container, 'app');
  assert.equal(p.containerRole, 'container');
  assert.equal(p.probe, 'liveness');
  assert.equal(p.handler, 'httpGet');
  assert.equal(p.port, 8080);
  assert.equal(p.path, '/');
  assert.equal(p.scheme, 'HTTP');
  assert.deepEqual([p.periodSeconds, p.timeoutSeconds, p.failureThreshold], [10, 1, 3]);
  assert.deepEqual(breakpointWindow(p), { safeHoldSeconds: 21, latestSeconds: 31 }, '(3-1) × 10 + 1 to 3 × 10 + 1');
  assert.deepEqual(p.specPath, [...BASE, 'containers', 0, 'livenessProbe']);
  assert.equal(p.request?.method, 'GET');
  assert.equal(p.request?.path, '/');
  assert.deepEqual(header(p, 'user-agent'), ['kube-probe/1.30']);
  assert.deepEqual(header(p, 'accept'), ['*/*']);
  assert.deepEqual(header(p, 'host'), [], 'host is the pod IP unless httpHeaders sets it');
  assert.equal(p.request?.podIpHostPort, 8080, 'so the request carries host: <pod IP>:8080');
  assert.deepEqual(header(p, 'connection'), ['close'], 'the kubelet disables keep-alive');
});

test('explicit timing, HTTPS scheme, kubelet version', () => {
  const [p] = extractProbes(
    {
      containers: [
        { name: 'app', readinessProbe: { httpGet: { port: 8443, path: '/ready', scheme: 'HTTPS' }, periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 2 } },
      ],
    },
    ['spec'],
    { kubeletVersion: 'v1.29.4-eks-1552ad0' },
  );
  assert.equal(p.probe, 'readiness');
  assert.equal(p.scheme, 'HTTPS');
  assert.deepEqual([p.periodSeconds, p.timeoutSeconds, p.failureThreshold], [5, 2, 6]);
  assert.deepEqual(breakpointWindow(p), { safeHoldSeconds: 27, latestSeconds: 32 }, '(6-1) × 5 + 2 to 6 × 5 + 2');
  assert.deepEqual(header(p, 'user-agent'), ['kube-probe/1.29']);
  assert.equal(describeProbe(p), 'readiness httpGet :8443/ready (HTTPS)');
});

test('query in the path: path without it, pathAndQuery with it; fragment dropped; leading slash added', () => {
  const [p] = extractProbes({ containers: [{ name: 'a', livenessProbe: { httpGet: { port: 80, path: '/health?full=1&x=y#frag' } } }] }, []);
  assert.equal(p.request?.path, '/health');
  assert.equal(p.request?.pathAndQuery, '/health?full=1&x=y');
  assert.equal(p.path, '/health?full=1&x=y');
  const [q] = extractProbes({ containers: [{ name: 'a', livenessProbe: { httpGet: { port: 80, path: 'healthz' } } }] }, []);
  assert.equal(q.request?.path, '/healthz');
  assert.equal(q.request?.pathAndQuery, '/healthz');
});

test('httpHeaders: cookie and Host appended/set, names lowercased, duplicates kept', () => {
  const [p] = extractProbes(
    {
      containers: [
        {
          name: 'a',
          livenessProbe: {
            httpGet: {
              port: 80,
              path: '/healthz',
              httpHeaders: [
                { name: 'Cookie', value: 'session=probe; theme=dark' },
                { name: 'Host', value: 'api.internal' },
                { name: 'X-Probe', value: 'one' },
                { name: 'X-Probe', value: 'two' },
              ],
            },
          },
        },
      ],
    },
    [],
  );
  assert.deepEqual(header(p, 'cookie'), ['session=probe; theme=dark']);
  assert.deepEqual(header(p, 'host'), ['api.internal']);
  assert.deepEqual(header(p, 'x-probe'), ['one', 'two']);
  assert.deepEqual(header(p, 'user-agent'), ['kube-probe/1.30']);
  assert.deepEqual(header(p, 'accept'), ['*/*']);
  assert.ok(p.request!.headers.every((h) => h.name === h.name.toLowerCase()));
});

test('a custom User-Agent replaces the default; an empty one removes it', () => {
  const probe = (headers: { name: string; value: string }[]) =>
    extractProbes({ containers: [{ name: 'a', livenessProbe: { httpGet: { port: 80, httpHeaders: headers } } }] }, [])[0];
  const custom = probe([{ name: 'User-Agent', value: 'health-checker/2.0' }]);
  assert.deepEqual(header(custom, 'user-agent'), ['health-checker/2.0']);
  const empty = probe([{ name: 'user-agent', value: '' }]);
  assert.deepEqual(header(empty, 'user-agent'), []);
  assert.deepEqual(header(empty, 'accept'), ['*/*']);
  const twice = probe([
    { name: 'User-Agent', value: 'first' },
    { name: 'User-Agent', value: 'second' },
  ]);
  assert.deepEqual(header(twice, 'user-agent'), ['first'], 'Go sends only the first User-Agent');
  const accept = probe([{ name: 'Accept', value: 'application/json' }]);
  assert.deepEqual(header(accept, 'accept'), ['application/json']);
  const noAccept = probe([{ name: 'ACCEPT', value: '' }]);
  assert.deepEqual(header(noAccept, 'accept'), []);
  assert.deepEqual(header(noAccept, 'user-agent'), ['kube-probe/1.30']);
});

test('named ports resolve through the same container only', () => {
  const spec = {
    containers: [
      { name: 'app', ports: [{ name: 'http', containerPort: 8080 }], livenessProbe: { httpGet: { port: 'http', path: '/healthz' } } },
      { name: 'proxy', ports: [{ name: 'admin', containerPort: 9901 }], readinessProbe: { httpGet: { port: 'http' } } },
      { name: 'num', readinessProbe: { tcpSocket: { port: '5432' } } },
    ],
  };
  const [app, proxy, num] = extractProbes(spec, ['spec']);
  assert.equal(app.port, 8080);
  assert.equal(app.portName, 'http');
  assert.equal(app.portProblem, undefined);
  assert.equal(describeProbe(app), 'liveness httpGet :8080/healthz');
  assert.equal(proxy.port, undefined, "another container's port name does not count");
  assert.equal(proxy.portName, 'http');
  assert.match(proxy.portProblem ?? '', /"http".*"proxy".*admin=9901/);
  assert.equal(describeProbe(proxy), 'readiness httpGet :http (unresolved)/');
  assert.equal(num.port, 5432, 'a number written as a string still works, as in the kubelet');
  assert.equal(num.portProblem, undefined);
});

test('out-of-range and missing ports are problems', () => {
  const [big, none] = extractProbes(
    { containers: [{ name: 'a', livenessProbe: { tcpSocket: { port: 70000 } }, readinessProbe: { httpGet: { path: '/' } } }] },
    [],
  );
  assert.equal(big.port, undefined);
  assert.match(big.portProblem ?? '', /70000/);
  assert.equal(none.port, undefined);
  assert.ok(none.portProblem);
});

test('grpc: POST to the Health Check method, numeric port only, service not in the path', () => {
  const [g, named] = extractProbes(
    {
      containers: [
        {
          name: 'inv',
          ports: [{ name: 'grpc', containerPort: 9090 }],
          livenessProbe: { grpc: { port: 9090, service: 'inventory.v1.Stock' } },
          readinessProbe: { grpc: { port: 'grpc' } },
        },
      ],
    },
    [],
    { kubeletVersion: '1.31' },
  );
  assert.equal(g.handler, 'grpc');
  assert.equal(g.port, 9090);
  assert.deepEqual(g.request, {
    method: 'POST',
    path: '/grpc.health.v1.Health/Check',
    pathAndQuery: '/grpc.health.v1.Health/Check',
    headers: [
      { name: 'content-type', value: 'application/grpc' },
      { name: 'user-agent', value: 'kube-probe/1.31 grpc-go/1.65.0' },
      { name: 'te', value: 'trailers' },
    ],
  });
  assert.equal(describeProbe(g), 'liveness grpc :9090');
  assert.equal(named.port, undefined);
  assert.match(named.portProblem ?? '', /number/);
});

test('tcpSocket and exec', () => {
  const probes = extractProbes(
    {
      containers: [
        {
          name: 'db',
          livenessProbe: { exec: { command: ['pg_isready'] } },
          readinessProbe: { tcpSocket: { port: 5432 } },
          startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
        },
      ],
    },
    [],
  );
  assert.deepEqual(
    probes.map((p) => `${p.probe}:${p.handler}`),
    ['liveness:exec', 'readiness:tcpSocket', 'startup:exec'],
  );
  assert.equal(probes[0].request, undefined);
  assert.equal(probes[0].port, undefined);
  assert.equal(probes[1].port, 5432);
  assert.equal(probes[1].request, undefined);
  assert.equal(describeProbe(probes[0]), 'liveness exec `pg_isready`');
  assert.deepEqual(probes[0].command, ['pg_isready']);
  assert.equal(probes[0].exec?.connections.length, 0, 'pg_isready without -h uses the Unix socket');
  assert.equal(describeProbe(probes[1]), 'readiness tcpSocket :5432');
  assert.deepEqual(breakpointWindow(probes[2]), { safeHoldSeconds: 291, latestSeconds: 301 });
});

test('native sidecars count; ordinary init containers do not', () => {
  const spec = {
    initContainers: [
      { name: 'migrate', livenessProbe: { httpGet: { port: 1 } } },
      {
        name: 'envoy',
        restartPolicy: 'Always',
        ports: [{ name: 'status-port', containerPort: 15021 }],
        readinessProbe: { httpGet: { port: 'status-port', path: '/healthz/ready' } },
      },
    ],
    containers: [{ name: 'ledger', livenessProbe: { httpGet: { port: 8080 } } }],
  };
  const probes = extractProbes(spec, ['spec']);
  assert.deepEqual(
    probes.map((p) => `${p.containerRole}/${p.container}`),
    ['container/ledger', 'sidecar/envoy'],
  );
  assert.equal(probes[1].port, 15021);
  assert.deepEqual(probes[1].specPath, ['spec', 'initContainers', 1, 'readinessProbe']);
});

test('bad input never throws and yields nothing or defaults', () => {
  for (const bad of [undefined, null, 42, 'x', [], { containers: 'no' }, { containers: [null, 1, { name: 'a', livenessProbe: {} }] }]) {
    assert.deepEqual(extractProbes(bad, []), []);
  }
  const [p] = extractProbes(
    { containers: [{ name: 'a', livenessProbe: { httpGet: { port: 80, httpHeaders: 'nope' }, periodSeconds: -1, timeoutSeconds: 'x' } }] },
    null as any,
  );
  assert.equal(p.periodSeconds, 10);
  assert.equal(p.timeoutSeconds, 1);
  assert.deepEqual(p.specPath, ['containers', 0, 'livenessProbe']);
});

test('kubeletMajorMinor keeps vendor "+" minors and defaults otherwise', () => {
  assert.equal(kubeletMajorMinor('1.27+'), '1.27+');
  assert.equal(kubeletMajorMinor('v1.31.2'), '1.31');
  assert.equal(kubeletMajorMinor('garbage'), '1.30');
  assert.equal(kubeletMajorMinor(undefined), '1.30');
});

test('httpGet.host names the Host (with the port) and no pod-IP host is assumed', () => {
  const [p] = extractProbes({ containers: [{ name: 'a', livenessProbe: { httpGet: { host: 'fd00::5', port: 9000 } } }] }, []);
  assert.deepEqual(header(p, 'host'), ['[fd00::5]:9000']);
  assert.equal(p.request?.podIpHostPort, undefined);
});

test("the kubelet's User-Agent is also tried at other versions; a User-Agent from httpHeaders is not", () => {
  const [plain, custom, grpc] = extractProbes(
    {
      containers: [
        {
          name: 'a',
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { httpGet: { port: 80, httpHeaders: [{ name: 'User-Agent', value: 'kube-probe/1.30' }] } },
          startupProbe: { grpc: { port: 90 } },
        },
      ],
    },
    [],
  );
  const agents = (p: typeof plain) => kubeletAgentVariants(p.request!).map((r) => r.headers.find((h) => h.name === 'user-agent')?.value);
  assert.deepEqual(agents(plain), ['kube-probe/1.30', 'kube-probe/1.21', 'kube-probe/1.27+', 'kube-probe/1.34']);
  assert.deepEqual(agents(custom), ['kube-probe/1.30']);
  assert.equal(agents(grpc)[0], 'kube-probe/1.30 grpc-go/1.65.0');
  assert.ok(agents(grpc).includes('kube-probe/1.27+ grpc-go/1.58.3'));
  assert.ok(agents(grpc).every((a) => /^kube-probe\/1\.\d+\+? grpc-go\/1\.\d+\.\d+$/.test(a ?? '')));
  const [known] = extractProbes({ containers: [{ name: 'a', livenessProbe: { httpGet: { port: 80 } } }] }, [], { kubeletVersion: '1.31' });
  assert.deepEqual(agents(known), ['kube-probe/1.31'], 'a kubelet version the caller knows is the only one');
});
