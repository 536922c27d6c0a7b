/**
 * Where the service layer writes what it did: the extension's LogOutputChannel, the language
 * server's `window/logMessage`, the CLI's stderr (or nowhere). Never given a credential: callers
 * pass failure messages from the cluster layer (already scrubbed), names, paths and timings only.
 */
export interface ServiceLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLog: ServiceLog = { debug() {}, info() {}, warn() {}, error() {} };
