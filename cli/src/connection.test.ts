import { ClientErrorCode, CrowdLedgerError } from '@crowdledger/client';
import { describeFailure } from './connection';

describe('describeFailure', () => {
  const tx = 'a'.repeat(64);

  it('prints a refused signature as its code and sentence: nothing was committed', () => {
    const error = new CrowdLedgerError(
      'CONSENT_SIGNATURE_INVALID',
      'request r is not signed by the key of U1',
      {
        stage: 'endorse',
        transactionId: tx,
      },
    );
    expect(describeFailure(error, 'platform2', '/home')).toBe(
      'CONSENT_SIGNATURE_INVALID: request r is not signed by the key of U1',
    );
  });

  it('says nothing was committed for other failures at commit, such as a read conflict', () => {
    const error = new CrowdLedgerError('MVCC_READ_CONFLICT', `transaction ${tx} failed validation`, {
      stage: 'commit',
      transactionId: tx,
    });
    expect(describeFailure(error, 'platform1', '/home')).toBe(
      `MVCC_READ_CONFLICT: transaction ${tx} failed validation`,
    );
  });

  it('hints at the network when there is no profile', () => {
    const error = new CrowdLedgerError(ClientErrorCode.profileNotFound, 'no profile');
    expect(describeFailure(error, 'platform9', '/home')).toContain(
      'no network profile for platform9 in /home: is the network up?',
    );
  });
});
