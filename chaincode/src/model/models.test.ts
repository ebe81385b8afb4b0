import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, publicKeyText } from '@crowdledger/protocol';
import { type Codec } from '../values/codec';
import { assetCodec } from './asset';
import { certificateRecordCodec } from './certificate-record';
import { holdingCodec } from './holding';
import { personalDataCodec } from './personal-data';
import { commitmentCodec } from './commitment';
import { listingCodec } from './listing';
import { offerCodec } from './offer';
import { purchaseCodec } from './purchase';
import { tradeCodec } from './trade';
import { transactionKeyCodec } from './transaction-key';
import { userCodec } from './user';

const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
const text = (value: Uint8Array): string => Buffer.from(value).toString('utf8');

const USER = `U${'a'.repeat(32)}`;
const ASSET = `A${'b'.repeat(32)}`;
const AT = '2025-01-31T08:00:00.000Z';
const LISTING = `L${'c'.repeat(32)}`;
const OFFER = `O${'d'.repeat(32)}`;
const TRADE = `T${'e'.repeat(32)}`;
const PUBLIC_KEY = publicKeyText(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);

const fixedListing = {
  listingId: LISTING,
  kind: 'FIXED',
  assetId: ASSET,
  sellerId: USER,
  sellerPlatform: 'Platform1MSP',
  units: 10,
  remaining: 4,
  pricePerUnit: 15_000,
  minPerBuyer: 1,
  maxPerBuyer: 10,
  expiresAt: AT,
  status: 'OPEN',
  createdAt: AT,
};

const valid = {
  user: {
    userId: USER,
    platform: 'Platform1MSP',
    status: 'ACTIVE',
    commitment: 'c'.repeat(64),
    registeredAt: AT,
  },
  personal: {
    userId: USER,
    platformRef: 'alice',
    name: '欧阳娜娜',
    idType: 'RESIDENT_ID',
    idNumber: '11010519491231002X',
    salt: '00'.repeat(16),
  },
  holding: { assetId: ASSET, userId: USER, units: 5, escrowed: 2, certificate: 'DUE' },
  certificate: {
    assetId: ASSET,
    holderId: USER,
    enrollmentId: 'holder-0000000000000000000000000000000000000000',
    serial: '0A',
    issuer: 'O=Registry, CN=asset-ca',
    fingerprint: 'f'.repeat(64),
    notBefore: AT,
    notAfter: AT,
    status: 'REVOKED',
    recordedAt: AT,
    revokedAt: AT,
    revocationReason: 'lost',
  },
  asset: {
    assetId: ASSET,
    platform: 'Platform1MSP',
    attributes: { name: 'n', category: 'DEBT', description: 'd', currency: 'USD', documents: [] },
    rights: {
      voting: { enabled: false, votesPerUnit: 0 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: 5,
    registeredAt: AT,
    status: 'ACTIVE',
  },
  campaign: { ...fixedListing, kind: 'CAMPAIGN', targetUnits: 8, investors: 2 },
  purchase: { listingId: LISTING, buyerId: USER, units: 3 },
  commitment: { listingId: LISTING, buyerId: USER, buyerPlatform: 'Platform2MSP', units: 3, committedAt: AT },
  trade: {
    tradeId: TRADE,
    via: 'OFFER',
    listingId: OFFER,
    assetId: ASSET,
    sellerId: USER,
    buyerId: `U${'f'.repeat(32)}`,
    sellerPlatform: 'Platform1MSP',
    buyerPlatform: 'Platform2MSP',
    units: 3,
    pricePerUnit: 7,
    amount: 21,
    executedAt: AT,
  },
  offer: {
    offerId: OFFER,
    assetId: ASSET,
    sellerId: USER,
    sellerPlatform: 'Platform1MSP',
    buyerId: `U${'f'.repeat(32)}`,
    buyerPlatform: 'Platform2MSP',
    units: 3,
    pricePerUnit: 7,
    expiresAt: AT,
    status: 'ACCEPTED',
    createdAt: AT,
  },
  transactionKey: {
    userId: USER,
    keyId: keyIdOf(PUBLIC_KEY),
    algorithm: 'ES256',
    publicKey: PUBLIC_KEY,
    registeredAt: AT,
  },
};

const codecs: [string, Codec<{ toBytes(): Uint8Array }>, Record<string, unknown>, string, string][] = [
  ['User', userCodec, valid.user, 'status', 'status must be one of ACTIVE'],
  [
    'PersonalData',
    personalDataCodec,
    valid.personal,
    'idNumber',
    'user.idNumber has a wrong check character',
  ],
  ['Holding', holdingCodec, valid.holding, 'units', 'units must be a whole number of units'],
  ['CertificateRecord', certificateRecordCodec, valid.certificate, 'serial', 'serial must be upper-case hex'],
  ['Asset', assetCodec, valid.asset, 'totalUnits', 'totalUnits must be a whole number of units'],
  ['Listing', listingCodec, fixedListing, 'status', 'status must be one of OPEN, CLOSED, CANCELLED, EXPIRED'],
  [
    'Listing (campaign)',
    listingCodec,
    valid.campaign,
    'status',
    'status must be one of OPEN, SUCCEEDED, FAILED',
  ],
  ['Purchase', purchaseCodec, valid.purchase, 'units', 'units must be a whole number of units'],
  ['Commitment', commitmentCodec, valid.commitment, 'buyerId', 'buyerId must be a user ID'],
  ['Trade', tradeCodec, valid.trade, 'via', 'via must be one of FIXED, CAMPAIGN, OFFER'],
  ['Offer', offerCodec, valid.offer, 'status', 'status must be one of OPEN, ACCEPTED, CANCELLED, EXPIRED'],
  ['TransactionKey', transactionKeyCodec, valid.transactionKey, 'keyId', 'keyId must be 64 lower-case hex'],
];

describe.each(codecs)('%s codec', (_name, codec, record, field, sentence) => {
  it('round-trips stored bytes with keys sorted at every depth', () => {
    const sorted = JSON.stringify(JSON.parse(text(bytes(record))), (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
    );
    expect(text(codec.toBytes(codec.fromBytes(bytes(record), 'k')))).toBe(sorted);
  });

  it('calls a damaged record CORRUPT_STATE and names the key', () => {
    const damaged = { ...record, [field]: field === 'idNumber' ? '110105194912310020' : 'x y' };
    expect(() => codec.fromBytes(bytes(damaged), 'key~1')).toThrow(
      new RegExp(`^CORRUPT_STATE: record key~1 is invalid: ${sentence}`),
    );
  });

  it('refuses bytes that are not JSON', () => {
    expect(() => codec.fromBytes(Buffer.from('{'), 'key~2')).toThrow(
      'CORRUPT_STATE: record key~2 is not valid JSON',
    );
  });
});

describe('stored invariants', () => {
  it('refuses a holding with more units escrowed than held', () => {
    expect(() => holdingCodec.fromBytes(bytes({ ...valid.holding, escrowed: 6 }), 'h')).toThrow(
      'CORRUPT_STATE: record h is invalid: escrowed units exceed the units held',
    );
  });

  it('refuses a revocation on an active certificate record, and a revoked one without it', () => {
    const active: Record<string, unknown> = { ...valid.certificate };
    delete active['revokedAt'];
    delete active['revocationReason'];
    expect(() =>
      certificateRecordCodec.fromBytes(bytes({ ...valid.certificate, status: 'ACTIVE' }), 'c'),
    ).toThrow(/revokedAt and revocationReason go with status REVOKED, and only with it$/);
    expect(() => certificateRecordCodec.fromBytes(bytes(active), 'c')).toThrow(/go with status REVOKED/);
    expect(
      certificateRecordCodec.fromBytes(bytes({ ...active, status: 'ACTIVE' }), 'c').revokedAt,
    ).toBeUndefined();
  });

  it.each([
    [
      'a listing with more remaining than units',
      listingCodec,
      { ...fixedListing, remaining: 11 },
      'remaining must be a whole number from 0 to 10',
    ],
    [
      'a FIXED listing with campaign terms',
      listingCodec,
      { ...fixedListing, targetUnits: 3, investors: 0 },
      'targetUnits and investors go with kind CAMPAIGN',
    ],
    [
      'a FIXED listing with one campaign term',
      listingCodec,
      { ...fixedListing, targetUnits: 3 },
      'targetUnits and investors go with kind CAMPAIGN',
    ],
    [
      'a campaign without its terms',
      listingCodec,
      { ...fixedListing, kind: 'CAMPAIGN' },
      'targetUnits and investors go with kind CAMPAIGN',
    ],
    [
      'a campaign target above its units',
      listingCodec,
      { ...valid.campaign, targetUnits: 11 },
      'targetUnits exceeds units',
    ],
    [
      'a listing whose minimum exceeds its maximum',
      listingCodec,
      { ...fixedListing, minPerBuyer: 11 },
      'minPerBuyer exceeds maxPerBuyer',
    ],
    [
      'a trade whose amount is not units × price',
      tradeCodec,
      { ...valid.trade, amount: 20 },
      'amount is not units × pricePerUnit',
    ],
    [
      'a key whose ID is not its hash',
      transactionKeyCodec,
      { ...valid.transactionKey, keyId: 'a'.repeat(64) },
      'publicKey must be a P-256 key whose SHA-256 is keyId',
    ],
    [
      'a key record with an impossible date',
      transactionKeyCodec,
      { ...valid.transactionKey, registeredAt: '2025-02-30T00:00:00.000Z' },
      'registeredAt must be an ISO-8601 UTC instant',
    ],
  ] as [string, Codec<unknown>, Record<string, unknown>, string][])(
    'refuses %s',
    (_case, codec, record, sentence) => {
      expect(() => codec.fromBytes(bytes(record), 'r')).toThrow(
        `CORRUPT_STATE: record r is invalid: ${sentence}`,
      );
    },
  );
});
