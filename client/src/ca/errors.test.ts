import { isCrowdLedgerError } from '../errors';
import { CaCode, CaErrorCode, FabricCaError, fromCaClientFailure, isRefusedWith } from './errors';

const context = { operation: 'revoke', origin: 'https://127.0.0.1:7054', timeoutMs: 300 };

/** A refusal as fabric-ca-client rejects it: an Error with Fabric CA's envelope copied onto it. */
function packageRefusal(envelope: Record<string, unknown>): Error {
  return Object.assign(
    new Error(`fabric-ca request revoke failed with errors [${JSON.stringify(envelope)}]`),
    envelope,
  );
}

describe('fabric-ca-client failures as FabricCaError', () => {
  it('maps a refusal to CA_REFUSED with Fabric CA code, message and cause', () => {
    const failure = packageRefusal({
      success: false,
      result: null,
      errors: [{ code: 71, message: 'Authorization failure' }],
      messages: [],
    });
    const error = fromCaClientFailure(failure, context);
    expect(isCrowdLedgerError(error)).toBe(true);
    expect(error.name).toBe('FabricCaError');
    expect(error.code).toBe(CaErrorCode.refused);
    expect(error.caCode).toBe(71);
    expect(error.details).toEqual([{ code: 71, message: 'Authorization failure' }]);
    expect(error.httpStatus).toBeUndefined();
    expect(error.operation).toBe('revoke');
    expect(error.sentence).toBe('Fabric CA refused revoke: Error Code: 71 - Authorization failure');
    expect(error.message).toBe(`CA_REFUSED: ${error.sentence}`);
    expect(error.cause).toBe(failure);
    expect(isRefusedWith(error, CaCode.authorizationFailure)).toBe(true);
    expect(isRefusedWith(error, CaCode.identityAlreadyRegistered)).toBe(false);
  });

  it('keeps every error and tolerates odd entries', () => {
    const failure = packageRefusal({
      success: false,
      errors: [{ code: 74, message: "Identity 'x' is already registered" }, { x: 1 }],
    });
    const error = fromCaClientFailure(failure, context);
    expect(error.details).toEqual([
      { code: 74, message: "Identity 'x' is already registered" },
      { code: 0, message: '' },
    ]);
    expect(isRefusedWith(error, CaCode.identityAlreadyRegistered)).toBe(true);
  });

  it('says so when Fabric CA gave no reason', () => {
    const error = fromCaClientFailure(packageRefusal({ success: false, errors: null }), context);
    expect([error.code, error.sentence]).toEqual([
      CaErrorCode.refused,
      'Fabric CA refused revoke: no reason given',
    ]);
  });

  it.each([
    [
      'a refused connection',
      'Calling revoke endpoint failed with error [Error: connect ECONNREFUSED 127.0.0.1:1]',
      /ECONNREFUSED/,
    ],
    [
      'a TLS failure',
      'Calling revoke endpoint failed with error [Error: self-signed certificate]',
      /self-signed/,
    ],
    ['an idle connection', 'Calling revoke endpoint failed, CONNECTION Timeout', /no answer within 300 ms/],
  ])('maps %s to CA_UNREACHABLE, naming the server', (_what, message, reason) => {
    const error = fromCaClientFailure(new Error(message), context);
    expect(error.code).toBe(CaErrorCode.unreachable);
    expect(error.sentence).toMatch(/^Fabric CA at https:\/\/127\.0\.0\.1:7054 did not answer revoke: /);
    expect(error.sentence).toMatch(reason);
  });

  it.each([
    [
      'not JSON',
      new Error('Could not parse revoke response [<html>] as JSON due to error [SyntaxError]'),
      undefined,
    ],
    ['JSON without a success flag', packageRefusal({ result: {} }), undefined],
    ['an empty answer', new Error('fabric-ca request revoke failed with HTTP status code 502'), 502],
    ['a result the package could not read', new TypeError('Cannot read properties of undefined'), undefined],
  ])('maps %s to CA_BAD_RESPONSE', (_what, failure, httpStatus) => {
    const error = fromCaClientFailure(failure, context);
    expect([error.code, error.httpStatus]).toEqual([CaErrorCode.badResponse, httpStatus]);
    expect(error.cause).toBe(failure);
  });

  it('passes a FabricCaError through unchanged', () => {
    const own = new FabricCaError(CaErrorCode.invalidRequest, 'no', { operation: 'validate' });
    expect(fromCaClientFailure(own, context)).toBe(own);
  });
});
