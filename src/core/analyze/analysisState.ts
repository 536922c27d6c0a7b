import type { AnalyzeOptions, ParsedConfig, ResolveResult, TargetRef } from '../types';
import type { VerdictContext } from './probeVerdict';
import type { NetworkSettings } from './readNetworkSettings';

/** Everything the verdicts and fixes need, read once per analysis (by analyzeConfig). */
export interface AnalysisState {
  parsed: ParsedConfig;
  settings: NetworkSettings;
  targetRef?: TargetRef;
  context: VerdictContext;
  resolution?: ResolveResult;
  options: AnalyzeOptions;
}
