import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import { normaliseSerial, parseHolderCertificate } from './certificate';
import {
  type CaAttribute,
  type CaIdentity,
  type CertificateAuthority,
  type CertificateQuery,
  type EnrollRequest,
  type Enrollment,
  type IdentityChanges,
  type ListedCertificate,
  type RegisterRequest,
  type Revocation,
  type RevokeRequest,
} from './client';
import { createKeyAndCsr } from './csr';
import { CaErrorCode, FabricCaError, isFabricCaError } from './errors';
import { enrollmentIdKey, holderEnrollmentId, issueHolderCertificate } from './holder';
import { x509 } from './x509';

const ID_KEY = Buffer.alloc(32, 7);
const ID = holderEnrollmentId(ID_KEY, 'A-9c', 'U-3f');

interface Stored {
  identity: CaIdentity;
  secret: string;
  enrolled: number;
  revoked: boolean;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function refused(operation: string, code: number, message: string): FabricCaError {
  return new FabricCaError(
    CaErrorCode.refused,
    `Fabric CA refused ${operation}: Error Code: ${String(code)} - ${message}`,
    {
      operation,
      details: [{ code, message }],
    },
  );
}

/** Fabric CA's rules for register, enroll and identities, in memory; certificates signed for real. */
class FakeCa implements CertificateAuthority {
  readonly identities = new Map<string, Stored>();
  readonly calls: string[] = [];
  #serial = 0x7f;
  readonly #ca = webcrypto.subtle.generateKey(ALG, false, ['sign', 'verify']);

  register(request: RegisterRequest): Promise<string> {
    this.calls.push(`register ${request.enrollmentId} max=${String(request.maxEnrollments)}`);
    if (this.identities.has(request.enrollmentId)) {
      return Promise.reject(
        refused('register', 74, `Identity '${request.enrollmentId}' is already registered`),
      );
    }
    const secret = request.secret ?? 'generated';
    const { enrollmentId: id, affiliation, type, attrs, maxEnrollments } = request;
    this.identities.set(id, {
      identity: { id, type, affiliation, attrs, maxEnrollments },
      secret,
      enrolled: 0,
      revoked: false,
    });
    return Promise.resolve(secret);
  }

  async enroll(request: EnrollRequest): Promise<Enrollment> {
    this.calls.push(`enroll ${request.enrollmentId}`);
    requireCnIsId(request);
    const stored = this.identities.get(request.enrollmentId);
    const max = stored?.identity.maxEnrollments ?? 0;
    if (
      stored === undefined ||
      stored.revoked ||
      stored.secret !== request.secret ||
      (max >= 0 && stored.enrolled >= max)
    ) {
      throw refused('enroll', 20, 'Authentication failure');
    }
    stored.enrolled += 1;
    const certificatePem = await this.#sign(request.csr, stored.identity);
    this.certificates.set(
      normaliseSerial(new X509Certificate(certificatePem).serialNumber),
      request.enrollmentId,
    );
    return { certificatePem, caChainPem: 'CA PEM' };
  }

  /** Serial → enrollment ID of every certificate enrolled. */
  readonly certificates = new Map<string, string>();
  readonly revokedSerials = new Set<string>();

  revoke(request: RevokeRequest): Promise<Revocation> {
    const serial = 'serial' in request ? request.serial : '';
    this.calls.push(`revoke ${serial}`);
    this.revokedSerials.add(serial);
    return Promise.resolve({ revokedSerials: [serial] });
  }

  listCertificates(query: CertificateQuery): Promise<ListedCertificate[]> {
    this.calls.push(`list ${query.enrollmentId ?? ''}`);
    const listed = [...this.certificates]
      .filter(([serial, id]) => id === query.enrollmentId && !this.revokedSerials.has(serial))
      .map(([serial, id]) => ({ serial, certificatePem: '', enrollmentId: id, revoked: false as const }));
    return Promise.resolve(listed);
  }

  generateCrl(): Promise<string> {
    return Promise.reject(new Error('not used'));
  }

  getIdentity(enrollmentId: string): Promise<CaIdentity | undefined> {
    this.calls.push(`get ${enrollmentId}`);
    return Promise.resolve(this.identities.get(enrollmentId)?.identity);
  }

  modifyIdentity(enrollmentId: string, changes: IdentityChanges): Promise<void> {
    this.calls.push(`modify ${enrollmentId} max=${String(changes.maxEnrollments)}`);
    const stored = this.identities.get(enrollmentId);
    if (stored !== undefined) {
      stored.secret = changes.secret ?? stored.secret;
      stored.identity = {
        ...stored.identity,
        maxEnrollments: changes.maxEnrollments ?? stored.identity.maxEnrollments,
        attrs: mergeAttributes(stored.identity.attrs, changes.attrs ?? []),
      };
    }
    return Promise.resolve();
  }

  async #sign(csrPem: string, identity: CaIdentity): Promise<string> {
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    const attrs = Object.fromEntries(
      identity.attrs.filter((a) => a.ecert === true).map((a) => [a.name, a.value]),
    );
    this.#serial += 1;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: this.#serial.toString(16),
      subject: `CN=${identity.id}`,
      issuer: 'CN=assetca.test',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 3_600_000),
      publicKey: csr.publicKey,
      signingKey: (await this.#ca).privateKey,
      signingAlgorithm: ALG,
      extensions: [new x509.Extension('1.2.3.4.5.6.7.8.1', false, Buffer.from(JSON.stringify({ attrs })))],
    });
    return cert.toString('pem');
  }
}

/** Fabric CA's GetNewAttributes: change or add each; an empty value removes it. */
function mergeAttributes(current: readonly CaAttribute[], changes: readonly CaAttribute[]): CaAttribute[] {
  const merged = new Map(current.map((a) => [a.name, a]));
  for (const change of changes) {
    if (change.value === '') {
      merged.delete(change.name);
    } else {
      merged.set(change.name, change);
    }
  }
  return [...merged.values()];
}

/** Fabric CA signs a CSR only when its CN is the enrollment ID. */
function requireCnIsId(request: EnrollRequest): void {
  const [cn] = new x509.Pkcs10CertificateRequest(request.csr).subjectName.getField('CN');
  if (cn !== request.enrollmentId) {
    throw refused('enroll', 45, 'The CSR subject common name must equal the enrollment ID');
  }
}

async function failure(call: Promise<unknown>): Promise<FabricCaError> {
  try {
    await call;
  } catch (error) {
    if (isFabricCaError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

const request = { platform: 'platform1', assetId: 'A-9c', holderId: 'U-3f', idKey: ID_KEY };

describe('issueHolderCertificate', () => {
  it('registers the holding enrollment ID with one enrollment and returns a certificate for a new key', async () => {
    const ca = new FakeCa();
    const issued = await issueHolderCertificate(ca, {
      ...request,
      extraAttrs: { 'crowdledger.platform': 'platform1' },
    });

    expect(issued.enrollmentId).toBe(ID);
    expect(ca.calls).toEqual([`register ${ID} max=1`, `enroll ${ID}`]);
    expect(ca.identities.get(ID)?.identity.affiliation).toBe('platform1');
    expect(issued.parsed.attributes).toEqual({
      'crowdledger.asset': 'A-9c',
      'crowdledger.holder': 'U-3f',
      'crowdledger.platform': 'platform1',
    });
    expect(issued.parsed).toEqual(parseHolderCertificate(issued.certificatePem));
    expect(issued.caChainPem).toBe('CA PEM');
    const keyOfCert = createPublicKey(issued.certificatePem).export({ type: 'spki', format: 'pem' });
    expect(
      createPublicKey(createPrivateKey(issued.privateKeyPem ?? '')).export({ type: 'spki', format: 'pem' }),
    ).toBe(keyOfCert);
  });

  it('uses a new random secret each time and never returns it', async () => {
    const ca = new FakeCa();
    const issued = await issueHolderCertificate(ca, request);
    const secret = ca.identities.get(issued.enrollmentId)?.secret ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(issued)).not.toContain(secret);
  });

  it('recovers when an earlier attempt registered but never enrolled', async () => {
    const ca = new FakeCa();
    await ca.register({
      enrollmentId: ID,
      affiliation: 'platform1',
      type: 'client',
      attrs: [
        { name: 'crowdledger.asset', value: 'A-9c', ecert: true },
        { name: 'crowdledger.holder', value: 'U-3f', ecert: true },
      ],
      maxEnrollments: 1,
      secret: 'lost with the crash',
    });
    const issued = await issueHolderCertificate(ca, request);
    expect(issued.parsed.attributes['crowdledger.holder']).toBe('U-3f');
    expect(ca.calls.slice(1)).toEqual([
      `register ${ID} max=1`,
      `get ${ID}`,
      `modify ${ID} max=2`,
      `list ${ID}`,
      `enroll ${ID}`,
    ]);
  });

  it('recovers when an earlier attempt enrolled and its result was lost', async () => {
    const ca = new FakeCa();
    const first = await issueHolderCertificate(ca, request);
    const second = await issueHolderCertificate(ca, request);
    expect(second.parsed.serial).not.toBe(first.parsed.serial);
    expect(second.privateKeyPem).not.toBe(first.privateKeyPem);
    expect(ca.identities.get(ID)).toMatchObject({
      enrolled: 2,
      identity: { maxEnrollments: 2 },
    });
  });

  it('registers once, and revokes what a dead attempt enrolled before enrolling again: one live certificate at the CA', async () => {
    const ca = new FakeCa();
    // The first attempt enrolled (its key may be on disk) and died before the ledger recorded it.
    const lost = await issueHolderCertificate(ca, request);
    const again = await issueHolderCertificate(ca, request);
    expect(ca.calls.filter((c) => c.startsWith('register'))).toHaveLength(2);
    expect(ca.identities.size).toBe(1);
    const live = [...ca.certificates.keys()].filter((serial) => !ca.revokedSerials.has(serial));
    expect(live).toEqual([normaliseSerial(again.parsed.serial)]);
    expect(ca.calls.indexOf(`revoke ${normaliseSerial(lost.parsed.serial)}`)).toBeLessThan(
      ca.calls.lastIndexOf(`enroll ${ID}`),
    );
  });

  it('refuses to take over an ID registered for another holding (CA_IDENTITY_CONFLICT)', async () => {
    const ca = new FakeCa();
    await issueHolderCertificate(ca, request);
    const stored = ca.identities.get(ID);
    if (stored !== undefined) {
      const attrs = stored.identity.attrs.map((a) =>
        a.name === 'crowdledger.holder' ? { ...a, value: 'U-00' } : a,
      );
      stored.identity = { ...stored.identity, attrs };
    }
    const error = await failure(issueHolderCertificate(ca, request));
    expect([error.code, error.sentence]).toEqual([
      CaErrorCode.identityConflict,
      `${ID} already exists with other attributes crowdledger.holder`,
    ]);
    expect(ca.calls.filter((c) => c.startsWith('modify'))).toEqual([]);
  });

  it('updates the personal attributes of its own holding when issued again with others, and issues', async () => {
    const ca = new FakeCa();
    await issueHolderCertificate(ca, { ...request, extraAttrs: { 'crowdledger.name': '李娜' } });
    const without = await issueHolderCertificate(ca, request);
    expect(without.parsed.attributes).toEqual({ 'crowdledger.asset': 'A-9c', 'crowdledger.holder': 'U-3f' });
    const again = await issueHolderCertificate(ca, {
      ...request,
      extraAttrs: { 'crowdledger.name': '王芳' },
    });
    expect(again.parsed.attributes['crowdledger.name']).toBe('王芳');
    expect(again.enrollmentId).toBe(ID);
  });

  it('refuses to take over an ID of another affiliation (CA_IDENTITY_CONFLICT)', async () => {
    const ca = new FakeCa();
    await issueHolderCertificate(ca, { ...request, platform: 'platform2' });
    expect((await failure(issueHolderCertificate(ca, request))).code).toBe(CaErrorCode.identityConflict);
  });

  it('names an ID another registrar owns as a conflict (Fabric CA says 71)', async () => {
    const ca = new FakeCa();
    await issueHolderCertificate(ca, request);
    ca.getIdentity = () => Promise.reject(refused('get identity', 71, 'Authorization failure'));
    const error = await failure(issueHolderCertificate(ca, request));
    expect(error.code).toBe(CaErrorCode.identityConflict);
    expect(error.sentence).toMatch(/outside this registrar's reach/);
  });

  it('moves to the next generation of ID when the holding was revoked (R6: bought again)', async () => {
    const ca = new FakeCa();
    await issueHolderCertificate(ca, request);
    const stored = ca.identities.get(ID);
    if (stored !== undefined) {
      stored.revoked = true;
    }
    const again = await issueHolderCertificate(ca, request);
    expect(again.enrollmentId).toBe(holderEnrollmentId(ID_KEY, 'A-9c', 'U-3f', 2));
    expect(again.enrollmentId).not.toBe(ID);
  });

  it('makes IDs of the form the ledger accepts, which no other key reproduces', () => {
    const id = holderEnrollmentId(ID_KEY, `A${'f'.repeat(32)}`, `U${'0'.repeat(32)}`, 99);
    expect(id).toMatch(/^holder-[0-9a-f]{40}$/);
    expect(holderEnrollmentId(Buffer.alloc(32, 8), `A${'f'.repeat(32)}`, `U${'0'.repeat(32)}`, 99)).not.toBe(
      id,
    );
    // The scheme before this one was public: sha256 of the pair alone. Nothing here matches it.
    expect(holderEnrollmentId(ID_KEY, 'A-9c', 'U-3f')).toBe(ID);
  });

  it("derives the ID key from the registrar's key, the same for the same key only", async () => {
    const pem = async (): Promise<string> => {
      const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
      return x509.PemConverter.encode(
        await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
        'PRIVATE KEY',
      );
    };
    const [one, other] = [await pem(), await pem()];
    expect(enrollmentIdKey(one)).toEqual(enrollmentIdKey(one));
    expect(enrollmentIdKey(one)).toHaveLength(32);
    expect(enrollmentIdKey(one)).not.toEqual(enrollmentIdKey(other));
  });

  it('enrolls a CSR the holder made for the ID it is given, and hands over no key', async () => {
    const ca = new FakeCa();
    const asked: string[] = [];
    let holderKey = '';
    const issued = await issueHolderCertificate(ca, {
      ...request,
      csr: async (enrollmentId) => {
        asked.push(enrollmentId);
        const made = await createKeyAndCsr(enrollmentId);
        holderKey = made.privateKeyPem;
        return made.csrPem;
      },
    });
    expect(asked).toEqual([ID]);
    expect(issued.privateKeyPem).toBeUndefined();
    expect(JSON.stringify(issued)).not.toContain('PRIVATE KEY');
    const keyOfCert = createPublicKey(issued.certificatePem).export({ type: 'spki', format: 'pem' });
    expect(createPublicKey(createPrivateKey(holderKey)).export({ type: 'spki', format: 'pem' })).toBe(
      keyOfCert,
    );
  });

  it('passes on the refusal of a holder CSR made for another CN', async () => {
    const ca = new FakeCa();
    const error = await failure(
      issueHolderCertificate(ca, {
        ...request,
        csr: async () => (await createKeyAndCsr('holder-of-my-choice')).csrPem,
      }),
    );
    expect([error.code, error.caCode]).toEqual([CaErrorCode.refused, 45]);
  });

  it('passes other refusals through unchanged', async () => {
    const ca = new FakeCa();
    ca.register = () => Promise.reject(refused('register', 71, 'Authorization failure'));
    const error = await failure(issueHolderCertificate(ca, request));
    expect([error.code, error.caCode]).toEqual([CaErrorCode.refused, 71]);
  });

  it.each([
    ['an asset ID with a dot', { assetId: 'A.1' }, /asset ID "A.1"/],
    ['an empty holder ID', { holderId: '' }, /holder ID ""/],
    [
      'extra attributes that rename the holder',
      { extraAttrs: { 'crowdledger.holder': 'U-00' } },
      /may not set crowdledger.holder/,
    ],
  ])('refuses %s before calling the CA', async (_what, change, message) => {
    const ca = new FakeCa();
    const error = await failure(issueHolderCertificate(ca, { ...request, ...change }));
    expect(error.code).toBe(CaErrorCode.invalidRequest);
    expect(error.sentence).toMatch(message);
    expect(ca.calls).toEqual([]);
  });
});
