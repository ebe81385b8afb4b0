import { createHash, X509Certificate } from 'node:crypto';
import { KeyPrefix } from '@crowdledger/protocol';
import { assetIdFor } from '@crowdledger/protocol';
import type { HolderQueryRequest } from '@crowdledger/protocol';
import { makeTestPki, type TestPki, testEnrollmentId } from '../testing/pki';
import {
  ALICE,
  BOB,
  CAROL,
  contracts,
  FUND,
  HOLDER_CERTS,
  type HolderName,
  type HolderQueryOptions,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

const DAY = 24 * 60 * 60;
const certKey = (asset: string, holder: string): string =>
  `\u0000${KeyPrefix.certificate}\u0000${asset}\u0000${holder}\u0000`;
const holdingKey = (asset: string, holder: string): string =>
  `\u0000${KeyPrefix.holding}\u0000${asset}\u0000${holder}\u0000`;
const json = (bytes: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

function pem(name: HolderName): string {
  return pki.holders[name] ?? '';
}

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  await world.populate();
  return world;
}

describe('CertificatesContract.Record', () => {
  it('records serial, issuer, fingerprint and validity, and marks the holding ISSUED', async () => {
    const world = await registry();
    const cert = new X509Certificate(pem('alice'));
    const record = await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    expect(record).toEqual({
      assetId: FUND,
      holderId: ALICE,
      enrollmentId: testEnrollmentId('alice'),
      serial: cert.serialNumber.toUpperCase(),
      issuer: 'O=Registry, CN=asset-ca',
      fingerprint: createHash('sha256').update(cert.raw).digest('hex'),
      notBefore: cert.validFromDate.toISOString(),
      notAfter: cert.validToDate.toISOString(),
      status: 'ACTIVE',
      recordedAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    });
    expect(json(world.stub.state.get(holdingKey(FUND, ALICE)))).toMatchObject({ certificate: 'ISSUED' });
  });

  it('emits CertificateRecorded with the record and never writes the certificate itself', async () => {
    const world = await registry();
    const before = world.stub.events.length;
    await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    expect(world.stub.events.slice(before).map((e) => e.name)).toEqual(['CertificateRecorded']);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual(json(world.stub.state.get(certKey(FUND, ALICE))));
    const body = pem('alice').split('\n')[1] ?? 'missing';
    const written = [...world.stub.writes.map((w) => w.value), ...world.stub.events.map((e) => e.payload)];
    expect(written.filter((bytes) => Buffer.from(bytes).toString('utf8').includes(body))).toEqual([]);
  });

  it('lets the registry admin record for any platform', async () => {
    const world = await registry();
    await expect(world.recordCertificate('admin', FUND, BOB, pem('bob'))).resolves.toMatchObject({
      status: 'ACTIVE',
    });
  });

  it('changes nothing when the active certificate is recorded again', async () => {
    const world = await registry();
    const first = await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    await expect(world.recordCertificate('platform1', FUND, ALICE, pem('alice'))).resolves.toEqual(first);
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.events).toHaveLength(events);
  });

  it('refuses a second certificate while the first is active, and writes nothing', async () => {
    const world = await registry();
    await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    world.stub.txId = 'tx-second';
    const before = world.stub.state.get(certKey(FUND, ALICE));
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    await expect(world.recordCertificate('platform1', FUND, ALICE, pem('aliceAgain'))).rejects.toThrow(
      /^CERTIFICATE_INVALID: the certificate of .* with serial [0-9A-F]+ is still active: revoke it \(certificates:Revoke\) before recording another$/,
    );
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.events).toHaveLength(events);
    expect(world.stub.state.get(certKey(FUND, ALICE))).toEqual(before);
  });

  it('replaces a revoked certificate with a newer one, the old one REVOKED in history', async () => {
    const world = await registry();
    await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    world.stub.txId = 'tx-revoke';
    await contracts.certificates.Revoke(world.as('platform1'), FUND, ALICE, 'superseded');
    world.stub.txId = 'tx-renew';
    const serial = (name: HolderName): string => new X509Certificate(pem(name)).serialNumber.toUpperCase();
    const renewed = await world.recordCertificate('platform1', FUND, ALICE, pem('aliceAgain'));
    expect(renewed).toMatchObject({ serial: serial('aliceAgain'), status: 'ACTIVE' });
    const history = (world.stub.history.get(certKey(FUND, ALICE)) ?? []).map((v) => json(v.value));
    expect(history).toEqual([
      expect.objectContaining({ status: 'ACTIVE', serial: serial('alice') }),
      expect.objectContaining({ status: 'REVOKED', serial: serial('alice'), revocationReason: 'superseded' }),
      expect.objectContaining({ status: 'ACTIVE', serial: serial('aliceAgain') }),
    ]);
    expect(json(world.stub.state.get(holdingKey(FUND, ALICE)))).toMatchObject({ certificate: 'ISSUED' });
  });

  it.each<[string, HolderName, string, RegExp]>([
    ['from another CA with the same name', 'aliceForged', ALICE, /not issued by the asset-certificate CA$/],
    ['naming another asset', 'aliceOtherAsset', ALICE, /attributes do not name A[0-9a-f]+ and U[0-9a-f]+$/],
    ['naming another holder', 'bob', ALICE, /attributes do not name /],
    // A CN is the registrar's choice: only the enrollment-ID form keeps personal data off the ledger.
    ['whose CN is no holder enrollment ID', 'aliceNamedInCn', ALICE, /CN must be a holder enrollment ID/],
  ])(
    'refuses a certificate %s with CERTIFICATE_INVALID and writes nothing',
    async (_case, name, holder, message) => {
      const world = await registry();
      const writes = world.stub.writes.length;
      const failure = world.recordCertificate('platform1', FUND, holder, pem(name));
      await expect(failure).rejects.toThrow(/^CERTIFICATE_INVALID: /);
      await expect(failure).rejects.toThrow(message);
      expect(world.stub.writes).toHaveLength(writes);
    },
  );

  it('refuses a certificate outside its validity at the transaction time', async () => {
    const world = await registry();
    world.stub.txSeconds += 60 * DAY;
    await expect(world.recordCertificate('platform1', FUND, ALICE, pem('alice'))).rejects.toThrow(
      /^CERTIFICATE_EXPIRED: the asset certificate expired at .*; it is now /,
    );
  });

  it.each([
    [
      'text that is no certificate',
      'hello',
      'CERTIFICATE_INVALID: the asset certificate must be exactly one PEM',
    ],
    [
      'the CA certificate itself',
      'assetCa',
      "CERTIFICATE_INVALID: the asset certificate is a CA certificate, not a holder's",
    ],
  ])('refuses %s', async (_case, text, message) => {
    const world = await registry();
    await expect(
      world.recordCertificate('platform1', FUND, ALICE, text === 'assetCa' ? pki.assetCa : text),
    ).rejects.toThrow(message);
  });

  it('fails NOT_HOLDER for a registered user who holds no units', async () => {
    const world = await registry();
    await expect(world.recordCertificate('platform2', FUND, CAROL, pem('carol'))).rejects.toThrow(
      `NOT_HOLDER: user ${CAROL} holds no units of ${FUND}`,
    );
  });

  it('fails TRANSIENT_MISSING without the certificate', async () => {
    const world = await registry();
    world.stub.transient = new Map();
    await expect(contracts.certificates.Record(world.as('platform1'), FUND, ALICE)).rejects.toThrow(
      'TRANSIENT_MISSING: transient field certificate is required',
    );
  });

  it('fails NOT_FOUND before an asset CA is configured', async () => {
    const world = new World(pki);
    await world.populate();
    await expect(world.recordCertificate('platform1', FUND, ALICE, pem('alice'))).rejects.toThrow(
      'NOT_FOUND: no asset-certificate CA is configured yet (identity:SetAssetCertificateAuthority)',
    );
  });

  it('fails ASSET_NOT_FOUND and USER_NOT_FOUND for unknown IDs', async () => {
    const world = await registry();
    const otherAsset = assetIdFor('Platform1MSP', 'fund-2');
    await expect(
      world.recordCertificate('platform1', otherAsset, ALICE, pem('aliceOtherAsset')),
    ).rejects.toThrow(`ASSET_NOT_FOUND: no asset ${otherAsset} is registered`);
    await expect(
      world.recordCertificate('platform1', FUND, `U${'9'.repeat(32)}`, pem('alice')),
    ).rejects.toThrow(/^USER_NOT_FOUND: /);
  });

  it.each(['platform2', 'auditor', 'nobody', { holder: 'alice' }] as const)(
    "refuses %j, which is neither the holder's platform nor the admin",
    async (who) => {
      const world = await registry();
      const writes = world.stub.writes.length;
      await expect(world.recordCertificate(who, FUND, ALICE, pem('alice'))).rejects.toThrow(/^FORBIDDEN: /);
      expect(world.stub.writes).toHaveLength(writes);
    },
  );
});

describe('CertificatesContract.Revoke', () => {
  async function recorded(): Promise<World> {
    const world = await registry();
    await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    return world;
  }

  it('marks the record and the holding REVOKED and emits CertificateRevoked', async () => {
    const world = await recorded();
    const revoked = await contracts.certificates.Revoke(world.as('platform1'), FUND, ALICE, 'key lost');
    expect(revoked).toMatchObject({
      status: 'REVOKED',
      revokedAt: new Date(world.stub.txSeconds * 1000).toISOString(),
      revocationReason: 'key lost',
    });
    expect(json(world.stub.state.get(holdingKey(FUND, ALICE)))).toMatchObject({ certificate: 'REVOKED' });
    expect(world.stub.events.at(-1)?.name).toBe('CertificateRevoked');
    await expect(contracts.certificates.Get(world.as('auditor'), FUND, ALICE)).resolves.toEqual(revoked);
  });

  it('fails CERTIFICATE_REVOKED the second time', async () => {
    const world = await recorded();
    await contracts.certificates.Revoke(world.as('admin'), FUND, ALICE, 'compliance order');
    await expect(contracts.certificates.Revoke(world.as('platform1'), FUND, ALICE, 'again')).rejects.toThrow(
      /^CERTIFICATE_REVOKED: the certificate of A[0-9a-f]+\/U[0-9a-f]+ \(serial [0-9A-F]+\) was already revoked at /,
    );
  });

  it('refuses to record the revoked certificate again but accepts a new one', async () => {
    const world = await recorded();
    await contracts.certificates.Revoke(world.as('platform1'), FUND, ALICE, 'key lost');
    await expect(world.recordCertificate('platform1', FUND, ALICE, pem('alice'))).rejects.toThrow(
      /^CERTIFICATE_INVALID: this certificate was revoked at /,
    );
    await expect(world.recordCertificate('platform1', FUND, ALICE, pem('aliceAgain'))).resolves.toMatchObject(
      {
        status: 'ACTIVE',
      },
    );
    expect(json(world.stub.state.get(holdingKey(FUND, ALICE)))).toMatchObject({ certificate: 'ISSUED' });
  });

  it('fails NOT_FOUND when no certificate was recorded', async () => {
    const world = await recorded();
    await expect(contracts.certificates.Revoke(world.as('platform1'), FUND, BOB, 'x')).rejects.toThrow(
      `NOT_FOUND: no certificate is recorded for ${FUND}/${BOB}`,
    );
    await expect(contracts.certificates.Get(world.as('platform1'), FUND, BOB)).rejects.toThrow(
      /^NOT_FOUND: /,
    );
  });

  it.each([
    ['platform2', 'x', /^FORBIDDEN: only Platform1MSP or a RegistryMSP admin may revoke/],
    ['auditor', 'x', /^FORBIDDEN: only platform or RegistryMSP admin identities may change the register/],
    ['platform1', '', /^INVALID_ARGUMENT: reason must be 1 to 500/],
  ] as const)('refuses %s with reason %j', async (who, reason, message) => {
    const world = await recorded();
    const writes = world.stub.writes.length;
    await expect(contracts.certificates.Revoke(world.as(who), FUND, ALICE, reason)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });
});

describe('CertificatesContract.QueryByCertificate (relayed, R4)', () => {
  async function recorded(): Promise<World> {
    const world = await registry();
    await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    return world;
  }

  it.each(['platform1', 'platform2', 'admin', 'auditor'] as const)(
    "shows the holder their asset and holding, relayed by %s, and no one else's",
    async (relay) => {
      const world = await recorded();
      await world.recordCertificate('platform1', FUND, BOB, pem('bob'));
      const view = await world.queryAsHolder(relay, 'alice');
      expect(view.asset).toMatchObject({ assetId: FUND, totalUnits: 100 });
      expect(view.asset.attributes.name).toBe('城市更新基金一期');
      expect(view.asset.rights.voting).toEqual({ enabled: true, votesPerUnit: 1 });
      expect(view.holding).toEqual({
        units: 60,
        escrowed: 0,
        free: 60,
        shareOfTotal: '0.600000',
        certificateSerial: new X509Certificate(pem('alice')).serialNumber.toUpperCase(),
      });
      // Bob's 40 units and his user ID appear nowhere in Alice's answer.
      expect(JSON.stringify(view)).not.toContain(BOB);
      expect(JSON.stringify(view)).not.toMatch(/"units":40/);
    },
  );

  it('writes nothing and emits nothing', async () => {
    const world = await recorded();
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    await world.queryAsHolder('platform2', 'alice');
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.events).toHaveLength(events);
  });

  it('gives a revoked certificate nothing, from the revoking block on', async () => {
    const world = await recorded();
    await contracts.certificates.Revoke(world.as('platform1'), FUND, ALICE, 'key lost');
    await expect(world.queryAsHolder('platform1', 'alice')).rejects.toThrow(
      /^CERTIFICATE_REVOKED: this certificate has been revoked$/,
    );
  });

  it('gives a certificate that was never recorded nothing', async () => {
    const world = await recorded();
    await expect(world.queryAsHolder('platform1', 'bob')).rejects.toThrow(
      /^CERTIFICATE_INVALID: this certificate is not the one on record for its holding$/,
    );
  });

  it('gives a superseded certificate nothing and its replacement the view', async () => {
    const world = await recorded();
    await contracts.certificates.Revoke(world.as('platform1'), FUND, ALICE, 'superseded');
    await world.recordCertificate('platform1', FUND, ALICE, pem('aliceAgain'));
    await expect(world.queryAsHolder('platform1', 'alice')).rejects.toThrow(
      /^CERTIFICATE_INVALID: this certificate is not the one on record/,
    );
    await expect(world.queryAsHolder('platform1', 'aliceAgain')).resolves.toMatchObject({
      holding: { units: 60 },
    });
  });

  it('gives an expired certificate nothing', async () => {
    const world = await recorded();
    world.stub.txSeconds += 60 * DAY;
    await expect(world.queryAsHolder('platform1', 'alice')).rejects.toThrow(
      /^CERTIFICATE_EXPIRED: the asset certificate expired at /,
    );
  });

  it("gives a certificate from another CA with the asset CA's name nothing", async () => {
    const world = await recorded();
    await expect(world.queryAsHolder('platform1', 'aliceForged')).rejects.toThrow(
      /^CERTIFICATE_INVALID: the asset certificate was not issued by the asset-certificate CA$/,
    );
  });

  it.each<[string, HolderQueryOptions, RegExp]>([
    ["signed with another holder's key", { signer: 'bob' }, /^QUERY_SIGNATURE_INVALID: /],
    ['altered after signing', { change: { nonce: 'f'.repeat(32) } }, /^QUERY_SIGNATURE_INVALID: /],
    [
      'for another asset',
      { request: { assetId: assetIdFor('Platform1MSP', 'fund-2') } },
      /^QUERY_REQUEST_INVALID: this certificate is for another asset/,
    ],
    [
      'bound to another certificate',
      { request: { fingerprint: 'e'.repeat(64) } },
      /^QUERY_REQUEST_INVALID: the query request names another certificate$/,
    ],
    [
      'made too long ago',
      { request: { requestedAt: new Date(Date.now() - 6 * 60_000).toISOString() } },
      /^QUERY_REQUEST_STALE: /,
    ],
    [
      'dated in the future',
      { request: { requestedAt: new Date(Date.now() + 6 * 60_000).toISOString() } },
      /^QUERY_REQUEST_STALE: /,
    ],
    ['with a short nonce', { request: { nonce: 'abc' } }, /^QUERY_REQUEST_INVALID: nonce must be 32 to 64/],
  ])('refuses a request %s and writes nothing', async (_case, options, message) => {
    const world = await recorded();
    const writes = world.stub.writes.length;
    await expect(world.queryAsHolder('platform1', 'alice', options)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('refuses a request with a field more, without echoing it', async () => {
    const world = await recorded();
    const failure = world.queryAsHolder('platform1', 'alice', {
      change: { holderId: 'someone' } as Partial<HolderQueryRequest>,
    });
    await expect(failure).rejects.toThrow(/^QUERY_REQUEST_INVALID: /);
    await expect(failure).rejects.not.toThrow(/someone/);
  });

  it('refuses a relay without a role, and any call without the transient fields', async () => {
    const world = await recorded();
    await expect(world.queryAsHolder('nobody', 'alice')).rejects.toThrow(/^FORBIDDEN: /);
    world.stub.transient = new Map([['certificate', Buffer.from(pem('alice'))]]);
    await expect(contracts.certificates.QueryByCertificate(world.as('platform1'))).rejects.toThrow(
      'TRANSIENT_MISSING: transient field holderQuery is required',
    );
  });

  it('gives an asset-CA certificate that signs a proposal itself no role and nothing', async () => {
    const world = await recorded();
    const ctx = world.as({ holder: 'alice' });
    await expect(contracts.certificates.Get(ctx, FUND, ALICE)).rejects.toThrow(/^FORBIDDEN: /);
    await expect(contracts.assets.Get(ctx, FUND)).rejects.toThrow(/^FORBIDDEN: /);
    await expect(contracts.assets.Holders(ctx, FUND, '10', '')).rejects.toThrow(/^FORBIDDEN: /);
    await expect(contracts.users.Portfolio(ctx, ALICE)).rejects.toThrow(/^FORBIDDEN: /);
    await expect(contracts.certificates.Revoke(ctx, FUND, ALICE, 'x')).rejects.toThrow(/^FORBIDDEN: /);
    await expect(world.queryAsHolder({ holder: 'alice' }, 'alice')).rejects.toThrow(/^FORBIDDEN: /);
  });
});
