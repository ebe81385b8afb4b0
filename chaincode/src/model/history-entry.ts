import { Object as DataType, Property } from 'fabric-contract-api';

/** One committed write of a key, as the peer's history database keeps it. */
@DataType()
export class HistoryEntry<T = unknown> {
  @Property('txId', 'string')
  readonly txId: string;

  /** ISO-8601 timestamp of the transaction that wrote it. */
  @Property('timestamp', 'string')
  readonly timestamp: string;

  @Property('isDelete', 'boolean')
  readonly isDelete: boolean;

  /**
   * The record as written (User, Asset, Holding or CertificateRecord by
   * kind), null for a delete. Left out of the metadata: its schema depends
   * on the kind, which contract metadata cannot express.
   */
  readonly value: T | null;

  constructor(txId: string, timestamp: string, isDelete: boolean, value: T | null) {
    this.txId = txId;
    this.timestamp = timestamp;
    this.isDelete = isDelete;
    this.value = value;
  }
}

/** One page of a record's history, newest first; bookmark is '' after the last page. */
@DataType()
export class HistoryPage {
  @Property('records', 'HistoryEntry[]')
  readonly records: readonly HistoryEntry[];

  /** The transaction ID of this page's last entry: the next page starts after it. */
  @Property('bookmark', 'string')
  readonly bookmark: string;

  @Property('fetched', 'number')
  readonly fetched: number;

  constructor(records: readonly HistoryEntry[], bookmark: string, fetched: number) {
    this.records = records;
    this.bookmark = bookmark;
    this.fetched = fetched;
  }
}
