/**
 * The commands `registerCommands` (src/client/commands.ts) registers. Activation registers these
 * ids with stand-ins that load the commands on the first run (src/client/lazyFeatures.ts), so the
 * list must name every command commands.ts registers (test/unit/distribution/lazyCommands.test.ts
 * checks it against commands.ts and package.json).
 */
export const LAZY_COMMAND_IDS: readonly string[] = [
  'probeGuard.refreshTarget',
  'probeGuard.showProbeReport',
  'probeGuard.selectKubeContext',
  'probeGuard.showLog',
  'probeGuard.newConfig',
];
