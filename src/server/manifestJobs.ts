/**
 * The service layer's manifest readers (lookups, catalogs) as worker jobs: parsing manifests is CPU
 * work, so the language server runs it off the protocol thread, in the pool's given lane.
 */
import type { ManifestCatalog, ManifestCatalogJob } from '../service/manifestCatalog';
import type { ManifestJob, ManifestResolution } from '../service/manifestResolution';
import { answerOf } from './workerJobs';
import type { Lane, WorkerPool } from './workerPool';

export function manifestReaders(
  pool: Pick<WorkerPool, 'run'>,
  lane: Lane,
  signal?: AbortSignal,
): { readManifests: (job: ManifestCatalogJob) => Promise<ManifestCatalog>; resolveManifests: (job: ManifestJob) => Promise<ManifestResolution> } {
  return {
    readManifests: async (job) => answerOf(await pool.run({ kind: 'manifestCatalog', job }, { lane, signal }), 'manifestCatalog').result,
    resolveManifests: async (job) => answerOf(await pool.run({ kind: 'manifests', job }, { lane, signal }), 'manifests').result,
  };
}
