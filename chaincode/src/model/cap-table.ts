import { Object as DataType, Property } from 'fabric-contract-api';
import type { CertificateRecord } from './certificate-record';
import type { Holding } from './holding';
import { optional, record, shown } from './record';

const ENTRY = {
  holding: shown<Holding>('Holding'),
  certificate: optional(shown<CertificateRecord>('CertificateRecord')),
};

/** A cap table line: the holding and its holder's certificate record, when there is one. */
@DataType()
export class CapTableEntry extends record(ENTRY) {}

/** One page of a cap table, in holder ID order; bookmark as in every page. */
@DataType()
export class CapTablePage {
  @Property('records', 'CapTableEntry[]')
  readonly records: readonly CapTableEntry[];

  @Property('bookmark', 'string')
  readonly bookmark: string;

  @Property('fetched', 'number')
  readonly fetched: number;

  constructor(records: readonly CapTableEntry[], bookmark: string, fetched: number) {
    this.records = records;
    this.bookmark = bookmark;
    this.fetched = fetched;
  }
}
