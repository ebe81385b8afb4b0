import { Object as DataType, Property } from 'fabric-contract-api';
import type { Asset } from './asset';
import type { Holding } from './holding';
import type { Listing } from './listing';
import type { Trade } from './trade';

/**
 * One page of a range scan. bookmark is opaque: pass it back for the next
 * page; an empty bookmark means there is no next page.
 */
@DataType()
export class HoldingPage {
  @Property('records', 'Holding[]')
  readonly records: readonly Holding[];

  @Property('bookmark', 'string')
  readonly bookmark: string;

  /** How many records the peer returned for this page. */
  @Property('fetched', 'number')
  readonly fetched: number;

  constructor(records: readonly Holding[], bookmark: string, fetched: number) {
    this.records = records;
    this.bookmark = bookmark;
    this.fetched = fetched;
  }
}

@DataType()
export class AssetPage {
  @Property('records', 'Asset[]')
  readonly records: readonly Asset[];

  @Property('bookmark', 'string')
  readonly bookmark: string;

  @Property('fetched', 'number')
  readonly fetched: number;

  constructor(records: readonly Asset[], bookmark: string, fetched: number) {
    this.records = records;
    this.bookmark = bookmark;
    this.fetched = fetched;
  }
}

@DataType()
export class ListingPage {
  @Property('records', 'Listing[]')
  readonly records: readonly Listing[];

  @Property('bookmark', 'string')
  readonly bookmark: string;

  @Property('fetched', 'number')
  readonly fetched: number;

  constructor(records: readonly Listing[], bookmark: string, fetched: number) {
    this.records = records;
    this.bookmark = bookmark;
    this.fetched = fetched;
  }
}

@DataType()
export class TradePage {
  @Property('records', 'Trade[]')
  readonly records: readonly Trade[];

  @Property('bookmark', 'string')
  readonly bookmark: string;

  @Property('fetched', 'number')
  readonly fetched: number;

  constructor(records: readonly Trade[], bookmark: string, fetched: number) {
    this.records = records;
    this.bookmark = bookmark;
    this.fetched = fetched;
  }
}
