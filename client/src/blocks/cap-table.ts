// An asset's cap table rebuilt from the writes of the blocks, one write at a
// time: the state of its asset, holding and certificate-record keys after
// each block, and nothing else. Key layouts come from the protocol (state-keys.ts),
// values are the chaincode's records.
import { compositeKey, KeyPrefix } from '@crowdledger/protocol';
import { type Decoder, fromJson } from '../decode';
import { type Asset, type CertificateRecord, decoders, type Holding } from '../model';
import type { KeyWrite } from './writes';

/** One holder of an asset at a block. */
export interface CapTableHolder {
  /** The holding: units, escrowed units, certificate state. */
  readonly holding: Holding;
  /**
   * The ledger's record of the holder's certificate, when one had been
   * recorded. A holder who sold out and bought again has DUE on the holding
   * and the revoked earlier record here.
   */
  readonly certificate?: CertificateRecord;
}

/** An asset's cap table as of one block: the state after that block committed. */
export interface CapTable {
  /** The block the table is as of. */
  readonly blockNumber: bigint;
  /** The asset as it was then. */
  readonly asset: Asset;
  /** Every holding then, in holder ID order (the ledger's key order). */
  readonly holders: readonly CapTableHolder[];
}

/** The holder ID in `prefix + holderId + U+0000`, or undefined for another key. */
function holderIn(key: string, prefix: string): string | undefined {
  if (!key.startsWith(prefix) || !key.endsWith('\u0000')) {
    return undefined;
  }
  const holder = key.slice(prefix.length, -1);
  return holder.length > 0 && !holder.includes('\u0000') ? holder : undefined;
}

/** Applies one write to a map of records by holder: a delete removes, a write replaces. */
function applyTo<T>(records: Map<string, T>, holder: string, write: KeyWrite, decode: () => T): void {
  if (write.isDelete) {
    records.delete(holder);
  } else {
    records.set(holder, decode());
  }
}

/** The replayed state of one asset's keys; feed it every write of every valid transaction in block order. */
export class CapTableReplay {
  readonly #assetId: string;
  readonly #assetKey: string;
  readonly #holdingPrefix: string;
  readonly #certificatePrefix: string;
  readonly #holdings = new Map<string, Holding>();
  readonly #certificates = new Map<string, CertificateRecord>();
  #asset: Asset | undefined;

  constructor(assetId: string) {
    this.#assetId = assetId;
    this.#assetKey = compositeKey(KeyPrefix.asset, [assetId]);
    // The prefix of (holding, assetId, *): the partial key without its closing separator.
    this.#holdingPrefix = compositeKey(KeyPrefix.holding, [assetId]);
    this.#certificatePrefix = compositeKey(KeyPrefix.certificate, [assetId]);
  }

  /** Applies one committed write; writes to other keys are ignored. */
  apply(write: KeyWrite): void {
    if (write.key === this.#assetKey) {
      this.#asset = write.isDelete ? undefined : this.#decode(write, decoders.asset, 'asset');
      return;
    }
    const holder = holderIn(write.key, this.#holdingPrefix);
    if (holder !== undefined) {
      applyTo(this.#holdings, holder, write, () =>
        this.#decode(write, decoders.holding, `holding ${holder}`),
      );
      return;
    }
    const certified = holderIn(write.key, this.#certificatePrefix);
    if (certified !== undefined) {
      const decode = (): CertificateRecord =>
        this.#decode(write, decoders.certificateRecord, `certificate record ${certified}`);
      applyTo(this.#certificates, certified, write, decode);
    }
  }

  /** The cap table now; undefined while the asset has not been registered. */
  capTable(blockNumber: bigint): CapTable | undefined {
    if (this.#asset === undefined) {
      return undefined;
    }
    const holders = [...this.#holdings.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([holder, holding]): CapTableHolder => {
        const certificate = this.#certificates.get(holder);
        return certificate === undefined ? { holding } : { holding, certificate };
      });
    return { blockNumber, asset: this.#asset, holders };
  }

  #decode<T>(write: KeyWrite, decoder: Decoder<T>, what: string): T {
    return fromJson(write.value, decoder, `${what} of asset ${this.#assetId}`);
  }
}
