import { Object as DataType, Property } from 'fabric-contract-api';
import type { CallerDescription, Role } from './caller';

/**
 * What WhoAmI answers. Declared as contract data types so the chaincode's
 * metadata describes the result instead of calling it a string.
 */
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

  constructor(caller: CallerDescription) {
    this.mspId = caller.mspId;
    this.subject = caller.subject;
    this.issuer = caller.issuer;
    this.role = caller.role;
  }
}
