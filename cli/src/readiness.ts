// `up` is ready when a cross-org transaction commits, but its check names its
// endorsers itself. A platform's SDK asks its peer's discovery instead, which
// after a restart takes a few more seconds to learn of the other peers through
// gossip ("no combination of peers can be derived"). `network up` waits for
// that too, so whatever runs next can submit at once.
//
// The check is a real transaction every platform application may take:
// identity:WhoAmI, submitted rather than evaluated. The gateway runs it on its
// own peer, then asks discovery which peers satisfy the chaincode's policy
// (AND registry, platform), has those endorse it too, and waits for it to
// commit, so success means discovery derived endorsers in both organisations.
// It writes nothing. A call that fails in the chaincode would prove less: the
// gateway gives up after its own peer, before it asks discovery for the rest.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientErrorCode, connect, loadProfile, toCrowdLedgerError } from '@crowdledger/client';
import { deadlinesFromEnv } from './deadlines';

const WAIT_MS = 60_000;
const PAUSE_MS = 1_000;

/** The profiles of the platforms (the organisations whose profile names an asset CA). */
async function platformProfiles(home: string): Promise<string[]> {
  const dir = join(home, 'profiles');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  const profiles = await Promise.all(files.map(async (file) => ({ file, profile: await loadProfile(file) })));
  return profiles.filter((p) => p.profile.assetCa !== undefined).map((p) => p.file);
}

async function submitsThroughDiscovery(profilePath: string): Promise<void> {
  const connection = await connect({ profilePath, identity: 'app', deadlinesMs: deadlinesFromEnv() });
  try {
    await connection.contract('identity').submitTransaction('WhoAmI');
  } finally {
    connection.close();
  }
}

/** Resolves once every platform has submitted through its gateway; throws the last failure after a minute. */
export async function untilPlatformsSubmit(home: string, say: (line: string) => void): Promise<void> {
  for (const profile of await platformProfiles(home)) {
    await untilSubmits(profile, say);
  }
}

async function untilSubmits(profile: string, say: (line: string) => void): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await submitsThroughDiscovery(profile);
      return;
    } catch (error) {
      if (!discoveryPending(error) || Date.now() > deadline) {
        throw error;
      }
    }
    if (attempt === 1) {
      say(`    waiting until ${basename(profile, '.json')}'s gateway sees every peer (discovery, gossip)`);
    }
    await sleep(PAUSE_MS);
  }
}

// Gossip has not told the gateway of enough peers yet, or a peer it was told
// of does not answer yet. Anything else (a refusal, a chaincode error, an
// invalid transaction) will not go away by waiting, so it is not retried.
const DISCOVERY_PENDING = /no combination of peers can be derived|code = Unavailable/;

export function discoveryPending(error: unknown): boolean {
  const failure = toCrowdLedgerError(error);
  return failure.code === ClientErrorCode.unavailable || DISCOVERY_PENDING.test(failure.message);
}
