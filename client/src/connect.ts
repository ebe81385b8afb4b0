import { type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { ClientErrorCode, CrowdLedgerError } from './errors';
import { type IdentityFiles, loadProfile, type PeerProfile, type Profile } from './profile';
import { type CallDeadlines, checkDeadlines } from './deadlines';
import { closeGateway, type OpenGateway, openGateway, parsePrivateKey, readNamed } from './gateway';

/** A holder's own certificate and key, possibly of another MSP than the profile's. */
export interface IdentityFileOptions extends IdentityFiles {
  /** The MSP that issued the certificate; the profile's MSP when absent. */
  readonly mspId?: string;
}

/** Options of the low-level {@link connect}; platforms use `CrowdLedger.connect`. */
export interface ConnectOptions {
  /** Path of the connection profile (JSON) to read. */
  readonly profilePath: string;
  /** A name from the profile's identities (admin, app, auditor) or files. */
  readonly identity: string | IdentityFileOptions;
  /** Peer name to connect to; the profile's first peer when absent. */
  readonly peer?: string;
  /** Each kind of gateway call's deadline, as CrowdLedger.connect's `deadlinesMs`. */
  readonly deadlinesMs?: Partial<CallDeadlines>;
}

/** A raw gateway connection, for the CLI and tests that call transactions by name. */
export interface Connection {
  /** The profile it was opened from. */
  readonly profile: Profile;
  /** The Fabric gateway, signing as the chosen identity. */
  readonly gateway: Gateway;
  /** The profile's channel. */
  readonly network: Network;
  /** A contract of the profile's chaincode by name, e.g. `users`; nothing is checked until it is called. */
  contract(name: string): Contract;
  /** Closes the gateway and its gRPC connection. */
  close(): void;
}

/** Opens a raw gateway connection from a profile file; it signs with the node:crypto low-S signer. */
export async function connect(options: Readonly<ConnectOptions>): Promise<Connection> {
  const deadlines = checkDeadlines(options.deadlinesMs);
  const profile = await loadProfile(options.profilePath);
  const peer = choosePeer(profile, options.peer);
  const files = chooseIdentity(profile, options.identity);
  const [tlsRootCert, certificate, keyPem] = await Promise.all([
    readNamed(peer.tlsRootCert, `TLS root certificate of ${peer.name}`),
    readNamed(files.cert, 'identity certificate'),
    readNamed(files.key, 'identity private key'),
  ]);
  const open = openGateway(
    { endpoint: peer.endpoint, tlsRootCert, ...tlsHostname(peer) },
    { mspId: files.mspId, certificate, privateKey: parsePrivateKey(keyPem, files.key) },
    deadlines,
  );
  return new GatewayConnection(profile, open);
}

class GatewayConnection implements Connection {
  readonly profile: Profile;
  readonly gateway: Gateway;
  readonly network: Network;
  readonly #open: OpenGateway;

  constructor(profile: Profile, open: OpenGateway) {
    this.profile = profile;
    this.gateway = open.gateway;
    this.network = open.gateway.getNetwork(profile.channel);
    this.#open = open;
  }

  contract(name: string): Contract {
    return this.network.getContract(this.profile.chaincode, name);
  }

  close(): void {
    closeGateway(this.#open);
  }
}

/** The peer's TLS host name override as an option to spread, or nothing when it has none. */
export function tlsHostname(peer: PeerProfile): { readonly tlsHostname?: string } {
  return peer.tlsHostname === undefined ? {} : { tlsHostname: peer.tlsHostname };
}

/** The profile's peer by name, or its first peer; UNKNOWN_PEER names the ones it has. */
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

/**
 * The certificate and key files to sign with, and their MSP: a profile
 * identity by name (UNKNOWN_IDENTITY if it has none by that name), or the
 * files given, in the profile's MSP unless they name another.
 */
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
