/**
 * The extension host is a Node process: the tests start the project's fake Kubernetes API server
 * in it and point the extension at it through KUBECONFIG (read at lookup time, as a user's
 * environment would be). The request log and the fault switches are then plain object calls.
 */
import * as vscode from 'vscode';
import { startKubeApiServer, type FakeKubeApi } from '../../../support/kubeApiServer';
import { tempDir, writeSimpleKubeconfig } from '../../../support/kubeconfigs';
import { CLUSTER_OBJECTS } from './clusterObjects';

export interface FakeCluster {
  api: FakeKubeApi;
  kubeconfig: string;
  dir: string;
  context: string;
}

let started: Promise<FakeCluster> | undefined;

export const TEST_CONTEXT = 'probe-guard-test';

/**
 * One server per extension host, shared by the suites of a run. HTTPS with a test CA by default
 * (what users have); the CA is made with openssl synchronously, which stalls the extension host
 * for a moment, so suites that only count requests may ask for plain HTTP.
 */
export function fakeCluster(options: { tls?: boolean } = {}): Promise<FakeCluster> {
  started ??= (async () => {
    const api = await startKubeApiServer({ tls: options.tls ?? true, objects: CLUSTER_OBJECTS });
    const dir = tempDir('probe-guard-vscode-');
    const kubeconfig = writeSimpleKubeconfig(api, dir, { context: TEST_CONTEXT });
    process.env.KUBECONFIG = kubeconfig;
    return { api, kubeconfig, dir, context: TEST_CONTEXT };
  })();
  return started;
}

/** Workspace settings the trusted suites run with: the fixture's own kubeconfig setting is replaced. */
export async function useTestCluster(cluster: FakeCluster): Promise<void> {
  const config = vscode.workspace.getConfiguration('probeGuard');
  await config.update('kubeconfig', cluster.kubeconfig, vscode.ConfigurationTarget.Workspace);
}
