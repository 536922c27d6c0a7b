/**
 * test/fixtures/untrusted-exec in the extension host: the fake API server (plain HTTP) that accepts
 * the token the fixture's exec plugin prints, the fixture kubeconfig rewritten to point at it, and
 * the marker file the plugin writes when (and only when) it runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startKubeApiServer, type FakeKubeApi } from '../../support/kubeApiServer';
import { tempDir } from '../../support/kubeconfigs';
import { CLUSTER_OBJECTS } from '../suite/support/clusterObjects';
import { workspaceUri } from '../suite/support/harness';

export const EXEC_TOKEN = 'untrusted-exec-fixture-token';
export const CONFIG = '.mirrord/mirrord.json';

export interface ExecFixture {
  api: FakeKubeApi;
  /** Where the plugin writes when it runs (through PROBE_GUARD_EXEC_MARKER). */
  marker: string;
  /** Where it writes when the variable is missing. */
  fallbackMarker: string;
  kubeconfig: string;
}

let started: Promise<ExecFixture> | undefined;

export function execFixture(): Promise<ExecFixture> {
  started ??= (async () => {
    const api = await startKubeApiServer({ tls: false, objects: CLUSTER_OBJECTS });
    api.addTokenUser('repo-exec-user', EXEC_TOKEN);
    const marker = path.join(tempDir('probe-guard-exec-marker-'), 'exec-plugin-ran');
    const fallbackMarker = path.join(os.tmpdir(), 'probe-guard-untrusted-exec-ran');
    fs.rmSync(fallbackMarker, { force: true });
    // The plugin inherits the extension host's environment.
    process.env.PROBE_GUARD_EXEC_MARKER = marker;
    const kubeconfig = workspaceUri('cluster/kubeconfig.yaml').fsPath;
    const text = fs.readFileSync(kubeconfig, 'utf8');
    if (!text.includes('server: http://127.0.0.1:9\n')) throw new Error(`placeholder server not found in ${kubeconfig}`);
    fs.writeFileSync(kubeconfig, text.replace('server: http://127.0.0.1:9\n', `server: ${api.url}\n`));
    // Nothing else may point anywhere: no KUBECONFIG of the machine.
    delete process.env.KUBECONFIG;
    return { api, marker, fallbackMarker, kubeconfig };
  })();
  return started;
}

export function pluginRan(fixture: ExecFixture): boolean {
  return fs.existsSync(fixture.marker) || fs.existsSync(fixture.fallbackMarker);
}
