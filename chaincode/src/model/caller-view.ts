import { Object as DataType, Property } from 'fabric-contract-api';
import type { CallerDescription, Role } from './caller';

/**
 * What WhoAmI answers. Declared as contract data types so the chaincode's
 * metadata describes the result instead of calling it a string.
 */
@DataType()
export class HolderRef {
  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('holderId', 'string')
  readonly holderId: string;

  constructor(assetId: string, holderId: string) {
    this.assetId = assetId;
    this.holderId = holderId;
  }
}

@DataType()
export class CallerView {
  @Property('mspId', 'string')
  readonly mspId: string;

  @Property('subject', 'string')
  readonly subject: string;

  @Property('issuer', 'string')
  readonly issuer: string;

  /** admin | auditor | platform, or null when the certificate grants none. */
  @Property('role', 'string')
  readonly role: Role | null;

  /** Set only for asset-certificate holders. */
  @Property('holder', 'HolderRef')
  readonly holder: HolderRef | null;

  constructor(caller: CallerDescription) {
    this.mspId = caller.mspId;
    this.subject = caller.subject;
    this.issuer = caller.issuer;
    this.role = caller.role;
    this.holder = caller.holder && new HolderRef(caller.holder.assetId, caller.holder.holderId);
  }
}
