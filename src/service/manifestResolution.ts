import { resolveFromManifests } from '../core/k8s/resolveFromManifests';
import type { LookupRequest, ResolveResult } from '../core/types';
import { loadManifests } from './inputFiles';

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
export function resolveFromManifestFiles(job: ManifestJob): ManifestResolution {
  const manifests = loadManifests(job.entries, { baseDir: job.baseDir, missing: job.missing });
  return { result: resolveFromManifests(job.request.ref, job.namespace, manifests.objects), files: manifests.files, warnings: manifests.warnings };
}
