/**
 * A small Kubernetes API server for tests and the demo: real REST paths, real-shaped objects and
 * `Status` errors, bearer-token and client-certificate users, per-user RBAC denials, and fault
 * switches (status codes, a hanging route, a dropped connection, a closed listener).
 * No real kube-apiserver can be installed here, so this is what the cluster layer is tested against.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { KubeObject } from '../../src/core/types';
import { type CertPair, testCertificates } from './testCertificates';

export type KubeFault = { status: 401 | 403 | 404 | 500 | 503; message?: string; reason?: string } | 'hang' | 'drop' | 'unavailable';

export interface FaultOptions {
  /** Only requests whose path matches get the fault; others are served normally. */
  path?: RegExp;
}

export interface ForbiddenRule {
  user: string;
  verb: 'get' | 'list';
  /** Plural resource name, e.g. `pods`. */
  resource: string;
  /** Any namespace when absent. */
  namespace?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The authenticated user name; undefined when authentication failed. */
  user?: string;
}

export interface StartKubeApiServerOptions {
  /** HTTPS with a test CA (default), or plain HTTP. */
  tls?: boolean;
  objects?: KubeObject[];
  forbidden?: ForbiddenRule[];
  /** Fixed port (the demo); a random free port when absent. */
  port?: number;
}

export interface FakeKubeApi {
  url: string;
  /** PEM of the CA that signed the server certificate (empty in plain-HTTP mode). */
  caPem: string;
  caFile: string;
  /** User name -> bearer token. */
  tokens: Record<string, string>;
  /** A user with a bearer token. */
  tokenUser: { name: string; token: string };
  /** A user authenticated by a client certificate signed by the server's CA. */
  certUser: { name: string } & CertPair;
  requests: LoggedRequest[];
  /** Emits `request` (LoggedRequest) and `hang-closed` (a hung request's connection went away). */
  events: EventEmitter;
  /** Requests currently held open by the `hang` fault. */
  readonly hangingCount: number;
  addObjects(objects: KubeObject[]): void;
  clear(): void;
  addTokenUser(name: string, token?: string): string;
  setForbidden(rules: ForbiddenRule[]): void;
  setFault(fault: KubeFault | undefined, options?: FaultOptions): Promise<void>;
  /** Undoes `unavailable`: listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

// Resource table: plural -> kind, per API group ('' = core).
const KINDS: Record<string, string> = {
  pods: 'Pod',
  services: 'Service',
  events: 'Event',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  replicasets: 'ReplicaSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  rollouts: 'Rollout',
  configmaps: 'ConfigMap',
};

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? 'v1';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

function pluralOf(kind: string | undefined): string {
  return `${(kind ?? '').toLowerCase()}s`;
}

function storeKey(group: string, plural: string, namespace: string): string {
  return `${group}|${plural}|${namespace}`;
}

/** Equality-based label selector (`a=b,c==d,e!=f,g`), as the API server evaluates it. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string): boolean {
  const l = labels ?? {};
  for (const raw of selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const neq = raw.indexOf('!=');
    if (neq >= 0) {
      if (l[raw.slice(0, neq).trim()] === raw.slice(neq + 2).trim()) return false;
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0) {
      if (!(raw in l)) return false;
      continue;
    }
    const value = raw.slice(raw[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
    if (l[raw.slice(0, eq).trim()] !== value) return false;
  }
  return true;
}

function fieldValue(obj: any, dotted: string): unknown {
  return dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Field selector with equality terms (`involvedObject.name=x,involvedObject.kind=Pod`). */
export function matchesFieldSelector(obj: KubeObject, selector: string): boolean {
  for (const raw of selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const neq = raw.indexOf('!=');
    if (neq >= 0) {
      if (String(fieldValue(obj, raw.slice(0, neq))) === raw.slice(neq + 2)) return false;
      continue;
    }
    const eq = raw.indexOf('=');
    const value = raw.slice(raw[eq + 1] === '=' ? eq + 2 : eq + 1);
    if (String(fieldValue(obj, raw.slice(0, eq)) ?? '') !== value) return false;
  }
  return true;
}

function status(code: number, reason: string, message: string, details?: object): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 500: 'InternalError', 503: 'ServiceUnavailable' };

interface Route {
  group: string;
  version: string;
  namespace: string;
  plural: string;
  name?: string;
}

function parseRoute(pathname: string): Route | undefined {
  const core = /^\/api\/(v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (core) return { group: '', version: core[1], namespace: decodeURIComponent(core[2]), plural: core[3], name: core[4] && decodeURIComponent(core[4]) };
  const named = /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (named)
    return { group: named[1], version: named[2], namespace: decodeURIComponent(named[3]), plural: named[4], name: named[5] && decodeURIComponent(named[5]) };
  return undefined;
}

export async function startKubeApiServer(options: StartKubeApiServerOptions = {}): Promise<FakeKubeApi> {
  const tls = options.tls ?? true;
  const certs = tls ? testCertificates() : undefined;
  const store = new Map<string, Map<string, KubeObject>>();
  const tokens: Record<string, string> = {};
  const byToken = new Map<string, string>();
  const certUserName = 'bob';
  let forbidden: ForbiddenRule[] = options.forbidden ?? [];
  let fault: KubeFault | undefined;
  let faultPath: RegExp | undefined;
  const hanging = new Set<http.ServerResponse>();
  const requests: LoggedRequest[] = [];
  const events = new EventEmitter();
  let resourceVersion = 1000;

  function addTokenUser(name: string, token = `tok-${name}-${randomBytes(12).toString('hex')}`): string {
    tokens[name] = token;
    byToken.set(token, name);
    return token;
  }
  const aliceToken = addTokenUser('alice');

  function addObjects(objects: KubeObject[]): void {
    for (const input of objects) {
      const obj: KubeObject = JSON.parse(JSON.stringify(input));
      obj.metadata = obj.metadata ?? {};
      obj.metadata.namespace = obj.metadata.namespace ?? 'default';
      obj.metadata.uid = obj.metadata.uid ?? randomBytes(8).toString('hex');
      obj.metadata.resourceVersion = String(++resourceVersion);
      obj.metadata.creationTimestamp = obj.metadata.creationTimestamp ?? '2026-01-01T00:00:00Z';
      const key = storeKey(groupOf(obj.apiVersion), pluralOf(obj.kind), obj.metadata.namespace);
      if (!store.has(key)) store.set(key, new Map());
      store.get(key)!.set(obj.metadata.name, obj);
    }
  }
  addObjects(options.objects ?? []);

  function authenticate(req: http.IncomingMessage): string | undefined {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer (.+)$/.exec(header);
      return m ? byToken.get(m[1]) : undefined;
    }
    const socket = req.socket as TLSSocket;
    if (tls && socket.authorized) {
      const cn = socket.getPeerCertificate()?.subject?.CN;
      return cn === certUserName ? cn : undefined;
    }
    return undefined;
  }

  function send(res: http.ServerResponse, code: number, body: object): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const user = authenticate(req);
    const logged: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), user };
    requests.push(logged);
    events.emit('request', logged);

    const faulted = fault !== undefined && (!faultPath || faultPath.test(url.pathname));
    if (faulted && fault === 'hang') {
      hanging.add(res);
      res.on('close', () => {
        hanging.delete(res);
        events.emit('hang-closed');
      });
      return;
    }
    if (faulted && fault === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 10000 });
      res.write('{"kind":"Pod","metadata":{"na', () => res.socket?.destroy());
      return;
    }
    if (!user) {
      send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (faulted && typeof fault === 'object') {
      send(res, fault.status, status(fault.status, fault.reason ?? REASONS[fault.status], fault.message ?? `injected ${fault.status}`));
      return;
    }
    const route = parseRoute(url.pathname);
    if (!route || req.method !== 'GET' || !KINDS[route.plural]) {
      send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const verb = route.name ? 'get' : 'list';
    const denied = forbidden.find(
      (r) => r.user === user && r.verb === verb && r.resource === route.plural && (!r.namespace || r.namespace === route.namespace),
    );
    if (denied) {
      const group = route.group ? `"${route.group}"` : '""';
      const what = route.name ? `${route.plural} "${route.name}"` : route.plural;
      send(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${what} is forbidden: User "${user}" cannot ${verb} resource "${route.plural}" in API group ${group} in the namespace "${route.namespace}"`,
          { name: route.name, group: route.group, kind: route.plural },
        ),
      );
      return;
    }
    const bucket = store.get(storeKey(route.group, route.plural, route.namespace)) ?? new Map<string, KubeObject>();
    if (route.name) {
      const obj = bucket.get(route.name);
      if (!obj) {
        send(
          res,
          404,
          status(404, 'NotFound', `${route.plural}${route.group ? '.' + route.group : ''} "${route.name}" not found`, {
            name: route.name,
            group: route.group,
            kind: route.plural,
          }),
        );
        return;
      }
      send(res, 200, obj);
      return;
    }
    const labelSelector = url.searchParams.get('labelSelector');
    const fieldSelector = url.searchParams.get('fieldSelector');
    let items = [...bucket.values()];
    if (labelSelector) items = items.filter((o) => matchesLabelSelector(o.metadata?.labels, labelSelector));
    if (fieldSelector) items = items.filter((o) => matchesFieldSelector(o, fieldSelector));
    const limit = Number(url.searchParams.get('limit') ?? 0);
    if (limit > 0) items = items.slice(0, limit);
    send(res, 200, {
      kind: `${KINDS[route.plural]}List`,
      apiVersion: route.group ? `${route.group}/${route.version}` : route.version,
      metadata: { resourceVersion: String(resourceVersion) },
      // Like the real server: list items carry neither kind nor apiVersion.
      items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
    });
  }

  const server: http.Server = certs
    ? https.createServer({ key: certs.server.keyPem, cert: certs.server.certPem, ca: certs.ca.certPem, requestCert: true, rejectUnauthorized: false }, handle)
    : http.createServer(handle);

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const certUser = certs
    ? { name: certUserName, ...certs.issueClient(certUserName) }
    : { name: certUserName, certPem: '', keyPem: '', certFile: '', keyFile: '' };
  let listening = true;

  async function stopListening(): Promise<void> {
    if (!listening) return;
    listening = false;
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  }

  async function restore(): Promise<void> {
    if (fault === 'unavailable') fault = undefined;
    if (listening) return;
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    listening = true;
  }

  return {
    url,
    caPem: certs?.ca.certPem ?? '',
    caFile: certs?.ca.certFile ?? '',
    tokens,
    tokenUser: { name: 'alice', token: aliceToken },
    certUser,
    requests,
    events,
    get hangingCount() {
      return hanging.size;
    },
    addObjects,
    clear() {
      store.clear();
    },
    addTokenUser,
    setForbidden(rules) {
      forbidden = rules;
    },
    async setFault(next, faultOptions) {
      fault = next;
      faultPath = faultOptions?.path;
      if (next === 'unavailable') await stopListening();
      else if (next === undefined && !listening) await restore();
    },
    restore,
    async close() {
      fault = undefined;
      await stopListening();
    },
  };
}
