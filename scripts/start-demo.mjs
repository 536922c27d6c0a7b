// `npm start`: the demo cluster (the test API server loaded with demo/manifests), a code-server
// with Probe Guard loaded from this checkout, and the demo workspace. Prints the URL to open.
// `--check` starts everything, proves the workbench and the cluster answer, and stops (used by
// the test suite so that the README's main command stays true).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkOnly = process.argv.includes('--check');

const { startDemoCluster } = require(path.join(root, 'out/test/support/demoCluster.js'));
const { startCodeServer } = require(path.join(root, 'out/test/vscode-runner/codeServer.js'));

const workspace = path.join(root, 'demo', 'workspace');
const cluster = await startDemoCluster();
for (const problem of cluster.problems) console.error(`warning: ${problem}`);

const home = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'probe-guard-demo-home-'));
let server;
try {
  server = await startCodeServer({
    workspace,
    trust: 'trusted',
    home,
    env: { KUBECONFIG: cluster.kubeconfig },
  });
} catch (error) {
  await cluster.close();
  console.error(`could not start code-server: ${error?.message ?? error}`);
  console.error('Run `npm run provision` first (installs code-server 4.100.3 and chromium).');
  process.exit(1);
}
const url = server.workbenchUrl(workspace, [['extensionDevelopmentPath', server.remoteUri(root)]]);

async function stop(code) {
  await server.stop().catch(() => undefined);
  await cluster.close().catch(() => undefined);
  process.exit(code);
}

if (checkOnly) {
  const workbench = await fetch(url).then(
    (r) => r.status,
    (e) => String(e),
  );
  const api = cluster.api.requests.length;
  console.log(`workbench answered ${workbench}; demo cluster at ${cluster.api.url}; requests so far ${api}`);
  await stop(workbench === 200 ? 0 : 1);
} else {
  console.log('');
  console.log(`Demo cluster : ${cluster.api.url} (kubeconfig ${cluster.kubeconfig}, context demo, namespace shop)`);
  console.log(`Workspace    : ${workspace}`);
  console.log('');
  console.log('Open this URL in a browser (Probe Guard is loaded from this checkout):');
  console.log(`  ${url}`);
  console.log('');
  console.log('Open .mirrord/risky.mirrord.json and hover "steal". Ctrl+C stops everything.');
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}
