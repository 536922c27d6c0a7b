/**
 * Probe Guard's own messages between the language server and its clients, beside the standard
 * LSP ones. Plain method names and JSON shapes, so any editor can send them; the VS Code client
 * uses all of them, other editors need none (untrusted until they send didChangeTrust, or set
 * `initializationOptions.workspaceTrusted`).
 */
import type { Analysis, ResolveResult } from '../core/types';
import type { ClusterInfo } from '../kube/clusterTypes';
import type { PodRestarts } from '../core/report/breakpointCountdown';
import type { SessionRisk } from './sessionRisk';
import type { LookupStatus } from './targetLookup';

/** What the client sends in `initialize`. */
export interface ProbeGuardInitializationOptions {
  /** The workspace is trusted: cluster calls, exec plugins and workspace paths are allowed. Default false. */
  workspaceTrusted?: boolean;
  /** Settings for clients without `workspace/configuration` (the `probeGuard` section). */
  settings?: unknown;
  /**
   * The l10n bundle of the client's display language, as contents (`{ "English message": "translation" }`,
   * VS Code's `vscode.l10n.bundle`); the server's texts are English without it.
   */
  l10nBundle?: Record<string, string>;
  /**
   * The client's YAML support completes and describes mirrord's keys from the schema itself (VS Code
   * with Red Hat's YAML extension, which reads the extension's `yamlValidation`; an editor running
   * yaml-language-server with schemas/mirrord.schema.json): the server then gives no YAML key items
   * or key hover, which would list every key twice. Default false.
   */
  yamlSchemaSupport?: boolean;
  /**
   * The client runs `probeGuard.refreshTarget` and `probeGuard.showLog` from `command:` links in a
   * hover (VS Code's extension): the probe hover then ends with "Refresh · Show log". Default false.
   */
  hoverCommandLinks?: boolean;
}

/** Client → server: the workspace was trusted (VS Code's onDidGrantWorkspaceTrust). */
export const DID_CHANGE_TRUST = 'probeGuard/didChangeTrust';
export interface DidChangeTrustParams {
  trusted: boolean;
}

/** Client → server: the session environment of a config (a launch configuration's `env`). */
export const DID_CHANGE_SESSION_ENV = 'probeGuard/didChangeSessionEnv';
export interface DidChangeSessionEnvParams {
  uri: string;
  /** Undefined: no launch configuration names this config. */
  env?: Record<string, string>;
}

/** Server → client, after each analysis of a config: what the status item shows. */
export const STATUS = 'probeGuard/status';
export interface StatusParams {
  uri: string;
  version: number;
  lookup: LookupStatus['kind'];
  /** `context · namespace` (or "Restricted Mode"). */
  clusterText: string;
  lookupText: string;
  severity: 'information' | 'warning';
  busy: boolean;
}

/** Client → server: the probe report (the hover's tables, with a heading) of a config. */
export const PROBE_REPORT = 'probeGuard/probeReport';
export interface ProbeReportParams {
  textDocument: { uri: string };
}
export interface ProbeReportResult {
  markdown: string;
}

/** Client → server: drop the cached lookups and look every open config's target up again. */
export const REFRESH = 'probeGuard/refresh';

/** Client → server: the contexts of the kubeconfig a config would use (Select Kube Context). */
export const LIST_CONTEXTS = 'probeGuard/listContexts';
export interface ListContextsParams {
  textDocument?: { uri: string };
  /** Without a document: the workspace folder whose settings (probeGuard.kubeconfig) apply. */
  folderUri?: string;
}
export interface ListContextsResult {
  contexts: string[];
  /** Why there are none (untrusted, unreadable kubeconfig). */
  error?: string;
}

/** The code action kind of "Fix all probe risks in this file". */
export const FIX_ALL_KIND = 'source.fixAll.probeGuard';

/** `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'Probe Guard';

/** Client → server: resolves when no analysis and no lookup is waiting or running (tests, tools). */
export const WHEN_IDLE = 'probeGuard/whenIdle';

/** Client → server: the published state of an open config, as plain data (tests, tools); null when none. */
export const DOCUMENT_STATE = 'probeGuard/documentState';
export interface DocumentStateParams {
  textDocument: { uri: string };
}
export interface DocumentStateResult {
  uri: string;
  version: number;
  analysis: Analysis;
  resolution?: ResolveResult;
  info?: ClusterInfo;
  status: LookupStatus;
}

/** Client → server: what the server has loaded (the activation tests check client-node is not). */
export const SERVER_INFO = 'probeGuard/serverInfo';
export interface ServerInfoResult {
  kubeModuleLoaded: boolean;
}

/**
 * Client → server: what a launch configuration's mirrord session would do (the launch.json
 * CodeLens): the config it loads, analysed with the launch `env` over it, its target looked up.
 */
export const LAUNCH_VERDICT = 'probeGuard/launchVerdict';
export interface LaunchVerdictParams {
  /** The config file mirrord would load; absent when there is none (mirrord's defaults, plus `env`). */
  config?: { uri: string };
  /** The launch configuration's `env` (its `MIRRORD_*` variables override the file). */
  env?: Record<string, string>;
  /** The workspace folder of the launch configuration (settings, manifests). */
  folderUri?: string;
}
export interface LaunchVerdictResult {
  /** One line: "mirrord: steal deployment/api, liveness stolen · .mirrord/api.mirrord.json". */
  title: string;
  /** The `MIRRORD_*` variables that took effect and what the lookup said, one line each. */
  details: string[];
  mode: 'steal' | 'mirror' | 'off' | 'unknown';
  /** `deployment/api`, `pod/x/container/c`, `targetless`; absent when the config names none. */
  target?: string;
  /** Liveness and readiness probes that would be stolen (`stolen`), or may be (`conditional`, `unknown`). */
  atRisk: { probe: 'liveness' | 'readiness'; verdict: 'stolen' | 'conditional' | 'unknown'; container: string }[];
  lookup: LookupStatus['kind'];
  /** Why the config could not be analysed (missing, unreadable, outside the workspace in Restricted Mode). */
  problem?: string;
}

/**
 * Client → server, before a debug session under mirrord starts: the config's verdict with the
 * launch's `MIRRORD_*` environment (mirrord applies it over the file), and the edit of the
 * preferred fixes for its probe risks. The config must be open (the client opens it).
 */
export const SESSION_CHECK = 'probeGuard/sessionCheck';
export interface SessionCheckParams {
  textDocument: { uri: string };
  /** The launch configuration's `MIRRORD_*` variables. */
  env?: Record<string, string>;
}
export interface SessionCheckResult {
  /** The document version checked (the edit applies to it only). */
  version: number;
  risk: SessionRisk;
  /** How the target's probes were found: `resolved` from the cluster or manifests, else the static verdict. */
  lookup: LookupStatus['kind'];
  /** Where the probes came from when resolved. */
  source?: 'cluster' | 'manifests';
  /** The preferred fixes of the probe risks, applied one after another, as edits of the checked version. */
  fix?: { titles: string[]; edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] };
}

/**
 * Client → server, for the breakpoint countdown: the restart counts of the pods behind the
 * config's target, read fresh from the cluster. `unavailable` in Restricted Mode, with the lookup
 * off, or when the target did not come from the cluster.
 */
export const TARGET_RESTARTS = 'probeGuard/targetRestarts';
export interface TargetRestartsParams {
  textDocument: { uri: string };
  env?: Record<string, string>;
}
export type TargetRestartsResult = { kind: 'counts'; pods: PodRestarts[] } | { kind: 'unavailable'; reason: string };

/**
 * Client → server, New mirrord Config: the workloads a new config may target (deployments,
 * rollouts, statefulsets) from the cluster of the folder's kubeconfig and context, or from
 * `probeGuard.manifests` when no cluster is used or it cannot answer. Restricted Mode: none, no
 * cluster call, and `restricted` with the message.
 */
export const NEW_CONFIG_CANDIDATES = 'probeGuard/newConfigCandidates';
export interface NewConfigCandidatesParams {
  /** The workspace folder whose settings (kubeconfig, context, namespace, manifests) apply; default the first. */
  folderUri?: string;
}
export type { NewConfigCandidate, NewConfigCandidatesResult } from './newConfigTargets';

/**
 * Client → server: the text of a new config for one workload, verified by the engine (steal with
 * a filter under which its liveness and readiness probes are not stolen), or why there is none.
 */
export const NEW_CONFIG_TEXT = 'probeGuard/newConfigText';
export interface NewConfigTextParams {
  workload: { kind: string; name: string; namespace?: string };
  container?: string;
  folderUri?: string;
}
export type { NewConfigTextResult } from './newConfigTargets';
