import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import type { Analysis, AnalyzeOptions, ConfigFormat, Finding, ParsedConfig, ResolveResult } from '../../../src/core/types';

/** The repository root, found from the compiled test's folder (out/test/unit/...) or the cwd. */
export function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'demo', 'manifests'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('repository root not found');
}

export interface Analysed {
  parsed: ParsedConfig;
  analysis: Analysis;
  resolution?: ResolveResult;
}

/**
 * As the editor and the CLI do it: parse the config, read the target from a first static
 * analysis, resolve it against the manifests (YAML text), analyse again with the resolution.
 */
export function analyse(text: string, format: ConfigFormat, manifestsYaml?: string, options: AnalyzeOptions = {}): Analysed {
  const parsed = parseConfig(text, format);
  const first = analyzeConfig(parsed, undefined, options);
  let resolution: ResolveResult | undefined;
  if (manifestsYaml !== undefined && first.lookup) {
    const manifests = parseManifests(manifestsYaml, 'manifests.yaml');
    assert.deepEqual(manifests.problems, [], 'test manifests parse cleanly');
    resolution = resolveFromManifests(first.lookup.ref, first.lookup.namespace ?? 'default', manifests.objects);
  }
  return { parsed, analysis: analyzeConfig(parsed, resolution, options), resolution };
}

/** `container/probe` -> verdict, for every probe of the target. */
export function verdicts(analysis: Analysis): Record<string, string> {
  const result: Record<string, string> = {};
  for (const v of analysis.probes) result[`${v.probe.container}/${v.probe.probe}`] = v.verdict;
  return result;
}

/** `code:severity`, sorted, for every finding. */
export function findingCodes(analysis: Analysis): string[] {
  return analysis.findings.map((f) => `${f.code}:${f.severity}`).sort();
}

export function findingOf(analysis: Analysis, code: string): Finding {
  const found = analysis.findings.find((f) => f.code === code);
  assert.ok(found, `expected a ${code} finding, got ${findingCodes(analysis).join(', ') || 'none'}`);
  return found;
}

export function spanText(parsed: ParsedConfig, finding: Finding): string {
  return parsed.text.slice(finding.span.start, finding.span.end);
}

/** A Deployment `api` in namespace `shop` whose single container is given as YAML lines (indent 8). */
export function deployment(containers: string, extra = '', name = 'api'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${extra}      containers:
${containers}`;
}

/**
 * The usual web container: named port `http` = 8080 plus a metrics port 9100, liveness on the
 * named port, readiness on the number, a startup probe.
 */
export const API_CONTAINER = `        - name: app
          image: ghcr.io/example/api:1.4.2
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9100
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            failureThreshold: 30
`;

export const API_MANIFEST = deployment(API_CONTAINER);

/** One container with one liveness probe whose httpGet body is given (YAML, indent 14). */
export function livenessOnly(httpGet: string, ports = '            - name: http\n              containerPort: 8080\n'): string {
  return deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports:
${ports}          livenessProbe:
            httpGet:
${httpGet}`);
}

/** A JSON config on deployment/api in namespace shop with this `incoming` value (JSON text). */
export function jsonConfig(incoming: string, extraFeature = '', target = '{"path": "deployment/api", "namespace": "shop"}'): string {
  return `{
  "target": ${target},
  "feature": {${extraFeature}
    "network": {
      "incoming": ${incoming}
    }
  }
}
`;
}
