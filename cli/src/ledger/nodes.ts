import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProfile, type Profile } from '@crowdledger/client';
import { CliError, ExitCode } from '../errors';
import type { NetworkLayout, NetworkNode } from '../status/layout';
import { listBlockFiles, readBlockFiles } from './blockfile';
import type { NodeKind } from './check';
import { type DeliverTarget, deliverBlocks } from './deliver';
import type { BlockSource, NodeChain } from './verify';

/** Where a node keeps the channel's block files (see network/lib/nodes.sh). */
export function blockFileDir(node: Pick<NetworkNode, 'dir' | 'role'>, channel: string): string {
  return node.role === 'peer'
    ? join(node.dir, 'data', 'ledgersData', 'chains', 'chains', channel)
    : join(node.dir, 'data', 'ledger', 'chains', channel);
}

/** The peers and orderers of the layout, or the named ones; unknown names are an error. */
export function ledgerNodes(layout: NetworkLayout, names: readonly string[] = []): NetworkNode[] {
  const all = layout.nodes.filter((n) => n.role === 'peer' || n.role === 'orderer');
  if (names.length === 0) {
    return all;
  }
  const unknown = names.filter((name) => !all.some((n) => n.name === name));
  if (unknown.length > 0) {
    const known = all.map((n) => n.name).join(', ');
    throw new CliError(`no peer or orderer named ${unknown.join(', ')}; the network has ${known}`);
  }
  return all.filter((n) => names.includes(n.name));
}

function kindOf(node: NetworkNode): NodeKind {
  return node.role === 'peer' ? 'peer' : 'orderer';
}

export function fileChain(node: NetworkNode, channel: string): NodeChain {
  return {
    name: node.name,
    kind: kindOf(node),
    org: node.org,
    async *blocks() {
      const dir = blockFileDir(node, channel);
      let files: string[];
      try {
        files = await listBlockFiles(dir);
      } catch (cause) {
        throw new Error(`no block files readable in ${dir}`, { cause });
      }
      if (files.length === 0) {
        throw new Error(`no block files in ${dir}`);
      }
      yield* readBlockFiles(files);
    },
  };
}

/**
 * The identity a node is asked with: the org's auditor where it has one
 * (the registry), else its app identity; both are channel Readers. A profile
 * written by hand may name its identities otherwise: then its first, since
 * every identity of a channel MSP may read blocks.
 */
export function readerIdentityName(profile: Profile): string {
  const names = Object.keys(profile.identities);
  return ['auditor', 'app'].find((name) => names.includes(name)) ?? names[0] ?? 'app';
}

interface Connection {
  readonly endpoint: string;
  readonly tlsHostname: string;
  readonly tlsRootPath: string;
}

/**
 * A peer, or an orderer the profile lists, from its org's profile; another
 * orderer by the layout, with its org's TLS root.
 */
function connectionOf(profile: Profile, node: NetworkNode): Connection {
  const listed = [...profile.peers, ...(profile.orderers ?? [])].find((p) => p.name === node.name);
  if (listed !== undefined) {
    return {
      endpoint: listed.endpoint,
      tlsHostname: listed.tlsHostname ?? node.name,
      tlsRootPath: listed.tlsRootCert,
    };
  }
  const [anyPeer] = profile.peers;
  if (anyPeer === undefined) {
    throw new Error(`profile ${profile.org} names no TLS root for ${node.name}`);
  }
  return {
    endpoint: `${node.host}:${String(node.port)}`,
    tlsHostname: node.name,
    tlsRootPath: anyPeer.tlsRootCert,
  };
}

export async function deliverTarget(
  profiles: string,
  node: NetworkNode,
  channel: string,
): Promise<DeliverTarget> {
  const profile = await loadProfile(join(profiles, `${node.org}.json`));
  const connection = connectionOf(profile, node);
  const identity = profile.identities[readerIdentityName(profile)];
  if (identity === undefined) {
    throw new Error(`profile ${profile.org} names no reader identity for ${node.name}`);
  }
  const [tlsRootCert, certificate, key] = await Promise.all([
    readFile(connection.tlsRootPath),
    readFile(identity.cert),
    readFile(identity.key),
  ]);
  return {
    name: node.name,
    kind: kindOf(node),
    endpoint: connection.endpoint,
    tlsRootCert,
    tlsHostname: connection.tlsHostname,
    channel,
    identity: { mspId: profile.mspId, certificate, privateKey: createPrivateKey(key) },
  };
}

export function deliverChain(profiles: string, node: NetworkNode, channel: string): NodeChain {
  return {
    name: node.name,
    kind: kindOf(node),
    org: node.org,
    async *blocks() {
      yield* deliverBlocks(await deliverTarget(profiles, node, channel));
    },
  };
}

/** The chains to verify; over Deliver, each node is dialled as its org's profile (in `profiles`) says. */
export function nodeChains(
  layout: NetworkLayout,
  source: BlockSource,
  names: readonly string[] = [],
  profiles: string = join(layout.home, 'profiles'),
): NodeChain[] {
  const nodes = ledgerNodes(layout, names);
  if (nodes.length === 0) {
    throw new CliError('the network layout has no peer or orderer', ExitCode.noNetwork);
  }
  return nodes.map((node) =>
    source === 'files' ? fileChain(node, layout.channel) : deliverChain(profiles, node, layout.channel),
  );
}
