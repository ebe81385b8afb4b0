import { ClientErrorCode, CrowdLedgerError } from '@crowdledger/client';
import { discoveryPending } from './readiness';

// Messages as the gateway of a peer that has just restarted words them.
const NO_PLAN =
  '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers';
const PEER_DOWN =
  '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info (RegistryMSP 127.0.0.1:7040: rpc error: code = Unavailable desc = connection refused)';

describe('discoveryPending', () => {
  it.each([
    ['no endorsement plan yet', new CrowdLedgerError(ClientErrorCode.endorseFailed, NO_PLAN)],
    ['an endorser that does not answer yet', new CrowdLedgerError(ClientErrorCode.endorseFailed, PEER_DOWN)],
    [
      'an unavailable gateway or orderer',
      new CrowdLedgerError(ClientErrorCode.unavailable, 'connection refused'),
    ],
  ])('waits on %s', (_what, error) => {
    expect(discoveryPending(error)).toBe(true);
  });

  it.each([
    ['a refusal by the chaincode', new CrowdLedgerError('FORBIDDEN', 'only platform identities may do this')],
    [
      'an unknown transaction',
      new CrowdLedgerError(
        ClientErrorCode.endorseFailed,
        '10 ABORTED: failed to endorse transaction (Platform1MSP 127.0.0.1:7140: chaincode response 500, Contract name is not known: x)',
      ),
    ],
    [
      'an invalid transaction',
      new CrowdLedgerError('ENDORSEMENT_POLICY_FAILURE', 'transaction tx1 failed validation'),
    ],
    ['an error from elsewhere', new Error('ENOENT: no such file or directory, open profiles/p.json')],
  ])('fails at once on %s', (_what, error) => {
    expect(discoveryPending(error)).toBe(false);
  });
});
