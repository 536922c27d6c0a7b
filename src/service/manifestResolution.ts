import { resolveFromManifests } from '../core/k8s/resolveFromManifests';
import type { LookupRequest, ResolveResult } from '../core/types';
import { loadManifests, type ManifestReadOptions, type ParsedManifestFiles } from './inputFiles';

/** One manifest lookup: plain data, so the language server can run it in a worker thread. */
export interface ManifestJob {
  request: LookupRequest;
  namespace: string;
  entries: string[];
  baseDir: string;
  missing: 'error' | 'warn';
}

export interface ManifestResolution {
  result: ResolveResult;
  /** The manifest files read. */
  files: string[];
  warnings: string[];
}

/** Reads the manifests of `job.entries` and looks the target up in them (synchronous: parsing is CPU work). */
export function resolveFromManifestFiles(job: ManifestJob, parsedFiles?: ParsedManifestFiles): ManifestResolution {
  const manifests = loadManifests(job.entries, { baseDir: job.baseDir, missing: job.missing, parsedFiles });
  return { result: resolveFromManifests(job.request.ref, job.namespace, manifests.objects), files: manifests.files, warnings: manifests.warnings };
}

/**
 * For a run over many configs (the CLI): each distinct list of manifest entries is read once, and
 * each distinct target (kind, name, labels, container, namespace) resolved once in it.
 */
export class ManifestCache {
  private readonly loaded = new Map<string, ReturnType<typeof loadManifests>>();
  private readonly resolved = new Map<string, ManifestResolution>();

  /** The manifests of `entries`, read on the first call (an InputError for a missing entry when `missing` is 'error'). */
  load(entries: string[], options: ManifestReadOptions): ReturnType<typeof loadManifests> {
    const key = JSON.stringify([entries, options.baseDir, options.missing]);
    let manifests = this.loaded.get(key);
    if (!manifests) {
      manifests = loadManifests(entries, options);
      this.loaded.set(key, manifests);
    }
    return manifests;
  }

  /** `resolveFromManifestFiles`, once per distinct job. The warnings come with the first resolution only. */
  readonly resolve = (job: ManifestJob): ManifestResolution => {
    const key = JSON.stringify([job.entries, job.baseDir, job.missing, job.request.ref, job.namespace]);
    const known = this.resolved.get(key);
    if (known) return { ...known, warnings: [] };
    const first = !this.loaded.has(JSON.stringify([job.entries, job.baseDir, job.missing]));
    const manifests = this.load(job.entries, { baseDir: job.baseDir, missing: job.missing });
    const resolution: ManifestResolution = {
      result: resolveFromManifests(job.request.ref, job.namespace, manifests.objects),
      files: manifests.files,
      warnings: first ? manifests.warnings : [],
    };
    this.resolved.set(key, resolution);
    return resolution;
  };
}
