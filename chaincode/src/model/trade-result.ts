import { Object as DataType } from 'fabric-contract-api';
import { record, shown } from './record';
import type { Trade } from './trade';

/** A trade with what it did to certificates (R6). */
export interface ExecutedTrade {
  readonly trade: Trade;
  /** The buyer held none of the asset before: a certificate is to be issued. */
  readonly buyerCertificateDue: boolean;
  /** The seller sold their last unit: their active certificate record was revoked ("transferred"). */
  readonly sellerCertificateRevoked: boolean;
}

const EXECUTED = {
  trade: shown<Trade>('Trade'),
  buyerCertificateDue: shown<boolean>('boolean'),
  sellerCertificateRevoked: shown<boolean>('boolean'),
};

/** trades:Buy and offers:Accept: {trade, buyerCertificateDue, sellerCertificateRevoked}. */
@DataType()
export class TradeResult extends record(EXECUTED) {}
