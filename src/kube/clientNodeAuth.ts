/**
 * Request options from client-node's KubeConfig, for what it does and we do not: auth-provider
 * users (its OIDC and cloud authenticators refresh tokens) and clusters behind a proxy-url (its
 * hpagent and socks proxy agents). kubeAuth.ts loads this file only for those, so the common
 * token and certificate users never load client-node (about a third of a cold CLI lookup).
 */
import type * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeCredentials } from './kubeCredentials';

export function buildKubeConfig(credentials: KubeCredentials): KubeConfig {
  const kc = new KubeConfig();
  const { cluster, user, context } = credentials;
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster,
        server: credentials.server,
        caData: credentials.caData,
        caFile: credentials.caFile,
        skipTLSVerify: credentials.skipTLSVerify,
        tlsServerName: credentials.tlsServerName,
        proxyUrl: credentials.proxyUrl,
      },
    ],
    users: [
      {
        name: user,
        token: credentials.token,
        certData: credentials.certData,
        certFile: credentials.certFile,
        keyData: credentials.keyData,
        keyFile: credentials.keyFile,
        authProvider: credentials.authProvider,
        username: credentials.username,
        password: credentials.password,
        impersonateUser: credentials.impersonateUser,
      },
    ],
    contexts: [{ name: context, cluster, user }],
    currentContext: context,
  });
  return kc;
}

/** May run an auth provider (network, a token refresh): the caller puts a deadline on it. */
export async function clientNodeRequestOptions(credentials: KubeCredentials): Promise<https.RequestOptions> {
  const options: https.RequestOptions = {};
  await buildKubeConfig(credentials).applyToHTTPSOptions(options);
  return options;
}
