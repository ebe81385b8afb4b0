import { Object as DataType, Property } from 'fabric-contract-api';

interface KeyStatusFields {
  readonly userId: string;
  readonly failures: number;
  readonly locked: boolean;
  readonly setAt: string;
}

/** What a platform may know of its user's transaction key: never the key or its hash. */
@DataType()
export class KeyStatus {
  @Property('userId', 'string')
  readonly userId: string;

  /** Consecutive wrong keys since the key was set or last matched. */
  @Property('failures', 'number')
  readonly failures: number;

  /** True after 5 consecutive wrong keys, until the platform sets a new key. */
  @Property('locked', 'boolean')
  readonly locked: boolean;

  /** ISO-8601 transaction time of the last keys:Set. */
  @Property('setAt', 'string')
  readonly setAt: string;

  constructor(fields: KeyStatusFields) {
    this.userId = fields.userId;
    this.failures = fields.failures;
    this.locked = fields.locked;
    this.setAt = fields.setAt;
  }
}
