/**
 * Target completion over the protocol, as an editor asks for it: the language server over stdio
 * against the test API server with 60 deployments in one namespace. A name is typed one character
 * at a time (`deployment/` then `deployment/c`... `deployment/checkout-17`), each edit followed by
 * a completion request, as VS Code sends them. `target_completion_requests` counts the LISTs of
 * deployments the whole name cost (goal: one per kind and namespace); `target_completion_warm_ms`
 * is the median round trip of the requests after the first (the list cached, every candidate
 * still judged by the engine under the config).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../test/protocol/lspTestClient';
import { startKubeApiServer } from '../test/support/kubeApiServer';
import { writeSimpleKubeconfig } from '../test/support/kubeconfigs';
import { deployment } from '../test/support/kubeFixtures';
import { median, round } from './stats';

export interface CompletionBenchResult {
  /** Median completion round trip once the kind's LIST is cached (ms). */
  target_completion_warm_ms: number;
  /** The first request: the LIST and the engine's verdicts for every candidate (ms). */
  target_completion_cold_ms: number;
  /** LISTs of deployments while the whole name was typed. */
  target_completion_requests: number;
  target_completion_candidates: number;
  target_completion_samples: number;
}

const DEPLOYMENTS = 60;
const NAME = 'checkout-17';

export async function runCompletionBench(log: (line: string) => void): Promise<CompletionBenchResult> {
  const objects = Array.from({ length: DEPLOYMENTS }, (_, i) => ({
    ...deployment(`${['checkout', 'cart', 'orders', 'search'][i % 4]}-${i}`, { app: `a${i}` }, 'bench'),
    status: { replicas: 2, readyReplicas: 2 },
  }));
  const api = await startKubeApiServer({ objects });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-completion-bench-'));
  const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: writeSimpleKubeconfig(api, dir, { namespace: 'bench' }) };
  const client = await LspTestClient.start({ workspaceFolder: dir, trusted: true, env });
  try {
    const uri = pathToFileURL(path.join(dir, '.mirrord', 'bench.mirrord.json')).href;
    const config = (typed: string) => `{\n  "target": { "path": "${typed}", "namespace": "bench" },\n  "feature": { "network": { "incoming": "steal" } }\n}\n`;
    const since = api.requests.length;
    const times: number[] = [];
    let candidates = 0;
    for (let i = 'deployment/'.length; i <= `deployment/${NAME}`.length; i++) {
      const typed = `deployment/${NAME}`.slice(0, i);
      const text = config(typed);
      if (client.version(uri) === undefined) await client.open(uri, text);
      else await client.change(uri, text);
      const line = 1;
      const character = text.split('\n')[line].indexOf(typed) + typed.length;
      const t0 = performance.now();
      const list = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      times.push(performance.now() - t0);
      candidates = Math.max(candidates, list?.items.length ?? 0);
    }
    await client.request('probeGuard/whenIdle', {});
    const lists = api.requests.slice(since).filter((r) => r.path === '/apis/apps/v1/namespaces/bench/deployments').length;
    const result: CompletionBenchResult = {
      target_completion_warm_ms: round(median(times.slice(1)), 1),
      target_completion_cold_ms: round(times[0], 1),
      target_completion_requests: lists,
      target_completion_candidates: candidates,
      target_completion_samples: times.length - 1,
    };
    log(
      `  completion: warm ${result.target_completion_warm_ms} ms (median of ${result.target_completion_samples}, ${candidates} candidates judged), cold ${result.target_completion_cold_ms} ms, ${lists} LIST(s) for the whole name`,
    );
    return result;
  } finally {
    await client.stop();
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
