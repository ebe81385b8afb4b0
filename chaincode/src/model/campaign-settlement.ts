import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Commitment } from './commitment';
import type { Listing } from './listing';
import type { Trade } from './trade';

export interface SettlementFields {
  readonly listing: Listing;
  readonly trades: readonly Trade[];
  readonly releases: readonly Commitment[];
  readonly settled: readonly Commitment[];
  readonly pending: number;
  readonly certificatesDue: readonly string[];
  readonly sellerCertificateRevoked: boolean;
}

/**
 * One campaigns:Settle step's result and its CampaignSettled event (R9):
 * the commitments it settled, with their allocation; the trades made of
 * the allocated units; how many commitments are left. The step that leaves
 * none marks the campaign SUCCEEDED or FAILED and releases what is left of
 * the seller's escrow for it.
 */
@DataType()
export class CampaignSettlement {
  /** The campaign after this step: SUCCEEDED or FAILED once nothing is pending, still OPEN before. */
  @Property('listing', 'Listing')
  readonly listing: Listing;

  /** One trade per commitment settled here that was allocated units, in buyer ID order. */
  @Property('trades', 'Trade[]')
  readonly trades: readonly Trade[];

  /** Commitments settled here that were allocated nothing (every one when the campaign failed). */
  @Property('releases', 'Commitment[]')
  readonly releases: readonly Commitment[];

  /** Every commitment settled here, with allocatedUnits, amount and refund, in buyer ID order. */
  @Property('settled', 'Commitment[]')
  readonly settled: readonly Commitment[];

  /** Commitments left for the next step; 0 when this one finished the campaign. */
  @Property('pending', 'number')
  readonly pending: number;

  /** Buyers who held none of the asset before: each is due a certificate (R6). */
  @Property('certificatesDue', 'string[]')
  readonly certificatesDue: readonly string[];

  @Property('sellerCertificateRevoked', 'boolean')
  readonly sellerCertificateRevoked: boolean;

  constructor(fields: SettlementFields) {
    this.listing = fields.listing;
    this.trades = fields.trades;
    this.releases = fields.releases;
    this.settled = fields.settled;
    this.pending = fields.pending;
    this.certificatesDue = fields.certificatesDue;
    this.sellerCertificateRevoked = fields.sellerCertificateRevoked;
  }

  toJson(): Record<string, JsonValue> {
    return {
      listing: this.listing.toJson(),
      trades: this.trades.map((trade) => trade.toJson()),
      releases: this.releases.map((commitment) => commitment.toJson()),
      settled: this.settled.map((commitment) => commitment.toJson()),
      pending: this.pending,
      certificatesDue: [...this.certificatesDue],
      sellerCertificateRevoked: this.sellerCertificateRevoked,
    };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }
}
