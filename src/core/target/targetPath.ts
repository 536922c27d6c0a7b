import type { TargetKind, TargetRef } from '../types';

export type TargetPathParse = { ok: true; ref: TargetRef } | { ok: false; message: string };

/**
 * The string prefixes mirrord's `Target::from_str` accepts. `deploy` is its only alias (there is
 * no `sts/`, `svc/` or plural form); matching is case-sensitive, like mirrord's.
 */
export const PREFIX_KINDS: Record<string, TargetKind> = {
  pod: 'pod',
  deployment: 'deployment',
  deploy: 'deployment',
  rollout: 'rollout',
  job: 'job',
  cronjob: 'cronjob',
  statefulset: 'statefulset',
  replicaset: 'replicaset',
  service: 'service',
};

/** Spellings people type that mirrord rejects, mapped to what they meant (for the message only). */
const LIKELY_MEANT: Record<string, string> = {
  po: 'pod',
  pods: 'pod',
  deployments: 'deployment',
  deploys: 'deployment',
  rollouts: 'rollout',
  jobs: 'job',
  cronjobs: 'cronjob',
  cj: 'cronjob',
  sts: 'statefulset',
  statefulsets: 'statefulset',
  rs: 'replicaset',
  replicasets: 'replicaset',
  svc: 'service',
  services: 'service',
  labels: 'label',
};

const FORMS =
  'targetless, pod/NAME, deployment/NAME, rollout/NAME, job/NAME, cronjob/NAME, statefulset/NAME, ' +
  'replicaset/NAME, service/NAME or label/KEY=VALUE[,KEY=VALUE], each optionally followed by /container/NAME';

/** Parses a target path string exactly as mirrord does, with messages a user can act on. */
export function parseTargetPath(text: string): TargetPathParse {
  if (text === 'targetless') return { ok: true, ref: { kind: 'targetless' } };
  if (text.trim() !== text) return fail(`The target "${text}" has leading or trailing spaces; mirrord would not find it.`);
  if (text.length === 0) return fail(`The target is empty: use ${FORMS}.`);
  if (text.startsWith('label/')) return parseLabelPath(text);

  const segments = text.split('/');
  const prefix = segments[0];
  const kind = PREFIX_KINDS[prefix];
  if (!kind) {
    if (segments.length === 1) {
      // mirrord's own message: "Did you remember to add a prefix, e.g. pod/NAME?"
      return fail(`The target "${text}" has no kind: mirrord needs a prefix, e.g. "pod/${text}" or "deployment/${text}".`);
    }
    const meant = LIKELY_MEANT[prefix.toLowerCase()] ?? (PREFIX_KINDS[prefix.toLowerCase()] ? prefix.toLowerCase() : undefined);
    const hint = meant ? ` Did you mean "${meant}/"?` : '';
    return fail(`Unknown target kind "${prefix}" in "${text}".${hint} mirrord accepts ${FORMS}.`);
  }
  const name = segments[1];
  if (name === undefined || name.length === 0) return fail(`The target "${text}" has no name after "${prefix}/".`);
  if (segments.length === 2) return { ok: true, ref: { kind, name } };
  if (segments.length === 4 && segments[2] === 'container' && segments[3].length > 0) {
    return { ok: true, ref: { kind, name, container: segments[3] } };
  }
  if (segments.length === 4 && segments[2] === 'container') {
    return fail(`The target "${text}" has no container name after "/container/".`);
  }
  return fail(`The target "${text}" is malformed: after "${prefix}/${name}" only "/container/NAME" may follow.`);
}

/** `label/k=v,k2=v2[/container/C]`, as mirrord's `LabelTarget::from_str` (keys may contain `/`). */
function parseLabelPath(text: string): TargetPathParse {
  const body = text.slice('label/'.length);
  let selector = body;
  let container: string | undefined;
  const at = body.lastIndexOf('/container/');
  if (at >= 0) {
    container = body.slice(at + '/container/'.length);
    selector = body.slice(0, at);
    if (container.length === 0 || container.includes('/')) {
      return fail(`The label target "${text}" must use label/KEY=VALUE[,KEY=VALUE...][/container/NAME].`);
    }
  }
  if (selector.length === 0) return fail(`The label target "${text}" must contain at least one label.`);
  const labels: Record<string, string> = {};
  for (const requirement of selector.split(',')) {
    const eq = requirement.indexOf('=');
    if (eq <= 0) {
      return fail(`The label target "${text}" has "${requirement}", which is not KEY=VALUE (only exact matches are supported).`);
    }
    const key = requirement.slice(0, eq);
    if (Object.prototype.hasOwnProperty.call(labels, key)) return fail(`The label target "${text}" contains the key "${key}" twice.`);
    setOwn(labels, key, requirement.slice(eq + 1));
  }
  const ref: TargetRef = { kind: 'label', labels };
  if (container !== undefined) ref.container = container;
  return { ok: true, ref };
}

/** The canonical string form of a target, e.g. `deployment/api/container/app`. */
export function formatTargetRef(ref: TargetRef): string {
  if (ref.kind === 'targetless') return 'targetless';
  const base =
    ref.kind === 'label'
      ? `label/${Object.entries(ref.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`
      : `${ref.kind}/${ref.name ?? ''}`;
  return ref.container ? `${base}/container/${ref.container}` : base;
}

/** Plain assignment would let a `__proto__` label key change the object's prototype. */
export function setOwn(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function fail(message: string): TargetPathParse {
  return { ok: false, message };
}
