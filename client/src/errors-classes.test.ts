import { ERROR_CODES } from '@crowdledger/protocol';
import { StatusCode } from '@hyperledger/fabric-gateway';
import {
  ChaincodeError,
  ChaincodeErrors,
  CrowdLedgerError,
  errorFor,
  hasErrorCode,
  VALIDATION_ERROR_CODES,
} from './errors';

describe('one error class per chaincode code', () => {
  it('exists for every code the protocol lists, each a ChaincodeError with that code', () => {
    expect(Object.keys(ChaincodeErrors)).toEqual([...ERROR_CODES]);
    for (const code of ERROR_CODES) {
      const error = errorFor(code, 'a sentence');
      expect(error).toBeInstanceOf(ChaincodeErrors[code]);
      expect(error).toBeInstanceOf(ChaincodeError);
      expect(error).toBeInstanceOf(CrowdLedgerError);
      expect(error.code).toBe(code);
    }
  });

  it('names each class after its code', () => {
    expect(ChaincodeErrors.INSUFFICIENT_UNITS.name).toBe('InsufficientUnitsError');
    expect(errorFor('USER_EXISTS', 'x').name).toBe('UserExistsError');
  });

  it('narrows by class as well as by code', () => {
    const error: unknown = errorFor('INSUFFICIENT_UNITS', 'seller U…3f holds 10 units, 12 requested');
    expect(error).toBeInstanceOf(ChaincodeErrors.INSUFFICIENT_UNITS);
    expect(error).not.toBeInstanceOf(ChaincodeErrors.USER_EXISTS);
    if (error instanceof ChaincodeErrors.INSUFFICIENT_UNITS) {
      // Compiles only because the class fixes the code's type.
      const code: 'INSUFFICIENT_UNITS' = error.code;
      expect(code).toBe('INSUFFICIENT_UNITS');
    }
    expect(hasErrorCode(error, 'INSUFFICIENT_UNITS')).toBe(true);
  });

  it('leaves codes that are not the chaincode’s to the base class', () => {
    const error = errorFor('MVCC_READ_CONFLICT', 'x');
    expect(error).not.toBeInstanceOf(ChaincodeError);
    expect(error.name).toBe('CrowdLedgerError');
  });
});

describe('the codes the SDK knows', () => {
  it("include Fabric's validation codes but VALID", () => {
    expect(VALIDATION_ERROR_CODES).toContain('MVCC_READ_CONFLICT');
    expect(VALIDATION_ERROR_CODES).not.toContain('VALID');
    expect(VALIDATION_ERROR_CODES).toHaveLength(Object.keys(StatusCode).length - 1);
  });
});
