/**
 * Turns a failed API call into a ResolveFailure a user can act on: what failed, against which
 * server/context/user, and what to do. Messages never carry credentials (the resolver scrubs them
 * again on the way out).
 */
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
      return { kind: 'unreachable', message: `The connection to ${where(info)} dropped while reading ${what(ctx)}: ${error.detail}. Retry; if it persists, check the network or proxy.` };
    case 'bad-response':
      return { kind: 'server-error', message: `${where(info)} gave an unusable answer for ${what(ctx)}: ${error.detail}. Is the server address a Kubernetes API server?` };
    case 'network': {
      const tls = TLS_EXPLAINED[error.code] ?? (/CERT|SSL|TLS/.test(error.code) ? `TLS error ${error.code}` : undefined);
      if (tls) {
        const fix = /ALTNAME/.test(error.code)
          ? ''
          : ' Set certificate-authority (or certificate-authority-data) for this cluster in the kubeconfig to the CA that signed the server certificate.';
        return { kind: 'tls', message: `Cannot connect securely to ${where(info)}: ${tls} [${error.code}].${fix}` };
      }
      const reason = UNREACHABLE[error.code] ?? `${error.code}`;
      return { kind: 'unreachable', message: `Cannot reach ${where(info)}: ${reason}. Is the cluster running, and is the kubeconfig (or VPN/proxy) pointing at it?` };
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
        return { kind: 'server-error', message: `${where(info)} failed with ${error.code} while trying to ${ctx.verb} ${what(ctx)} in namespace "${ctx.namespace}". Retry later.${serverSaid}` };
      }
      return { kind: 'server-error', message: `${where(info)} answered ${error.code} to ${ctx.verb} ${what(ctx)} in namespace "${ctx.namespace}".${serverSaid}` };
    }
  }
}
