import { generateKeyPairSync, type KeyPairKeyObjectResult } from 'node:crypto';
import {
  type ConsentRequest,
  consentText,
  MAX_CONSENT_LIFETIME_MS,
  PROPOSAL_TIME_WINDOW_MS,
  publicKeyText,
} from '@crowdledger/protocol';
import { signConsent } from '../testing/world';
import type { TransactionKey } from '../model/transaction-key';
import { newTransactionKey } from './transaction-keys';
import {
  isSignedBy,
  readSignedRequest,
  requireConsentingUser,
  requireFresh,
  requireSignedTerms,
  signatureRefusal,
} from './consent';

const USER = `U${'a'.repeat(32)}`;
const OTHER = `U${'b'.repeat(32)}`;
const AT = new Date('2026-03-01T12:00:00.000Z');
const pair = (): KeyPairKeyObjectResult => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pairs = { current: pair(), old: pair(), stranger: pair() };
type Name = keyof typeof pairs;
const keyOf = (name: Name): TransactionKey =>
  newTransactionKey(USER, publicKeyText(pairs[name].publicKey), AT);

const request: ConsentRequest<'listings:Cancel'> = {
  action: 'listings:Cancel',
  params: { listingId: `L${'0'.repeat(32)}` },
  userId: USER,
  requestId: 'request-1',
  expiresAt: new Date(AT.getTime() + 5 * 60_000).toISOString(),
};

const signedWith = (name: Name): ReturnType<typeof readSignedRequest> =>
  readSignedRequest(consentText(request), signConsent(request, pairs[name].privateKey), 'listings:Cancel');

describe('readSignedRequest', () => {
  it('reads the request signed for this transaction', () => {
    expect(signedWith('current').request).toEqual(request);
  });

  it('refuses a request for another act, a bad signature encoding and a non-text argument', () => {
    const signature = signConsent(request, pairs.current.privateKey);
    expect(() => readSignedRequest(consentText(request), signature, 'listings:Create')).toThrow(
      `CONSENT_ACTION_MISMATCH: request request-1 of ${USER} was signed for listings:Cancel, not listings:Create`,
    );
    expect(() => readSignedRequest(consentText(request), `${signature}A`, 'listings:Cancel')).toThrow(
      'CONSENT_MALFORMED: signature must be an ES256 signature as 64 bytes',
    );
    expect(() => readSignedRequest(42, signature, 'listings:Cancel')).toThrow('CONSENT_MALFORMED');
  });
});

describe('requireFresh', () => {
  const at = (offsetMs: number): Date => new Date(Date.parse(request.expiresAt) + offsetMs);

  it('takes a request until one proposal time window before it expires', () => {
    expect(() => {
      requireFresh(request, at(-PROPOSAL_TIME_WINDOW_MS - 1));
    }).not.toThrow();
    expect(() => {
      requireFresh(request, at(-PROPOSAL_TIME_WINDOW_MS));
    }).toThrow(
      `CONSENT_EXPIRED: request request-1 of ${USER} expires at ${request.expiresAt} and is refused from ${at(-PROPOSAL_TIME_WINDOW_MS).toISOString()}`,
    );
    expect(() => {
      requireFresh(request, at(1));
    }).toThrow('CONSENT_EXPIRED');
  });

  it('refuses a request that would stay valid longer than the maximum lifetime', () => {
    const far = new Date(Date.parse(request.expiresAt) - MAX_CONSENT_LIFETIME_MS - 1);
    expect(() => {
      requireFresh(request, far);
    }).toThrow('CONSENT_LIFETIME_EXCEEDED: request request-1');
    expect(() => {
      requireFresh(request, new Date(far.getTime() + 1));
    }).not.toThrow();
  });
});

describe('signatures', () => {
  it('verifies under the key that signed, and names a retired key apart from any other', () => {
    expect(isSignedBy(signedWith('current'), keyOf('current'))).toBe(true);
    expect(isSignedBy(signedWith('old'), keyOf('current'))).toBe(false);
    expect(
      signatureRefusal(signedWith('old'), keyOf('current'), [keyOf('stranger'), keyOf('old')]).code,
    ).toBe('CONSENT_KEY_RETIRED');
    expect(signatureRefusal(signedWith('stranger'), keyOf('current'), [keyOf('old')]).code).toBe(
      'CONSENT_SIGNATURE_INVALID',
    );
  });
});

describe('requireConsentingUser and requireSignedTerms', () => {
  it("refuses one user's consent for another's record, and terms other than the record's", () => {
    expect(() => {
      requireConsentingUser(request, USER, 'listing L');
    }).not.toThrow();
    expect(() => {
      requireConsentingUser(request, OTHER, 'listing L');
    }).toThrow(`CONSENT_USER_MISMATCH: request request-1 is signed by ${USER}, but listing L is ${OTHER}'s`);
    const terms = { units: { signed: 5, actual: 5 }, pricePerUnit: { signed: 100, actual: 120 } };
    expect(() => {
      requireSignedTerms(request, terms, 'offer O');
    }).toThrow(
      `CONSENT_TERMS_MISMATCH: request request-1 of ${USER} was signed for pricePerUnit 100, but offer O has pricePerUnit 120`,
    );
  });
});
