import { createHash } from 'node:crypto';
import { userCommitment } from './personal-data';

describe('userCommitment', () => {
  it('is sha256 over the salt bytes and the sorted-key JSON, as an SDK would compute it', () => {
    const salt = '00112233445566778899aabbccddeeff';
    const fields = {
      platformRef: 'alice',
      name: '欧阳娜娜',
      idType: 'RESIDENT_ID',
      idNumber: '11010519491231002X',
    } as const;
    const json =
      '{"idNumber":"11010519491231002X","idType":"RESIDENT_ID","name":"欧阳娜娜","platformRef":"alice"}';
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from(salt, 'hex'), Buffer.from(json, 'utf8')]))
      .digest('hex');
    expect(userCommitment(salt, fields)).toBe(expected);
  });

  it('changes with the salt', () => {
    const fields = { platformRef: 'a', name: 'A', idType: 'PASSPORT', idNumber: 'E1234' } as const;
    expect(userCommitment('00'.repeat(16), fields)).not.toBe(userCommitment('01'.repeat(16), fields));
  });
});
