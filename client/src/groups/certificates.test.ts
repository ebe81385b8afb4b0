import { createPublicKey, verify, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HolderQueryRequest, holderQueryBytes } from '@crowdledger/protocol';
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
import { parseHolderCertificate } from '../ca/certificate';
import { createKeyAndCsr } from '../ca/csr';
import { holderEnrollmentId } from '../ca/holder';
import { x509 } from '../ca/x509';
import type { CertificateState } from '../model';
import { FAKE_CRL, FakeCa } from '../testing/fake-ca';
import {
  chaincodeEvent,
  chaincodeRefusal,
  FAKE_ID_KEY,
  type FakeCall,
  FakeContext,
  json,
} from '../testing/fake-gateway';
import { signHolderQuery } from './holder-query';
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

/** The record the fake ledger makes of a certificate. */
function recordOf(assetId: string | undefined, holderId: string | undefined, pem: string): object {
  const cert = new X509Certificate(pem);
  return {
    assetId,
    holderId,
    enrollmentId: cert.subject.replace(/^CN=/, ''),
    serial: cert.serialNumber,
    issuer: 'CN=assetca.test',
    fingerprint: 'f'.repeat(64),
    notBefore: 'T',
    notAfter: 'T',
    status: 'ACTIVE',
    recordedAt: 'T',
  };
}

/** certificates:Record and RecordBatch: every certificate is recorded as it comes. */
function recording(call: FakeCall): Uint8Array {
  if (call.transaction === 'Record') {
    return json(recordOf(call.arguments[0], call.arguments[1], call.transientData['certificate'] ?? ''));
  }
  const items = JSON.parse(call.arguments[0] ?? '[]') as { assetId: string; holderId: string }[];
  const pems = JSON.parse(call.transientData['certificates'] ?? '[]') as string[];
  const recorded = items.map((item, i) => recordOf(item.assetId, item.holderId, pems[i] ?? ''));
  return json({ recorded, refused: [] });
}

/** The users contract's reads over the table above; a certificate is recorded as it comes. */
function ledger(call: FakeCall): Uint8Array {
  if (call.contract === 'certificates' && ['Record', 'RecordBatch'].includes(call.transaction)) {
    return recording(call);
  }
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
    // Holdings are checked at once: skipped in the order they finish.
    const byHolder = (a: { holderId: string }, b: { holderId: string }): number =>
      a.holderId.localeCompare(b.holderId);
    expect({ ...report, skipped: [...report.skipped].sort(byHolder) }).toEqual({
      issued: [],
      revoked: [],
      skipped: [
        { assetId: ASSET1, holderId: OWN_ISSUED, reason: 'ALREADY_ISSUED' },
        { assetId: ASSET1, holderId: OTHER, reason: 'OTHER_PLATFORM' },
      ].sort(byHolder),
      failed: [],
      recovered: 0,
      eventsRead: 2,
      counts: { issued: 0, revoked: 0, skipped: 2, failed: 0, recovered: 0 },
    });
    // Block 6 is past height 5: left for the next run.
    expect([checkpoint.getBlockNumber(), checkpoint.getTransactionId()]).toEqual([3n, 'tx3']);
  });

  it('keeps a failing holding pending with its reason, checkpoints its event and goes on', async () => {
    const { certificates } = client([registered(2, 'tx2', ASSET1, [OWN_DUE, OTHER])]);
    const checkpoint = checkpointers.inMemory();
    // No CA in this test: issuing OWN_DUE fails there; OTHER, after it in the same event, is still handled.
    const report = await certificates.issueDue({ checkpoint, idleMs: 50, personalAttributes: false });
    expect(report.skipped).toEqual([{ assetId: ASSET1, holderId: OTHER, reason: 'OTHER_PLATFORM' }]);
    expect(report.failed).toEqual([
      {
        action: 'issue',
        assetId: ASSET1,
        holderId: OWN_DUE,
        attempts: 1,
        error: expect.objectContaining({ code: 'UNEXPECTED' }) as unknown,
      },
    ]);
    expect(report.eventsRead).toBe(2);
    expect(checkpoint.getBlockNumber()).toBe(3n);
  });

  it('retries a pending holding first on the next run, counting attempts, until it is issued', async () => {
    const { certificates, context } = client([registered(2, 'tx2', ASSET1, [OWN_DUE])]);
    const checkpoint = checkpointers.inMemory();
    const options = { checkpoint, idleMs: 50, personalAttributes: false };
    await certificates.issueDue(options);
    const second = await certificates.issueDue(options);
    expect(second.failed.map((f) => [f.holderId, f.attempts])).toEqual([[OWN_DUE, 2]]);
    expect(second.eventsRead).toBe(0);
    context.ca = new EnrollingCa([], new FakeCa());
    const third = await certificates.issueDue(options);
    expect(third.failed).toEqual([]);
    expect(third.recovered).toBe(1);
    expect(third.issued.map((i) => [i.assetId, i.holderId])).toEqual([[ASSET1, OWN_DUE]]);
    expect((await certificates.issueDue(options)).recovered).toBe(0);
  });

  it('keeps pending holdings in <checkpoint>.pending.json, written before the event is checkpointed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crowdledger-pending-'));
    try {
      const checkpoint = join(dir, 'platform1.checkpoint');
      const first = client([registered(2, 'tx2', ASSET1, [OWN_DUE])]);
      await first.certificates.issueDue({ checkpoint, idleMs: 50, personalAttributes: false });
      const saved = JSON.parse(await readFile(`${checkpoint}.pending.json`, 'utf8')) as unknown;
      expect(saved).toEqual({
        pending: [
          expect.objectContaining({ action: 'issue', assetId: ASSET1, holderId: OWN_DUE, attempts: 1 }),
        ],
      });
      expect((await stat(`${checkpoint}.pending.json`)).mode & 0o077).toBe(0);
      // Another process, the same files: it picks the holding up again.
      const second = client([registered(2, 'tx2', ASSET1, [OWN_DUE])]);
      const report = await second.certificates.issueDue({
        checkpoint,
        idleMs: 50,
        personalAttributes: false,
      });
      expect(report.failed.map((f) => f.attempts)).toEqual([2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops without checkpointing when the CA cannot be reached: every holding would fail alike', async () => {
    const { certificates, context } = client([registered(2, 'tx2', ASSET1, [OWN_DUE])]);
    const ca = new EnrollingCa([], new FakeCa());
    ca.register = () =>
      Promise.reject(
        new FabricCaError(CaErrorCode.unreachable, 'connection refused', { operation: 'register' }),
      );
    context.ca = ca;
    const checkpoint = checkpointers.inMemory();
    const report = await certificates.issueDue({ checkpoint, idleMs: 50, personalAttributes: false });
    expect(report.stopped?.code).toBe('CA_UNREACHABLE');
    expect(report.failed).toEqual([]);
    expect(report.eventsRead).toBe(0);
    expect(checkpoint.getBlockNumber()).toBeUndefined();
  });
});

describe('certificates.issueToRequest', () => {
  it("records the certificate the CA made for the holder's own request, and never holds a key", async () => {
    const { certificates, context } = client();
    context.ca = new EnrollingCa([], new FakeCa());
    const asked: string[] = [];
    let kept = '';
    const issued = await certificates.issueToRequest(
      ASSET1,
      OWN_DUE,
      async (enrollmentId) => {
        asked.push(enrollmentId);
        const made = await createKeyAndCsr(enrollmentId);
        kept = made.privateKeyPem;
        return made.csrPem;
      },
      { personalAttributes: false },
    );
    expect(asked).toEqual([holderEnrollmentId(FAKE_ID_KEY, ASSET1, OWN_DUE)]);
    expect(issued.record).toMatchObject({ status: 'ACTIVE', enrollmentId: asked[0] });
    expect(Object.keys(issued)).not.toContain('privateKeyPem');
    const spki = (pem: string): string =>
      createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    expect(spki(issued.certificatePem)).toBe(spki(kept));
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

describe('certificates.query (relayed, R4)', () => {
  async function holderFiles(): Promise<{ certificate: string; privateKey: string }> {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const attrs = { 'crowdledger.asset': ASSET1, 'crowdledger.holder': OWN_ISSUED };
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '0a',
      name: `CN=holder-${'1'.repeat(40)}`,
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 3_600_000),
      keys,
      signingAlgorithm: ALG,
      extensions: [new x509.Extension('1.2.3.4.5.6.7.8.1', false, Buffer.from(JSON.stringify({ attrs })))],
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { certificate: cert.toString('pem'), privateKey: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
  }

  it('signs a fresh request with the key and relays certificate, request and signature, never the key', async () => {
    const { certificates, context } = client();
    const holder = await holderFiles();
    await certificates.query(holder).catch(() => undefined);
    const [call] = context.calls;
    expect(context.calls.map((c) => [c.kind, c.transaction])).toEqual([['evaluate', 'QueryByCertificate']]);
    expect(call?.arguments).toEqual([]);
    const transient = call?.transientData ?? {};
    expect(Object.keys(transient).sort()).toEqual(['certificate', 'holderQuery', 'holderSignature']);
    expect(transient['certificate']).toBe(holder.certificate);
    expect(JSON.stringify(transient)).not.toContain('PRIVATE KEY');
    const request = JSON.parse(transient['holderQuery'] ?? '') as HolderQueryRequest;
    expect(request).toMatchObject({
      assetId: ASSET1,
      fingerprint: parseHolderCertificate(holder.certificate).fingerprint,
    });
    expect(Math.abs(Date.parse(request.requestedAt) - Date.now())).toBeLessThan(5_000);
    const signature = Buffer.from(transient['holderSignature'] ?? '', 'base64');
    expect(verify('sha256', holderQueryBytes(request), createPublicKey(holder.certificate), signature)).toBe(
      true,
    );
  });

  it('makes a new nonce for every request', async () => {
    const holder = await holderFiles();
    const [one, two] = [await signHolderQuery(holder), await signHolderQuery(holder)];
    expect(one.request.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(one.request.nonce).not.toBe(two.request.nonce);
  });

  it("refuses a key that is not the certificate's own, before anything is sent", async () => {
    const { certificates, context } = client();
    const [holder, other] = [await holderFiles(), await holderFiles()];
    await expect(
      certificates.query({ certificate: holder.certificate, privateKey: other.privateKey }),
    ).rejects.toMatchObject({ code: 'INVALID_IDENTITY' });
    expect(context.calls).toEqual([]);
  });
});

describe('revoking at the asset CA (R6)', () => {
  const record = (serial: string, status: 'ACTIVE' | 'REVOKED') => ({
    assetId: ASSET1,
    holderId: OWN_DUE,
    enrollmentId: 'holder-0000000000000000000000000000000000000000',
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
          const records = [current, record('0A', 'REVOKED'), record('0A', 'ACTIVE')].map(version);
          return json({ records, bookmark: '', fetched: records.length });
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
    expect(again.failed).toEqual([]);
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
    enrollmentId: 'holder-0000000000000000000000000000000000000000',
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
    const ca = new EnrollingCa(
      log,
      new FakeCa().issued(holderEnrollmentId(FAKE_ID_KEY, ASSET1, OWN_ISSUED), '0C', '0D'),
    );
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
