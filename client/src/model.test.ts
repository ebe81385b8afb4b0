import { HISTORY_KINDS as CHAINCODE_HISTORY_KINDS } from '../../chaincode/src/contracts/audit';
import { HISTORY_KINDS } from './model';

describe('the record kinds the SDK reads histories of', () => {
  // The client must not depend on the chaincode package, so the list is kept twice; this catches drift.
  it("are exactly the chaincode's, in its order", () => {
    expect([...HISTORY_KINDS]).toEqual([...CHAINCODE_HISTORY_KINDS]);
  });
});
