import { createPublicKey, ECDH, generateKeyPairSync, sign } from 'node:crypto';
import {
  CONSENT_ACTIONS,
  CONSENT_PARAMS,
  consentBytes,
  type ConsentRequest,
  consentText,
  decodeSignature,
  keyIdOf,
  publicKeyText,
  readConsentRequest,
  readPublicKey,
  toBase64url,
  verifyConsentSignature,
} from './consent';
import { TRANSACTIONS } from './names';

const USER = `U${'a'.repeat(32)}`;
const LISTING = `L${'0'.repeat(32)}`;

const request: ConsentRequest<'trades:Buy'> = {
  action: 'trades:Buy',
  params: { units: 5, listingId: LISTING, pricePerUnit: 15_000 },
  userId: USER,
  requestId: 'request-1',
  expiresAt: '2026-12-05T10:00:00.000Z',
};

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function signText(text: string, key = privateKey): string {
  return toBase64url(sign('sha256', Buffer.from(text, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }));
}

describe('consentBytes', () => {
  it('is the sorted-key JSON of the request, whatever order it was built in', () => {
    const text = Buffer.from(consentBytes(request)).toString('utf8');
    expect(text).toBe(
      `{"action":"trades:Buy","expiresAt":"2026-12-05T10:00:00.000Z","params":{"listingId":"${LISTING}","pricePerUnit":15000,"units":5},"requestId":"request-1","userId":"${USER}"}`,
    );
    const reordered: ConsentRequest<'trades:Buy'> = {
      expiresAt: request.expiresAt,
      userId: USER,
      requestId: 'request-1',
      params: { pricePerUnit: 15_000, listingId: LISTING, units: 5 },
      action: 'trades:Buy',
    };
    expect(consentBytes(reordered)).toEqual(consentBytes(request));
    expect(consentText(reordered)).toBe(text);
  });

  it('changes when any parameter changes', () => {
    const altered = { ...request, params: { ...request.params, units: 6 } };
    expect(consentBytes(altered)).not.toEqual(consentBytes(request));
  });
});

describe('readConsentRequest', () => {
  it('reads back the canonical text of a request', () => {
    expect(readConsentRequest(consentText(request))).toEqual({ ok: true, request });
  });

  const text = consentText(request);
  it.each([
    ['spaces', JSON.stringify(request, null, 1), 'canonical form'],
    [
      'a missing field',
      JSON.stringify({ userId: USER, action: 'trades:Buy', params: request.params, requestId: 'request-1' }),
      'exactly the fields',
    ],
    [
      'unsorted keys',
      text
        .replace('"action":"trades:Buy","expiresAt"', '"expiresAt"')
        .replace('"userId"', '"action":"trades:Buy","userId"'),
      'canonical form',
    ],
    ['escaped characters', text.replace('"trades:Buy"', '"trades\\u003aBuy"'), 'canonical form'],
    ['a duplicate field', text.replace('{"action"', '{"action":"trades:Buy","action"'), 'canonical form'],
    ['no JSON', 'units=5', 'not a JSON object'],
    ['an array', '[1]', 'not a JSON object'],
    ['an extra field', consentText({ ...request, note: 'x' } as ConsentRequest), 'exactly the fields'],
    ['an unknown action', consentText({ ...request, action: 'trades:Sell' } as never), 'action must be'],
    ['a bad user ID', consentText({ ...request, userId: 'alice' }), 'userId must be'],
    ['a short request ID', consentText({ ...request, requestId: 'r1' }), 'requestId must be'],
    ['month 13', consentText({ ...request, expiresAt: '2026-13-01T00:00:00.000Z' }), 'expiresAt must be'],
    ['30 February', consentText({ ...request, expiresAt: '2026-02-30T00:00:00.000Z' }), 'expiresAt must be'],
    ['a missing parameter', consentText({ ...request, params: { listingId: LISTING, units: 5 } }), 'exactly'],
    ['units as text', consentText({ ...request, params: { ...request.params, units: '5' } }), 'params.units'],
    ['infinite units', text.replace('"units":5', '"units":1e999'), 'params.units'],
    ['too long', 'x'.repeat(4097), '1 to 4096'],
  ])('refuses %s', (_what, bad, problem) => {
    const reading = readConsentRequest(bad);
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.problem).toContain(problem);
  });
});

describe('optional parameters', () => {
  const create: ConsentRequest<'campaigns:Create'> = {
    action: 'campaigns:Create',
    params: {
      assetId: `A${'b'.repeat(32)}`,
      units: 100,
      targetUnits: 50,
      pricePerUnit: 10,
      minPerInvestor: 1,
      maxPerInvestor: 10,
      deadline: '2026-12-05T10:00:00.000Z',
    },
    userId: USER,
    requestId: 'request-2',
    expiresAt: '2026-12-05T10:00:00.000Z',
  };

  it('reads campaigns:Create with and without its allocation (requests signed before it existed stay valid)', () => {
    expect(readConsentRequest(consentText(create))).toEqual({ ok: true, request: create });
    const stated = { ...create, params: { ...create.params, allocation: 'PRO_RATA' } };
    expect(readConsentRequest(consentText(stated))).toEqual({ ok: true, request: stated });
  });

  it('still refuses a parameter nobody declared, and an optional one of the wrong type', () => {
    const extra = readConsentRequest(
      consentText({ ...create, params: { ...create.params, lottery: 'yes' } }),
    );
    expect(extra).toMatchObject({
      ok: false,
      problem: expect.stringContaining('(and optionally allocation)') as unknown,
    });
    const wrong = readConsentRequest(consentText({ ...create, params: { ...create.params, allocation: 1 } }));
    expect(wrong).toMatchObject({
      ok: false,
      problem: 'params.allocation of campaigns:Create must be a string',
    });
  });
});

describe('verifyConsentSignature', () => {
  const key = publicKeyText(publicKey);
  const text = consentText(request);

  it('accepts the ES256 r||s signature of the exact text under the signing key', () => {
    expect(verifyConsentSignature(key, text, signText(text))).toBe(true);
  });

  it('refuses another key, an altered text, a DER signature and a padded one', () => {
    const signature = signText(text);
    expect(verifyConsentSignature(publicKeyText(other.publicKey), text, signature)).toBe(false);
    expect(verifyConsentSignature(key, text.replace('"units":5', '"units":6'), signature)).toBe(false);
    const der = toBase64url(sign('sha256', Buffer.from(text), privateKey));
    expect(verifyConsentSignature(key, text, der)).toBe(false);
    expect(verifyConsentSignature(key, text, `${signature}==`)).toBe(false);
    expect(decodeSignature(`${signature}==`)).toBeUndefined();
  });
});

describe('readPublicKey', () => {
  it('reads the canonical SPKI of a P-256 key and names it by the SHA-256 of its DER', () => {
    const text = publicKeyText(publicKey);
    expect(readPublicKey(text)?.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(keyIdOf(text)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(text)).not.toBe(keyIdOf(publicKeyText(other.publicKey)));
  });

  it('refuses other curves, other algorithms, a compressed point and text that is not base64url', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    const ed = generateKeyPairSync('ed25519').publicKey;
    const point = publicKey.export({ type: 'spki', format: 'der' }).subarray(-65);
    const compressed = Buffer.concat([
      Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'),
      ECDH.convertKey(point, 'prime256v1', undefined, undefined, 'compressed') as Buffer,
    ]);
    expect(createPublicKey({ key: compressed, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('ec');
    expect(readPublicKey(toBase64url(compressed))).toBeUndefined();
    expect(readPublicKey(publicKeyText(p384))).toBeUndefined();
    expect(readPublicKey(publicKeyText(ed))).toBeUndefined();
    expect(readPublicKey(`${publicKeyText(publicKey)}=`)).toBeUndefined();
    expect(readPublicKey('not a key')).toBeUndefined();
    expect(readPublicKey('')).toBeUndefined();
  });
});

describe('CONSENT_ACTIONS', () => {
  it.each(CONSENT_ACTIONS)('%s is a transaction the protocol names, with its parameters', (action) => {
    const [contract, transaction] = action.split(':') as [keyof typeof TRANSACTIONS, string];
    expect(TRANSACTIONS[contract] as readonly string[]).toContain(transaction);
    expect(Object.keys(CONSENT_PARAMS[action]).length).toBeGreaterThan(0);
  });
});
