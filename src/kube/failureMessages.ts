/**
 * Turns a failed API call into a ResolveFailure a user can act on: what failed, against which
 * server/context/user, and what to do. Messages never carry credentials (the resolver scrubs them
 * again on the way out).
 */
import * as http from 'node:http';
import type { ResolveFailure } from '../core/types';
import type { ClusterInfo } from './clusterTypes';
import type { CallError } from './kubeHttp';

export interface CallContext {
  info: ClusterInfo;
  verb: 'get' | 'list';
  /** Plural resource, e.g. `deployments` or `rollouts.argoproj.io`. */
  resource: string;
  name?: string;
  namespace: string;
  timeoutMs: number;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
};

const TLS_EXPLAINED: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is signed by a CA the client does not trust (self-signed chain)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate cannot be verified against a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the server certificate is not a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of the server certificate is unknown',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not name this host (check tls-server-name or the server address)',
  EPROTO: 'the TLS handshake failed (is the server plain HTTP? then use http://)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed (is the server plain HTTP? then use http://)',
};

function where(info: ClusterInfo): string {
  return `${info.server ?? 'the cluster'} (context "${info.context ?? '?'}")`;
}

function what(ctx: CallContext): string {
  return ctx.name ? `${ctx.resource} "${ctx.name}"` : `${ctx.resource}`;
}

/** `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"` -> parts. */
export function parseForbidden(message: string | undefined): { user?: string; verb?: string; resource?: string; namespace?: string } {
  const m = /User "([^"]*)" cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(message ?? '');
  if (!m) return {};
  const resource = m[4] ? `${m[3]}.${m[4]}` : m[3];
  return { user: m[1], verb: m[2], resource, namespace: m[5] };
}

/** The proxy named by the cluster's proxy-url failed: it is unreachable or refused the tunnel. */
function describeProxyError(error: Extract<CallError, { type: 'network' }>, ctx: CallContext): ResolveFailure {
  const { info } = ctx;
  const proxy = `the proxy ${error.proxy} (proxy-url of cluster "${info.cluster ?? '?'}", context "${info.context ?? '?'}")`;
  const server = info.server ?? 'the cluster';
  const status = error.proxyStatus;
  if (status !== undefined) {
    const answer = `${status}${http.STATUS_CODES[status] ? ` ${http.STATUS_CODES[status]}` : ''}`;
    if (status === 407) {
      return {
        kind: 'unreachable',
        message: `${capitalize(proxy)} wants credentials to open a tunnel to ${server} (${answer}). Put them in proxy-url (http://user:password@host:port), or check the ones there.`,
      };
    }
    if (status === 502 || status === 503 || status === 504) {
      return {
        kind: 'unreachable',
        message: `${capitalize(proxy)} could not reach ${server} (${answer}). Is the cluster running, and can the proxy reach it?`,
      };
    }
    return {
      kind: 'unreachable',
      message: `${capitalize(proxy)} refused to open a tunnel to ${server} (${answer}). Check that the proxy allows CONNECT to that host and port, or correct proxy-url in the kubeconfig.`,
    };
  }
  const reason = UNREACHABLE[error.code] ?? (/socks/i.test(error.detail) ? error.detail.split('\n')[0] : error.code);
  return { kind: 'unreachable', message: `Cannot reach ${proxy}: ${reason}. Is the proxy running, and is proxy-url in the kubeconfig right?` };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function describeCallError(error: CallError, ctx: CallContext): ResolveFailure {
  const { info } = ctx;
  switch (error.type) {
    case 'timeout':
      return {
        kind: 'timeout',
        message: `No answer from ${where(info)} within ${ctx.timeoutMs} ms to ${ctx.verb} ${what(ctx)} in namespace "${ctx.namespace}"; the request was abandoned. Check the cluster's health or raise the timeout.`,
      };
    case 'cancelled':
      return { kind: 'cancelled', message: 'The lookup was cancelled.' };
    case 'dropped':
      return {
        kind: 'unreachable',
        message: `The connection to ${where(info)} dropped while reading ${what(ctx)}: ${error.detail}. Retry; if it persists, check the network or proxy.`,
      };
    case 'bad-response':
      return {
        kind: 'server-error',
        message: `${where(info)} gave an unusable answer for ${what(ctx)}: ${error.detail}. Is the server address a Kubernetes API server?`,
      };
    case 'network': {
      if (error.proxy && error.atProxy) return describeProxyError(error, ctx);
      const tls = TLS_EXPLAINED[error.code] ?? (/CERT|SSL|TLS/.test(error.code) ? `TLS error ${error.code}` : undefined);
      if (tls) {
        const fix = /ALTNAME/.test(error.code)
          ? ''
          : ' Set certificate-authority (or certificate-authority-data) for this cluster in the kubeconfig to the CA that signed the server certificate.';
        return { kind: 'tls', message: `Cannot connect securely to ${where(info)}: ${tls} [${error.code}].${fix}` };
      }
      const reason = UNREACHABLE[error.code] ?? `${error.code}`;
      if (error.proxy) {
        return {
          kind: 'unreachable',
          message: `Cannot reach ${where(info)} through the proxy ${error.proxy} (proxy-url of cluster "${info.cluster ?? '?'}"): ${reason}. Is the cluster running, and can the proxy reach it?`,
        };
      }
      return {
        kind: 'unreachable',
        message: `Cannot reach ${where(info)}: ${reason}. Is the cluster running, and is the kubeconfig (or VPN/proxy) pointing at it?`,
      };
    }
    case 'status': {
      const serverSaid = error.status?.message ? ` Server said: ${error.status.message}` : '';
      if (error.code === 401) {
        return {
          kind: 'unauthorized',
          message: `The credentials for user "${info.user ?? '?'}" in context "${info.context ?? '?'}" were rejected by ${info.server ?? 'the cluster'} (401): expired or wrong. Log in again or refresh the token.`,
        };
      }
      if (error.code === 403) {
        const p = parseForbidden(error.status?.message);
        return {
          kind: 'forbidden',
          message: `User "${p.user ?? info.user ?? '?'}" may not ${p.verb ?? ctx.verb} ${p.resource ?? ctx.resource} in namespace "${p.namespace ?? ctx.namespace}" (context "${info.context ?? '?'}", 403). Ask for RBAC permission to ${p.verb ?? ctx.verb} ${p.resource ?? ctx.resource}, or use another context.${serverSaid}`,
        };
      }
      if (error.code === 404) {
        return { kind: 'not-found', message: `${what(ctx)} not found in namespace "${ctx.namespace}" (context "${info.context ?? '?'}").` };
      }
      if (error.code >= 500) {
        return {
          kind: 'server-error',
          message: `${where(info)} failed with ${error.code} while trying to ${ctx.verb} ${what(ctx)} in namespace "${ctx.namespace}". Retry later.${serverSaid}`,
        };
      }
      return {
        kind: 'server-error',
        message: `${where(info)} answered ${error.code} to ${ctx.verb} ${what(ctx)} in namespace "${ctx.namespace}".${serverSaid}`,
      };
    }
  }
}
