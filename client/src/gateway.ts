import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect as connectGateway, type Gateway } from '@hyperledger/fabric-gateway';
import { type CallDeadlines, callOptions, DEADLINES_MS } from './deadlines';
import { ClientErrorCode, CrowdLedgerError } from './errors';
import { newLowSSigning } from './signer';

/** A peer's gateway service and how to trust its TLS certificate. */
export interface PeerEndpoint {
  /** host:port */
  readonly endpoint: string;
  /** PEM of the root the peer's TLS certificate chains to; the only one trusted. */
  readonly tlsRootCert: Buffer;
  /** Name to check the peer's TLS certificate against, when it is not the endpoint's host. */
  readonly tlsHostname?: string;
}

/** An identity that signs: its MSP, certificate and private key. */
export interface SigningCredentials {
  /** The MSP that issued the certificate, e.g. `Platform1MSP`. */
  readonly mspId: string;
  /** The identity's X.509 certificate (PEM), sent with every proposal. */
  readonly certificate: Buffer;
  /** The certificate's private key; {@link openGateway} signs with it, low-S. */
  readonly privateKey: KeyObject;
}

/** One gRPC connection and the gateway over it; close both with {@link closeGateway}. */
export interface OpenGateway {
  /** The gRPC client to the peer; it dials on first use. */
  readonly client: grpc.Client;
  /** The Fabric gateway over that client. */
  readonly gateway: Gateway;
}

/**
 * After its peer restarts, a client retries the connection with backoff;
 * grpc-js lets that grow to 120 s, so calls kept failing UNAVAILABLE for
 * seconds after the peer was back (issue #20, docs/RELIABILITY.md). One
 * attempt every 2 s at most costs a peer that is down nothing.
 */
export const RECONNECT: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

/**
 * Opens the gRPC client (lazily: nothing is dialled before the first call)
 * and a gateway that signs with the node:crypto low-S signer, each call
 * bounded by its deadline ({@link DEADLINES_MS} unless given).
 */
export function openGateway(
  peer: PeerEndpoint,
  identity: SigningCredentials,
  deadlines: CallDeadlines = DEADLINES_MS,
): OpenGateway {
  const { signer, hash } = newLowSSigning(identity.privateKey);
  const options: grpc.ChannelOptions = {
    ...RECONNECT,
    ...(peer.tlsHostname === undefined ? {} : { 'grpc.ssl_target_name_override': peer.tlsHostname }),
  };
  const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(peer.tlsRootCert), options);
  const gateway = connectGateway({
    client,
    identity: { mspId: identity.mspId, credentials: identity.certificate },
    signer,
    hash,
    ...callOptions(deadlines),
  });
  return { client, gateway };
}

/** Closes the gateway, then its gRPC connection (the gateway does not own it). */
export function closeGateway(open: OpenGateway): void {
  open.gateway.close();
  open.client.close();
}

/** Reads a file the caller named, failing FILE_UNREADABLE with what it was for. */
export async function readNamed(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read ${what} ${path}`, { cause });
  }
}

/** PEM text is taken as it is; anything else is a path to read. */
export async function pemOrFile(value: string, what: string): Promise<Buffer> {
  return isPem(value) ? Buffer.from(value, 'utf8') : readNamed(value, what);
}

/** True when the text holds a PEM block (`-----BEGIN `), rather than naming a file. */
export function isPem(value: string): boolean {
  return value.includes('-----BEGIN ');
}

/** Parses a PEM private key; `where` names it in the error (a path, or "the private key"). */
export function parsePrivateKey(pem: Buffer, where: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.invalidIdentity, `${where} is not a PEM private key`, {
      cause,
    });
  }
}
