import type { CampaignSettlement, Commitment, Listing } from '@crowdledger/client';
import { settledText } from './campaigns';

const LISTING = `L${'d'.repeat(32)}`;
const A = `U${'a'.repeat(32)}`;
const B = `U${'b'.repeat(32)}`;

const listing: Listing = {
  listingId: LISTING,
  kind: 'CAMPAIGN',
  assetId: `A${'c'.repeat(32)}`,
  sellerId: `U${'e'.repeat(32)}`,
  sellerPlatform: 'Platform1MSP',
  units: 10,
  remaining: 0,
  pricePerUnit: 250,
  minPerBuyer: 1,
  maxPerBuyer: 10,
  expiresAt: '2026-03-01T00:00:00.000Z',
  status: 'SUCCEEDED',
  createdAt: '2026-02-01T00:00:00.000Z',
  targetUnits: 5,
  investors: 2,
  allocation: 'PRO_RATA',
};

const settled = (buyerId: string, units: number, allocatedUnits: number): Commitment => ({
  listingId: LISTING,
  buyerId,
  buyerPlatform: 'Platform2MSP',
  units,
  committedAt: '2026-02-02T00:00:00.000Z',
  allocatedUnits,
  amount: allocatedUnits * 250,
  refund: (units - allocatedUnits) * 250,
});

describe('settledText', () => {
  it('says what was allocated by which rule, and what each investor pays and gets back', () => {
    const s: CampaignSettlement = {
      listing,
      trades: [],
      releases: [],
      settled: [settled(A, 8, 6), settled(B, 6, 4)],
      pending: 0,
      certificatesDue: [A],
      sellerCertificateRevoked: false,
    };
    const text = settledText(s);
    expect(text).toContain(
      `Campaign ${LISTING} SUCCEEDED: 10 of 10 units allocated pro-rata to 2 investors;`,
    );
    expect(text).toContain('(1000 minor units) to refund');
    expect(text).toMatch(new RegExp(`${A}\\s+8\\s+6\\s+1500\\s+500`));
    expect(text).toContain(`Due a certificate (new holders): ${A}`);
  });

  it('says a failed campaign released every commitment', () => {
    const s: CampaignSettlement = {
      listing: { ...listing, status: 'FAILED', remaining: 10 },
      trades: [],
      releases: [settled(A, 2, 0)],
      settled: [settled(A, 2, 0)],
      pending: 0,
      certificatesDue: [],
      sellerCertificateRevoked: false,
    };
    expect(settledText(s)).toBe(`Campaign ${LISTING} FAILED: the target was not met; 1 commitment released.`);
  });
});
