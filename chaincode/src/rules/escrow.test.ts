import { CertificateRecord } from '../model/certificate-record';
import { Holding } from '../model/holding';
import { creditBuyer, debitSeller, escrowUnits, revokeOnExit } from './escrow';

const ASSET = `A${'b'.repeat(32)}`;
const SELLER = `U${'a'.repeat(32)}`;
const BUYER = `U${'c'.repeat(32)}`;
const AT = new Date('2025-01-31T08:00:00.000Z');

const held = (units: number, escrowed: number): Holding =>
  new Holding({ assetId: ASSET, userId: SELLER, units, escrowed, certificate: 'ISSUED' });

describe('escrowUnits', () => {
  it('adds to escrowed up to the free units', () => {
    expect(escrowUnits(held(10, 4), 6)).toMatchObject({ units: 10, escrowed: 10, certificate: 'ISSUED' });
  });

  it('names the free units and the request when there are too few', () => {
    expect(() => escrowUnits(held(10, 4), 7)).toThrow(
      `INSUFFICIENT_UNITS: seller ${SELLER} holds 6 free units of ${ASSET}, 7 requested`,
    );
  });
});

describe('debitSeller', () => {
  it('takes sold units out of the holding and escrow, and released ones out of escrow only', () => {
    expect(debitSeller(held(10, 8), 3, 2)).toMatchObject({ units: 7, escrowed: 3 });
  });

  it('returns undefined when the last unit is sold', () => {
    expect(debitSeller(held(5, 5), 5, 0)).toBeUndefined();
  });

  it('calls an escrow shortfall CORRUPT_STATE', () => {
    expect(() => debitSeller(held(10, 2), 2, 1)).toThrow(
      /^CORRUPT_STATE: holding .* escrows 2 units, fewer than the 3/,
    );
  });
});

describe('creditBuyer', () => {
  it('creates a holding with its certificate DUE for a new holder', () => {
    expect(creditBuyer(undefined, { assetId: ASSET, userId: BUYER }, 4)).toEqual({
      holding: new Holding({ assetId: ASSET, userId: BUYER, units: 4, escrowed: 0, certificate: 'DUE' }),
      isNew: true,
    });
  });

  it('adds to an existing holding and keeps its escrow and certificate state', () => {
    const existing = new Holding({
      assetId: ASSET,
      userId: BUYER,
      units: 3,
      escrowed: 1,
      certificate: 'REVOKED',
    });
    expect(creditBuyer(existing, { assetId: ASSET, userId: BUYER }, 4)).toMatchObject({
      holding: { units: 7, escrowed: 1, certificate: 'REVOKED' },
      isNew: false,
    });
  });
});

describe('revokeOnExit', () => {
  const record = new CertificateRecord({
    assetId: ASSET,
    holderId: SELLER,
    enrollmentId: 'holder-0000000000000000000000000000000000000000',
    serial: '0A',
    issuer: 'O=Registry, CN=asset-ca',
    fingerprint: 'f'.repeat(64),
    notBefore: AT.toISOString(),
    notAfter: AT.toISOString(),
    status: 'ACTIVE',
    recordedAt: AT.toISOString(),
  });

  it('revokes an active record with reason "transferred"', () => {
    expect(revokeOnExit(record, AT)).toMatchObject({
      status: 'REVOKED',
      revokedAt: AT.toISOString(),
      revocationReason: 'transferred',
    });
  });

  it('changes nothing without a record or with one already revoked', () => {
    expect(revokeOnExit(undefined, AT)).toBeUndefined();
    expect(
      revokeOnExit(record.revoked({ revokedAt: AT.toISOString(), revocationReason: 'lost' }), AT),
    ).toBeUndefined();
  });
});
