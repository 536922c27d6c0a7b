import type { KubeObject } from '../../../../src/core/types';

/** The cluster side of test/fixtures/workspace: the same Deployment as manifests/api.yaml, plus its pod. */
const podSpec = {
  containers: [
    {
      name: 'app',
      image: 'example/api:1.0',
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
      readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    },
  ],
};

export const API_POD_NAME = 'api-7d9c5b-x2k4p';

export const CLUSTER_OBJECTS: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: podSpec } },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: API_POD_NAME, namespace: 'shop', labels: { app: 'api' } },
    spec: podSpec,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 2, lastState: { terminated: { reason: 'Error', exitCode: 137, finishedAt: '2026-11-20T10:00:00Z' } } },
      ],
    },
  },
];
