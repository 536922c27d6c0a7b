/** The jobs the language server's worker threads run, and their answers: plain data both ways. */
import type { Analysis, ConfigFormat, LookupRequest, ProbeKind, Verdict } from '../core/types';
import type { NewConfigTarget } from '../core/config/newConfig';
import type { ManifestCatalog, ManifestCatalogJob } from '../service/manifestCatalog';
import type { NewConfigOutcome } from '../service/newConfig';
import type { ManifestJob, ManifestResolution } from '../service/manifestResolution';
import type { SeverityOverrides } from '../service/settings';
import type { TransferableResolveResult } from '../service/transferableResolution';

/** The engine options that cross the thread (the regex runner lives in the worker). */
export interface WireAnalyzeOptions {
  mirrordVersion?: string;
  env?: Record<string, string | undefined>;
  severityOverrides?: SeverityOverrides;
}

export interface AnalyzeJob {
  /** `fixRisks`: fix-all limited to the probe risks (the check before a debug session). */
  kind: 'analyze' | 'plan' | 'fixAll' | 'fixRisks';
  text: string;
  format: ConfigFormat;
  options: WireAnalyzeOptions;
  /**
   * The lookup result to analyse with, for the lookup request it answers (JSON): used only when
   * the text's own request is that one (the main thread cannot know it before the parse).
   */
  candidate?: { request: string; resolution: TransferableResolveResult };
}

/** Target completion: how this config would treat each candidate target (one list of verdicts per candidate). */
export interface CandidateVerdictsJob {
  kind: 'candidateVerdicts';
  text: string;
  format: ConfigFormat;
  options: WireAnalyzeOptions;
  candidates: TransferableResolveResult[];
}

/** One probe's verdict for a completion candidate. */
export interface CandidateVerdict {
  container: string;
  probe: ProbeKind;
  verdict: Verdict;
}

/** New mirrord Config: the generated config for a workload, fixed and verified against its resolution. */
export interface NewConfigJob {
  kind: 'newConfig';
  target: NewConfigTarget;
  resolution: TransferableResolveResult;
  options: WireAnalyzeOptions;
}

export type WorkerJob =
  AnalyzeJob | CandidateVerdictsJob | NewConfigJob | { kind: 'manifests'; job: ManifestJob } | { kind: 'manifestCatalog'; job: ManifestCatalogJob };

export interface FixAllAnswer {
  text: string;
  applied: string[];
}

/** `analyze`: findings without fixes (planned on demand); `plan`: with them. */
export type WorkerAnswer =
  | { kind: 'analysis'; analysis: Analysis; staticLookup?: LookupRequest; usedCandidate: boolean }
  | { kind: 'fixAll'; result: FixAllAnswer }
  | { kind: 'manifests'; result: ManifestResolution }
  | { kind: 'manifestCatalog'; result: ManifestCatalog }
  | { kind: 'candidateVerdicts'; verdicts: CandidateVerdict[][] }
  | { kind: 'newConfig'; outcome: NewConfigOutcome };

export type WorkerRequest = { id: number; job: WorkerJob };
export type WorkerResponse = { id: number; ok: true; answer: WorkerAnswer; engineMs: number } | { id: number; ok: false; error: string };

/** The answer of the kind a job expects: another kind is a bug in the worker, thrown as such. */
export function answerOf<K extends WorkerAnswer['kind']>(answer: WorkerAnswer, kind: K): Extract<WorkerAnswer, { kind: K }> {
  if (answer.kind !== kind) throw new Error(`unexpected worker answer: ${answer.kind} for a ${kind} job`);
  return answer as Extract<WorkerAnswer, { kind: K }>;
}
