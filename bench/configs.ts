/**
 * Generated mirrord configs for the benchmarks: small (a typical hand-written file, 1-2 KB), large
 * (~100 KB) and huge (~1 MB), each in JSON (with comments), YAML and TOML. Deterministic, so runs
 * and machines compare. All target deployment/checkout in namespace shop (demo/manifests), steal,
 * with a filter that lets kube-probe through, so the full verdict path runs.
 */
import { stringify as yamlStringify } from 'yaml';
import type { ConfigFormat } from '../src/core/types';

export type ConfigSize = 'small' | 'large' | 'huge';
export const SIZES: ConfigSize[] = ['small', 'large', 'huge'];
export const FORMATS: ConfigFormat[] = ['json', 'yaml', 'toml'];

/** Intended JSON text sizes in bytes (the unit test checks the generator stays near them). */
export const TARGET_BYTES: Record<ConfigSize, { min: number; max: number }> = {
  small: { min: 1000, max: 2048 },
  large: { min: 80_000, max: 130_000 },
  huge: { min: 800_000, max: 1_300_000 },
};

/** How many repeated entries each size has; tuned so the JSON lands in TARGET_BYTES. */
const SCALE: Record<ConfigSize, number> = { small: 0, large: 360, huge: 3700 };

type Plain = string | number | boolean | Plain[] | { [key: string]: Plain };

export const BENCH_TARGET = { path: 'deployment/checkout', namespace: 'shop' };

/** A small PRNG (mulberry32) so the "random" names are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['orders', 'cart', 'payments', 'users', 'search', 'ledger', 'catalog', 'stock', 'invoice', 'shipping', 'promo', 'review'];

/** The config as a plain value; `extra` entries make it large. */
export function configValue(size: ConfigSize, target = BENCH_TARGET): { [key: string]: Plain } {
  const n = SCALE[size];
  const rand = prng(0x5eed + n);
  const word = (): string => WORDS[Math.floor(rand() * WORDS.length)];
  const filters: Plain[] = [{ header: '^User-Agent: (?!kube-probe)' }];
  const anyOf: Plain[] = [{ path: '^/api/v1/checkout' }, { header: '^x-dev-session: alice$' }];
  for (let i = 0; i < n; i++) {
    anyOf.push(i % 2 === 0 ? { path: `^/api/v${1 + (i % 3)}/${word()}/${word()}-${i}(/.*)?$` } : { header: `^x-route-${word()}-${i}: (canary|dev-[a-z]+)$` });
  }
  filters.push({ any_of: anyOf });
  const envOverride: { [key: string]: Plain } = { LOG_LEVEL: 'debug', FEATURE_FLAGS: 'new-cart,fast-search' };
  for (let i = 0; i < n; i++) envOverride[`${word().toUpperCase()}_SETTING_${i}`] = `value-${word()}-${Math.floor(rand() * 1e6)}`;
  const fsLocal: Plain[] = ['^/tmp/.*', '^/home/dev/\\.cache/.*'];
  for (let i = 0; i < n; i++) fsLocal.push(`^/srv/${word()}/${word()}-${i}/.*\\.(json|yaml)$`);
  const outgoing: Plain[] = ['tcp://localhost:5432', 'udp://*:53'];
  for (let i = 0; i < n; i++) outgoing.push(`tcp://${word()}-${i}.shop.svc.cluster.local:${1024 + Math.floor(rand() * 60000)}`);

  return {
    target: { path: target.path, namespace: target.namespace },
    agent: { ttl: 30, log_level: 'info', communication_timeout: 30 },
    feature: {
      network: {
        incoming: {
          mode: 'steal',
          http_filter: { all_of: filters },
          port_mapping: [[3000, 8080]],
        },
        outgoing: { tcp: true, udp: true, filter: { local: outgoing } },
        dns: true,
      },
      env: { include: '*', exclude: 'AWS_*;GCP_*', override: envOverride },
      fs: { mode: 'read', local: fsLocal, read_write: ['^/tmp/checkout-.*'] },
      hostname: true,
    },
  };
}

/** The config text in one format (JSON carries comments, like hand-written files do). */
export function generateConfig(size: ConfigSize, format: ConfigFormat, target = BENCH_TARGET): string {
  const value = configValue(size, target);
  switch (format) {
    case 'yaml':
      return `# checkout dev session (generated for benchmarks)\n${yamlStringify(value, { lineWidth: 0 })}`;
    case 'toml':
      return `# checkout dev session (generated for benchmarks)\n${toToml(value)}`;
    default:
      return JSON.stringify(value, null, 2).replace(/^\{\n/, '{\n  // checkout dev session (generated for benchmarks)\n');
  }
}

/** Minimal TOML writer for the shapes above: tables for objects of objects, inline values else. */
function toToml(root: { [key: string]: Plain }): string {
  const lines: string[] = [];
  const isTable = (v: Plain): v is { [key: string]: Plain } => typeof v === 'object' && !Array.isArray(v);
  const walk = (obj: { [key: string]: Plain }, path: string[]): void => {
    const scalars = Object.entries(obj).filter(([, v]) => !isTable(v));
    const tables = Object.entries(obj).filter(([, v]) => isTable(v));
    if (path.length && scalars.length) lines.push('', `[${path.map(tomlKey).join('.')}]`);
    for (const [k, v] of scalars) lines.push(`${tomlKey(k)} = ${tomlInline(v)}`);
    for (const [k, v] of tables) walk(v as { [key: string]: Plain }, [...path, k]);
  };
  walk(root, []);
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function tomlInline(value: Plain): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlInline).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${tomlKey(k)} = ${tomlInline(v)}`)
    .join(', ')} }`;
}
