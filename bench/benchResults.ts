/** The shape of bench/results.json: one run of every benchmark, and the goals evaluated on it. */
import type { ActivationResult } from './activationBench';
import type { ActivationRealResult } from './activationRealBench';
import type { BundleResult } from './bundleBench';
import type { EditorBenchResult } from './editorBench';
import type { CliResult } from './cliBench';
import type { CompletionBenchResult } from './completionBench';
import type { EngineResult } from './engineBench';
import type { LookupResult } from './lookupBench';
import type { MemoryResult } from './memoryBench';
import type { ServerBenchResult } from './serverBench';
import type { TypingResult } from './typingBench';

export interface BenchResults {
  machine: { node: string; cpus: number; cpu: string; platform: string; date: string };
  engine: EngineResult;
  typing: TypingResult;
  lookup: LookupResult;
  activation_ms: number;
  activation: ActivationResult;
  /** In code-server, the extension host's own timing; null when it could not run here (the reason beside it). */
  activation_real_ms: number | null;
  activation_real: ActivationRealResult | null;
  activation_real_error?: string;
  bundle: Omit<BundleResult, 'dir'>;
  memory: MemoryResult;
  server: ServerBenchResult;
  /**
   * Typing path in an editor: target completion over the protocol (always measured), and the
   * code-server latencies, absent when code-server could not run here (the reason beside it).
   */
  editor: CompletionBenchResult & Partial<EditorBenchResult>;
  editor_error?: string;
  cli: CliResult;
  /** os.loadavg() (1, 5, 15 min, as `uptime` prints it) before and after each part of the run. */
  load_average?: Record<string, { before: string; after: string }>;
  goals?: Goal[];
}

export interface Goal {
  name: string;
  measured: string;
  target: string;
  met: boolean | null;
}
