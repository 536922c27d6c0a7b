/**
 * A worker thread of the language server (bundled as dist/serverWorker.js): runs the engine, which
 * is synchronous and may spend a second or two on a hostile regex within its budget, so that the
 * protocol thread keeps answering hover and code actions meanwhile. One job at a time.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeConfig, verdictsForCandidate } from '../core/analyze/analyzeConfig';
import { parseConfig } from '../core/config/parseConfig';
import { isRiskCode } from '../core/rules';
import type { AnalyzeOptions, Finding } from '../core/types';
import { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
import { fixAll } from '../service/fixes';
import { ParsedManifestFiles } from '../service/inputFiles';
import { configTextProblem } from '../service/inputLimits';
import { manifestCatalog } from '../service/manifestCatalog';
import { verifiedNewConfig } from '../service/newConfig';
import { resolveFromManifestFiles } from '../service/manifestResolution';
import { fromTransferable, toTransferable } from '../service/transferableResolution';
import { toPlainAnalysis } from './plainAnalysis';
import type { WorkerAnswer, WorkerJob, WorkerRequest, WorkerResponse } from './workerJobs';

const regexRunner = createBudgetedRegexRunner();
/** Completion and lookups read the manifests on every request: unchanged files are not parsed again. */
const parsedManifests = new ParsedManifestFiles();

function run(job: WorkerJob): WorkerAnswer {
  if (job.kind === 'manifests') {
    const found = resolveFromManifestFiles(job.job, parsedManifests);
    return { kind: 'manifests', result: { ...found, result: toTransferable(found.result) ?? found.result } };
  }
  if (job.kind === 'manifestCatalog') return { kind: 'manifestCatalog', result: manifestCatalog(job.job, parsedManifests) };
  const options: AnalyzeOptions = { ...job.options, regexRunner };
  if (job.kind === 'newConfig') {
    const resolution = fromTransferable(job.resolution);
    if (!resolution) return { kind: 'newConfig', outcome: { ok: false, reason: 'No workload to verify the config against.', probes: [] } };
    return { kind: 'newConfig', outcome: verifiedNewConfig(job.target, resolution, options) };
  }
  if (job.kind === 'candidateVerdicts') {
    const parsed = parseConfig(configTextProblem(job.text) ? '' : job.text, job.format);
    // One regex budget for the whole list, as for one analysis.
    regexRunner.beginAnalysis?.();
    const verdicts = job.candidates.map((candidate) => {
      const resolution = fromTransferable(candidate);
      if (!resolution?.ok) return [];
      return verdictsForCandidate(parsed, resolution, options).map((v) => ({ container: v.probe.container, probe: v.probe.probe, verdict: v.verdict }));
    });
    return { kind: 'candidateVerdicts', verdicts };
  }
  const tooLarge = configTextProblem(job.text);
  const parsed = parseConfig(tooLarge ? '' : job.text, job.format);
  const staticAnalysis = analyzeConfig(parsed, undefined, options);
  const usedCandidate = job.candidate !== undefined && staticAnalysis.lookup !== undefined && JSON.stringify(staticAnalysis.lookup) === job.candidate.request;
  const resolution = usedCandidate ? fromTransferable(job.candidate?.resolution) : undefined;
  if (job.kind === 'fixAll' || job.kind === 'fixRisks') {
    // Over the size limit the config is not analysed, so nothing is planned or fixed either.
    if (tooLarge) return { kind: 'fixAll', result: { text: job.text, applied: [] } };
    const include = job.kind === 'fixRisks' ? (finding: Finding) => isRiskCode(finding.code) : undefined;
    const result = fixAll(job.text, (text) => analyzeConfig(parseConfig(text, job.format), resolution, options), undefined, include);
    return { kind: 'fixAll', result: { text: result.text, applied: result.applied.map((f) => f.title) } };
  }
  const analysis = resolution ? analyzeConfig(parsed, resolution, options) : staticAnalysis;
  if (tooLarge) analysis.findings = [{ code: 'config-too-large', severity: 'warning', message: tooLarge, span: { start: 0, end: 0 }, fixes: [] }];
  return { kind: 'analysis', analysis: toPlainAnalysis(analysis, job.kind === 'plan'), staticLookup: staticAnalysis.lookup, usedCandidate };
}

parentPort?.on('message', (request: WorkerRequest) => {
  const started = performance.now();
  let response: WorkerResponse;
  try {
    response = { id: request.id, ok: true, answer: run(request.job), engineMs: performance.now() - started };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  try {
    parentPort?.postMessage(response);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, ok: false, error: `answer not transferable: ${error instanceof Error ? error.message : String(error)}` });
  }
});
