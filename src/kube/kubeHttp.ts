/**
 * One GET against the API server with the prepared auth options. Each call has its own timer and
 * AbortController: a server that accepts and never answers gets its request destroyed at the
 * deadline, so no socket or promise is left behind.
 *
 * Replaced on purpose: client-node's typed API calls (CoreV1Api, AppsV1Api...). They give no
 * per-call deadline that destroys the socket (a server that accepts and never answers leaves the
 * promise pending), deserialize into client-node's models (dropping fields its 1.4.0 models do not
 * know, while verdicts must see what the server sent), and fold network and proxy errors into
 * fetch errors that no longer say whether the proxy or the cluster failed. client-node still does
 * the auth and TLS setup (kubeAuth.ts, KubeConfig.applyToHTTPSOptions); this file only sends GETs.
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string };
}

export type CallError =
  | { type: 'status'; code: number; status?: KubeStatus }
  | {
      type: 'network';
      code: string;
      detail: string;
      /** The cluster's proxy-url (without credentials) when the request went through a proxy. */
      proxy?: string;
      /** The failure is at the proxy itself: it could not be reached, or it refused the tunnel. */
      atProxy?: boolean;
      /** The status the proxy answered the CONNECT with, when not 200. */
      proxyStatus?: number;
    }
  | { type: 'dropped'; detail: string }
  | { type: 'bad-response'; detail: string }
  | { type: 'timeout' }
  | { type: 'cancelled' };

export type CallResult = { ok: true; body: any } | { ok: false; error: CallError };

export interface KubeTransport {
  get(path: string, query?: Record<string, string | undefined>): Promise<CallResult>;
  /** Destroys the transport's agent: no socket outlives the lookup. */
  close(): void;
}

export interface TransportOptions {
  server: string;
  /** From client-node's applyToHTTPSOptions: agent, ca, cert, key, headers. */
  requestOptions: https.RequestOptions;
  /** The cluster's kubeconfig proxy-url (already checked by kubeAuth), when it has one. */
  proxyUrl?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once per HTTP request actually sent. */
  onRequest?: () => void;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function errorCode(err: any): string {
  return String(err?.code ?? err?.cause?.code ?? err?.name ?? 'ERROR');
}

interface ProxyInfo {
  /** Scheme, host and port only: never the credentials a proxy-url may carry. */
  url: string;
  host: string;
  port: number;
}

const PROXY_DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };
const SOCKS_DEFAULT_PORT = 1080;

/** The proxy a request goes through, from the kubeconfig's proxy-url (never its credentials). */
function proxyOf(proxyUrl: string | undefined): ProxyInfo | undefined {
  if (proxyUrl === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    return undefined;
  }
  const port = Number(url.port) || PROXY_DEFAULT_PORTS[url.protocol] || SOCKS_DEFAULT_PORT;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { url: `${url.protocol}//${url.hostname}:${port}`, host, port };
}

/**
 * The agent requests go through. client-node's proxy agents (hpagent, socks-proxy-agent) are used
 * as they are. Its plain agent does not keep connections alive, so each of a lookup's sequential
 * requests paid a new TCP + TLS handshake: it is replaced by a keep-alive agent built from the TLS
 * options applyToHTTPSOptions returned (ca, cert, key, passphrase, servername, rejectUnauthorized),
 * so they share one connection.
 */
function agentFor(protocol: string, options: https.RequestOptions, proxied: boolean): http.Agent | undefined {
  const given = options.agent instanceof http.Agent ? options.agent : undefined;
  if (proxied) return given;
  given?.destroy();
  if (protocol === 'http:') return new http.Agent({ keepAlive: true });
  const { ca, cert, key, pfx, passphrase, servername, rejectUnauthorized } = options;
  return new https.Agent({ keepAlive: true, ca, cert, key, pfx, passphrase, servername, ...(rejectUnauthorized === undefined ? {} : { rejectUnauthorized }) });
}

/**
 * A request error as a CallError. Through a proxy, the only connection this process opens itself
 * is the one to the proxy, so a connect or DNS error naming the proxy's host or port is the
 * proxy's; hpagent reports a CONNECT answered with another status than 200 as
 * `Bad response: <status>`, and the socks client its own rejections as `Socks... proxy ...`.
 */
function networkError(err: any, proxy: ProxyInfo | undefined): CallError {
  const code = errorCode(err);
  const detail = String(err?.message ?? err);
  if (!proxy) return { type: 'network', code, detail };
  const badResponse = /^Bad response: (\d{3})\b/.exec(detail);
  if (badResponse) return { type: 'network', code: 'PROXY_REFUSED', detail, proxy: proxy.url, atProxy: true, proxyStatus: Number(badResponse[1]) };
  const atProxy =
    (err?.syscall === 'connect' && Number(err?.port) === proxy.port) ||
    (err?.syscall === 'getaddrinfo' && String(err?.hostname ?? '').replace(/^\[|\]$/g, '') === proxy.host) ||
    /^Socks\w* proxy/i.test(detail);
  return { type: 'network', code, detail, proxy: proxy.url, atProxy };
}

export function createTransport(options: TransportOptions): KubeTransport {
  const base = new URL(options.server);
  const basePath = base.pathname.replace(/\/+$/, '');
  const client = base.protocol === 'http:' ? http : https;
  const proxy = proxyOf(options.proxyUrl);
  const agent = agentFor(base.protocol, options.requestOptions, proxy !== undefined);

  return {
    close() {
      agent?.destroy();
    },
    get(path, query) {
      return new Promise<CallResult>((resolve) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, v);
        const search = params.toString();
        const controller = new AbortController();
        let done = false;
        const finish = (result: CallResult): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onCancel);
          resolve(result);
        };
        const onCancel = (): void => {
          finish({ ok: false, error: { type: 'cancelled' } });
          controller.abort();
        };
        const timer = setTimeout(() => {
          finish({ ok: false, error: { type: 'timeout' } });
          controller.abort();
        }, options.timeoutMs);
        if (options.signal?.aborted) {
          onCancel();
          return;
        }
        options.signal?.addEventListener('abort', onCancel, { once: true });

        const { headers, agent: _given, ...rest } = options.requestOptions;
        let req: http.ClientRequest;
        try {
          req = client.request({
            ...rest,
            agent,
            protocol: base.protocol,
            hostname: base.hostname.replace(/^\[|\]$/g, ''),
            port: base.port || (base.protocol === 'http:' ? 80 : 443),
            method: 'GET',
            path: `${basePath}${path}${search ? `?${search}` : ''}`,
            headers: { ...(headers as Record<string, string> | undefined), Accept: 'application/json' },
            signal: controller.signal,
          });
        } catch (err) {
          finish({ ok: false, error: networkError(err, proxy) });
          return;
        }
        options.onRequest?.();
        req.on('error', (err) => finish({ ok: false, error: networkError(err, proxy) }));
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let complete = false;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              finish({ ok: false, error: { type: 'bad-response', detail: 'the answer is larger than 32 MB' } });
              req.destroy();
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            complete = true;
            const text = Buffer.concat(chunks).toString('utf8');
            let body: any;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) {
              if (body === undefined || typeof body !== 'object')
                finish({ ok: false, error: { type: 'bad-response', detail: `the answer to GET ${path} is not JSON` } });
              else finish({ ok: true, body });
              return;
            }
            finish({ ok: false, error: { type: 'status', code, status: body && body.kind === 'Status' ? body : undefined } });
          });
          res.on('error', (err) => finish({ ok: false, error: { type: 'dropped', detail: String(err?.message ?? err) } }));
          res.on('close', () => {
            if (!complete) finish({ ok: false, error: { type: 'dropped', detail: 'the connection closed before the answer was complete' } });
          });
        });
        req.end();
      });
    },
  };
}
