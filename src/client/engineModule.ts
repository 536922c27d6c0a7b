/**
 * Everything the editor needs from the engine, bundled as dist/engine.js and loaded on the first
 * analysis (see lazyEngine.ts): the parsers (yaml, toml) and the regex translator are most of the
 * extension's code, and activation should not pay for them.
 */
export { analyzeConfig } from '../core/analyze/analyzeConfig';
export { parseConfig } from '../core/config/parseConfig';
export { parseManifests } from '../core/k8s/manifests';
export { resolveFromManifests } from '../core/k8s/resolveFromManifests';
export { renderProbeReportMarkdown } from '../core/report/probeReport';
export { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
export { resolveFromManifestFiles } from '../service/manifestResolution';
