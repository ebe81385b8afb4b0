import type { Asset, CertificateRecord, Holding } from '../model';
import { chaincodeRefusal, FakeContext, json } from '../testing/fake-gateway';
import { AssetsClient } from './assets';

const ASSET = `A${'1'.repeat(32)}`;
const [DUE_USER, ISSUED_USER] = [`U${'2'.repeat(32)}`, `U${'3'.repeat(32)}`];
const asset: Asset = {
  assetId: ASSET,
  platform: 'Platform1MSP',
  attributes: { name: '基金', category: 'FUND', description: '', currency: 'CNY', documents: [] },
  rights: {
    voting: { enabled: false, votesPerUnit: 0 },
    dividend: { enabled: false, policy: '' },
    otherTerms: [],
  },
  totalUnits: 10,
  registeredAt: 'T',
  status: 'ACTIVE',
};
const holding = (userId: string, certificate: Holding['certificate']): Holding => ({
  assetId: ASSET,
  userId,
  units: 5,
  escrowed: 0,
  certificate,
});
const record: CertificateRecord = {
  assetId: ASSET,
  holderId: ISSUED_USER,
  enrollmentId: 'holder-0000000000000000000000000000000000000000',
  serial: '0A',
  issuer: 'CN=assetca.registry',
  fingerprint: 'f'.repeat(64),
  notBefore: 'T',
  notAfter: 'T',
  status: 'ACTIVE',
  recordedAt: 'T',
};

describe('assets.capTable', () => {
  it('gives each holding the certificate record on the ledger, and none where there is none', async () => {
    const context = new FakeContext('Platform1MSP', (call) => {
      if (call.contract === 'certificates') {
        if (call.arguments[1] === ISSUED_USER) {
          return json(record);
        }
        throw chaincodeRefusal('NOT_FOUND', 'no certificate is recorded');
      }
      if (call.transaction === 'Get') {
        return json(asset);
      }
      return json({
        records: [holding(DUE_USER, 'DUE'), holding(ISSUED_USER, 'ISSUED')],
        bookmark: '',
        fetched: 2,
      });
    });
    const table = await new AssetsClient(context).capTable(ASSET);
    expect(table.asset.assetId).toBe(ASSET);
    expect(table.holders).toEqual([
      { holding: holding(DUE_USER, 'DUE') },
      { holding: holding(ISSUED_USER, 'ISSUED'), certificate: record },
    ]);
  });

  it('passes on any other failure of the certificate read', async () => {
    const context = new FakeContext('Platform1MSP', (call) => {
      if (call.contract === 'certificates') {
        throw chaincodeRefusal('FORBIDDEN', 'not yours');
      }
      return call.transaction === 'Get'
        ? json(asset)
        : json({ records: [holding(DUE_USER, 'DUE')], bookmark: '', fetched: 1 });
    });
    await expect(new AssetsClient(context).capTable(ASSET)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
