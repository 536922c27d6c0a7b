/**
 * `probe-guard-language-server --stdio` (bin/probe-guard-language-server.js -> dist/server.js).
 * vscode-languageserver reads the transport from the arguments: --stdio, --node-ipc, --socket=N.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { ProbeGuardServer } from './server';

export function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: probe-guard-language-server --stdio\n\nThe Probe Guard language server (LSP over stdio).\n');
    return;
  }
  if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) process.argv.push('--stdio');
  const connection = createConnection(ProposedFeatures.all);
  // A bug in one feature must not take the server (and every other feature) down.
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`Unexpected failure: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  process.on('uncaughtException', (error) => connection.console.error(`Unexpected failure: ${error.stack ?? error.message}`));
  new ProbeGuardServer(connection).listen();
}

// Run directly (`node dist/server.js --node-ipc`, as the VS Code client starts it): start at once.
if (require.main === module) main();
