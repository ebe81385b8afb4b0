import { Object as DataType } from 'fabric-contract-api';
import { type Refusal, refusable } from './outcome';
import { optional, shown } from './record';
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
  trade: optional(shown<Trade>('Trade')),
  buyerCertificateDue: optional(shown<boolean>('boolean')),
  sellerCertificateRevoked: optional(shown<boolean>('boolean')),
};

/**
 * trades:Buy and offers:Accept. OK: {outcome, trade, buyerCertificateDue,
 * sellerCertificateRevoked}; REFUSED: {outcome, code, sentence}.
 */
@DataType()
export class TradeResult extends refusable(EXECUTED) {
  static ok(executed: ExecutedTrade): TradeResult {
    return new TradeResult({ outcome: 'OK', ...executed });
  }

  static refused(refusal: Refusal): TradeResult {
    return new TradeResult({ outcome: 'REFUSED', ...refusal });
  }
}
