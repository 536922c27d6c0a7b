/**
 * A demo "cluster": the fake API server (HTTPS) loaded with demo/manifests plus running pods for
 * every workload (the checkout pods restarted by their liveness probe, with the events that say
 * so), and a kubeconfig pointing at it (context `demo`, namespace `shop`).
 *
 *   node out/test/support/demoCluster.js [--port N] [--kubeconfig-out FILE]
 *
 * prints the kubeconfig path and serves until SIGINT/SIGTERM.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/core/types';
import { type FakeKubeApi, startKubeApiServer } from './kubeApiServer';
import { clusterFor, kubeconfigDoc, writeKubeconfig } from './kubeconfigs';

export const DEMO_NAMESPACE = 'shop';
/** The workload the risky demo config targets: its pods show liveness restarts. */
export const RISKY_WORKLOAD = 'checkout';

export interface DemoClusterOptions {
  port?: number;
  /** Where to write the kubeconfig; a temp file when absent. */
  kubeconfigOut?: string;
  manifestsDir?: string;
}

export interface DemoCluster {
  api: FakeKubeApi;
  kubeconfig: string;
  objects: KubeObject[];
  problems: string[];
  close(): Promise<void>;
}

/** demo/manifests, found upwards from here (works from test/support and out/test/support). */
export function findManifestsDir(start = __dirname): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'demo', 'manifests');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every object of every manifest file; `List`s flattened, namespace defaulted to `shop`. */
export function loadDemoManifests(dir: string): { objects: KubeObject[]; problems: string[] } {
  const objects: KubeObject[] = [];
  const problems: string[] = [];
  const add = (value: unknown, file: string): void => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const obj = value as KubeObject;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      for (const item of obj.items) add(item, file);
      return;
    }
    if (!obj.kind || !obj.metadata?.name) {
      problems.push(`${file}: an object without kind or name was skipped`);
      return;
    }
    obj.metadata.namespace = obj.metadata.namespace ?? DEMO_NAMESPACE;
    objects.push(obj);
  };
  for (const name of readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()) {
    const file = join(dir, name);
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length) {
        problems.push(`${name}: ${doc.errors[0].message.split('\n')[0]}`);
        continue;
      }
      add(doc.toJS(), name);
    }
  }
  return { objects, problems };
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0).toString(36).slice(0, 6).padEnd(6, 'x');
}

interface PodPlan {
  owner: KubeObject;
  template: any;
  labels: Record<string, string>;
  replicas: number;
}

/** Which workloads get running pods, with which template (a Rollout's may come from its workloadRef). */
function podPlans(objects: KubeObject[]): PodPlan[] {
  const plans: PodPlan[] = [];
  const find = (kind: string, name: string, ns: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === ns);
  for (const o of objects) {
    if (!['Deployment', 'StatefulSet', 'Rollout', 'ReplicaSet'].includes(String(o.kind))) continue;
    let template = o.spec?.template;
    if (o.kind === 'Rollout' && !template && o.spec?.workloadRef?.name)
      template = find(o.spec.workloadRef.kind ?? 'Deployment', o.spec.workloadRef.name, o.metadata.namespace)?.spec?.template;
    if (!template?.spec) continue;
    const replicas = Math.min(Number.isFinite(o.spec?.replicas) ? Number(o.spec.replicas) : 1, 2);
    if (replicas <= 0) continue; // e.g. a Rollout's workloadRef Deployment, scaled to zero
    plans.push({ owner: o, template, labels: { ...(o.spec?.selector?.matchLabels ?? {}), ...(template.metadata?.labels ?? {}) }, replicas });
  }
  return plans;
}

function runningStatus(spec: any, restarts: number, killed: boolean): object {
  const containers: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
  return {
    phase: 'Running',
    podIP: '10.42.0.17',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: containers.map((c, i) => ({
      name: c.name,
      image: c.image,
      ready: true,
      started: true,
      restartCount: i === 0 ? restarts : 0,
      state: { running: { startedAt: '2026-03-01T10:00:05Z' } },
      lastState:
        i === 0 && killed ? { terminated: { reason: 'Error', exitCode: 137, startedAt: '2026-03-01T09:55:00Z', finishedAt: '2026-03-01T10:00:00Z' } } : {},
    })),
  };
}

function livenessEvents(podName: string, namespace: string, container: string): KubeObject[] {
  const involvedObject = { kind: 'Pod', name: podName, namespace, fieldPath: `spec.containers{${container}}` };
  return [
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${podName}.liveness`, namespace },
      involvedObject,
      reason: 'Unhealthy',
      type: 'Warning',
      count: 9,
      message: 'Liveness probe failed: Get "http://10.42.0.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${podName}.killing`, namespace },
      involvedObject,
      reason: 'Killing',
      type: 'Normal',
      count: 3,
      message: `Container ${container} failed liveness probe, will be restarted`,
    },
  ];
}

/** Running pods (and liveness events for the risky workload) for the demo objects. */
export function demoLiveObjects(objects: KubeObject[]): KubeObject[] {
  const live: KubeObject[] = [];
  for (const plan of podPlans(objects)) {
    const name = plan.owner.metadata.name as string;
    const ns = plan.owner.metadata.namespace as string;
    const rs = `${name}-${shortHash(name)}`;
    for (let i = 0; i < plan.replicas; i++) {
      const podName = plan.owner.kind === 'StatefulSet' ? `${name}-${i}` : `${rs}-${shortHash(`${name}${i}`).slice(0, 5)}`;
      const risky = name === RISKY_WORKLOAD && i === 0;
      live.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: ns,
          labels: plan.labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: plan.owner.kind === 'StatefulSet' ? 'StatefulSet' : 'ReplicaSet',
              name: plan.owner.kind === 'StatefulSet' ? name : rs,
              controller: true,
            },
          ],
        },
        spec: plan.template.spec,
        status: runningStatus(plan.template.spec, risky ? 3 : 0, risky),
      });
      if (risky) live.push(...livenessEvents(podName, ns, plan.template.spec.containers?.[0]?.name ?? 'app'));
    }
  }
  // A bare Pod in the manifests runs too.
  for (const o of objects) if (o.kind === 'Pod' && !o.status) live.push({ ...o, status: runningStatus(o.spec, 0, false) });
  return live;
}

export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
  const manifestsDir = options.manifestsDir ?? findManifestsDir();
  const { objects, problems } = manifestsDir ? loadDemoManifests(manifestsDir) : { objects: [], problems: ['demo/manifests not found'] };
  const live = demoLiveObjects(objects);
  const bare = new Set(live.filter((o) => o.kind === 'Pod').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  const api = await startKubeApiServer({
    tls: true,
    port: options.port,
    objects: [...objects.filter((o) => !(o.kind === 'Pod' && bare.has(`${o.metadata.namespace}/${o.metadata.name}`))), ...live],
  });
  const out = resolve(options.kubeconfigOut ?? join(mkdtempSync(join(tmpdir(), 'probe-guard-demo-')), 'kubeconfig'));
  const doc = kubeconfigDoc([
    {
      name: 'demo',
      cluster: clusterFor(api, 'data'),
      clusterName: 'demo',
      user: { token: api.tokenUser.token },
      userName: 'demo-user',
      namespace: DEMO_NAMESPACE,
    },
  ]);
  const kubeconfig = writeKubeconfig(dirname(out), basename(out), doc);
  return { api, kubeconfig, objects: [...objects, ...live], problems, close: () => api.close() };
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = argValue(args, '--port');
  const demo = await startDemoCluster({ port: port ? Number(port) : undefined, kubeconfigOut: argValue(args, '--kubeconfig-out') });
  for (const p of demo.problems) process.stderr.write(`warning: ${p}\n`);
  process.stderr.write(`demo cluster at ${demo.api.url} (context demo, namespace ${DEMO_NAMESPACE}); ${demo.objects.length} objects. Ctrl+C to stop.\n`);
  process.stdout.write(`${demo.kubeconfig}\n`);
  const stop = (): void => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`demo cluster failed: ${String(err?.message ?? err)}\n`);
    process.exit(1);
  });
}
