/**
 * Keeps credentials out of every message the cluster layer returns. Two nets: the exact secret
 * values known from the kubeconfig user (token, key data, password, exec env, auth-provider
 * config), and patterns that look like credentials wherever they came from (bearer headers,
 * PEM private keys, JWTs, `token=...`).
 */
import type { ResolveFailure } from '../core/types';

const REDACTED = '[redacted]';

/** Secret values a kubeconfig user entry carries (also base64-decoded key data). */
export function secretsOfUser(user: Record<string, any> | undefined, extra: string[] = []): string[] {
  const out: string[] = [...extra];
  if (!user || typeof user !== 'object') return out;
  for (const key of ['token', 'password', 'client-key-data', 'client-certificate-data']) {
    const v = user[key];
    if (typeof v === 'string') {
      out.push(v);
      if (key.endsWith('-data')) out.push(Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  const env = user.exec?.env;
  if (Array.isArray(env)) for (const e of env) if (e && typeof e.value === 'string') out.push(e.value);
  const providerConfig = user['auth-provider']?.config;
  if (providerConfig && typeof providerConfig === 'object') {
    for (const [k, v] of Object.entries(providerConfig)) if (typeof v === 'string' && /token|secret|key|password/i.test(k)) out.push(v);
  }
  return out;
}

const PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /\b(token|password|passwd|secret|client-key-data|access[-_]token|refresh[-_]token|id[-_]token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

export function scrubText(text: string, secrets: string[]): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole; short values would wipe ordinary words.
  for (const secret of [...new Set(secrets)].filter((s) => s.trim().length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
    const trimmed = secret.trim();
    if (trimmed !== secret && trimmed.length >= 6) out = out.split(trimmed).join(REDACTED);
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (_match, ...groups: unknown[]) => {
      const [label, sep] = groups;
      if (typeof label === 'string' && /^(Bearer|Basic)$/i.test(label)) return `${label} ${REDACTED}`;
      if (typeof label === 'string' && typeof sep === 'string' && !label.startsWith('-----')) return `${label}${sep}${REDACTED}`;
      return REDACTED;
    });
  }
  return out;
}

export function scrubFailure(failure: ResolveFailure, secrets: string[]): ResolveFailure {
  const scrubbed: ResolveFailure = { ...failure, message: scrubText(failure.message, secrets) };
  if (failure.suggestions) scrubbed.suggestions = failure.suggestions.map((s) => scrubText(s, secrets));
  return scrubbed;
}
