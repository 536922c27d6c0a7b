/**
 * Request options built here for the users most kubeconfigs have: a bearer token, a client
 * certificate, basic auth, with a CA (data or file), insecure-skip-tls-verify, tls-server-name and
 * impersonation. Replaced on purpose for these (client-node's KubeConfig does the same in a few
 * lines, but loading it costs a cold `probe-guard check` about a third of its time); the result
 * is what KubeConfig.applyToHTTPSOptions gives for them, down to its error for plain http://
 * without insecure-skip-tls-verify and the order in which files are read. Users with an
 * auth-provider and clusters with a proxy-url still go through client-node (clientNodeAuth.ts).
 */
import { readFileSync } from 'node:fs';
import type * as https from 'node:https';
import type { KubeCredentials } from './kubeCredentials';

/** The file when it is named (read errors thrown as they are), else the base64 data. */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  return data ? Buffer.from(data, 'base64') : undefined;
}

/** True when only client-node can prepare this user and cluster. */
export function needsClientNode(credentials: KubeCredentials): boolean {
  return credentials.authProvider !== undefined || credentials.proxyUrl !== undefined;
}

/** Throws what client-node would throw (a file read error, plain http:// refused). */
export function directRequestOptions(credentials: KubeCredentials): https.RequestOptions {
  const options: https.RequestOptions = {};
  const headers: Record<string, string> = {};
  if (credentials.skipTLSVerify) options.rejectUnauthorized = false;
  if (credentials.tlsServerName) options.servername = credentials.tlsServerName;
  const ca = fileOrData(credentials.caFile, credentials.caData);
  if (ca) options.ca = ca;
  const cert = fileOrData(credentials.certFile, credentials.certData);
  if (cert) options.cert = cert;
  const key = fileOrData(credentials.keyFile, credentials.keyData);
  if (key) options.key = key;
  if (credentials.impersonateUser !== undefined) headers['Impersonate-User'] = credentials.impersonateUser;
  if (credentials.token) headers.Authorization = `Bearer ${credentials.token}`;
  options.headers = headers;
  // client-go sends an unset password as empty (client-node would send "undefined").
  if (credentials.username) options.auth = `${credentials.username}:${credentials.password ?? ''}`;
  if (credentials.server.startsWith('http:') && !credentials.skipTLSVerify) {
    throw new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false');
  }
  return options;
}
