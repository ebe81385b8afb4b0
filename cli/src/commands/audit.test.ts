import type { CertificateRecord, HistoryEntry, Holding, Listing } from '@crowdledger/client';
import { InvalidArgumentError } from 'commander';
import { historyCells, parseHistoryKind } from './audit';

const ASSET = `A${'a'.repeat(32)}`;
const HOLDER = `U${'b'.repeat(32)}`;

function entry<T>(txId: string, value: T | null): HistoryEntry<T> {
  return { txId, timestamp: '2026-11-27T08:00:00.000Z', isDelete: value === null, value };
}

const holding: Holding = { assetId: ASSET, userId: HOLDER, units: 600, escrowed: 100, certificate: 'ISSUED' };

describe('audit history rows', () => {
  it('shows what each version of a holding held, and nothing for a delete', () => {
    const cells = historyCells('holding', [entry<Holding>('t2', null), entry('t1', holding)], false);
    expect(cells).toEqual([
      ['2026-11-27T08:00:00.000Z', 't2', 'delete', ''],
      ['2026-11-27T08:00:00.000Z', 't1', 'write', '600 units, 100 in escrow, certificate ISSUED'],
    ]);
  });

  it('adds the whole version as JSON for CSV, so an export loses nothing', () => {
    const [row] = historyCells('holding', [entry('t1', holding)], true);
    expect(JSON.parse(String(row?.[4]))).toEqual(holding);
  });

  it('names a revoked certificate with its serial and reason', () => {
    const record: CertificateRecord = {
      assetId: ASSET,
      holderId: HOLDER,
      enrollmentId: 'holder-0000000000000000000000000000000000000000',
      serial: '5f1e',
      issuer: 'CN=asset-ca',
      fingerprint: 'ab',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z',
      status: 'REVOKED',
      recordedAt: '2026-01-01T00:00:00Z',
      revokedAt: '2026-06-01T00:00:00Z',
      revocationReason: 'sold all units',
    };
    expect(historyCells('certificate', [entry('t', record)], false)[0]?.[3]).toBe(
      'REVOKED serial 5f1e (sold all units)',
    );
  });

  it('shows how much of a listing is left', () => {
    const listing = {
      listingId: 'L1',
      kind: 'FIXED',
      assetId: ASSET,
      sellerId: HOLDER,
      sellerPlatform: 'Platform1MSP',
      units: 100,
      remaining: 70,
      pricePerUnit: 1250,
      minPerBuyer: 1,
      maxPerBuyer: 100,
      expiresAt: '2026-12-01T00:00:00Z',
      status: 'OPEN',
      createdAt: '2026-11-27T00:00:00Z',
    } as const satisfies Listing;
    expect(historyCells('listing', [entry('t', listing)], false)[0]?.[3]).toBe('OPEN, 70 of 100 units left');
  });

  it('refuses an unknown kind with the list of kinds', () => {
    expect(() => parseHistoryKind('wallet')).toThrow(InvalidArgumentError);
    expect(() => parseHistoryKind('wallet')).toThrow(
      /user, asset, holding, certificate, listing, offer, trade/,
    );
  });
});
