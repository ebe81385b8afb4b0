import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadProfile, type PeerProfile, type Profile } from '@crowdledger/client';
import { CliError, ExitCode } from '../errors';
import type { NetworkLayout, NetworkNode } from '../status/layout';

/** A network read from connection profiles alone: what `ledger verify` needs on a network it did not create. */
export interface ProfileNetwork {
  readonly layout: NetworkLayout;
  /** The chaincode every profile names. */
  readonly chaincode: string;
}

/**
 * Every peer and orderer the profiles in `dir` list, each under the org its
 * profile's file is named for (which `deliverTarget` reads again to dial it).
 * The profiles must agree on channel and chaincode.
 */
export async function networkFromProfiles(dir: string): Promise<ProfileNetwork> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (cause) {
    throw new CliError(`no network layout and no profiles folder ${dir}`, ExitCode.noNetwork, { cause });
  }
  const profiles = await Promise.all(
    files.map(async (f) => ({ org: basename(f, '.json'), profile: await loadProfile(join(dir, f)) })),
  );
  const [first] = profiles;
  if (first === undefined) {
    throw new CliError(`no network layout, and no profiles in ${dir}`, ExitCode.noNetwork);
  }
  const other = profiles.find(
    (p) => p.profile.channel !== first.profile.channel || p.profile.chaincode !== first.profile.chaincode,
  );
  if (other !== undefined) {
    throw new CliError(
      `profiles ${first.org} and ${other.org} name different channels or chaincodes: ` +
        `${first.profile.channel}/${first.profile.chaincode} and ${other.profile.channel}/${other.profile.chaincode}`,
    );
  }
  return {
    layout: { home: dir, channel: first.profile.channel, nodes: uniqueNodes(profiles) },
    chaincode: first.profile.chaincode,
  };
}

/** Each node once, though several profiles may list the same orderers. */
function uniqueNodes(
  profiles: readonly { readonly org: string; readonly profile: Profile }[],
): NetworkNode[] {
  const nodes = profiles.flatMap(({ org, profile }) => [
    ...profile.peers.map((p) => nodeOf(p, 'peer', org)),
    ...(profile.orderers ?? []).map((o) => nodeOf(o, 'orderer', org)),
  ]);
  return nodes.filter((n, i) => nodes.findIndex((m) => m.name === n.name) === i);
}

function nodeOf(entry: PeerProfile, role: 'peer' | 'orderer', org: string): NetworkNode {
  const colon = entry.endpoint.lastIndexOf(':');
  return {
    name: entry.name,
    role,
    org,
    host: entry.endpoint.slice(0, colon),
    port: Number(entry.endpoint.slice(colon + 1)),
    opsPort: null,
    dir: '',
  };
}
