import fc from 'fast-check';
import * as chaincodeIds from '../../chaincode/src/rules/ids';
import { userCommitment as chaincodeCommitment } from '../../chaincode/src/rules/personal-data';
import { assetIdFor, maskIdNumber, userCommitment, userIdFor } from './ids';
import { ID_TYPES } from './model';

const mspId = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,20}$/);
const reference = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);

describe("the chaincode's ID rules, computed by the client", () => {
  it('give the same user and asset IDs as chaincode/src/rules/ids.ts', () => {
    fc.assert(
      fc.property(mspId, reference, (msp, ref) => {
        expect(userIdFor(msp, ref)).toBe(chaincodeIds.userIdFor(msp, ref));
        expect(assetIdFor(msp, ref)).toBe(chaincodeIds.assetIdFor(msp, ref));
      }),
    );
  });

  it('give a known ID for a known reference', () => {
    expect(userIdFor('Platform1MSP', 'alice')).toMatch(/^U[0-9a-f]{32}$/);
    expect(userIdFor('Platform1MSP', 'alice')).not.toBe(userIdFor('Platform2MSP', 'alice'));
  });

  it('give the same commitment as chaincode/src/rules/personal-data.ts, Unicode names included', () => {
    const fields = fc.record({
      platformRef: reference,
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      idType: fc.constantFrom(...ID_TYPES),
      idNumber: fc.stringMatching(/^[A-Z0-9]{5,20}$/),
    });
    const salt = fc.uint8Array({ minLength: 16, maxLength: 64 }).map((b) => Buffer.from(b).toString('hex'));
    fc.assert(
      fc.property(salt, fields, (s, f) => {
        expect(userCommitment(s, f)).toBe(chaincodeCommitment(s, f));
      }),
    );
    const ahmat = {
      platformRef: 'ahmat',
      name: '阿卜杜热西提·买买提',
      idType: 'RESIDENT_ID',
      idNumber: '11010519491231002X',
    } as const;
    expect(userCommitment('00'.repeat(16), ahmat)).toBe(chaincodeCommitment('00'.repeat(16), ahmat));
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 2 characters of a resident ID', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110*************2X');
  });

  it('never shows more than half of a short number', () => {
    expect(maskIdNumber('E1234567')).toBe('E1****67');
    expect(maskIdNumber('A1234')).toBe('A***4');
    expect(maskIdNumber('ABC')).toBe('***');
  });
});
