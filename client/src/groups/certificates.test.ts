import { checkpointers } from '@hyperledger/fabric-gateway';
import type { CertificateState } from '../model';
import { chaincodeEvent, type FakeCall, FakeContext, json } from '../testing/fake-gateway';
import { CertificatesClient } from './certificates';
import { UsersClient } from './users';

const OWN = 'Platform1MSP';
const id = (kind: 'U' | 'A', n: number): string => `${kind}${String(n).repeat(32)}`;
const [OWN_ISSUED, OTHER, OWN_DUE] = [id('U', 1), id('U', 2), id('U', 3)];
const [ASSET1, ASSET2] = [id('A', 4), id('A', 5)];

const users: Record<string, { platform: string; certificate: CertificateState }> = {
  [OWN_ISSUED]: { platform: OWN, certificate: 'ISSUED' },
  [OTHER]: { platform: 'Platform2MSP', certificate: 'DUE' },
  [OWN_DUE]: { platform: OWN, certificate: 'DUE' },
};

/** The users contract's reads over the table above. */
function ledger(call: FakeCall): Uint8Array {
  const userId = call.arguments[0] ?? '';
  const entry = users[userId];
  if (entry === undefined) {
    throw new Error(`unexpected call ${call.contract}:${call.transaction}`);
  }
  if (call.transaction === 'Get') {
    return json({
      userId,
      platform: entry.platform,
      status: 'ACTIVE',
      commitment: 'c'.repeat(64),
      registeredAt: 'T',
    });
  }
  const holdings = [ASSET1, ASSET2].map((assetId) => ({
    assetId,
    userId,
    units: 5,
    escrowed: 0,
    certificate: entry.certificate,
  }));
  return json({ userId, holdings });
}

const registered = (block: number, tx: string, assetId: string, holders: string[]) =>
  chaincodeEvent(block, tx, 'AssetRegistered', {
    assetId,
    platform: OWN,
    totalUnits: 10 * holders.length,
    registeredAt: 'T',
    holders: holders.map((userId) => ({ userId, units: 10, certificateDue: true })),
  });

function client(events = [registered(2, 'tx2', ASSET1, [OWN_ISSUED, OTHER])]): {
  context: FakeContext;
  certificates: CertificatesClient;
} {
  const context = new FakeContext(OWN, ledger, [
    ...events,
    chaincodeEvent(3, 'tx3', 'UserRegistered', {
      userId: OTHER,
      platform: OWN,
      status: 'ACTIVE',
      commitment: 'c'.repeat(64),
      registeredAt: 'T',
    }),
    registered(6, 'tx6', ASSET2, [OWN_DUE]),
  ]);
  context.height = 5n;
  return { context, certificates: new CertificatesClient(context, new UsersClient(context)) };
}

describe('certificates.issueDue', () => {
  it("skips issued holdings and other platforms' users, and stops at the height it started with", async () => {
    const { certificates } = client();
    const checkpoint = checkpointers.inMemory();
    const report = await certificates.issueDue({ checkpoint, idleMs: 50 });
    expect(report).toEqual({
      issued: [],
      skipped: [
        { assetId: ASSET1, holderId: OWN_ISSUED, reason: 'ALREADY_ISSUED' },
        { assetId: ASSET1, holderId: OTHER, reason: 'OTHER_PLATFORM' },
      ],
      eventsRead: 2,
    });
    // Block 6 is past height 5: left for the next run.
    expect([checkpoint.getBlockNumber(), checkpoint.getTransactionId()]).toEqual([3n, 'tx3']);
  });

  it('stops at a holding that fails, without checkpointing its event, so the next run tries it again', async () => {
    const { certificates } = client([registered(2, 'tx2', ASSET1, [OTHER, OWN_DUE])]);
    const checkpoint = checkpointers.inMemory();
    const report = await certificates.issueDue({ checkpoint, idleMs: 50 });
    expect(report.skipped).toEqual([{ assetId: ASSET1, holderId: OTHER, reason: 'OTHER_PLATFORM' }]);
    expect(report.failed).toMatchObject({
      assetId: ASSET1,
      holderId: OWN_DUE,
      error: { code: 'UNEXPECTED' },
    });
    expect(report.eventsRead).toBe(0);
    expect(checkpoint.getBlockNumber()).toBeUndefined();
  });
});

describe('certificates.issue', () => {
  it('refuses another platform’s user and an issued holding before asking the CA', async () => {
    const { certificates, context } = client();
    await expect(certificates.issue(ASSET1, OTHER)).rejects.toMatchObject({ code: 'NOT_OWN_USER' });
    await expect(certificates.issue(ASSET1, OWN_ISSUED)).rejects.toMatchObject({
      code: 'CERTIFICATE_NOT_DUE',
    });
    expect(context.calls.every((c) => c.kind === 'evaluate')).toBe(true);
  });

  it('sends the certificate PEM only in the transient map when recording', async () => {
    const { certificates, context } = client();
    await certificates.record(ASSET1, OWN_DUE, '-----BEGIN CERTIFICATE-----\nMII…').catch(() => undefined);
    const call = context.calls.find((c) => c.transaction === 'Record');
    expect(call?.arguments).toEqual([ASSET1, OWN_DUE]);
    expect(call?.transientData['certificate']).toContain('BEGIN CERTIFICATE');
  });
});
