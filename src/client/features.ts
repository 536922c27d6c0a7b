/**
 * The parts of the extension that activation does not need, bundled as dist/clientFeatures.js and
 * loaded by src/client/lazyFeatures.ts on first use: the commands (first run of one), the debug
 * session guard and the breakpoint countdown (first debug session), the launch.json CodeLens
 * (first launch.json that mentions MIRRORD_). With them go jsonc-parser, the settings model and
 * the rule registry, the countdown logic and the launch.json reader.
 */
export { registerCommands } from './commands';
export { DebugGuard } from './debugGuard';
export { BreakpointCountdownView } from './breakpointCountdownView';
export { LaunchCodeLensProvider } from './launchCodeLens';
