import { StatusCode } from '@hyperledger/fabric-gateway';
import { ERROR_CODES } from '../../chaincode/src/errors';
import { CaErrorCode } from './ca/errors';
import { CA_ERROR_CODES, CHAINCODE_ERROR_CODES, isChaincodeErrorCode, VALIDATION_ERROR_CODES } from './codes';

describe('the codes the SDK knows', () => {
  it("are exactly the chaincode's codes, in its order", () => {
    expect([...CHAINCODE_ERROR_CODES]).toEqual([...ERROR_CODES]);
  });

  it("are exactly the asset-CA client's codes", () => {
    expect([...CA_ERROR_CODES].sort()).toEqual(Object.values(CaErrorCode).sort());
  });

  it("are exactly Fabric's validation codes but VALID", () => {
    const fabric = Object.keys(StatusCode).filter((name) => name !== 'VALID');
    expect([...VALIDATION_ERROR_CODES].sort()).toEqual(fabric.sort());
  });

  it('tell chaincode codes from the rest', () => {
    expect(isChaincodeErrorCode('USER_EXISTS')).toBe(true);
    expect(isChaincodeErrorCode('MVCC_READ_CONFLICT')).toBe(false);
    expect(isChaincodeErrorCode('TIMEOUT')).toBe(false);
  });
});
