/**
 * Turns the selected kubeconfig cluster and user into HTTPS request options (bearer token, token
 * file, client certificates, CA data or file, insecure-skip-tls-verify, tls-server-name, basic
 * auth, impersonation, auth providers, proxy-url). An `exec` plugin is run by ./execCredential
 * (deadline, kill, settings.env, KUBERNETES_EXEC_INFO, expiry cache). The options are built in
 * directAuth.ts, or by client-node (clientNodeAuth.ts, loaded only then) for auth-provider users
 * and proxied clusters; client-node never sees an exec stanza, only what the plugin printed.
 */
import { readFileSync } from 'node:fs';
import type * as https from 'node:https';
import { createSecureContext } from 'node:tls';
import type { ResolveFailure } from '../core/types';
import type { ClusterSelection } from './clusterSelection';
import { withDeadline } from './deadline';
import { directRequestOptions, needsClientNode } from './directAuth';
import { type ExecCredential, getExecCredential } from './execCredential';
import { credentialsOf } from './kubeCredentials';
import { loadBundleOrSource } from '../runtime/lazyBundle';
import type * as ClientNodeAuth from './clientNodeAuth';

/** dist/kubeClientNode.js (client-node), its own bundle so that kube.js loads without it; the tsc output in tests. */
function loadClientNodeAuth(): typeof ClientNodeAuth {
  return loadBundleOrSource<typeof ClientNodeAuth>(__dirname, 'kubeClientNode.js', 'clientNodeAuth');
}

export type PreparedAuth = { ok: true; options: https.RequestOptions } | { ok: false; failure: ResolveFailure };

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** kubectl reads `tokenFile` itself and trims it; client-node would send the trailing newline. */
function readTokenFile(user: Record<string, any>): { token?: string } | ResolveFailure {
  const file = str(user.tokenFile) ?? str(user['token-file']);
  if (!file) return {};
  try {
    return { token: readFileSync(file, 'utf8').trim() };
  } catch (err: any) {
    return { kind: 'bad-kubeconfig', message: `Cannot read the token file ${file} of the kubeconfig user: ${err?.code ?? 'unreadable'}.` };
  }
}

function describeAuthError(err: any, selection: ClusterSelection): ResolveFailure {
  const { context, user } = selection.info;
  const text = String(err?.message ?? err ?? '').trim();
  if (err?.code === 'ENOENT' || err?.code === 'EACCES' || err?.code === 'EISDIR') {
    return { kind: 'bad-kubeconfig', message: `Cannot read a file named by context "${context}" (user "${user}"): ${err.code} ${err.path ?? ''}`.trim() + '.' };
  }
  if (/HTTP protocol is not allowed/.test(text)) {
    return {
      kind: 'bad-kubeconfig',
      message: `Cluster "${selection.info.cluster}" uses plain http:// (${selection.info.server}) without insecure-skip-tls-verify: true; the client refuses it.`,
    };
  }
  if (/Unsupported proxy/.test(text)) {
    return {
      kind: 'bad-kubeconfig',
      message: `Cluster "${selection.info.cluster}" has a proxy-url, but its server ${selection.info.server} is neither http:// nor https://.`,
    };
  }
  if (selection.externalAuth === 'auth-provider') {
    const command = selection.userEntry.exec?.command ?? selection.userEntry['auth-provider']?.name ?? 'the plugin';
    const firstLine = text.split('\n').find((l) => l.trim()) ?? 'no output';
    return {
      kind: 'exec-failed',
      message: `The credential plugin ${command} of user "${user}" (context "${context}") failed: ${firstLine}. Run it in a terminal (e.g. log in again) and retry.`,
    };
  }
  return { kind: 'bad-kubeconfig', message: `The credentials of user "${user}" in context "${context}" cannot be used: ${text.split('\n')[0]}.` };
}

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:']);

/**
 * client-node sends any proxy-url that is not `socks*` to hpagent, which speaks HTTPS to every
 * scheme but `http:` (an `ftp://` or mistyped proxy would be tried as an HTTPS proxy), and throws
 * on a proxy-url that is not a URL at all. Checked here, with the URL's credentials never shown.
 */
function checkProxyUrl(selection: ClusterSelection): ResolveFailure | undefined {
  const raw = str(selection.clusterEntry['proxy-url']);
  if (raw === undefined) return undefined;
  const cluster = selection.info.cluster;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      kind: 'bad-kubeconfig',
      message: `The proxy-url of cluster "${cluster}" is not a URL; write it as http://host:port, https://host:port or socks5://host:port.`,
    };
  }
  if (!PROXY_SCHEMES.has(url.protocol) || url.hostname === '') {
    return {
      kind: 'bad-kubeconfig',
      message: `The proxy-url of cluster "${cluster}" (${url.protocol}//${url.host}) is not supported: use an http://, https:// or socks5:// proxy with a host.`,
    };
  }
  return undefined;
}

export interface AuthSettings {
  /** Per exec plugin run and for client-node's own auth step. */
  timeoutMs: number;
  /** The environment an exec plugin starts from. */
  env: Record<string, string | undefined>;
  /** Clock for exec credential expiry. */
  now?: () => number;
}

/** Builds request options; runs the exec plugin when the user has one (callers check Restricted Mode first). */
export async function prepareAuth(selection: ClusterSelection, settings: AuthSettings, signal?: AbortSignal): Promise<PreparedAuth> {
  const { timeoutMs } = settings;
  const badProxy = checkProxyUrl(selection);
  if (badProxy) return { ok: false, failure: badProxy };
  const tokenFile = readTokenFile(selection.userEntry);
  if ('kind' in tokenFile) return { ok: false, failure: tokenFile };
  let exec: ExecCredential | undefined;
  if (selection.userEntry.exec) {
    const outcome = await getExecCredential(selection, { env: settings.env, timeoutMs, signal, now: settings.now });
    if (!outcome.ok) return { ok: false, failure: outcome.failure };
    exec = outcome.credential;
  }
  const credentials = credentialsOf(selection, tokenFile.token, exec);
  let options: https.RequestOptions;
  if (!needsClientNode(credentials)) {
    try {
      options = directRequestOptions(credentials);
    } catch (err) {
      return { ok: false, failure: describeAuthError(err, selection) };
    }
  } else {
    const outcome = await withDeadline(
      Promise.resolve().then(() => loadClientNodeAuth().clientNodeRequestOptions(credentials)),
      timeoutMs,
      signal,
    );
    if (outcome.status === 'timeout') {
      const what = selection.externalAuth === 'auth-provider' ? `The credential plugin of user "${selection.info.user}"` : 'Preparing the credentials';
      return { ok: false, failure: { kind: 'timeout', message: `${what} (context "${selection.info.context}") did not finish within ${timeoutMs} ms.` } };
    }
    if (outcome.status === 'cancelled') return { ok: false, failure: { kind: 'cancelled', message: 'The lookup was cancelled.' } };
    if (outcome.status === 'error') return { ok: false, failure: describeAuthError(outcome.error, selection) };
    options = outcome.value;
  }
  // A key or certificate that does not parse would otherwise throw inside the HTTPS agent, where
  // the error escapes as an unhandled rejection and the request never settles (seen as a timeout).
  if (options.key !== undefined || options.cert !== undefined || options.ca !== undefined) {
    try {
      createSecureContext({ key: options.key, cert: options.cert, ca: options.ca, passphrase: options.passphrase });
    } catch (err: any) {
      const { context, user } = selection.info;
      const reason = String(err?.reason ?? err?.code ?? err?.message ?? 'unreadable').split('\n')[0];
      return {
        ok: false,
        failure: { kind: 'bad-kubeconfig', message: `The client certificate, key or CA of context "${context}" (user "${user}") cannot be used: ${reason}.` },
      };
    }
  }
  return { ok: true, options };
}
