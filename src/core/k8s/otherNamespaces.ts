/**
 * A target not found in its namespace but present in others: the hint both lookups give (the
 * manifests' and the cluster's), and how many namespaces it names (each is also a quick fix).
 */
export const MAX_OTHER_NAMESPACES = 3;

/**
 * " There is one in namespace "a": set target.namespace." (several: " Namespaces "a" and "b" have
 * one: set target.namespace to one of them."), or "" when there are none.
 */
export function otherNamespacesHint(namespaces: readonly string[]): string {
  if (namespaces.length === 0) return '';
  if (namespaces.length === 1) return ` There is one in namespace "${namespaces[0]}": set target.namespace.`;
  const quoted = namespaces.map((ns) => `"${ns}"`);
  return ` Namespaces ${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]} have one: set target.namespace to one of them.`;
}
