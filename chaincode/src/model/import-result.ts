import type { ImportRejection, ImportRejectionCode } from '@crowdledger/protocol';
import { Object as DataType, Property } from 'fabric-contract-api';
import { record, shown } from './record';

/** A holder an import batch refused, by place. */
@DataType()
export class ImportRejectionView implements ImportRejection {
  @Property('index', 'number')
  readonly index: number;

  @Property('code', 'string')
  readonly code: ImportRejectionCode;

  @Property('reason', 'string')
  readonly reason: string;

  constructor(rejection: ImportRejection) {
    this.index = rejection.index;
    this.code = rejection.code;
    this.reason = rejection.reason;
  }
}

const RESULT = {
  assetId: shown<string>('string'),
  written: shown<number>('number'),
  units: shown<number>('number'),
  skipped: shown<readonly number[]>('number[]'),
  rejected: shown<readonly ImportRejectionView[]>('ImportRejectionView[]'),
};

/** imports:Add: what the batch did, holder by holder; IDs, counts and places only (it stays in the block). */
@DataType()
export class ImportBatchResult extends record(RESULT) {}
