import { isCrowdLedgerError } from '../errors';
import {
  CaCode,
  CaErrorCode,
  type FabricCaError,
  isFabricCaError,
  isRefusedWith,
  readCaResponse,
} from './errors';

function refusal(text: string, status = 401): FabricCaError {
  try {
    readCaResponse('revoke', status, text);
  } catch (error) {
    if (isFabricCaError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Fabric CA responses', () => {
  it('returns the result of a successful call', () => {
    const body = '{"success":true,"result":{"secret":"s3cr3t"},"errors":[],"messages":[]}';
    expect(readCaResponse('register', 201, body)).toEqual({ secret: 's3cr3t' });
  });

  it('maps an error body to CA_REFUSED with Fabric CA code, message and cause', () => {
    const body = JSON.stringify({
      success: false,
      result: null,
      errors: [{ code: 71, message: 'Authorization failure' }],
      messages: [],
    });
    const error = refusal(body);
    expect(isCrowdLedgerError(error)).toBe(true);
    expect(error.name).toBe('FabricCaError');
    expect(error.code).toBe(CaErrorCode.refused);
    expect(error.caCode).toBe(71);
    expect(error.details).toEqual([{ code: 71, message: 'Authorization failure' }]);
    expect(error.httpStatus).toBe(401);
    expect(error.operation).toBe('revoke');
    expect(error.sentence).toBe('Fabric CA refused revoke: Error Code: 71 - Authorization failure');
    expect(error.message).toBe(`CA_REFUSED: ${error.sentence}`);
    expect(error.cause).toEqual(JSON.parse(body));
    expect(isRefusedWith(error, CaCode.authorizationFailure)).toBe(true);
    expect(isRefusedWith(error, CaCode.identityAlreadyRegistered)).toBe(false);
  });

  it('keeps every error and tolerates odd entries', () => {
    const body =
      '{"success":false,"errors":[{"code":74,"message":"Identity \'x\' is already registered"},{"x":1}]}';
    const error = refusal(body, 400);
    expect(error.details).toEqual([
      { code: 74, message: "Identity 'x' is already registered" },
      { code: 0, message: '' },
    ]);
    expect(isRefusedWith(error, CaCode.identityAlreadyRegistered)).toBe(true);
  });

  it('says so when Fabric CA gave no reason', () => {
    expect(refusal('{"success":false,"errors":null}').sentence).toBe(
      'Fabric CA refused revoke: no reason given',
    );
  });

  it('treats an HTTP error status as a refusal even if success is claimed', () => {
    expect(refusal('{"success":true,"result":{}}', 500).code).toBe(CaErrorCode.refused);
  });

  it.each([
    ['not JSON', '<html>502 Bad Gateway</html>'],
    ['JSON without a success flag', '{"result":{}}'],
    ['a JSON array', '[]'],
  ])('maps %s to CA_BAD_RESPONSE', (_what, text) => {
    const error = refusal(text, 502);
    expect(error.code).toBe(CaErrorCode.badResponse);
    expect(error.cause).toBeDefined();
  });
});
