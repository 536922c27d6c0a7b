import type { ConfigFormat } from '../types';

/** `.toml` -> toml, `.yaml`/`.yml` -> yaml, anything else (`.json`, `.jsonc`, no extension) -> json. */
export function configFormatForFileName(fileName: string): ConfigFormat {
  const name = typeof fileName === 'string' ? (fileName.split(/[\\/]/).pop() ?? '') : '';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (extension === 'toml') return 'toml';
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  return 'json';
}
