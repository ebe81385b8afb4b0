import { ClientErrorCode, CrowdLedgerError } from '@crowdledger/client';
import { describeFailure } from './connection';

describe('describeFailure', () => {
  const tx = 'a'.repeat(64);

  it('names the transaction that committed a key refusal', () => {
    const error = new CrowdLedgerError('BAD_TRANSACTION_KEY', 'the transaction key for U1 is wrong', {
      stage: 'commit',
      transactionId: tx,
    });
    expect(describeFailure(error, 'platform2', '/home')).toBe(
      `BAD_TRANSACTION_KEY: the transaction key for U1 is wrong (refusal committed in transaction ${tx})`,
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
