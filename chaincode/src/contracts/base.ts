import type { ContractName } from '@crowdledger/protocol';
import { Contract, type Context } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';

/** Shared behaviour of every CrowdLedger contract; its name is one of the protocol's. */
export abstract class CrowdLedgerContract extends Contract {
  // Not useless: it narrows the name to the protocol's contract names.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(name: ContractName) {
    super(name);
  }

  // The default answer is an uncoded sentence; clients expect a code.
  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(
      new ChaincodeError('UNKNOWN_TRANSACTION', `contract ${this.getName()} has no transaction named ${fcn}`),
    );
  }
}
