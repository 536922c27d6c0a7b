/** The settings section of Probe Guard (`probeGuard.*`), in a module of its own so reading the name loads nothing else. */
export const SETTINGS_SECTION = 'probeGuard';
