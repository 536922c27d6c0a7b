/**
 * The server's user-facing strings (status texts, hover and report, progress titles, messages,
 * request errors) go through @vscode/l10n. The client hands over the bundle for its display
 * language in `initializationOptions.l10nBundle` (VS Code's client: `vscode.l10n.bundle`), as
 * contents rather than a path, so the server reads no file for it. Without one, English.
 */
import * as l10n from '@vscode/l10n';
import type { ServiceLog } from '../service/log';

/** Loads the client's bundle; must run before the first `l10n.t`. Ignores anything that is not a bundle. */
export function configureLocalization(bundle: unknown, log: ServiceLog): void {
  if (bundle === undefined || bundle === null) return;
  const messages = bundleMessages(bundle);
  if (!messages) {
    log.warn('Ignoring initializationOptions.l10nBundle: not an object of message translations.');
    return;
  }
  l10n.config({ contents: messages });
}

/** Entries are `"message": "translation"` or `{ "message": ..., "comment": [...] }`, as in l10n bundles. */
function bundleMessages(bundle: unknown): l10n.l10nJsonFormat | undefined {
  if (typeof bundle !== 'object' || Array.isArray(bundle)) return undefined;
  const messages: l10n.l10nJsonFormat = {};
  for (const [key, value] of Object.entries(bundle as Record<string, unknown>)) {
    if (typeof value === 'string') messages[key] = value;
    else if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
      messages[key] = { message: (value as { message: string }).message, comment: [] };
    }
  }
  return messages;
}
