import { Object as DataType, Property } from 'fabric-contract-api';
import type { Trade } from './trade';

/** A trade with what it did to certificates (R6). */
export interface ExecutedTrade {
  readonly trade: Trade;
  /** The buyer held none of the asset before: a certificate is to be issued. */
  readonly buyerCertificateDue: boolean;
  /** The seller sold their last unit: their active certificate record was revoked ("transferred"). */
  readonly sellerCertificateRevoked: boolean;
}

/** trades:Buy and offers:Accept: {trade, buyerCertificateDue, sellerCertificateRevoked}. */
@DataType()
export class TradeResult implements ExecutedTrade {
  @Property('trade', 'Trade')
  readonly trade: Trade;

  @Property('buyerCertificateDue', 'boolean')
  readonly buyerCertificateDue: boolean;

  @Property('sellerCertificateRevoked', 'boolean')
  readonly sellerCertificateRevoked: boolean;

  constructor(executed: ExecutedTrade) {
    this.trade = executed.trade;
    this.buyerCertificateDue = executed.buyerCertificateDue;
    this.sellerCertificateRevoked = executed.sellerCertificateRevoked;
  }
}
