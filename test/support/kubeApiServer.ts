/**
 * A small Kubernetes API server for tests and the demo: real REST paths, real-shaped objects and
 * `Status` errors, bearer-token and client-certificate users, per-user RBAC denials, and fault
 * switches (status codes, a hanging route, a dropped connection, a closed listener).
 * No real kube-apiserver can be installed here, so this is what the cluster layer is tested against;
 * it also answers Debian's kubectl: discovery (aggregated v2 and the per-group documents), get and
 * list with label and field selectors, server-side Tables (./kubeResources).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { KubeObject } from '../../src/core/types';
import {
  acceptsForm,
  aggregatedDiscovery,
  AGGREGATED_DISCOVERY_TYPE,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findType,
  RESOURCE_TYPES,
  type ResourceType,
  table,
  TABLE_TYPE,
  typeOfObject,
} from './kubeResources';
import { matchesRequirements, parseLabelSelector } from './labelSelector';
import { type CertPair, testCertificates } from './testCertificates';

export { matchesLabelSelector } from './labelSelector';

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
  /** Only the LIST across all namespaces (`/api/v1/pods`): a user whose roles are namespaced. */
  clusterScope?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The authenticated user name; undefined when authentication failed. */
  user?: string;
  /** The Accept header (kubectl asks for aggregated discovery and server-side Tables there). */
  accept?: string;
}

export interface StartKubeApiServerOptions {
  /** HTTPS with a test CA (default), or plain HTTP. */
  tls?: boolean;
  objects?: KubeObject[];
  forbidden?: ForbiddenRule[];
  /** Fixed port (the demo); a random free port when absent. */
  port?: number;
  /** API groups the server does not serve (e.g. `argoproj.io`: a cluster without the Rollout CRD). */
  withoutGroups?: string[]; /** Aggregated discovery (apidiscovery.k8s.io/v2) when asked for, as kube-apiserver 1.30+ does. Default true. */
  aggregatedDiscovery?: boolean;
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

function storeKey(group: string, plural: string, namespace: string): string {
  return `${group}|${plural}|${namespace}`;
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

/** What kube-apiserver answers for a path it does not serve. */
const NOT_SERVED = status(404, 'NotFound', 'the server could not find the requested resource', {});

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
  // A LIST across all namespaces (namespace ''), e.g. `/api/v1/pods?fieldSelector=metadata.name=x`.
  const coreAll = /^\/api\/(v1)\/([^/]+)\/?$/.exec(pathname);
  if (coreAll) return { group: '', version: coreAll[1], namespace: '', plural: coreAll[2] };
  const namedAll = /^\/apis\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (namedAll) return { group: namedAll[1], version: namedAll[2], namespace: '', plural: namedAll[3] };
  return undefined;
}

export async function startKubeApiServer(options: StartKubeApiServerOptions = {}): Promise<FakeKubeApi> {
  const tls = options.tls ?? true;
  const certs = tls ? testCertificates() : undefined;
  const types: ResourceType[] = RESOURCE_TYPES.filter((t) => !(options.withoutGroups ?? []).includes(t.group));
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
      const type = typeOfObject(RESOURCE_TYPES, obj);
      // Kinds the server has no type for are kept (under a made-up plural) but never served.
      const key = type ? storeKey(type.group, type.plural, obj.metadata.namespace) : storeKey('?', String(obj.kind), obj.metadata.namespace);
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

  function send(res: http.ServerResponse, code: number, body: object, contentType = 'application/json'): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Answers a discovery path (true), or leaves the request alone (false). */
  function discovery(pathname: string, accept: string | undefined, res: http.ServerResponse): boolean {
    const path = pathname.replace(/\/+$/, '');
    if (path === '/version') {
      send(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-probe-guard-test', platform: 'linux/amd64' });
      return true;
    }
    if (path === '/api' || path === '/apis') {
      if (options.aggregatedDiscovery !== false && acceptsForm(accept, 'APIGroupDiscoveryList', 'apidiscovery.k8s.io', 'v2'))
        send(res, 200, aggregatedDiscovery(types, path === '/api' ? 'api' : 'apis'), AGGREGATED_DISCOVERY_TYPE);
      else send(res, 200, path === '/api' ? apiVersions(`127.0.0.1:${port}`) : apiGroupList(types));
      return true;
    }
    const core = /^\/api\/([^/]+)$/.exec(path);
    const group = /^\/apis\/([^/]+)$/.exec(path);
    const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    const doc = core
      ? apiResourceList(types, '', core[1])
      : group
        ? apiGroupDocument(types, group[1])
        : groupVersion
          ? apiResourceList(types, groupVersion[1], groupVersion[2])
          : null;
    if (doc === null) return false;
    send(res, doc ? 200 : 404, doc ?? NOT_SERVED);
    return true;
  }

  /** The namespaces that hold an object, plus `default` and `kube-system`, as Namespace objects. */
  function namespaceObjects(): KubeObject[] {
    const names = new Set(['default', 'kube-system']);
    for (const bucket of store.values()) for (const obj of bucket.values()) names.add(String(obj.metadata.namespace));
    return [...names].sort().map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: `ns-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }));
  }

  function serveNamespaces(res: http.ServerResponse, accept: string | undefined, user: string, name: string | undefined): void {
    const type = findType(types, '', 'v1', 'namespaces')!;
    const verb = name ? 'get' : 'list';
    if (forbidden.some((r) => r.user === user && r.verb === verb && r.resource === 'namespaces')) {
      const what = name ? `namespaces "${name}"` : 'namespaces';
      send(
        res,
        403,
        status(403, 'Forbidden', `${what} is forbidden: User "${user}" cannot ${verb} resource "namespaces" in API group "" at the cluster scope`, {
          name,
          kind: 'namespaces',
        }),
      );
      return;
    }
    const all = namespaceObjects();
    if (!name) {
      const list = {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(resourceVersion) },
        items: all.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
      };
      sendObjects(res, accept, type, list, all);
      return;
    }
    const found = all.find((n) => n.metadata.name === name);
    if (found) sendObjects(res, accept, type, found);
    else send(res, 404, status(404, 'NotFound', `namespaces "${name}" not found`, { name, kind: 'namespaces' }));
  }

  /** A Table when kubectl asks for server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). */
  function sendObjects(res: http.ServerResponse, accept: string | undefined, type: ResourceType, body: KubeObject, items?: KubeObject[]): void {
    if (acceptsForm(accept, 'Table', 'meta.k8s.io', 'v1')) send(res, 200, table(items ?? [body], type.kind, String(resourceVersion), Date.now()), TABLE_TYPE);
    else send(res, 200, body);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const user = authenticate(req);
    const logged: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      user,
      accept: req.headers.accept,
    };
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
    if (req.method !== 'GET') {
      send(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {}));
      return;
    }
    if (discovery(url.pathname, req.headers.accept, res)) return;
    const namespaceRoute = /^\/api\/v1\/namespaces(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (namespaceRoute) {
      serveNamespaces(res, req.headers.accept, user, namespaceRoute[1] && decodeURIComponent(namespaceRoute[1]));
      return;
    }
    const route = parseRoute(url.pathname);
    const type = route && findType(types, route.group, route.version, route.plural);
    if (!route || !type) {
      send(res, 404, NOT_SERVED);
      return;
    }
    const verb = route.name ? 'get' : 'list';
    const denied = forbidden.find(
      (r) =>
        r.user === user &&
        r.verb === verb &&
        r.resource === route.plural &&
        (route.namespace === '' ? r.clusterScope === true || !r.namespace : r.clusterScope !== true && (!r.namespace || r.namespace === route.namespace)),
    );
    if (denied) {
      const group = route.group ? `"${route.group}"` : '""';
      // As kube-apiserver names them: `deployments.apps "x"`, `pods "y"`.
      const resource = route.group ? `${route.plural}.${route.group}` : route.plural;
      const what = route.name ? `${resource} "${route.name}"` : resource;
      send(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${what} is forbidden: User "${user}" cannot ${verb} resource "${route.plural}" in API group ${group} ${route.namespace === '' ? 'at the cluster scope' : `in the namespace "${route.namespace}"`}`,
          { name: route.name, group: route.group, kind: route.plural },
        ),
      );
      return;
    }
    const bucket =
      route.namespace === ''
        ? new Map(
            [...store.entries()]
              .filter(([key]) => key.startsWith(`${route.group}|${route.plural}|`))
              .flatMap(([key, objects]) => [...objects].map(([name, o]) => [`${key}|${name}`, o] as const)),
          )
        : (store.get(storeKey(route.group, route.plural, route.namespace)) ?? new Map<string, KubeObject>());
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
      sendObjects(res, req.headers.accept, type, obj);
      return;
    }
    const labelSelector = url.searchParams.get('labelSelector');
    const fieldSelector = url.searchParams.get('fieldSelector');
    let items = [...bucket.values()];
    if (labelSelector) {
      const requirements = parseLabelSelector(labelSelector);
      if (typeof requirements === 'string') {
        send(res, 400, status(400, 'BadRequest', `unable to parse requirement: ${requirements}`, {}));
        return;
      }
      items = items.filter((o) => matchesRequirements(o.metadata?.labels, requirements));
    }
    if (fieldSelector) items = items.filter((o) => matchesFieldSelector(o, fieldSelector));
    const limit = Number(url.searchParams.get('limit') ?? 0);
    if (limit > 0) items = items.slice(0, limit);
    const list = {
      kind: `${type.kind}List`,
      apiVersion: route.group ? `${route.group}/${route.version}` : route.version,
      metadata: { resourceVersion: String(resourceVersion) },
      // Like the real server: list items carry neither kind nor apiVersion.
      items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
    };
    sendObjects(res, req.headers.accept, type, list, items);
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
