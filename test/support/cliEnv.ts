/**
 * The environment the CLI tests run `probe-guard` in: this process's, without what would change
 * the CLI's answers (MIRRORD_* overrides, KUBECONFIG, colour settings), with HOME in a temporary
 * folder (no real ~/.kube/config), plus `extra`.
 */
export function cliTestEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('MIRRORD_') || k === 'KUBECONFIG' || k === 'NO_COLOR' || k === 'FORCE_COLOR') continue;
    env[k] = v;
  }
  return { ...env, HOME: home, USERPROFILE: home, ...extra };
}
