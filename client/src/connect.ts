import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import {
  connect as connectGateway,
  type Contract,
  type Gateway,
  type Network,
  signers,
} from '@hyperledger/fabric-gateway';
import { ClientErrorCode, CrowdLedgerError } from './errors';
import { type IdentityFiles, loadProfile, type PeerProfile, type Profile } from './profile';

/** A holder's own certificate and key, possibly of another MSP than the profile's. */
export interface IdentityFileOptions extends IdentityFiles {
  readonly mspId?: string;
}

export interface ConnectOptions {
  readonly profilePath: string;
  /** A name from the profile's identities (admin, app, auditor) or files. */
  readonly identity: string | IdentityFileOptions;
  /** Peer name to connect to; the profile's first peer when absent. */
  readonly peer?: string;
}

export interface Connection {
  readonly profile: Profile;
  readonly gateway: Gateway;
  readonly network: Network;
  contract(name: string): Contract;
  close(): void;
}

/** Per-call deadlines: commit waits for a block, so it gets the longest. */
export const DEADLINES_MS = {
  evaluate: 5_000,
  endorse: 15_000,
  submit: 5_000,
  commitStatus: 60_000,
} as const;

function within(ms: number): () => grpc.CallOptions {
  return () => ({ deadline: Date.now() + ms });
}

export async function connect(options: Readonly<ConnectOptions>): Promise<Connection> {
  const profile = await loadProfile(options.profilePath);
  const peer = choosePeer(profile, options.peer);
  const files = chooseIdentity(profile, options.identity);
  const [tlsRootCert, credentials, keyPem] = await Promise.all([
    readNamed(peer.tlsRootCert, `TLS root certificate of ${peer.name}`),
    readNamed(files.cert, 'identity certificate'),
    readNamed(files.key, 'identity private key'),
  ]);
  const signer = signers.newPrivateKeySigner(privateKey(keyPem, files.key));
  const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(tlsRootCert), tlsOptions(peer));
  const gateway = connectGateway({
    client,
    identity: { mspId: files.mspId, credentials },
    signer,
    evaluateOptions: within(DEADLINES_MS.evaluate),
    endorseOptions: within(DEADLINES_MS.endorse),
    submitOptions: within(DEADLINES_MS.submit),
    commitStatusOptions: within(DEADLINES_MS.commitStatus),
  });
  return new GatewayConnection(profile, client, gateway);
}

class GatewayConnection implements Connection {
  readonly profile: Profile;
  readonly gateway: Gateway;
  readonly network: Network;
  readonly #client: grpc.Client;

  constructor(profile: Profile, client: grpc.Client, gateway: Gateway) {
    this.profile = profile;
    this.gateway = gateway;
    this.network = gateway.getNetwork(profile.channel);
    this.#client = client;
  }

  contract(name: string): Contract {
    return this.network.getContract(this.profile.chaincode, name);
  }

  close(): void {
    this.gateway.close();
    this.#client.close();
  }
}

export function choosePeer(profile: Profile, name: string | undefined): PeerProfile {
  const peer = name === undefined ? profile.peers[0] : profile.peers.find((p) => p.name === name);
  if (peer === undefined) {
    const known = profile.peers.map((p) => p.name).join(', ');
    throw new CrowdLedgerError(
      ClientErrorCode.unknownPeer,
      `profile ${profile.org} has no peer ${String(name)}; it has ${known}`,
    );
  }
  return peer;
}

export function chooseIdentity(
  profile: Profile,
  identity: string | IdentityFileOptions,
): IdentityFiles & { readonly mspId: string } {
  if (typeof identity !== 'string') {
    return { cert: identity.cert, key: identity.key, mspId: identity.mspId ?? profile.mspId };
  }
  const files = profile.identities[identity];
  if (files === undefined) {
    const known = Object.keys(profile.identities).join(', ');
    throw new CrowdLedgerError(
      ClientErrorCode.unknownIdentity,
      `profile ${profile.org} has no identity ${identity}; it has ${known}`,
    );
  }
  return { ...files, mspId: profile.mspId };
}

// Lets a peer whose TLS certificate names it (peer0.platform1) be reached by IP.
function tlsOptions(peer: PeerProfile): grpc.ChannelOptions {
  return peer.tlsHostname === undefined ? {} : { 'grpc.ssl_target_name_override': peer.tlsHostname };
}

async function readNamed(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read ${what} ${path}`, { cause });
  }
}

function privateKey(pem: Buffer, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.invalidIdentity, `${path} is not a PEM private key`, {
      cause,
    });
  }
}
