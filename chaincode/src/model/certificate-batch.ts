import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes, type ErrorCode, type JsonValue } from '@crowdledger/protocol';
import type { CertificateRecord } from './certificate-record';

/** An item of a certificates:RecordBatch that was not recorded, with Record's own code and sentence. */
@DataType()
export class CertificateBatchRefusal {
  /** Its place in the batch, from 0. */
  @Property('index', 'number')
  readonly index: number;

  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('holderId', 'string')
  readonly holderId: string;

  /** The code certificates:Record fails with for this holding and certificate. */
  @Property('code', 'string')
  readonly code: ErrorCode;

  @Property('sentence', 'string')
  readonly sentence: string;

  constructor(fields: {
    readonly index: number;
    readonly assetId: string;
    readonly holderId: string;
    readonly code: ErrorCode;
    readonly sentence: string;
  }) {
    this.index = fields.index;
    this.assetId = fields.assetId;
    this.holderId = fields.holderId;
    this.code = fields.code;
    this.sentence = fields.sentence;
  }

  toJson(): Record<string, JsonValue> {
    const { index, assetId, holderId, code, sentence } = this;
    return { index, assetId, holderId, code, sentence };
  }
}

/**
 * certificates:RecordBatch's result: each item recorded (or found already
 * the active certificate) or refused, never written in part.
 */
@DataType()
export class CertificateBatchResult {
  /** The records of the items recorded or already active, in batch order. */
  @Property('recorded', 'CertificateRecord[]')
  readonly recorded: readonly CertificateRecord[];

  /** The items refused, in batch order; nothing of them was written. */
  @Property('refused', 'CertificateBatchRefusal[]')
  readonly refused: readonly CertificateBatchRefusal[];

  constructor(recorded: readonly CertificateRecord[], refused: readonly CertificateBatchRefusal[]) {
    this.recorded = recorded;
    this.refused = refused;
  }
}

/** The CertificatesRecorded event's bytes: the records a batch wrote, in batch order. */
export function certificatesRecordedBytes(records: readonly CertificateRecord[]): Uint8Array {
  return canonicalBytes({ records: records.map((record) => record.toJson()) });
}
