// A kubeconfig cluster's `proxy-url`: the lookup goes through an HTTP CONNECT proxy (the fake API
// server is behind it, over HTTPS), and a proxy that refuses gives a typed `unreachable` failure
// that names the proxy, never the proxy's credentials.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { LookupRequest } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tempDir, tokenUser, writeKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

const apiDeployment: LookupRequest = { ref: { kind: 'deployment', name: 'api' }, namespace: NS };

/** A host name that does not resolve: only a proxy that maps it can reach the server. */
const UNRESOLVABLE_HOST = 'kube-api.probe-guard.invalid';

interface ConnectProxy {
  url: string;
  port: number;
  /** Every CONNECT request target (`host:port`), in order. */
  connects: string[];
  /** Proxy-Authorization headers seen. */
  authorizations: (string | undefined)[];
  /** Tunnels established (200 sent and piped to the upstream). */
  tunnels: number;
  /** Tunnels whose client side is still open. */
  readonly openTunnels: number;
  /** Resolves when no tunnel is open any more. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A small HTTP CONNECT proxy on 127.0.0.1. `respond` set: every CONNECT gets that status and no
 * tunnel. `hosts` maps a CONNECT host name to the address actually dialled.
 */
async function startConnectProxy(options: { respond?: number; hosts?: Record<string, string> } = {}): Promise<ConnectProxy> {
  const sockets = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  const idleWaiters: (() => void)[] = [];
  const checkIdle = (): void => {
    if (open.size === 0) for (const wake of idleWaiters.splice(0)) wake();
  };
  const server = http.createServer((_req, res) => {
    res.statusCode = 405;
    res.end('CONNECT only\n');
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const proxy: ConnectProxy = {
    url: '',
    port: 0,
    connects: [],
    authorizations: [],
    tunnels: 0,
    get openTunnels() {
      return open.size;
    },
    idle() {
      return open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxy.connects.push(String(req.url));
    proxy.authorizations.push(req.headers['proxy-authorization']);
    if (options.respond !== undefined) {
      client.end(`HTTP/1.1 ${options.respond} ${http.STATUS_CODES[options.respond] ?? 'No'}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const target = /^(.*):(\d+)$/.exec(String(req.url));
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const host = target[1].replace(/^\[|\]$/g, '');
    const upstream = net.connect(Number(target[2]), options.hosts?.[host] ?? host, () => {
      proxy.tunnels += 1;
      open.add(client);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const closeBoth = (): void => {
      upstream.destroy();
      client.destroy();
      if (open.delete(client)) checkIdle();
    };
    upstream.on('error', () => {
      if (!client.destroyed && !open.has(client)) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      closeBoth();
    });
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    client.on('close', closeBoth);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.port = (server.address() as AddressInfo).port;
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  return proxy;
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('kubeconfig proxy-url', () => {
  let api: FakeKubeApi;
  let apiPort: string;

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    apiPort = new URL(api.url).port;
  });
  after(async () => {
    await api.close();
  });

  function kubeconfigWith(cluster: Record<string, unknown>): { dir: string; kubeconfig: string } {
    const dir = tempDir();
    const kubeconfig = writeKubeconfig(dir, 'config', kubeconfigDoc([{ name: 'proxied', cluster, user: tokenUser(api) }]));
    return { dir, kubeconfig };
  }

  async function resolveWith(cluster: Record<string, unknown>) {
    const { dir, kubeconfig } = kubeconfigWith(cluster);
    const before = api.requests.length;
    const result = await createClusterResolver().resolve(apiDeployment, settingsFor(dir, { overrides: { kubeconfig }, timeoutMs: 5000 }));
    return { result, requests: api.requests.slice(before) };
  }

  it('an HTTPS API server behind an HTTP CONNECT proxy is reached through the proxy', async () => {
    const proxy = await startConnectProxy();
    try {
      const { result, requests } = await resolveWith({ ...clusterFor(api), 'proxy-url': proxy.url });
      assert.equal(result.ok, true, result.ok ? '' : result.failure.message);
      if (!result.ok) return;
      assert.equal(result.target.origin.source, 'cluster');
      assert.ok(
        requests.some((r) => r.path === `/apis/apps/v1/namespaces/${NS}/deployments/api` && r.user === 'alice'),
        JSON.stringify(requests),
      );
      assert.ok(proxy.tunnels >= 1, 'at least one tunnel was opened');
      assert.ok(proxy.connects.length >= 1);
      for (const target of proxy.connects) assert.equal(target, `127.0.0.1:${apiPort}`);
      // Every request the API server saw came through a tunnel (keep-alive may reuse one).
      assert.ok(requests.length >= proxy.tunnels, `${requests.length} requests, ${proxy.tunnels} tunnels`);
      await proxy.idle();
      assert.equal(proxy.openTunnels, 0, 'no tunnel is left open after the lookup');
    } finally {
      await proxy.close();
    }
  });

  it('only the proxy can reach the server: a host name that resolves nowhere but at the proxy works', async () => {
    const proxy = await startConnectProxy({ hosts: { [UNRESOLVABLE_HOST]: '127.0.0.1' } });
    try {
      const cluster = {
        server: `https://${UNRESOLVABLE_HOST}:${apiPort}`,
        'certificate-authority-data': Buffer.from(api.caPem).toString('base64'),
        // The test certificate names localhost and 127.0.0.1.
        'tls-server-name': 'localhost',
        'proxy-url': proxy.url,
      };
      const { result, requests } = await resolveWith(cluster);
      assert.equal(result.ok, true, result.ok ? '' : result.failure.message);
      assert.ok(requests.length >= 1);
      assert.ok(proxy.connects.length >= 1);
      for (const target of proxy.connects) assert.equal(target, `${UNRESOLVABLE_HOST}:${apiPort}`);

      // The same kubeconfig without the proxy cannot resolve the host: the proxy made the difference.
      const { ['proxy-url']: _dropped, ...direct } = cluster;
      const withoutProxy = await resolveWith(direct);
      assert.equal(withoutProxy.result.ok, false);
      if (!withoutProxy.result.ok) assert.equal(withoutProxy.result.failure.kind, 'unreachable');
      assert.equal(withoutProxy.requests.length, 0);
    } finally {
      await proxy.close();
    }
  });

  it('proxy credentials in proxy-url are sent as Proxy-Authorization and never shown', async () => {
    const proxy = await startConnectProxy({ respond: 407 });
    try {
      const proxyUrl = `http://probe:pr0xy-s3cret-pw@127.0.0.1:${proxy.port}`;
      const { result, requests } = await resolveWith({ ...clusterFor(api), 'proxy-url': proxyUrl });
      assert.equal(requests.length, 0);
      assert.deepEqual(proxy.authorizations.slice(0, 1), [`Basic ${Buffer.from('probe:pr0xy-s3cret-pw').toString('base64')}`]);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.failure.kind, 'unreachable');
      assert.match(result.failure.message, /proxy/i);
      assert.match(result.failure.message, /407/);
      assert.match(result.failure.message, /credentials|authenticat/i);
      assert.doesNotMatch(JSON.stringify(result), /pr0xy-s3cret-pw/);
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that refuses the tunnel (403): unreachable, naming the proxy and the status', async () => {
    const proxy = await startConnectProxy({ respond: 403 });
    try {
      const { result, requests } = await resolveWith({ ...clusterFor(api), 'proxy-url': proxy.url });
      assert.equal(requests.length, 0, 'nothing reached the API server');
      assert.ok(proxy.connects.length >= 1, 'the proxy was asked');
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.failure.kind, 'unreachable');
      assert.ok(result.failure.message.includes(proxy.url), result.failure.message);
      assert.match(result.failure.message, /403/);
      assert.match(result.failure.message, /proxy-url/);
      assert.doesNotMatch(result.failure.message, /Bad response|\bError\b/);
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that refuses connections: unreachable, blaming the proxy rather than the cluster', async () => {
    const port = await closedPort();
    const proxyUrl = `http://127.0.0.1:${port}`;
    const { result, requests } = await resolveWith({ ...clusterFor(api), 'proxy-url': proxyUrl });
    assert.equal(requests.length, 0);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.failure.kind, 'unreachable');
    assert.ok(result.failure.message.includes(proxyUrl), result.failure.message);
    assert.match(result.failure.message, /proxy/i);
    assert.match(result.failure.message, /connection refused/);
    assert.match(result.failure.message, /proxy-url/);
  });

  it('a plain-http API server behind the proxy is reached through a tunnel too', async () => {
    const plain = await startKubeApiServer({ tls: false, objects: shopObjects() });
    const proxy = await startConnectProxy();
    try {
      const dir = tempDir();
      const kubeconfig = writeKubeconfig(
        dir,
        'config',
        kubeconfigDoc([{ name: 'plain', cluster: { ...clusterFor(plain), 'proxy-url': proxy.url }, user: tokenUser(plain) }]),
      );
      const result = await createClusterResolver().resolve(apiDeployment, settingsFor(dir, { overrides: { kubeconfig } }));
      assert.equal(result.ok, true, result.ok ? '' : result.failure.message);
      assert.ok(plain.requests.length >= 1);
      assert.ok(proxy.tunnels >= 1);
      assert.deepEqual([...new Set(proxy.connects)], [`127.0.0.1:${new URL(plain.url).port}`]);
    } finally {
      await proxy.close();
      await plain.close();
    }
  });

  it('a proxy that cannot reach the API server (502): unreachable, saying the proxy could not reach it', async () => {
    const port = await closedPort();
    const proxy = await startConnectProxy();
    try {
      const server = `https://127.0.0.1:${port}`;
      const { result } = await resolveWith({ server, 'certificate-authority-data': Buffer.from(api.caPem).toString('base64'), 'proxy-url': proxy.url });
      assert.deepEqual(proxy.connects.slice(0, 1), [`127.0.0.1:${port}`]);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.failure.kind, 'unreachable');
      assert.match(result.failure.message, /could not reach/);
      assert.match(result.failure.message, /502/);
      assert.ok(result.failure.message.includes(server) && result.failure.message.includes(proxy.url), result.failure.message);
    } finally {
      await proxy.close();
    }
  });

  it('a proxy-url that is not a URL is a bad-kubeconfig failure that does not echo it', async () => {
    const { result, requests } = await resolveWith({ ...clusterFor(api), 'proxy-url': 'user:hunter2-secret@proxy:3128' });
    assert.equal(requests.length, 0);
    assert.equal(result.ok ? 'ok' : result.failure.kind, 'bad-kubeconfig');
    assert.doesNotMatch(JSON.stringify(result), /hunter2-secret/);
  });

  it('an unsupported proxy-url scheme is a bad-kubeconfig failure, before any request', async () => {
    const { result, requests } = await resolveWith({ ...clusterFor(api), 'proxy-url': 'ftp://127.0.0.1:21' });
    assert.equal(requests.length, 0);
    assert.equal(result.ok ? 'ok' : result.failure.kind, 'bad-kubeconfig');
    if (!result.ok) assert.match(result.failure.message, /proxy-url/);
  });
});
