import { CHAINCODE_ERROR_CLASSES, ChaincodeError, InsufficientUnitsError } from './chaincode-errors';
import { CHAINCODE_ERROR_CODES } from './codes';
import { CrowdLedgerError, errorFor, hasErrorCode } from './errors';

describe('one error class per chaincode code', () => {
  it('exists for every code the chaincode sends, each a ChaincodeError with that code', () => {
    expect(Object.keys(CHAINCODE_ERROR_CLASSES).sort()).toEqual([...CHAINCODE_ERROR_CODES].sort());
    for (const code of CHAINCODE_ERROR_CODES) {
      const error = errorFor(code, 'a sentence');
      expect(error).toBeInstanceOf(CHAINCODE_ERROR_CLASSES[code]);
      expect(error).toBeInstanceOf(ChaincodeError);
      expect(error).toBeInstanceOf(CrowdLedgerError);
      expect(error.code).toBe(code);
    }
  });

  it('narrows by class as well as by code', () => {
    const error: unknown = errorFor('INSUFFICIENT_UNITS', 'seller U…3f holds 10 units, 12 requested');
    expect(error).toBeInstanceOf(InsufficientUnitsError);
    if (error instanceof InsufficientUnitsError) {
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
