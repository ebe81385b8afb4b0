import { Object as DataType, Property } from 'fabric-contract-api';
import type { RefusalCode } from '@crowdledger/protocol';
import type { Outcome, Refusal } from './outcome';
import type { Trade } from './trade';

/** A trade with what it did to certificates (R6). */
export interface ExecutedTrade {
  readonly trade: Trade;
  /** The buyer held none of the asset before: a certificate is to be issued. */
  readonly buyerCertificateDue: boolean;
  /** The seller sold their last unit: their active certificate record was revoked ("transferred"). */
  readonly sellerCertificateRevoked: boolean;
}

/**
 * trades:Buy and offers:Accept. OK: {outcome, trade, buyerCertificateDue,
 * sellerCertificateRevoked}; REFUSED: {outcome, code, sentence}.
 */
@DataType()
export class TradeResult {
  /** OK | REFUSED */
  @Property('outcome', 'string')
  readonly outcome: Outcome;

  /** REFUSED only: BAD_TRANSACTION_KEY | LOCKED. */
  @Property('code', 'string')
  readonly code?: RefusalCode;

  @Property('sentence', 'string')
  readonly sentence?: string;

  @Property('trade', 'Trade')
  readonly trade?: Trade;

  @Property('buyerCertificateDue', 'boolean')
  readonly buyerCertificateDue?: boolean;

  @Property('sellerCertificateRevoked', 'boolean')
  readonly sellerCertificateRevoked?: boolean;

  private constructor(executed: ExecutedTrade | undefined, refusal: Refusal | undefined) {
    this.outcome = refusal === undefined ? 'OK' : 'REFUSED';
    if (refusal !== undefined) {
      this.code = refusal.code;
      this.sentence = refusal.sentence;
    }
    if (executed !== undefined) {
      this.trade = executed.trade;
      this.buyerCertificateDue = executed.buyerCertificateDue;
      this.sellerCertificateRevoked = executed.sellerCertificateRevoked;
    }
  }

  static ok(executed: ExecutedTrade): TradeResult {
    return new TradeResult(executed, undefined);
  }

  static refused(refusal: Refusal): TradeResult {
    return new TradeResult(undefined, refusal);
  }
}
