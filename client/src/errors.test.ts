import { Metadata, type ServiceError, status as Grpc } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import {
  ChaincodeErrors,
  CrowdLedgerError,
  hasErrorCode,
  isChaincodeError,
  isCrowdLedgerError,
  isRetryableError,
  parseChaincodeMessage,
  toCrowdLedgerError,
} from './errors';

function serviceError(code: Grpc, message: string): ServiceError {
  return Object.assign(new Error(message), { code, details: message, metadata: new Metadata() });
}

const ENDORSER = { address: 'peer0.registry:7040', mspId: 'RegistryMSP' };

describe('CrowdLedgerError', () => {
  it('carries code, sentence, cause and name', () => {
    const cause = new Error('root');
    const error = new CrowdLedgerError('NOT_FOUND', 'no such key', { cause, transactionId: 'tx1' });
    expect(error).toMatchObject({
      name: 'CrowdLedgerError',
      code: 'NOT_FOUND',
      sentence: 'no such key',
      cause,
    });
    expect(error.message).toBe('NOT_FOUND: no such key');
    expect(error.transactionId).toBe('tx1');
    expect(isCrowdLedgerError(error)).toBe(true);
    expect(isCrowdLedgerError(new Error('x'))).toBe(false);
  });

  it('is retryable only for read conflicts', () => {
    expect(new CrowdLedgerError('MVCC_READ_CONFLICT', 'x').retryable).toBe(true);
    expect(new CrowdLedgerError('NOT_FOUND', 'x').retryable).toBe(false);
  });
});

describe('parseChaincodeMessage', () => {
  it('reads the code the chaincode sent', () => {
    expect(
      parseChaincodeMessage('chaincode response 500, NOT_FOUND: no certificate is recorded for A1/U1'),
    ).toEqual({
      code: 'NOT_FOUND',
      sentence: 'no certificate is recorded for A1/U1',
    });
  });

  it('ignores messages that carry no chaincode code', () => {
    expect(parseChaincodeMessage('10 ABORTED: failed to endorse transaction')).toBeUndefined();
    expect(parseChaincodeMessage('chaincode response 500, something broke')).toBeUndefined();
  });
});

describe('toCrowdLedgerError', () => {
  it('turns an endorse failure into the chaincode code', () => {
    const error = new EndorseError({
      code: 10,
      details: [
        { ...ENDORSER, message: 'chaincode response 500, FORBIDDEN: only a RegistryMSP admin may do this' },
      ],
      cause: serviceError(Grpc.ABORTED, 'failed to endorse'),
      transactionId: 'tx9',
      message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    });
    const converted = toCrowdLedgerError(error);
    expect(converted).toBeInstanceOf(ChaincodeErrors.FORBIDDEN);
    expect(converted).toMatchObject({
      name: 'ForbiddenError',
      code: 'FORBIDDEN',
      sentence: 'only a RegistryMSP admin may do this',
      stage: 'endorse',
    });
    expect(converted.transactionId).toBe('tx9');
    expect(converted.cause).toBe(error);
  });

  it('reads the code from an evaluate message when details are empty', () => {
    const message =
      '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: gone';
    const error = new GatewayError({
      code: 2,
      details: [],
      cause: serviceError(Grpc.UNKNOWN, message),
      message,
    });
    expect(toCrowdLedgerError(error)).toMatchObject({ code: 'NOT_FOUND', sentence: 'gone' });
  });

  it.each([
    [Grpc.UNAVAILABLE, 'UNAVAILABLE'],
    [Grpc.DEADLINE_EXCEEDED, 'TIMEOUT'],
    [Grpc.FAILED_PRECONDITION, 'GATEWAY_FAILED'],
  ])('maps gRPC status %d without a chaincode code to %s', (status, code) => {
    const error = new GatewayError({
      code: status,
      details: [],
      cause: serviceError(status, 'x'),
      message: 'x',
    });
    expect(toCrowdLedgerError(error).code).toBe(code);
  });

  it("turns the gateway's payload mismatch into a retryable ENDORSEMENT_MISMATCH", () => {
    const error = new EndorseError({
      code: 10,
      details: [{ ...ENDORSER, message: 'ProposalResponsePayloads do not match' }],
      cause: serviceError(Grpc.ABORTED, 'x'),
      transactionId: 'tx-mm',
      message:
        '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    });
    const converted = toCrowdLedgerError(error);
    expect(converted).toMatchObject({
      code: 'ENDORSEMENT_MISMATCH',
      stage: 'endorse',
      transactionId: 'tx-mm',
    });
    expect(converted.sentence).toContain(
      'RegistryMSP peer0.registry:7040: ProposalResponsePayloads do not match',
    );
    expect(isRetryableError(converted)).toBe(true);
  });

  it('lets a chaincode refusal win over a mismatch from another endorser: the refusal is not retried', () => {
    const error = new EndorseError({
      code: 10,
      details: [
        { ...ENDORSER, message: 'ProposalResponsePayloads do not match' },
        {
          address: 'peer0.platform1:7060',
          mspId: 'Platform1MSP',
          message: 'chaincode response 500, NOT_FOUND: gone',
        },
      ],
      cause: serviceError(Grpc.ABORTED, 'x'),
      transactionId: 'tx-r',
      message:
        '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    });
    const converted = toCrowdLedgerError(error);
    expect(converted.code).toBe('NOT_FOUND');
    expect(isRetryableError(converted)).toBe(false);
  });

  it('does not call a mismatch text outside endorsement a mismatch', () => {
    const error = new GatewayError({
      code: Grpc.FAILED_PRECONDITION,
      details: [{ ...ENDORSER, message: 'ProposalResponsePayloads do not match' }],
      cause: serviceError(Grpc.FAILED_PRECONDITION, 'x'),
      message: 'x',
    });
    expect(toCrowdLedgerError(error, 'evaluate').code).toBe('GATEWAY_FAILED');
  });

  it('keeps endorser details in the sentence of an uncoded endorse failure', () => {
    const error = new EndorseError({
      code: 10,
      details: [{ ...ENDORSER, message: 'access denied' }],
      cause: serviceError(Grpc.ABORTED, 'x'),
      transactionId: 'tx1',
      message: 'failed to endorse',
    });
    expect(toCrowdLedgerError(error)).toMatchObject({
      code: 'ENDORSE_FAILED',
      sentence: 'failed to endorse (RegistryMSP peer0.registry:7040: access denied)',
    });
  });

  it('names the validation code of a commit failure', () => {
    const error = new CommitError({
      code: StatusCode.MVCC_READ_CONFLICT,
      transactionId: 'tx2',
      message: 'commit',
    });
    const converted = toCrowdLedgerError(error);
    expect(converted).toMatchObject({ code: 'MVCC_READ_CONFLICT', transactionId: 'tx2', retryable: true });
  });

  it('passes a CrowdLedgerError through and wraps anything else', () => {
    const own = new CrowdLedgerError('NOT_FOUND', 'x');
    expect(toCrowdLedgerError(own)).toBe(own);
    expect(toCrowdLedgerError('boom')).toMatchObject({ code: 'UNEXPECTED', sentence: 'boom' });
  });
});

describe('typed codes and stages', () => {
  it('keeps a code this SDK does not know as UNRECOGNISED_CODE, with the code as sent', () => {
    const error = toCrowdLedgerError(
      new EndorseError({
        code: 10,
        details: [{ ...ENDORSER, message: 'chaincode response 500, BRAND_NEW: a newer chaincode said no' }],
        cause: serviceError(Grpc.ABORTED, 'x'),
        transactionId: 'tx3',
        message: 'failed to endorse',
      }),
    );
    expect(error).toMatchObject({ code: 'UNRECOGNISED_CODE', rawCode: 'BRAND_NEW', stage: 'endorse' });
    expect(error.message).toBe('BRAND_NEW: a newer chaincode said no');
  });

  it.each<[string, () => unknown, string, string]>([
    [
      'an endorse failure',
      () =>
        new EndorseError({
          code: 10,
          details: [],
          cause: serviceError(Grpc.ABORTED, 'x'),
          transactionId: 't',
          message: 'm',
        }),
      'endorse',
      'ENDORSE_FAILED',
    ],
    [
      'a commit-status failure',
      () =>
        new CommitStatusError({
          code: 4,
          details: [],
          cause: serviceError(Grpc.DEADLINE_EXCEEDED, 'x'),
          transactionId: 't',
          message: 'm',
        }),
      'commit',
      'TIMEOUT',
    ],
    [
      'a commit failure',
      () =>
        new CommitError({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, transactionId: 't', message: 'm' }),
      'commit',
      'ENDORSEMENT_POLICY_FAILURE',
    ],
  ])('marks %s with its stage whatever stage the caller assumed', (_what, make, stage, code) => {
    expect(toCrowdLedgerError(make(), 'evaluate')).toMatchObject({ stage, code, transactionId: 't' });
  });

  it('marks a submit failure (SubmitError, told apart by name) submit', () => {
    const error = Object.assign(
      new GatewayError({
        code: Grpc.FAILED_PRECONDITION,
        details: [],
        cause: serviceError(Grpc.FAILED_PRECONDITION, 'x'),
        message: 'm',
      }),
      { name: 'SubmitError', transactionId: 'ts' },
    );
    expect(toCrowdLedgerError(error, 'endorse')).toMatchObject({
      stage: 'submit',
      code: 'SUBMIT_FAILED',
      transactionId: 'ts',
    });
  });

  it('says a submit failure is the ordering service, whatever gRPC called it (no Raft quorum, issue #20)', () => {
    const error = Object.assign(
      new GatewayError({
        code: Grpc.CANCELLED,
        details: [],
        cause: serviceError(Grpc.CANCELLED, 'Call cancelled'),
        message: '1 CANCELLED: Call cancelled',
      }),
      { name: 'SubmitError', transactionId: 'ts' },
    );
    expect(toCrowdLedgerError(error).message).toBe(
      'SUBMIT_FAILED: the ordering service did not confirm the transaction (it needs a majority of its ' +
        'orderers up; after a timeout, check whether it committed before sending it again): 1 CANCELLED: Call cancelled',
    );
  });

  it('takes the caller stage for a plain GatewayError (what evaluate throws)', () => {
    const error = new GatewayError({
      code: Grpc.UNAVAILABLE,
      details: [],
      cause: serviceError(Grpc.UNAVAILABLE, 'x'),
      message: 'm',
    });
    expect(toCrowdLedgerError(error, 'evaluate')).toMatchObject({ stage: 'evaluate', code: 'UNAVAILABLE' });
  });

  it('narrows with hasErrorCode and isChaincodeError', () => {
    const error: unknown = new CrowdLedgerError('USER_EXISTS', 'again', {
      transactionId: 'tx',
      stage: 'endorse',
    });
    expect(hasErrorCode(error, 'USER_EXISTS', 'ASSET_EXISTS')).toBe(true);
    expect(hasErrorCode(error, 'NOT_FOUND')).toBe(false);
    expect(isChaincodeError(error)).toBe(true);
    expect(isChaincodeError(new CrowdLedgerError('TIMEOUT', 'slow'))).toBe(false);
    expect(isRetryableError(new CrowdLedgerError('MVCC_READ_CONFLICT', 'x'))).toBe(true);
    expect(isRetryableError(new CrowdLedgerError('PHANTOM_READ_CONFLICT', 'x'))).toBe(false);
    expect(isRetryableError(error)).toBe(false);
  });
});
