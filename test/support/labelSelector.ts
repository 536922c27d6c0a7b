/**
 * Label selectors as kube-apiserver parses them (k8s.io/apimachinery/pkg/labels): equality
 * (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`), existence (`a`, `!a`), joined
 * by commas (outside parentheses). A selector that does not parse is the caller's 400.
 */
type Requirement =
  { op: 'eq' | 'neq'; key: string; value: string } | { op: 'in' | 'notin'; key: string; values: string[] } | { op: 'exists' | 'absent'; key: string };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside `( )`. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '(') depth += 1;
    else if (selector[i] === ')') depth -= 1;
    else if (selector[i] === ',' && depth === 0) {
      out.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  out.push(selector.slice(start));
  return out.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(term: string): Requirement | string {
  const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
  if (set) {
    const values = set[3].split(',').map((v) => v.trim());
    if (!KEY.test(set[1]) || values.some((v) => !VALUE.test(v))) return `invalid set requirement "${term}"`;
    return { op: set[2] as 'in' | 'notin', key: set[1], values };
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (equality) {
    if (!KEY.test(equality[1]) || !VALUE.test(equality[3])) return `invalid requirement "${term}"`;
    return { op: equality[2] === '!=' ? 'neq' : 'eq', key: equality[1], value: equality[3] };
  }
  const existence = /^(!?)\s*(\S+)$/.exec(term);
  if (existence && KEY.test(existence[2])) return { op: existence[1] ? 'absent' : 'exists', key: existence[2] };
  return `unable to parse requirement "${term}"`;
}

/** The requirements of a selector, or the reason it does not parse. */
export function parseLabelSelector(selector: string): Requirement[] | string {
  const out: Requirement[] = [];
  for (const term of terms(selector)) {
    const parsed = parseTerm(term);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}

export function matchesRequirements(labels: Record<string, string> | undefined, requirements: Requirement[]): boolean {
  const l = labels ?? {};
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(l, key);
  return requirements.every((r) => {
    switch (r.op) {
      case 'eq':
        return has(r.key) && l[r.key] === r.value;
      case 'neq':
        return !has(r.key) || l[r.key] !== r.value;
      case 'in':
        return has(r.key) && r.values.includes(l[r.key]);
      case 'notin':
        return !has(r.key) || !r.values.includes(l[r.key]);
      case 'exists':
        return has(r.key);
      case 'absent':
        return !has(r.key);
    }
  });
}

/** True when `labels` satisfy `selector`; false for a selector that does not parse. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string): boolean {
  const requirements = parseLabelSelector(selector);
  return typeof requirements !== 'string' && matchesRequirements(labels, requirements);
}
