import { join, resolve } from 'node:path';

/** The repository this CLI was built in: cli/dist/ sits two levels below it. */
export function repoRoot(): string {
  return resolve(__dirname, '..', '..');
}

/** Where a running network keeps its state; the network scripts use the same default. */
export function crowdledgerHome(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['CROWDLEDGER_HOME'];
  return configured !== undefined && configured.length > 0
    ? resolve(configured)
    : join(repoRoot(), '.crowdledger');
}

/**
 * Where the connection profiles are: $CROWDLEDGER_PROFILES (a folder of
 * hand-written profiles for a network this project did not create), else the
 * network's own, $CROWDLEDGER_HOME/profiles.
 */
export function profilesDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['CROWDLEDGER_PROFILES'];
  return configured !== undefined && configured.length > 0
    ? resolve(configured)
    : join(crowdledgerHome(env), 'profiles');
}

export function networkScript(name: string): string {
  return join(repoRoot(), 'network', name);
}
