import { type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { ClientErrorCode, CrowdLedgerError } from './errors';
import { type IdentityFiles, loadProfile, type PeerProfile, type Profile } from './profile';
import { closeGateway, type OpenGateway, openGateway, parsePrivateKey, readNamed } from './session';

export { DEADLINES_MS } from './session';

/** A holder's own certificate and key, possibly of another MSP than the profile's. */
export interface IdentityFileOptions extends IdentityFiles {
  readonly mspId?: string;
}

/** Options of the low-level {@link connect}; platforms use `CrowdLedger.connect`. */
export interface ConnectOptions {
  readonly profilePath: string;
  /** A name from the profile's identities (admin, app, auditor) or files. */
  readonly identity: string | IdentityFileOptions;
  /** Peer name to connect to; the profile's first peer when absent. */
  readonly peer?: string;
}

/** A raw gateway connection, for the CLI and tests that call transactions by name. */
export interface Connection {
  readonly profile: Profile;
  readonly gateway: Gateway;
  readonly network: Network;
  contract(name: string): Contract;
  close(): void;
}

/** Opens a raw gateway connection from a profile file; it signs with the node:crypto low-S signer. */
export async function connect(options: Readonly<ConnectOptions>): Promise<Connection> {
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

export function tlsHostname(peer: PeerProfile): { readonly tlsHostname?: string } {
  return peer.tlsHostname === undefined ? {} : { tlsHostname: peer.tlsHostname };
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
