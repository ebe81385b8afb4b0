/*
 * The protocol names every contract and transaction the client may call;
 * the deployed chaincode must serve exactly those, no more (an undeclared
 * transaction would be reachable and unguarded by any client contract) and
 * no fewer.
 */
import 'reflect-metadata';
import { CONTRACT_NAMES, TRANSACTIONS } from '@crowdledger/protocol';
import { contracts } from './index';

interface TransactionMetadata {
  readonly name: string;
}

function servedTransactions(contract: object): string[] {
  const declared = Reflect.getMetadata('fabric:transactions', contract) as TransactionMetadata[] | undefined;
  return (declared ?? []).map((t) => t.name).sort();
}

const served = new Map(
  contracts.map((Contract) => {
    const instance = new Contract();
    return [instance.getName(), servedTransactions(Object.getPrototypeOf(instance) as object)];
  }),
);

describe('the deployed chaincode serves the protocol', () => {
  it('has exactly the protocol contracts', () => {
    expect([...served.keys()].sort()).toEqual([...CONTRACT_NAMES].sort());
  });

  it.each(CONTRACT_NAMES)('contract %s serves exactly its protocol transactions', (name) => {
    expect(served.get(name)).toEqual([...TRANSACTIONS[name]].sort());
  });
});
