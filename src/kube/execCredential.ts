/**
 * Runs a kubeconfig user's `exec` credential plugin (client.authentication.k8s.io ExecCredential,
 * v1 and v1beta1) ourselves instead of through client-node's ExecAuth, which never kills a plugin
 * that hangs (e.g. one waiting for an interactive SSO login) and hands it `process.env`.
 *
 * - the command runs with its args, non-interactively (stdin ignored, `spec.interactive: false`),
 *   with env = settings.env + the stanza's `env` + `KUBERNETES_EXEC_INFO`; a relative command
 *   containing a path separator was already made relative to its kubeconfig's folder by the loader;
 * - each run has a deadline (settings.timeoutMs) and follows the lookup's AbortSignal: on either,
 *   the child gets SIGTERM, then SIGKILL after a short grace;
 * - the printed credential (token, or client certificate + key) is cached until its
 *   `expirationTimestamp` (not at all without one), keyed by the kubeconfig user, the stanza and
 *   the environment it ran with;
 * - every failure is typed; messages name the plugin and the user, never what it printed on
 *   stdout, and only the first stderr line, scrubbed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LRUCache } from 'lru-cache';
import type { ResolveFailure } from '../core/types';
import type { ClusterSelection } from './clusterSelection';
import { scrubText, secretsOfUser } from './scrubSecrets';

export interface ExecCredential {
  token?: string;
  /** PEM, as the plugin printed it. */
  clientCertificateData?: string;
  /** PEM, as the plugin printed it. */
  clientKeyData?: string;
  /** Epoch ms; undefined when the plugin gave no expiry (then it is not cached). */
  expiresAt?: number;
}

export type ExecCredentialOutcome = { ok: true; credential: ExecCredential; fromCache: boolean } | { ok: false; failure: ResolveFailure };

export interface ExecRunOptions {
  /** The environment the plugin starts from (settings.env). */
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Clock for the expiry check (tests inject one). */
  now?: () => number;
  /** Between SIGTERM and SIGKILL. Default 1000 ms. */
  killGraceMs?: number;
}

export const SUPPORTED_EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

const DEFAULT_KILL_GRACE_MS = 1000;
const MAX_STDOUT_BYTES = 4 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;
const MAX_CACHE_ENTRIES = 64;

// ---- cache -------------------------------------------------------------------------------------

// Bounded LRU (lru-cache). Expiry is the credential's own expirationTimestamp, checked against the
// caller's clock on every read (tests inject one), so no TTL is given to the cache itself.
const cache = new LRUCache<string, ExecCredential>({ max: MAX_CACHE_ENTRIES });

function cacheKey(selection: ClusterSelection, env: Record<string, string>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([selection.info.kubeconfigFiles, selection.info.user, selection.userEntry.exec ?? null]));
  // The plugin's answer depends on its environment (AWS_PROFILE, ...): hashed, never kept.
  hash.update('\0').update(JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return hash.digest('hex');
}

/** Drops every cached credential (tests; a kubeconfig change keys differently anyway). */
export function clearExecCredentialCache(): void {
  cache.clear();
}

/** Drops the cached credential of a selection (after the server refused it). */
export function forgetExecCredential(selection: ClusterSelection, env: Record<string, string | undefined>): void {
  const stanza = selection.userEntry.exec;
  if (!stanza || typeof stanza !== 'object') return;
  cache.delete(cacheKey(selection, pluginEnv(selection, stanza, env)));
}

// ---- helpers -----------------------------------------------------------------------------------

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The `spec.cluster` of KUBERNETES_EXEC_INFO, sent only when the stanza sets provideClusterInfo. */
function clusterInfoFor(selection: ClusterSelection): Record<string, unknown> {
  const c = selection.clusterEntry;
  const out: Record<string, unknown> = { server: selection.info.server };
  if (str(c['tls-server-name'])) out['tls-server-name'] = c['tls-server-name'];
  if (c['insecure-skip-tls-verify'] === true) out['insecure-skip-tls-verify'] = true;
  if (str(c['proxy-url'])) out['proxy-url'] = c['proxy-url'];
  if (str(c['certificate-authority-data'])) out['certificate-authority-data'] = c['certificate-authority-data'];
  else if (str(c['certificate-authority'])) {
    try {
      out['certificate-authority-data'] = readFileSync(c['certificate-authority']).toString('base64');
    } catch {
      // The HTTPS setup reports an unreadable CA file; the plugin just does not get it.
    }
  }
  const extensions = Array.isArray(c.extensions) ? c.extensions : [];
  const own = extensions.find((e: any) => e && e.name === 'client.authentication.k8s.io/exec');
  if (own && own.extension !== undefined) out.config = own.extension;
  return out;
}

function pluginEnv(selection: ClusterSelection, stanza: Record<string, any>, base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base ?? {})) if (typeof v === 'string') env[k] = v;
  if (Array.isArray(stanza.env)) {
    for (const e of stanza.env)
      if (e && typeof e.name === 'string' && e.name !== '' && e.value !== undefined && e.value !== null) env[e.name] = String(e.value);
  }
  const spec: Record<string, unknown> = { interactive: false };
  if (stanza.provideClusterInfo === true) spec.cluster = clusterInfoFor(selection);
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: stanza.apiVersion, kind: 'ExecCredential', spec });
  return env;
}

function firstLine(text: string): string | undefined {
  const line = text
    .split(/\r?\n/)
    .find((l) => l.trim() !== '')
    ?.trim();
  if (line === undefined) return undefined;
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

// ---- running -----------------------------------------------------------------------------------

type RunOutcome =
  | { status: 'exited'; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { status: 'spawn-error'; code: string }
  | { status: 'too-much-output' }
  | { status: 'timeout' }
  | { status: 'cancelled' };

/**
 * Spawns the plugin and settles on its exit, the deadline or the signal; on the last two (and on
 * runaway output) the child is terminated, then killed after the grace period if still running.
 */
function runPlugin(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  graceMs: number,
): Promise<RunOutcome> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ status: 'cancelled' });
      return;
    }
    let settled = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false, shell: false, windowsHide: true });
    } catch (err: any) {
      resolve({ status: 'spawn-error', code: String(err?.code ?? 'EINVAL') });
      return;
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });

    const stop = (): void => {
      if (exited || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => {
        if (!exited && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', () => clearTimeout(killer));
    };
    const finish = (outcome: RunOutcome, kill: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (kill) stop();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ status: 'cancelled' }, true);
    const timer = setTimeout(() => finish({ status: 'timeout' }, true), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) finish({ status: 'too-much-output' }, true);
      else stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      // Failed to start (ENOENT, EACCES); a kill error after start is not reported here.
      if (child.pid === undefined) finish({ status: 'spawn-error', code: String(err?.code ?? 'unknown error') }, false);
    });
    child.once('close', (code: number | null, sig: NodeJS.Signals | null) => {
      finish({ status: 'exited', code, signal: sig, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }, false);
    });
  });
}

// ---- parsing -----------------------------------------------------------------------------------

function parseCredential(stdout: string, apiVersion: string): ExecCredential | string {
  let doc: any;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return stdout.trim() === ''
      ? 'printed nothing on stdout (expected an ExecCredential as JSON)'
      : 'did not print valid JSON on stdout (expected an ExecCredential)';
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc.kind !== 'ExecCredential')
    return 'did not print an ExecCredential (its "kind" is not ExecCredential)';
  if (doc.apiVersion !== apiVersion) {
    const printed = typeof doc.apiVersion === 'string' && /^[\w./-]{1,100}$/.test(doc.apiVersion) ? doc.apiVersion : 'another or no apiVersion';
    return `printed an ExecCredential of ${printed}, but the kubeconfig asks for ${apiVersion}`;
  }
  const status = doc.status;
  if (!status || typeof status !== 'object') return 'printed an ExecCredential without a status';
  const token = str(status.token);
  const cert = str(status.clientCertificateData);
  const key = str(status.clientKeyData);
  if ((cert === undefined) !== (key === undefined)) return 'printed a client certificate without its key (or a key without its certificate)';
  if (token === undefined && cert === undefined) return 'printed an ExecCredential with neither a token nor a client certificate and key';
  const credential: ExecCredential = {};
  if (token !== undefined) credential.token = token;
  if (cert !== undefined && key !== undefined) {
    credential.clientCertificateData = cert;
    credential.clientKeyData = key;
  }
  if (typeof status.expirationTimestamp === 'string') {
    const at = Date.parse(status.expirationTimestamp);
    if (Number.isFinite(at)) credential.expiresAt = at;
  }
  return credential;
}

// ---- entry point -------------------------------------------------------------------------------

/** The credential of a user with an `exec` stanza: cached while unexpired, else from a run of the plugin. */
export async function getExecCredential(selection: ClusterSelection, options: ExecRunOptions): Promise<ExecCredentialOutcome> {
  const { user, context } = selection.info;
  const stanza = selection.userEntry.exec;
  const command = str(stanza?.command);
  const who = `of user "${user}" (context "${context}")`;
  if (!stanza || typeof stanza !== 'object' || command === undefined) {
    return { ok: false, failure: { kind: 'bad-kubeconfig', message: `The exec credential plugin ${who} has no command.` } };
  }
  const apiVersion = str(stanza.apiVersion);
  if (apiVersion === undefined || !SUPPORTED_EXEC_API_VERSIONS.includes(apiVersion)) {
    return {
      ok: false,
      failure: {
        kind: 'bad-kubeconfig',
        message: `The exec credential plugin ${command} ${who} uses apiVersion ${apiVersion ?? '(none)'}; supported are ${SUPPORTED_EXEC_API_VERSIONS.join(' and ')}.`,
      },
    };
  }
  if (stanza.interactiveMode === 'Always') {
    return {
      ok: false,
      failure: {
        kind: 'exec-failed',
        message: `The credential plugin ${command} ${who} needs an interactive terminal (interactiveMode: Always), which Probe Guard never provides. Run it (e.g. kubectl get ns) in a terminal and retry.`,
      },
    };
  }
  const args = Array.isArray(stanza.args) ? stanza.args.map((a: unknown) => String(a)) : [];
  const env = pluginEnv(selection, stanza, options.env);
  const now = options.now ?? Date.now;
  const key = cacheKey(selection, env);
  const cached = cache.get(key);
  if (cached && cached.expiresAt !== undefined) {
    if (cached.expiresAt > now()) return { ok: true, credential: cached, fromCache: true };
    cache.delete(key);
  }

  const run = await runPlugin(command, args, env, options.timeoutMs, options.signal, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  const secrets = secretsOfUser(selection.userEntry);
  const failed = (kind: ResolveFailure['kind'], message: string): ExecCredentialOutcome => ({
    ok: false,
    failure: { kind, message: scrubText(message, secrets) },
  });
  switch (run.status) {
    case 'cancelled':
      return failed('cancelled', 'The lookup was cancelled.');
    case 'timeout':
      return failed(
        'timeout',
        `The credential plugin ${command} ${who} did not finish within ${options.timeoutMs} ms and was stopped. If it waits for a login, run it in a terminal (e.g. kubectl get ns) and retry.`,
      );
    case 'too-much-output':
      return failed('exec-failed', `The credential plugin ${command} ${who} printed more than ${MAX_STDOUT_BYTES} bytes and was stopped.`);
    case 'spawn-error': {
      const hint = run.code === 'ENOENT' ? ' (not found: is it installed and on PATH?)' : run.code === 'EACCES' ? ' (not executable)' : '';
      return failed('exec-failed', `The credential plugin ${command} ${who} could not be started: ${run.code}${hint}.`);
    }
    case 'exited': {
      if (run.code !== 0) {
        const how = run.code === null ? `was killed by ${run.signal ?? 'a signal'}` : `exited with code ${run.code}`;
        const line = firstLine(run.stderr) ?? 'nothing on stderr';
        return failed('exec-failed', `The credential plugin ${command} ${who} failed (${how}): ${line}. Run it in a terminal (e.g. log in again) and retry.`);
      }
      const parsed = parseCredential(run.stdout, apiVersion);
      if (typeof parsed === 'string') return failed('exec-failed', `The credential plugin ${command} ${who} ${parsed}.`);
      if (parsed.expiresAt !== undefined && parsed.expiresAt > now()) cache.set(key, parsed);
      return { ok: true, credential: parsed, fromCache: false };
    }
  }
}
