/**
 * Real-shaped objects for the cluster-layer tests: a Deployment with an httpGet liveness probe and
 * its live pods (one restarted by its liveness probe, with the events that say so), a Service, a
 * Rollout with a workloadRef, a StatefulSet, a CronJob and a bare Pod.
 */
import type { KubeObject } from '../../src/core/types';
import type { ClusterSettings } from '../../src/kube/clusterTypes';

export const NS = 'shop';

export function container(name: string, port: number, path = '/healthz'): object {
  return {
    name,
    image: `example/${name}:1`,
    ports: [{ name: 'http', containerPort: port }],
    livenessProbe: { httpGet: { path, port: 'http' }, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: '/ready', port }, periodSeconds: 5 },
  };
}

export function deployment(name: string, labels: Record<string, string>, namespace = NS): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container(name, 8080)] } } },
  };
}

/** A StatefulSet of one container listening on `port`. */
export function statefulSet(name: string, labels: Record<string, string>, namespace = NS, port = 7000, replicas = 3): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container(name, port)] } } },
  };
}

/** The object with a status of `ready` ready replicas (of its spec's replicas). */
export function withStatus(object: KubeObject, ready: number): KubeObject {
  return { ...object, status: { replicas: object.spec.replicas, readyReplicas: ready } };
}

export function pod(
  name: string,
  labels: Record<string, string>,
  options: { namespace?: string; restarts?: number; killedByLiveness?: boolean; ready?: boolean; owner?: string } = {},
): KubeObject {
  const restarts = options.restarts ?? 0;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? NS,
      labels,
      ownerReferences: options.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: options.owner, controller: true }] : undefined,
    },
    spec: { containers: [container('app', 8080)] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
      containerStatuses: [
        {
          name: 'app',
          ready: options.ready !== false,
          restartCount: restarts,
          lastState: restarts > 0 ? { terminated: { reason: 'Error', exitCode: 137, finishedAt: '2026-03-01T10:00:00Z' } } : {},
        },
      ],
    },
  };
}

export function livenessEvents(podName: string, namespace = NS): KubeObject[] {
  const involvedObject = { kind: 'Pod', name: podName, namespace, fieldPath: 'spec.containers{app}' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${podName}.1`, namespace },
      involvedObject,
      reason: 'Unhealthy',
      type: 'Warning',
      message: 'Liveness probe failed: HTTP probe failed with statuscode: 503',
      count: 3,
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${podName}.2`, namespace },
      involvedObject,
      reason: 'Killing',
      type: 'Normal',
      message: 'Container app failed liveness probe, will be restarted',
    },
  ];
}

export function shopObjects(): KubeObject[] {
  const apiLabels = { app: 'api' };
  const webLabels = { app: 'web' };
  return [
    deployment('api', apiLabels),
    deployment('api-gateway', { app: 'gateway' }),
    deployment('web', webLabels),
    pod('api-7d9c-aaaaa', apiLabels, { restarts: 4, owner: 'api-7d9c' }),
    pod('api-7d9c-bbbbb', apiLabels, { owner: 'api-7d9c' }),
    pod('web-5f5f-ccccc', webLabels, { restarts: 1, owner: 'web-5f5f' }),
    ...livenessEvents('api-7d9c-aaaaa'),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: NS }, spec: { selector: apiLabels, ports: [{ port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'checkout', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'checkout' } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-template' },
      },
    },
    { ...deployment('checkout-template', { app: 'checkout' }), spec: { ...deployment('checkout-template', { app: 'checkout' }).spec, replicas: 0 } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NS },
      spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [container('db', 5432)] } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: NS },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container('nightly', 9000)] } } } } },
    },
    pod('debug', { run: 'debug' }),
    // Another namespace, to check the namespace is honoured.
    deployment('api', apiLabels, 'staging'),
  ];
}

export function settingsFor(configDir: string, extra: Partial<ClusterSettings> = {}): ClusterSettings {
  return { configDir, env: {}, allowExec: true, timeoutMs: 5000, cacheTtlMs: 30000, ...extra };
}
