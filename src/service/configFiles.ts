/**
 * Which files are mirrord configs: the names mirrord and its IDE plugins treat as configs
 * (docs/semantics.md §1): `mirrord.json`, `*mirrord.{json,yaml,yml,toml}`, and anything with
 * those extensions in a `.mirrord/` folder. The VS Code client's document selector uses the same
 * globs; the language server checks every document a client opens against them.
 */
export const MIRRORD_CONFIG_GLOBS = ['**/*mirrord.{json,yaml,yml,toml}', '**/.mirrord/*.{json,yaml,yml,toml}'] as const;

export function isMirrordConfigPath(filePath: string): boolean {
  const parts = filePath.split(/[\\/]/);
  const name = parts[parts.length - 1] ?? '';
  if (/mirrord\.(json|ya?ml|toml)$/i.test(name)) return true;
  return parts[parts.length - 2] === '.mirrord' && /\.(json|ya?ml|toml)$/i.test(name);
}
