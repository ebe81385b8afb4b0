import type { ContractName } from '@crowdledger/protocol';
import type { Network } from '@hyperledger/fabric-gateway';
import type { CertificateAuthority } from '../ca';
import type { ConsentSettings } from '../consent';
import type { ContractInvoker } from '../invoker';

export type { ContractName } from '@crowdledger/protocol';

/** Anything the client must close when it closes (event streams). */
export interface Closeable {
  /** Stops it and releases its stream; the client calls it when it closes. */
  close(): void;
}

/** The registry's asset-certificate CA as this platform's registrar reaches it. */
export interface AssetCaAccess {
  /** The CA client, authenticated as the platform's registrar. */
  readonly ca: CertificateAuthority;
  /** The platform's affiliation on the CA (its profile's `org`, e.g. `platform1`). */
  readonly platform: string;
  /** The platform's secret for its holders' enrollment IDs (see `enrollmentIdKey`). */
  readonly enrollmentIdKey: Uint8Array;
}

/**
 * What every group of the client is built from. Adding a group (listings,
 * trades, campaigns, keys): write `groups/<name>.ts` with a public interface
 * and a class that takes this context, then add one member to
 * CrowdLedgerClient and one line to its constructor (crowdledger.ts).
 */
export interface GroupContext {
  /** The MSP ID of the connected identity. */
  readonly mspId: string;
  /** The platform's reference secret (64 hex digits), when the options gave one. */
  readonly referenceSecret: string | undefined;
  /** The CrowdLedger chaincode's name on the channel. */
  readonly chaincode: string;
  /** The invoker of one contract; all share the client's one gRPC connection. */
  contract<C extends ContractName>(name: C): ContractInvoker<C>;
  /** How signed requests are dated: their default lifetime and the clock. */
  readonly consent: ConsentSettings;
  /** The channel, for event streams and block reads. */
  readonly network: Pick<Network, 'getChaincodeEvents' | 'getBlockEvents'>;
  /** The channel's current block height (qscc GetChainInfo). */
  chainHeight(): Promise<bigint>;
  /** Registers something the client's close() must close; the returned function forgets it. */
  track(resource: Closeable): () => void;
  /** Opens (once) the asset CA for issuing certificates; fails when the options gave none. */
  assetCa(): Promise<AssetCaAccess>;
}

/** A holder's asset certificate and its private key (PEM text or file paths). */
export interface HolderCredentials {
  /** The asset certificate, PEM or a file path. */
  readonly certificate: string;
  /** Its private key, PEM or a file path: it signs the query and never leaves this process. */
  readonly privateKey: string;
}
