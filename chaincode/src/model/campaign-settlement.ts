import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Commitment } from './commitment';
import type { Listing } from './listing';
import type { Trade } from './trade';

export interface SettlementFields {
  readonly listing: Listing;
  readonly trades: readonly Trade[];
  readonly releases: readonly Commitment[];
  readonly certificatesDue: readonly string[];
  readonly sellerCertificateRevoked: boolean;
}

/**
 * campaigns:Settle's result and its CampaignSettled event (R9): SUCCEEDED
 * turns every commitment into a trade; FAILED releases every commitment.
 * Either way the seller's escrow for the campaign is released.
 */
@DataType()
export class CampaignSettlement {
  /** The campaign after settlement: status SUCCEEDED or FAILED. */
  @Property('listing', 'Listing')
  readonly listing: Listing;

  /** SUCCEEDED: one trade per commitment, in buyer ID order; FAILED: none. */
  @Property('trades', 'Trade[]')
  readonly trades: readonly Trade[];

  /** FAILED: every commitment released, in buyer ID order; SUCCEEDED: none. */
  @Property('releases', 'Commitment[]')
  readonly releases: readonly Commitment[];

  /** Buyers who held none of the asset before: each is due a certificate (R6). */
  @Property('certificatesDue', 'string[]')
  readonly certificatesDue: readonly string[];

  @Property('sellerCertificateRevoked', 'boolean')
  readonly sellerCertificateRevoked: boolean;

  constructor(fields: SettlementFields) {
    this.listing = fields.listing;
    this.trades = fields.trades;
    this.releases = fields.releases;
    this.certificatesDue = fields.certificatesDue;
    this.sellerCertificateRevoked = fields.sellerCertificateRevoked;
  }

  toJson(): Record<string, JsonValue> {
    return {
      listing: this.listing.toJson(),
      trades: this.trades.map((trade) => trade.toJson()),
      releases: this.releases.map((commitment) => commitment.toJson()),
      certificatesDue: [...this.certificatesDue],
      sellerCertificateRevoked: this.sellerCertificateRevoked,
    };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }
}
