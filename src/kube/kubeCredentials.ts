/**
 * What the selected kubeconfig cluster and user give a request, as plain data: the server, its
 * CA and TLS settings, and the credential (a token, a client certificate, basic auth, an
 * auth-provider) after the token file and the exec plugin have been read. Both ways of turning
 * it into request options start from this (directAuth.ts, clientNodeAuth.ts).
 */
import type { ClusterSelection } from './clusterSelection';
import type { ExecCredential } from './execCredential';

export interface KubeCredentials {
  cluster: string;
  user: string;
  context: string;
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  token?: string;
  /** base64, as in the kubeconfig. */
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  authProvider?: unknown;
  username?: string;
  password?: string;
  impersonateUser?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `token` comes from a token file; `exec` is what the user's exec plugin printed. A token written
 * in the kubeconfig (or its token file) wins over the plugin's, as in client-go; a client
 * certificate from the plugin replaces the kubeconfig's.
 */
export function credentialsOf(selection: ClusterSelection, token: string | undefined, exec?: ExecCredential): KubeCredentials {
  const c = selection.clusterEntry;
  const u = selection.userEntry;
  const execCert = exec?.clientCertificateData !== undefined && exec.clientKeyData !== undefined;
  return {
    cluster: selection.info.cluster,
    user: selection.info.user || 'anonymous',
    context: selection.info.context,
    server: selection.info.server,
    caData: str(c['certificate-authority-data']),
    caFile: str(c['certificate-authority']),
    skipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c['tls-server-name']),
    proxyUrl: str(c['proxy-url']),
    token: str(u.token) ?? token ?? exec?.token,
    certData: execCert ? Buffer.from(exec.clientCertificateData as string).toString('base64') : str(u['client-certificate-data']),
    certFile: execCert ? undefined : str(u['client-certificate']),
    keyData: execCert ? Buffer.from(exec.clientKeyData as string).toString('base64') : str(u['client-key-data']),
    keyFile: execCert ? undefined : str(u['client-key']),
    authProvider: u['auth-provider'] ?? undefined,
    username: str(u.username),
    password: str(u.password),
    impersonateUser: str(u.as),
  };
}
