import { webcrypto, X509Certificate } from 'node:crypto';
import { checkpointers } from '@hyperledger/fabric-gateway';
import type {
  CaIdentity,
  CertificateAuthority,
  CertificateQuery,
  EnrollRequest,
  Enrollment,
  ListedCertificate,
  RegisterRequest,
  RevokeRequest,
  Revocation,
} from '../ca/client';
import { CaErrorCode, FabricCaError } from '../ca/errors';
import { holderEnrollmentId } from '../ca/holder';
import { x509 } from '../ca/x509';
import type { CertificateState } from '../model';
import { FAKE_CRL, FakeCa } from '../testing/fake-ca';
import { chaincodeEvent, chaincodeRefusal, type FakeCall, FakeContext, json } from '../testing/fake-gateway';
import { AuditClient } from './audit';
import { CertificatesClient, REISSUE_REASON } from './certificates';
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
    // OTHER stands for another platform's due holder (as a trade's buyer would be): issueDue skips it.
    holders: holders.map((userId) => ({
      userId,
      platform: users[userId]?.platform ?? OWN,
      units: 10,
      certificateDue: true,
      pending: false,
    })),
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
  return {
    context,
    certificates: new CertificatesClient(context, new UsersClient(context), new AuditClient(context)),
  };
}

describe('certificates.issueDue', () => {
  it("skips issued holdings and other platforms' users, and stops at the height it started with", async () => {
    const { certificates } = client();
    const checkpoint = checkpointers.inMemory();
    const report = await certificates.issueDue({ checkpoint, idleMs: 50 });
    expect(report).toEqual({
      issued: [],
      revoked: [],
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
    // No CA in this test: issuing OWN_DUE fails there.
    const report = await certificates.issueDue({ checkpoint, idleMs: 50, personalAttributes: false });
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

describe('certificates.query', () => {
  it('connects as the holder for one read when given a certificate and key, and asks nothing else', async () => {
    const { certificates, context } = client();
    const holder = { certificate: 'cert.pem', privateKey: 'key.pem' };
    await certificates.query(holder).catch(() => undefined);
    expect(context.holders).toEqual([holder]);
    expect(context.calls.map((c) => c.transaction)).toEqual(['QueryByCertificate']);
    expect(context.calls[0]?.arguments).toEqual([]);
  });

  it('reads as the connected identity without one', async () => {
    const { certificates, context } = client();
    await certificates.query().catch(() => undefined);
    expect(context.holders).toEqual([]);
    expect(context.calls.map((c) => c.transaction)).toEqual(['QueryByCertificate']);
  });
});

describe('revoking at the asset CA (R6)', () => {
  const record = (serial: string, status: 'ACTIVE' | 'REVOKED') => ({
    assetId: ASSET1,
    holderId: OWN_DUE,
    serial,
    issuer: 'CN=assetca.registry',
    fingerprint: 'f'.repeat(64),
    notBefore: 'T',
    notAfter: 'T',
    status,
    recordedAt: 'T',
    ...(status === 'REVOKED' ? { revokedAt: 'T', revocationReason: 'sold out' } : {}),
  });
  const version = (value: ReturnType<typeof record>) => ({
    txId: 't',
    timestamp: 'T',
    isDelete: false,
    value,
  });

  /** users as above; the certificate of OWN_DUE is `current`, with an older revoked one in its history. */
  function revoking(
    current: ReturnType<typeof record>,
    seller = OWN_DUE,
  ): { context: FakeContext; ca: FakeCa } {
    const context = new FakeContext(
      OWN,
      (call) => {
        if (call.contract === 'certificates') {
          return json(call.transaction === 'Revoke' ? record(current.serial, 'REVOKED') : current);
        }
        if (call.contract === 'audit') {
          return json([current, record('0A', 'REVOKED'), record('0A', 'ACTIVE')].map(version));
        }
        return ledger(call);
      },
      [
        chaincodeEvent(3, 'tx3', 'TradeExecuted', {
          trade: {
            tradeId: `T${'9'.repeat(64)}`,
            via: 'FIXED',
            listingId: `L${'8'.repeat(64)}`,
            assetId: ASSET1,
            sellerId: seller,
            buyerId: OWN_ISSUED,
            sellerPlatform: 'Platform1MSP',
            buyerPlatform: 'Platform1MSP',
            units: 5,
            pricePerUnit: 100,
            amount: 500,
            executedAt: 'T',
          },
          buyerCertificateDue: false,
          sellerCertificateRevoked: true,
        }),
      ],
    );
    const ca = new FakeCa();
    context.ca = ca;
    context.height = 10n;
    return { context, ca };
  }

  const certificatesOf = (context: FakeContext) =>
    new CertificatesClient(context, new UsersClient(context), new AuditClient(context));

  it('revokes at the CA every serial the ledger revoked, from the event feed, once', async () => {
    const { context, ca } = revoking(record('0B', 'ACTIVE'));
    const certificates = certificatesOf(context);
    const first = await certificates.issueDue({ checkpoint: checkpointers.inMemory(), idleMs: 50 });
    // 0B is the holder's newer, live certificate: only the revoked 0A goes.
    expect(first.revoked).toEqual([
      {
        assetId: ASSET1,
        holderId: OWN_DUE,
        serial: '0A',
        newlyRevoked: true,
        revokedSerials: ['0A'],
        enrollmentId: undefined,
        crlPem: FAKE_CRL,
      },
    ]);
    expect(ca.requests).toEqual([{ serial: '0A', reason: 'cessationofoperation', genCrl: false }]);
    const again = await certificates.issueDue({ checkpoint: checkpointers.inMemory(), idleMs: 50 });
    expect(again.revoked.map((r) => r.newlyRevoked)).toEqual([false]);
    expect(again.failed).toBeUndefined();
  });

  it("revokes the revoked serial's siblings too, but never the holder's live certificate, with one CRL", async () => {
    const { context, ca } = revoking(record('0B', 'ACTIVE'));
    // 0A is on record as revoked; 0F was enrolled by a retry whose result was
    // lost; 0B is the certificate the holder got on buying again, same ID.
    ca.issued('holder-x', '0A', '0F', '0B');
    const report = await certificatesOf(context).issueDue({
      checkpoint: checkpointers.inMemory(),
      idleMs: 50,
    });
    expect(report.revoked).toEqual([
      expect.objectContaining({ serial: '0A', revokedSerials: ['0A', '0F'], enrollmentId: 'holder-x' }),
    ]);
    expect([...ca.revoked]).toEqual(['0A', '0F']);
    expect(ca.crlsGenerated).toBe(1);
  });

  it("leaves another platform's seller to that platform", async () => {
    const { context, ca } = revoking(record('0B', 'ACTIVE'), OTHER);
    const report = await certificatesOf(context).issueDue({
      checkpoint: checkpointers.inMemory(),
      idleMs: 50,
    });
    expect(report.revoked).toEqual([]);
    expect(ca.requests).toEqual([]);
  });

  it('revoke() goes to the CA first, then the ledger; a repeat does neither twice', async () => {
    const { context, ca } = revoking(record('0C', 'ACTIVE'));
    const certificates = certificatesOf(context);
    const result = await certificates.revoke(ASSET1, OWN_DUE, 'key lost', { caReason: 'keycompromise' });
    expect(result.record.status).toBe('REVOKED');
    expect(result.atCa).toMatchObject({ serial: '0C', newlyRevoked: true, crlPem: FAKE_CRL });
    expect(ca.requests).toEqual([{ serial: '0C', reason: 'keycompromise', genCrl: false }]);
    expect(context.calls.find((c) => c.transaction === 'Revoke')?.arguments).toEqual([
      ASSET1,
      OWN_DUE,
      'key lost',
    ]);

    const { context: after, ca: sameCa } = revoking(record('0C', 'REVOKED'));
    sameCa.revoked.add('0C');
    const repeat = await certificatesOf(after).revoke(ASSET1, OWN_DUE, 'key lost');
    expect(repeat.atCa.newlyRevoked).toBe(false);
    expect(after.calls.some((c) => c.transaction === 'Revoke')).toBe(false);
  });

  it('revoke() revokes every certificate of the holding at the CA, by serial, skipping revoked ones', async () => {
    const { context, ca } = revoking(record('0C', 'ACTIVE'));
    ca.issued('holder-x', '0C', '0D', '0E', '0F');
    ca.revoked.add('0E');
    const result = await certificatesOf(context).revoke(ASSET1, OWN_DUE, 'key lost');
    expect(result.atCa).toMatchObject({
      serial: '0C',
      newlyRevoked: true,
      revokedSerials: ['0C', '0D', '0F'],
      enrollmentId: 'holder-x',
    });
    expect(ca.requests.map((r) => ('serial' in r ? r.serial : undefined))).toEqual(['0C', '0D', '0F']);
    expect(ca.crlsGenerated).toBe(1);
  });

  it("refuses another platform's holder before the CA is asked", async () => {
    const { context, ca } = revoking(record('0C', 'ACTIVE'));
    await expect(certificatesOf(context).revoke(ASSET1, OTHER, 'no')).rejects.toMatchObject({
      code: 'NOT_OWN_USER',
    });
    expect(ca.requests).toEqual([]);
  });
});

/** The asset CA of a reissue: revokes and lists as FakeCa does, and registers and enrolls for real. */
class EnrollingCa implements CertificateAuthority {
  readonly inner: FakeCa;
  readonly #log: string[];
  readonly #identities = new Map<string, CaIdentity>();
  readonly #signer = webcrypto.subtle.generateKey(ALG, false, ['sign', 'verify']);
  #serial = 0x20;
  failEnroll = false;

  constructor(log: string[], inner: FakeCa) {
    this.#log = log;
    this.inner = inner;
  }

  revoke(request: RevokeRequest): Promise<Revocation> {
    this.#log.push(`ca revoke ${'serial' in request ? request.serial : request.enrollmentId}`);
    return this.inner.revoke(request);
  }

  listCertificates(query: CertificateQuery): Promise<ListedCertificate[]> {
    return this.inner.listCertificates(query);
  }

  generateCrl(): Promise<string> {
    return this.inner.generateCrl();
  }

  register(request: RegisterRequest): Promise<string> {
    const { enrollmentId: id, type, affiliation, attrs, maxEnrollments } = request;
    this.#identities.set(id, { id, type, affiliation, attrs, maxEnrollments });
    return Promise.resolve(request.secret ?? 'secret');
  }

  getIdentity(enrollmentId: string): Promise<CaIdentity | undefined> {
    return Promise.resolve(this.#identities.get(enrollmentId));
  }

  modifyIdentity(): Promise<void> {
    return Promise.resolve();
  }

  async enroll(request: EnrollRequest): Promise<Enrollment> {
    this.#log.push('ca enroll');
    const identity = this.#identities.get(request.enrollmentId);
    if (this.failEnroll || identity === undefined) {
      throw new FabricCaError(CaErrorCode.unreachable, 'the CA went away', { operation: 'enroll' });
    }
    const attrs = Object.fromEntries(identity.attrs.map((a) => [a.name, a.value]));
    this.#serial += 1;
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: this.#serial.toString(16),
      subject: `CN=${identity.id}`,
      issuer: 'CN=assetca.test',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 3_600_000),
      publicKey: new x509.Pkcs10CertificateRequest(request.csr).publicKey,
      signingKey: (await this.#signer).privateKey,
      signingAlgorithm: ALG,
      extensions: [new x509.Extension('1.2.3.4.5.6.7.8.1', false, Buffer.from(JSON.stringify({ attrs })))],
    });
    return { certificatePem: certificate.toString('pem'), caChainPem: 'CA PEM' };
  }
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

describe('certificates.issue with reissue', () => {
  const active = {
    assetId: ASSET1,
    holderId: OWN_ISSUED,
    serial: '0C',
    issuer: 'CN=assetca.test',
    fingerprint: 'f'.repeat(64),
    notBefore: 'T',
    notAfter: 'T',
    status: 'ACTIVE',
    recordedAt: 'T',
  };

  /** OWN_ISSUED's holding is ISSUED with `recorded` on the ledger (none: NOT_FOUND); every write is logged. */
  function reissuing(recorded: typeof active | undefined): {
    certificates: CertificatesClient;
    ca: EnrollingCa;
    log: string[];
  } {
    const log: string[] = [];
    const context = new FakeContext(OWN, (call) => {
      if (call.contract !== 'certificates') {
        return ledger(call);
      }
      log.push(`ledger ${call.transaction}`);
      switch (call.transaction) {
        case 'Get':
          if (recorded === undefined) {
            throw chaincodeRefusal('NOT_FOUND', `no certificate is recorded for ${ASSET1}/${OWN_ISSUED}`);
          }
          return json(recorded);
        case 'Revoke':
          return json({ ...active, status: 'REVOKED', revokedAt: 'T', revocationReason: call.arguments[2] });
        default: {
          const serial = new X509Certificate(call.transientData['certificate'] ?? '').serialNumber;
          return json({ ...active, serial, fingerprint: 'e'.repeat(64) });
        }
      }
    });
    const ca = new EnrollingCa(log, new FakeCa().issued(holderEnrollmentId(ASSET1, OWN_ISSUED), '0C', '0D'));
    context.ca = ca;
    return {
      certificates: new CertificatesClient(context, new UsersClient(context), new AuditClient(context)),
      ca,
      log,
    };
  }

  it('revokes the recorded certificate and its siblings at the CA, then on the ledger, before enrolling the new one', async () => {
    const { certificates, ca, log } = reissuing(active);
    const issued = await certificates.issue(ASSET1, OWN_ISSUED, { reissue: true, personalAttributes: false });
    expect(log).toEqual([
      'ledger Get',
      'ca revoke 0C',
      'ca revoke 0D',
      'ledger Revoke',
      'ca enroll',
      'ledger Record',
    ]);
    expect(ca.inner.requests).toEqual([
      { serial: '0C', reason: 'superseded', genCrl: false },
      { serial: '0D', reason: 'superseded', genCrl: false },
    ]);
    expect(issued.replaced).toMatchObject({
      record: { serial: '0C', status: 'REVOKED', revocationReason: REISSUE_REASON },
      atCa: { serial: '0C', newlyRevoked: true, revokedSerials: ['0C', '0D'], crlPem: FAKE_CRL },
    });
    expect(issued.record.serial).toBe(new X509Certificate(issued.certificatePem).serialNumber);
    expect(['0C', '0D']).not.toContain(issued.record.serial);
  });

  it('still refuses an ISSUED holding without reissue, and asks the CA nothing', async () => {
    const { certificates, ca, log } = reissuing(active);
    await expect(certificates.issue(ASSET1, OWN_ISSUED)).rejects.toMatchObject({
      code: 'CERTIFICATE_NOT_DUE',
    });
    expect(log).toEqual([]);
    expect(ca.inner.requests).toEqual([]);
  });

  it('issues without revoking when nothing is on record', async () => {
    const { certificates, ca } = reissuing(undefined);
    const issued = await certificates.issue(ASSET1, OWN_ISSUED, { reissue: true, personalAttributes: false });
    expect(issued.replaced).toBeUndefined();
    expect(ca.inner.requests).toEqual([]);
  });

  it('leaves the old certificate revoked and records nothing when enrolling the new one fails', async () => {
    const { certificates, ca, log } = reissuing(active);
    ca.failEnroll = true;
    await expect(
      certificates.issue(ASSET1, OWN_ISSUED, { reissue: true, personalAttributes: false }),
    ).rejects.toThrow('the CA went away');
    expect(log).toEqual(['ledger Get', 'ca revoke 0C', 'ca revoke 0D', 'ledger Revoke', 'ca enroll']);
    expect([...ca.inner.revoked]).toEqual(['0C', '0D']);
  });
});
