import { Contract, type Context } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';

/** Shared behaviour of every CrowdLedger contract. */
export abstract class CrowdLedgerContract extends Contract {
  // The default answer is an uncoded sentence; clients expect a code.
  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(
      new ChaincodeError('UNKNOWN_TRANSACTION', `contract ${this.getName()} has no transaction named ${fcn}`),
    );
  }
}
