/**
 * Completion of target values (`target`, `target.path`, an object path's name and container,
 * `target.namespace`) in JSON, YAML and TOML configs: the kinds mirrord accepts, then the names of
 * that kind in the target's namespace (cluster or manifests, by the service layer's catalog
 * policy), then `/container/` and the workload's containers; namespaces. Each workload item says
 * its kind, its ready replicas and what this config would do to its probes (the engine judges
 * every candidate in a worker). Untrusted, only the kinds are offered: no cluster call and no
 * manifest read.
 */
import * as l10n from '@vscode/l10n';
import {
  CompletionItemKind,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configFormatForFileName } from '../core/config/configFormat';
import { getEntry } from '../core/config/configQuery';
import { parseConfig } from '../core/config/parseConfig';
import { pathStage, targetCompletionSite, type CompletableKind, type TargetCompletionSite } from '../core/target/targetCompletionSite';
import { podSourceContainers, summarizeWorkload, type WorkloadSummary } from '../core/target/workloadSummary';
import type { KubeObject } from '../core/types';
import type { ListWhat } from '../kube/clusterTypes';
import type { ClusterLookup } from '../service/clusterLookup';
import type { ServiceLog } from '../service/log';
import type { CatalogItem } from '../service/manifestCatalog';
import { candidateResolution, listCatalog, needsRelatedObjects, relatedObjects, type CatalogOutcome } from '../service/targetCatalog';
import { toTransferable } from '../service/transferableResolution';
import { wireOptions, type DocumentEnvironment } from './documentAnalyzer';
import { uriPathOrName } from './uris';
import type { WorkerPool } from './workerPool';
import { manifestReaders } from './manifestJobs';
import { answerOf, type CandidateVerdict } from './workerJobs';

/** Above this the protocol thread does not parse a text to find the cursor's place (as hover). */
const QUICK_PARSE_LIMIT = 256 * 1024;
/** Candidates judged by the engine per request; the others are offered without verdicts. */
const MAX_JUDGED = 100;

/** Characters after which a client asks again: the next segment of a path, an opened string. */
export const TARGET_COMPLETION_TRIGGERS = ['/', '"', "'"];

/** The kinds in the order people target them; `deploy` is mirrord's alias, not offered. */
const KINDS: { prefix: string; kind: CompletableKind; word: string }[] = [
  { prefix: 'deployment', kind: 'deployment', word: 'Deployment' },
  { prefix: 'rollout', kind: 'rollout', word: 'Argo Rollout' },
  { prefix: 'statefulset', kind: 'statefulset', word: 'StatefulSet' },
  { prefix: 'pod', kind: 'pod', word: 'Pod' },
  { prefix: 'job', kind: 'job', word: 'Job' },
  { prefix: 'cronjob', kind: 'cronjob', word: 'CronJob' },
  { prefix: 'replicaset', kind: 'replicaset', word: 'ReplicaSet' },
  { prefix: 'service', kind: 'service', word: 'Service' },
];

const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

export interface TargetCompletionHost {
  pool: WorkerPool;
  cluster: ClusterLookup;
  log: ServiceLog;
  document(uri: string): TextDocument | undefined;
  environment(uri: string): Promise<DocumentEnvironment>;
}

/**
 * The engine's verdicts per listed object (the list cache hands out the same objects while it
 * holds them) and per config without its target value: typing a name changes only that value,
 * which the verdicts of another target do not depend on, so each keystroke after the first costs
 * no engine run.
 */
type VerdictCache = WeakMap<KubeObject, Map<string, CandidateVerdict[]>>;
/** Config texts remembered per object: the one being typed and a few before it. */
const VERDICTS_PER_OBJECT = 4;

export class TargetCompleter {
  private readonly verdictCache: VerdictCache = new WeakMap();

  constructor(private readonly host: TargetCompletionHost) {}

  async complete(params: CompletionParams, token: CancellationToken): Promise<CompletionList | null | ResponseError<void>> {
    const document = this.host.document(params.textDocument.uri);
    if (!document) return null;
    const text = document.getText();
    if (text.length > QUICK_PARSE_LIMIT) return null;
    const format = configFormatForFileName(uriPathOrName(document.uri));
    const parsed = parseConfig(text, format);
    const offset = document.offsetAt(params.position);
    const site = targetCompletionSite(parsed, offset);
    if (!site) return null;
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      const environment = await this.host.environment(document.uri);
      const request = new CompletionRequest(
        this.host,
        this.verdictCache,
        document,
        site,
        offset,
        environment,
        kubeconfigFields(parsed.root, environment.sessionEnv),
        controller.signal,
      );
      const items = await request.items();
      if (token.isCancellationRequested) return cancelled();
      return { isIncomplete: false, items };
    } finally {
      cancellation.dispose();
    }
  }
}

/** The config's own `kubeconfig` and `kube_context` (or mirrord's variables for them). */
function kubeconfigFields(root: Parameters<typeof getEntry>[0], env: Record<string, string | undefined>): { kubeconfig?: string; kubeContext?: string } {
  const text = (key: string) => {
    const node = getEntry(root, key)?.value;
    return node?.kind === 'scalar' && typeof node.value === 'string' && node.value !== '' ? node.value : undefined;
  };
  const fields: { kubeconfig?: string; kubeContext?: string } = {};
  const kubeconfig = env.MIRRORD_KUBECONFIG || text('kubeconfig');
  const kubeContext = env.MIRRORD_KUBE_CONTEXT || text('kube_context');
  if (kubeconfig) fields.kubeconfig = kubeconfig;
  if (kubeContext) fields.kubeContext = kubeContext;
  return fields;
}

/** One completion request: the site, what the catalog holds for it, and the items. */
class CompletionRequest {
  constructor(
    private readonly host: TargetCompletionHost,
    private readonly verdictCache: VerdictCache,
    private readonly document: TextDocument,
    private readonly site: TargetCompletionSite,
    private readonly offset: number,
    private readonly environment: DocumentEnvironment,
    private readonly cluster: { kubeconfig?: string; kubeContext?: string },
    private readonly signal: AbortSignal,
  ) {}

  async items(): Promise<CompletionItem[]> {
    const site = this.site;
    switch (site.slot) {
      case 'namespace':
        return this.namespaceItems(site.content.start);
      case 'object-name':
        return this.nameItems(site.kind, site.content.start, site.content.end);
      case 'object-container':
        return this.containerItems(site.kind, site.name, site.content.start, site.content.end);
      case 'path':
        return this.pathItems(site);
    }
  }

  private async pathItems(site: Extract<TargetCompletionSite, { slot: 'path' }>): Promise<CompletionItem[]> {
    const stage = pathStage(site.typed);
    if (!stage) return [];
    const start = site.content.start;
    // Each segment is replaced up to the next `/`, so what follows the cursor (a container) stays.
    const segmentEnd = (from: number) => {
      const slash = this.document.getText().slice(from, site.content.end).indexOf('/');
      return slash < 0 ? site.content.end : from + slash;
    };
    switch (stage.stage) {
      case 'kind':
        return this.kindItems(start, segmentEnd(start), segmentEnd(start) < site.content.end);
      case 'name':
        return this.nameItems(stage.kind, start + stage.prefix.length, segmentEnd(start + stage.prefix.length));
      case 'container-keyword': {
        const from = start + stage.prefix.length;
        const item: CompletionItem = {
          label: 'container/',
          kind: CompletionItemKind.Keyword,
          detail: l10n.t('Choose a container of {0}/{1}', stage.kind, stage.name),
          textEdit: { range: this.range(from, site.content.end), newText: 'container/' },
          command: RETRIGGER,
        };
        return [item];
      }
      case 'container':
        return this.containerItems(stage.kind, stage.name, start + stage.prefix.length, site.content.end);
    }
  }

  private kindItems(start: number, end: number, slashFollows: boolean): CompletionItem[] {
    const items: CompletionItem[] = KINDS.map(({ prefix, word }, i) => ({
      label: `${prefix}/`,
      kind: CompletionItemKind.Module,
      detail: l10n.t('{0}: mirrord targets one of its pods', word),
      sortText: String(i).padStart(2, '0'),
      textEdit: { range: this.range(start, end), newText: slashFollows ? prefix : `${prefix}/` },
      ...(slashFollows ? {} : { command: RETRIGGER }),
    }));
    if (!slashFollows && this.site.slot === 'path') {
      items.push({
        label: 'targetless',
        kind: CompletionItemKind.Constant,
        detail: l10n.t('No target: incoming traffic cannot be stolen'),
        sortText: '90',
        textEdit: { range: this.range(start, end), newText: 'targetless' },
      });
      items.push({
        label: 'label/',
        kind: CompletionItemKind.Module,
        detail: l10n.t('Pods selected by labels: label/KEY=VALUE'),
        sortText: '91',
        textEdit: { range: this.range(start, end), newText: 'label/' },
      });
    }
    return items;
  }

  private async nameItems(kind: CompletableKind, start: number, end: number): Promise<CompletionItem[]> {
    const catalog = await this.catalog(kind);
    if (!catalog.ok) return [];
    const typed = this.document.getText().slice(start, this.offset);
    const summaries = catalog.items.map((item) => ({ item, summary: summarizeWorkload(kind, item.object) }));
    // The engine judges the likeliest candidates first: those the typed text starts.
    const judged = [...summaries].sort((a, b) => Number(!a.summary.name.startsWith(typed)) - Number(!b.summary.name.startsWith(typed))).slice(0, MAX_JUDGED);
    const verdicts = await this.verdicts(
      judged.map(({ item }) => ({ kind, object: item.object })),
      catalog,
    );
    const word = KINDS.find((k) => k.kind === kind)?.word ?? kind;
    return summaries
      .filter(({ summary }) => summary.name !== '')
      .map(({ item, summary }) => {
        const judgedAt = judged.findIndex((j) => j.item === item);
        const probes = judgedAt >= 0 ? verdicts[judgedAt] : undefined;
        const detail = [word, stateText(summary, item, catalog.source), probes && verdictText(probes)].filter((part): part is string => !!part).join(' · ');
        const completion: CompletionItem = {
          label: summary.name,
          kind: CompletionItemKind.Class,
          detail,
          documentation: { kind: MarkupKind.Markdown, value: workloadDocs(summary, item, catalog, probes) },
          textEdit: { range: this.range(start, end), newText: summary.name },
        };
        return completion;
      });
  }

  private async containerItems(kind: CompletableKind, name: string, start: number, end: number): Promise<CompletionItem[]> {
    const catalog = await this.catalog(kind);
    if (!catalog.ok) return [];
    const item = catalog.items.find((i) => i.object.metadata?.name === name);
    if (!item) return [];
    const summary = summarizeWorkload(kind, item.object);
    // A Service (or a workloadRef Rollout) has no pod template of its own: its containers are
    // those of the pod specs it resolves to.
    const containers = summary.containers.length > 0 ? summary.containers : await this.resolvedContainers(kind, item.object, catalog);
    const verdicts = await this.verdicts(
      containers.map((container) => ({ kind, object: item.object, container })),
      catalog,
    );
    return containers.map((container, i) => {
      const own = verdicts[i]?.filter((v) => v.container === container);
      const detail = [l10n.t('container of {0}/{1}', kind, name), own && verdictText(own)].filter((part): part is string => !!part).join(' · ');
      return {
        label: container,
        kind: CompletionItemKind.Field,
        detail,
        sortText: String(i).padStart(3, '0'),
        textEdit: { range: this.range(start, end), newText: container },
      };
    });
  }

  private async namespaceItems(start: number): Promise<CompletionItem[]> {
    const catalog = await this.catalog('namespace');
    if (!catalog.ok) return [];
    const end = this.site.content.end;
    return catalog.items
      .map((item) => String(item.object.metadata?.name ?? ''))
      .filter((name) => name !== '')
      .map((name) => ({
        label: name,
        kind: CompletionItemKind.Folder,
        detail: catalog.source === 'cluster' ? l10n.t('namespace (cluster)') : l10n.t('namespace (manifests)'),
        textEdit: { range: this.range(start, end), newText: name },
      }));
  }

  private catalog(what: ListWhat): Promise<CatalogOutcome> {
    const { settings, trusted, place } = this.environment;
    const namespace = this.environment.sessionEnv.MIRRORD_TARGET_NAMESPACE || ('namespace' in this.site ? this.site.namespace : undefined);
    return listCatalog(this.host.cluster, place, { what, namespace: what === 'namespace' ? undefined : namespace, ...this.cluster }, settings, {
      trusted,
      signal: this.signal,
      readManifests: manifestReaders(this.host.pool, 'interactive', this.signal).readManifests,
    });
  }

  private async resolvedContainers(kind: CompletableKind, object: KubeObject, catalog: Extract<CatalogOutcome, { ok: true }>): Promise<string[]> {
    if (!needsRelatedObjects(kind, object)) return [];
    const related = await this.related([{ kind, object }], catalog);
    const resolution = candidateResolution(kind, object, catalog.namespace, catalog.source, undefined, related);
    return resolution?.ok ? podSourceContainers(resolution.target.pods) : [];
  }

  /** The namespace's objects that Services and workloadRef Rollouts among the candidates need (none when none do). */
  private related(candidates: { kind: CompletableKind; object: KubeObject }[], catalog: Extract<CatalogOutcome, { ok: true }>): Promise<KubeObject[]> {
    const pods = candidates.some((c) => c.kind === 'service');
    const deployments = candidates.some((c) => c.kind === 'rollout' && needsRelatedObjects(c.kind, c.object));
    if (!pods && !deployments) return Promise.resolve([]);
    return relatedObjects(catalog, { pods, deployments }, (what) => this.catalog(what));
  }

  /** The engine's verdicts for each candidate under this config (undefined where it cannot judge). */
  private async verdicts(candidates: { kind: CompletableKind; object: KubeObject; container?: string }[], catalog: Extract<CatalogOutcome, { ok: true }>) {
    const text = this.document.getText();
    const options = wireOptions(this.environment);
    // The config without the value being typed: what the verdicts of other targets depend on.
    const configKey = JSON.stringify([
      text.slice(0, this.site.content.start),
      text.slice(this.site.content.end),
      this.document.uri,
      options,
      catalog.namespace,
    ]);
    const keyOf = (c: { container?: string }) => `${configKey}\u0000${c.container ?? ''}`;
    const result: (CandidateVerdict[] | undefined)[] = candidates.map((c) => this.verdictCache.get(c.object)?.get(keyOf(c)));
    const related = await this.related(
      candidates.filter((_, i) => result[i] === undefined),
      catalog,
    );
    if (this.signal.aborted) return result;
    const missing = candidates
      .map((c, i) => ({
        c,
        i,
        r: result[i] === undefined ? candidateResolution(c.kind, c.object, catalog.namespace, catalog.source, c.container, related) : undefined,
      }))
      .filter((x): x is typeof x & { r: NonNullable<typeof x.r> } => x.r !== undefined);
    if (missing.length === 0 || this.signal.aborted) return result;
    const answer = await this.host.pool.run(
      {
        kind: 'candidateVerdicts',
        text,
        format: configFormatForFileName(uriPathOrName(this.document.uri)),
        options,
        candidates: missing.map((x) => toTransferable(x.r)!),
      },
      { lane: 'interactive', signal: this.signal },
    );
    const { verdicts: judgedVerdicts } = answerOf(answer, 'candidateVerdicts');
    missing.forEach((x, j) => {
      const verdicts = judgedVerdicts[j];
      result[x.i] = verdicts;
      let known = this.verdictCache.get(x.c.object);
      if (!known) this.verdictCache.set(x.c.object, (known = new Map()));
      known.set(keyOf(x.c), verdicts);
      if (known.size > VERDICTS_PER_OBJECT) known.delete(known.keys().next().value!);
    });
    return result;
  }

  private range(start: number, end: number): Range {
    return { start: this.document.positionAt(start), end: this.document.positionAt(end) };
  }
}

/** `2/2 ready`, `Running, ready`, `from api.yaml:3`. */
function stateText(summary: WorkloadSummary, item: CatalogItem, source: 'cluster' | 'manifests'): string | undefined {
  if (summary.replicas) return l10n.t('{0}/{1} ready', summary.replicas.ready, summary.replicas.desired);
  if (summary.pod) return summary.pod.ready ? l10n.t('{0}, ready', summary.pod.phase) : l10n.t('{0}, not ready', summary.pod.phase);
  if (summary.schedule) return l10n.t('schedule {0}', summary.schedule);
  if (source === 'manifests' && item.file) return l10n.t('from {0}', manifestPlace(item));
  return undefined;
}

/**
 * What this config would do to the liveness and readiness probes: `liveness stolen`,
 * `readiness conditional`, `probes not stolen`, `no liveness or readiness probe`.
 */
export function verdictText(verdicts: CandidateVerdict[]): string {
  const relevant = verdicts.filter((v) => v.probe !== 'startup');
  if (relevant.length === 0) return l10n.t('no liveness or readiness probe');
  const parts: string[] = [];
  for (const probe of ['liveness', 'readiness'] as const) {
    const of = relevant.filter((v) => v.probe === probe);
    const worst = (['stolen', 'conditional', 'unknown'] as const).find((verdict) => of.some((v) => v.verdict === verdict));
    if (worst === 'stolen') parts.push(l10n.t('{0} stolen', probe));
    else if (worst === 'conditional') parts.push(l10n.t('{0} stolen if your app listens on its port', probe));
    else if (worst === 'unknown') parts.push(l10n.t('{0} unknown', probe));
  }
  return parts.length ? parts.join(', ') : l10n.t('probes not stolen');
}

function workloadDocs(
  summary: WorkloadSummary,
  item: CatalogItem,
  catalog: Extract<CatalogOutcome, { ok: true }>,
  verdicts: CandidateVerdict[] | undefined,
): string {
  const lines: string[] = [];
  const where =
    catalog.source === 'cluster'
      ? l10n.t('From the cluster (context {0}, namespace {1}).', catalog.info?.context ?? '-', catalog.namespace)
      : l10n.t('From the manifests ({0}, namespace {1}).', item.file ? manifestPlace(item) : '-', catalog.namespace);
  lines.push(`**${summary.kind}/${summary.name}** · ${where}`);
  if (summary.containers.length) lines.push('', l10n.t('Containers: {0}', summary.containers.join(', ')));
  if (verdicts === undefined) {
    lines.push('', l10n.t('Its probes are checked once it is the target.'));
  } else if (verdicts.length) {
    lines.push('', `| ${l10n.t('container')} | ${l10n.t('probe')} | ${l10n.t('with this config')} |`, '|---|---|---|');
    for (const v of verdicts) lines.push(`| ${v.container} | ${v.probe} | ${v.verdict} |`);
  }
  return lines.join('\n');
}

function manifestPlace(item: CatalogItem): string {
  const file = (item.file ?? '').split(/[\\/]/).pop() ?? '';
  return item.line === undefined ? file : `${file}:${item.line + 1}`;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
