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
  it('reads each holding with its certificate record in one page, and no read per holder', async () => {
    const context = new FakeContext('Platform1MSP', (call) => {
      if (call.transaction === 'Get') {
        return json(asset);
      }
      return json({
        records: [
          { holding: holding(DUE_USER, 'DUE') },
          { holding: holding(ISSUED_USER, 'ISSUED'), certificate: record },
        ],
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
    expect(context.calls.map((c) => `${c.contract}:${c.transaction}`)).toEqual([
      'assets:Get',
      'assets:CapTable',
    ]);
    expect(context.calls.some((c) => c.contract === 'certificates')).toBe(false);
  });

  it('asks for the next page as soon as a page arrives, with its bookmark and pages of 1,000', async () => {
    const pages: Record<string, unknown> = {
      '': { records: [{ holding: holding(DUE_USER, 'DUE') }], bookmark: 'b1', fetched: 1 },
      b1: { records: [{ holding: holding(ISSUED_USER, 'ISSUED') }], bookmark: '', fetched: 1 },
    };
    const context = new FakeContext('Platform1MSP', (call) => json(pages[call.arguments[2] ?? '']));
    const iterator = new AssetsClient(context).allCapTable(ASSET)[Symbol.asyncIterator]();
    await iterator.next();
    // The first line is handed over; the second page is already asked for.
    expect(context.calls.map((c) => c.arguments)).toEqual([
      [ASSET, '1000', ''],
      [ASSET, '1000', 'b1'],
    ]);
    expect((await iterator.next()).value).toEqual({ holding: holding(ISSUED_USER, 'ISSUED') });
    expect((await iterator.next()).done).toBe(true);
  });

  it('passes on a failure of the page read', async () => {
    const context = new FakeContext('Platform1MSP', (call) => {
      if (call.transaction === 'CapTable') {
        throw chaincodeRefusal('FORBIDDEN', 'not yours');
      }
      return json(asset);
    });
    await expect(new AssetsClient(context).capTable(ASSET)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('pending holdings (R13)', () => {
  const PENDING_USER = `U${'4'.repeat(32)}`;

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
