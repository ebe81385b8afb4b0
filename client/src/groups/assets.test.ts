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

describe('pending holdings (R13)', () => {
  const PENDING_USER = `U${'4'.repeat(32)}`;

  it('shows a pending holding in the cap table without asking for a certificate record', async () => {
    const context = new FakeContext('Platform1MSP', (call) => {
      if (call.contract === 'certificates') {
        throw chaincodeRefusal('NOT_FOUND', 'no certificate is recorded');
      }
      return call.transaction === 'Get'
        ? json(asset)
        : json({
            records: [holding(DUE_USER, 'DUE'), holding(PENDING_USER, 'PENDING')],
            bookmark: '',
            fetched: 2,
          });
    });
    const table = await new AssetsClient(context).capTable(ASSET);
    expect(table.holders).toEqual([
      { holding: holding(DUE_USER, 'DUE') },
      { holding: holding(PENDING_USER, 'PENDING') },
    ]);
    const certificateReads = context.calls.filter((c) => c.contract === 'certificates');
    expect(certificateReads.map((c) => c.arguments[1])).toEqual([DUE_USER]);
  });

  it('accepts and declines by submitting the asset and holder as arguments', async () => {
    const context = new FakeContext('Platform2MSP', (call) =>
      call.transaction === 'AcceptHolding'
        ? json(holding(PENDING_USER, 'DUE'))
        : json({ ...asset, totalUnits: 5 }),
    );
    const assets = new AssetsClient(context);
    await expect(assets.acceptHolding(ASSET, PENDING_USER)).resolves.toMatchObject({ certificate: 'DUE' });
    await expect(assets.declineHolding(ASSET, PENDING_USER)).resolves.toMatchObject({ totalUnits: 5 });
    expect(context.calls.map((c) => [c.kind, c.transaction, c.arguments])).toEqual([
      ['submit', 'AcceptHolding', [ASSET, PENDING_USER]],
      ['submit', 'DeclineHolding', [ASSET, PENDING_USER]],
    ]);
  });

  it("lists the client's own platform's pending holdings by default", async () => {
    const context = new FakeContext('Platform2MSP', () =>
      json({ records: [holding(PENDING_USER, 'PENDING')], bookmark: '', fetched: 1 }),
    );
    const page = await new AssetsClient(context).pendingHoldings();
    expect(page.records.map((h) => h.certificate)).toEqual(['PENDING']);
    expect(context.calls[0]).toMatchObject({
      kind: 'evaluate',
      transaction: 'PendingHoldings',
      arguments: ['Platform2MSP', '100', ''],
    });
  });

  it('refuses a holding state the protocol does not know', async () => {
    const context = new FakeContext('Platform2MSP', () =>
      json({
        records: [{ ...holding(PENDING_USER, 'DUE'), certificate: 'MAYBE' }],
        bookmark: '',
        fetched: 1,
      }),
    );
    await expect(new AssetsClient(context).pendingHoldings()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
