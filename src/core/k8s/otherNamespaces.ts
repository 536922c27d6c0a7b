/**
 * A target not found in its namespace but present in others: the hint both lookups give (the
 * manifests' and the cluster's), and how many namespaces it names (each is also a quick fix).
 */
export const MAX_OTHER_NAMESPACES = 3;

/** " There is one in namespace "a", "b": set target.namespace." or "" when there are none. */
export function otherNamespacesHint(namespaces: readonly string[]): string {
  return namespaces.length > 0 ? ` There is one in namespace ${namespaces.map((ns) => `"${ns}"`).join(', ')}: set target.namespace.` : '';
}
