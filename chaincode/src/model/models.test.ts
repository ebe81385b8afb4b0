import { type Codec } from '../ledger/state';
import { assetCodec } from './asset';
import { assetRefCodec } from './asset-ref';
import { certificateRecordCodec } from './certificate-record';
import { holdingCodec } from './holding';
import { holdingRefCodec } from './holding-ref';
import { personalDataCodec } from './personal-data';
import { userCodec } from './user';

const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
const text = (value: Uint8Array): string => Buffer.from(value).toString('utf8');

const USER = `U${'a'.repeat(32)}`;
const ASSET = `A${'b'.repeat(32)}`;
const AT = '2025-01-31T08:00:00.000Z';

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
  assetRef: { assetId: ASSET },
  holdingRef: { assetId: ASSET, userId: USER },
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
  ['AssetRef', assetRefCodec, valid.assetRef, 'assetId', 'assetId must be an asset ID'],
  ['HoldingRef', holdingRefCodec, valid.holdingRef, 'userId', 'userId must be a user ID'],
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
});
