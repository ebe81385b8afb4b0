import type { CertificateRecord } from './certificate-record';
import type { Holding } from './holding';

/** A buyer's holding after receiving units. */
export interface Credit {
  readonly holding: Holding;
  /** The buyer held none of the asset before: a new holding, its certificate DUE (R6). */
  readonly isNew: boolean;
}

/**
 * What a trade or settlement does to holdings: the seller's holding after
 * (undefined = deleted with its index entry), each buyer's, and the
 * seller's certificate record when their last unit went (R6).
 */
export interface HoldingChanges {
  readonly assetId: string;
  readonly sellerId: string;
  readonly seller: Holding | undefined;
  readonly credits: readonly Credit[];
  readonly revoked: CertificateRecord | undefined;
}
