import type { HeaderLine, ProbeHandler, ProbeInfo, ProbeKind, ProbeRequest } from '../types';
import { containerEnv, execCommandText, readExecProbe, TOOL_AGENTS } from './execProbe';
import { istioOriginalProbes, istioRewrite } from './istioProbes';

export interface ExtractProbesOptions {
  /** The kubelet's version, e.g. `1.30` or `v1.29.4-eks-1552ad0`; default `1.30`. */
  kubeletVersion?: string;
  /**
   * The grpc-go version in the kubelet's `user-agent` for gRPC probes. It changes with every
   * Kubernetes release (grpc-go appends ` grpc-go/<version>` to the agent the kubelet sets), so
   * filters should only rely on the `kube-probe/` prefix. Default `1.65.0`.
   */
  grpcGoVersion?: string;
}

/** Kubernetes' API defaults for probe timing (`pkg/apis/core/v1/defaults.go`). */
export const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 } as const;

const PROBE_FIELDS: [string, ProbeKind][] = [
  ['livenessProbe', 'liveness'],
  ['readinessProbe', 'readiness'],
  ['startupProbe', 'startup'],
];

/** Checked in this order; a valid probe has exactly one. */
const HANDLERS: ProbeHandler[] = ['httpGet', 'grpc', 'tcpSocket', 'exec'];

/**
 * Every probe of a pod spec: those of `containers`, and of native sidecars (init containers with
 * `restartPolicy: Always`, which run for the pod's whole life; ordinary init containers may not
 * have probes). `specPath` is the pod spec's JSON path inside its object; each probe's own
 * `specPath` points at the probe object. Never throws.
 */
export function extractProbes(podSpec: any, specPath: (string | number)[], options: ExtractProbesOptions = {}): ProbeInfo[] {
  const probes: ProbeInfo[] = [];
  if (!isObject(podSpec)) return probes;
  const basePath = Array.isArray(specPath) ? specPath : [];
  const version = kubeletMajorMinor(options.kubeletVersion);
  const grpcGo = typeof options.grpcGoVersion === 'string' && options.grpcGoVersion ? options.grpcGoVersion : '1.65.0';
  const groups: [string, 'container' | 'sidecar'][] = [
    ['containers', 'container'],
    ['initContainers', 'sidecar'],
  ];
  const originals = istioOriginalProbes(podSpec);
  for (const [field, role] of groups) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container: any, index: number) => {
      if (!isObject(container)) return;
      if (role === 'sidecar' && container.restartPolicy !== 'Always') return;
      for (const [probeField, kind] of PROBE_FIELDS) {
        const probe = container[probeField];
        if (!isObject(probe)) continue;
        const path = [...basePath, field, index, probeField];
        const rewrite = istioRewrite(probe, container, originals);
        const info = rewrite
          ? readProbe({ ...probe, ...handlerOnly(rewrite.original ?? probe) }, kind, container, role, path, version, grpcGo)
          : readProbe(probe, kind, container, role, path, version, grpcGo);
        if (info && rewrite) {
          info.mesh = rewrite.mesh;
          // pilot-agent's own gRPC client makes the health check (the kubelet's agent is not passed on).
          if (rewrite.original && info.handler === 'grpc') info.request = grpcRequestWithAgent(TOOL_AGENTS.grpcGo);
        }
        // A kubelet version given by the caller is the cluster's: no other version to try.
        if (info?.request && options.kubeletVersion !== undefined) delete info.request.kubeletAgent;
        if (info && podSpec.hostNetwork === true) info.hostNetwork = true;
        if (info) probes.push(info);
      }
    });
  }
  return probes;
}

/** The probe with only the handler of `source` (the timing fields stay the kubelet's). */
function handlerOnly(source: Record<string, any>): Record<string, any> {
  const result: Record<string, any> = { httpGet: undefined, grpc: undefined, tcpSocket: undefined, exec: undefined };
  for (const h of HANDLERS) if (isObject(source[h])) result[h] = source[h];
  return result;
}

function readProbe(
  probe: Record<string, any>,
  kind: ProbeKind,
  container: Record<string, any>,
  role: 'container' | 'sidecar',
  path: (string | number)[],
  version: string,
  grpcGo: string,
): ProbeInfo | undefined {
  const handler = HANDLERS.find((h) => isObject(probe[h]));
  if (!handler) return undefined;
  const action = probe[handler];
  const info: ProbeInfo = {
    container: typeof container.name === 'string' ? container.name : '',
    containerRole: role,
    probe: kind,
    handler,
    periodSeconds: positiveInt(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds),
    timeoutSeconds: positiveInt(probe.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds),
    failureThreshold: positiveInt(probe.failureThreshold, PROBE_DEFAULTS.failureThreshold),
    specPath: path,
  };
  if (handler === 'exec') {
    info.command = Array.isArray(action.command) ? action.command.filter((w: unknown) => typeof w === 'string') : [];
    info.exec = readExecProbe(action.command, containerEnv(container));
    return info;
  }

  if (handler === 'grpc') {
    // The API type is int32: no named ports for gRPC probes.
    const port = action.port;
    if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) info.port = port;
    else info.portProblem = `gRPC probe port must be a number between 1 and 65535, not ${JSON.stringify(port) ?? 'nothing'}.`;
    info.request = grpcRequest(version, grpcGo);
    return info;
  }

  resolvePort(action.port, container, info);
  if (handler === 'tcpSocket') return info;

  // httpGet
  const scheme = typeof action.scheme === 'string' && action.scheme.toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP';
  info.scheme = scheme;
  info.request = httpGetRequest(action, version);
  // Go sends `Host: <host>:<port>` from the URL unless httpHeaders set one; the host is the pod IP
  // unless httpGet.host names another (pkg/probe/http/request.go).
  if (!info.request.headers.some((h) => h.name === 'host') && info.port !== undefined) {
    if (typeof action.host === 'string' && action.host !== '') {
      info.host = action.host;
      const host = action.host.includes(':') ? `[${action.host}]` : action.host;
      info.request.headers.unshift({ name: 'host', value: `${host}:${info.port}` });
    } else info.request.podIpHostPort = info.port;
  }
  info.path = info.request.pathAndQuery;
  return info;
}

/**
 * As the kubelet's `probe.ResolveContainerPort`: a number, or a name looked up in the SAME
 * container's `ports[].name`, falling back to a number written as a string.
 */
function resolvePort(port: unknown, container: Record<string, any>, info: ProbeInfo): void {
  let resolved: number | undefined;
  if (typeof port === 'number') {
    resolved = port;
  } else if (typeof port === 'string' && port.length > 0) {
    const ports: any[] = Array.isArray(container.ports) ? container.ports : [];
    const named = ports.find((p) => isObject(p) && p.name === port);
    if (named && typeof named.containerPort === 'number') {
      info.portName = port;
      resolved = named.containerPort;
    } else if (/^\d+$/.test(port)) {
      resolved = Number(port);
    } else {
      info.portName = port;
      const known = ports.filter((p) => isObject(p) && typeof p.name === 'string').map((p) => `${p.name}=${p.containerPort}`);
      info.portProblem =
        `Port "${port}" is not a named port of container "${info.container}"` +
        (known.length ? ` (it has ${known.join(', ')}).` : ' (it declares no named ports).') +
        ' The kubelet resolves probe port names only in the same container, so this probe always fails.';
      return;
    }
  } else {
    info.portProblem = `The probe has no port.`;
    return;
  }
  if (resolved !== undefined && Number.isInteger(resolved) && resolved > 0 && resolved < 65536) info.port = resolved;
  else info.portProblem = `Invalid probe port ${resolved}: it must be between 1 and 65535.`;
}

/**
 * The request line and headers of an httpGet probe, as the kubelet builds it
 * (`pkg/probe/http/request.go`): `User-Agent` and `Accept` defaults unless `httpHeaders` names
 * them (an empty value removes the header; Go sends only the first User-Agent), then the rest of
 * `httpHeaders` in order, duplicates kept. Keep-alive is off, so Go adds `connection: close`.
 * `host` appears only when `httpHeaders` sets it: otherwise it is `<pod IP>:<port>`, the pod IP
 * unknown here (`podIpHostPort`).
 */
function httpGetRequest(action: Record<string, any>, version: string): ProbeRequest {
  const { path, pathAndQuery } = splitPath(action.path);
  const given: HeaderLine[] = (Array.isArray(action.httpHeaders) ? action.httpHeaders : [])
    .filter((h: any) => isObject(h) && typeof h.name === 'string' && h.name.length > 0)
    .map((h: any) => ({ name: h.name.toLowerCase(), value: h.value === undefined || h.value === null ? '' : String(h.value) }));
  const named = (name: string) => given.filter((h) => h.name === name);
  const headers: HeaderLine[] = [];

  const host = named('host')[0];
  if (host && host.value !== '') headers.push({ name: 'host', value: host.value });

  const userAgents = named('user-agent');
  if (userAgents.length === 0) headers.push({ name: 'user-agent', value: `kube-probe/${version}` });
  else if (userAgents[0].value !== '') headers.push({ name: 'user-agent', value: userAgents[0].value });

  const accepts = named('accept');
  if (accepts.length === 0) headers.push({ name: 'accept', value: '*/*' });
  else if (accepts[0].value !== '') headers.push(...accepts);

  if (named('connection').length === 0) headers.push({ name: 'connection', value: 'close' });
  headers.push(...given.filter((h) => h.name !== 'host' && h.name !== 'user-agent' && h.name !== 'accept'));
  const request: ProbeRequest = { method: 'GET', path, pathAndQuery, headers };
  if (userAgents.length === 0) request.kubeletAgent = true;
  return request;
}

/** Go's `url.Parse` + `URL.String()`: a missing leading `/` is added, the fragment is not sent. */
function splitPath(raw: unknown): { path: string; pathAndQuery: string } {
  let text = typeof raw === 'string' ? raw : '';
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  const question = text.indexOf('?');
  let path = question >= 0 ? text.slice(0, question) : text;
  const query = question >= 0 ? text.slice(question + 1) : '';
  if (!path.startsWith('/')) path = `/${path}`;
  return { path, pathAndQuery: query ? `${path}?${query}` : path };
}

/**
 * A gRPC health check from the kubelet (`pkg/probe/grpc/grpc.go`): HTTP/2 POST to the Health
 * service's Check method; the probe's `service` travels in the protobuf body, not the path.
 * grpc-go also sends a `grpc-timeout` header whose value depends on the clock: left out.
 */
function grpcRequest(version: string, grpcGo: string): ProbeRequest {
  return { ...grpcRequestWithAgent(`kube-probe/${version} grpc-go/${grpcGo}`), kubeletAgent: true };
}

/**
 * Kubelet versions (vendor `+` minors included) and grpc-go versions of the kubelet's gRPC prober
 * that a request is also tried with when its User-Agent is the kubelet's: a filter that tells them
 * apart (`^User-Agent: (?!kube-probe/1\.30)`) has no answer until the cluster is known.
 */
const KUBELET_VERSIONS = ['1.21', '1.27+', '1.34'];
const GRPC_GO_VERSIONS = ['1.58.3', '1.72.1'];

/** The request, then the same request with the kubelet's User-Agent at other versions (none when not the kubelet's). */
export function kubeletAgentVariants(request: ProbeRequest): ProbeRequest[] {
  if (!request.kubeletAgent) return [request];
  const variants = [request];
  const agent = request.headers.find((h) => h.name === 'user-agent')?.value ?? '';
  const grpc = / grpc-go\/\S+$/.test(agent);
  for (const version of KUBELET_VERSIONS) {
    for (const grpcGo of grpc ? GRPC_GO_VERSIONS : [undefined]) {
      const value = `kube-probe/${version}${grpcGo ? ` grpc-go/${grpcGo}` : ''}`;
      variants.push({ ...request, headers: request.headers.map((h) => (h.name === 'user-agent' ? { ...h, value } : h)) });
    }
  }
  return variants;
}

function grpcRequestWithAgent(userAgent: string): ProbeRequest {
  const path = '/grpc.health.v1.Health/Check';
  return {
    method: 'POST',
    path,
    pathAndQuery: path,
    headers: [
      { name: 'content-type', value: 'application/grpc' },
      { name: 'user-agent', value: userAgent },
      { name: 'te', value: 'trailers' },
    ],
  };
}

/** `1.30` from `1.30`, `v1.29.4-eks-x` or `1.27+`; the default when unreadable. */
export function kubeletMajorMinor(version: string | undefined): string {
  const match = typeof version === 'string' ? /^v?(\d+)\.(\d+\+?)/.exec(version.trim()) : null;
  return match ? `${match[1]}.${match[2]}` : '1.30';
}

/**
 * e.g. `liveness httpGet :8080/healthz`, `readiness grpc :9090`, `startup exec curl -f localhost:8080/`,
 * `liveness httpGet :8080/healthz via pilot-agent :15020` for a probe Istio rewrote.
 */
export function describeProbe(p: ProbeInfo): string {
  const head = `${p.probe} ${p.handler}`;
  if (p.handler === 'exec') {
    const command = execCommandText(p.command);
    return command ? `${head} \`${command}\`` : head;
  }
  const port = p.port !== undefined ? `:${p.port}` : `:${p.portName ?? '?'} (unresolved)`;
  const via = p.mesh ? ` via pilot-agent :${p.mesh.rewrittenPort}` : '';
  if (p.handler === 'httpGet') return `${head} ${port}${p.path ?? '/'}${p.scheme === 'HTTPS' ? ' (HTTPS)' : ''}${via}`;
  return `${head} ${port}${via}`;
}

function positiveInt(value: unknown, fallback: number): number {
  // The API server defaults 0/absent; a non-positive value would be rejected, so use the default.
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
