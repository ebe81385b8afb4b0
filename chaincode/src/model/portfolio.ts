import { Object as DataType, Property } from 'fabric-contract-api';
import type { Holding } from './holding';

/** Every holding of one user, in asset ID order. */
@DataType()
export class Portfolio {
  @Property('userId', 'string')
  readonly userId: string;

  @Property('holdings', 'Holding[]')
  readonly holdings: readonly Holding[];

  constructor(userId: string, holdings: readonly Holding[]) {
    this.userId = userId;
    this.holdings = holdings;
  }
}
