import { fileURLToPath } from 'node:url';

/** The file path of a `file:` URI; '' for other schemes or a malformed URI. */
export function uriPath(uri: string): string {
  if (!uri.startsWith('file:')) return '';
  try {
    return fileURLToPath(uri);
  } catch {
    return '';
  }
}

/** The file path, else the URI's path part (an untitled or remote document still has a name). */
export function uriPathOrName(uri: string): string {
  const filePath = uriPath(uri);
  if (filePath) return filePath;
  const rest = uri.replace(/^[a-z][a-z0-9+.-]*:/i, '');
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}
