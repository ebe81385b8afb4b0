import { createHmac, createPrivateKey, hkdfSync, randomBytes } from 'node:crypto';
import { isHolderEnrollmentId } from '@crowdledger/protocol';
import { type HolderCertificateInfo, normaliseSerial, parseHolderCertificate } from './certificate';
import {
  type CaAttribute,
  type CaIdentity,
  type CertificateAuthority,
  type Enrollment,
  type RevocationReason,
} from './client';
import { createKeyAndCsr } from './csr';
import { CaCode, CaErrorCode, FabricCaError, isFabricCaError, isRefusedWith } from './errors';

/** The certificate attribute naming the asset (DESIGN §3). */
export const ASSET_ATTRIBUTE = 'crowdledger.asset';
/** The certificate attribute naming the holder (DESIGN §3). */
export const HOLDER_ATTRIBUTE = 'crowdledger.holder';

/** The holding to issue an asset certificate for, and the platform issuing it. */
export interface HolderCertificateRequest {
  /** The issuing platform; its affiliation on the asset CA (e.g. `platform1`). */
  readonly platform: string;
  /** The asset's ID on the ledger; written into the certificate as `crowdledger.asset`. */
  readonly assetId: string;
  /** The holder's user ID on the ledger. */
  readonly holderId: string;
  /** More `ecert` attributes; they may not reuse the asset and holder names. */
  readonly extraAttrs?: Readonly<Record<string, string>>;
  /** The platform's secret for its holders' enrollment IDs ({@link enrollmentIdKey}). */
  readonly idKey: Uint8Array;
  /**
   * A certificate request made on the holder's own device, so the private
   * key never leaves it. Fabric CA signs a CSR only when its subject CN is
   * the enrollment ID, which is known only now: it is passed in, and the
   * device answers with a PEM PKCS#10 request for that CN. Absent: the SDK
   * makes the key and hands it over with the certificate.
   */
  readonly csr?: (enrollmentId: string) => Promise<string> | string;
}

/** An issued asset certificate with its new key: what the holder is given. */
export interface HolderCertificate {
  /** The holding's enrollment ID for this generation (see {@link holderEnrollmentId}). */
  readonly enrollmentId: string;
  /** The certificate (PEM); its serial and fingerprint are what the ledger records. */
  readonly certificatePem: string;
  /**
   * The new key (unencrypted PKCS#8 PEM): hand it to the holder, never store
   * it in clear. Absent when the holder made the request ({@link HolderCertificateRequest.csr}).
   */
  readonly privateKeyPem?: string;
  /** The asset CA's chain (PEM), root last. */
  readonly caChainPem: string;
  /** The certificate already read: serial, fingerprint, validity, attributes. */
  readonly parsed: HolderCertificateInfo;
}

const ID_PART = /^[A-Za-z0-9_-]{1,64}$/;

/** Past this many revoked certificates for one holding, something is wrong. */
export const MAX_GENERATIONS = 100;

const ID_KEY_INFO = 'crowdledger holder enrollment IDs v1';

/**
 * The platform's secret for its holders' enrollment IDs, derived (HKDF-SHA256,
 * a label of its own) from its registrar's private key on the asset CA: no
 * new secret to keep, and nobody without that key can work the IDs out.
 */
export function enrollmentIdKey(registrarKeyPem: string): Buffer {
  const der = createPrivateKey(registrarKeyPem).export({ type: 'pkcs8', format: 'der' });
  return Buffer.from(hkdfSync('sha256', der, Buffer.alloc(0), ID_KEY_INFO, 32));
}

/**
 * One enrollment ID per holding and generation: `holder-` and the first 40
 * hex digits of HMAC-SHA256(idKey, "assetId/holderId/generation"). Enrollment
 * IDs are global at Fabric CA and any registrar may take any free one, so an
 * ID anyone could compute from public ledger data could be registered first
 * by another platform and block this issuance (R3); this one needs the
 * platform's key. It is the same on every retry, so a retried issue reuses
 * its registration, and revoking it revokes exactly that holding's
 * certificates. Fabric CA never enrolls a revoked ID again, so a holder who
 * sold out and buys again (R6) gets the next generation. The ledger keeps
 * the ID in the certificate's record.
 */
export function holderEnrollmentId(
  idKey: Uint8Array,
  assetId: string,
  holderId: string,
  generation = 1,
): string {
  for (const [what, value] of [
    ['asset ID', assetId],
    ['holder ID', holderId],
  ] as const) {
    if (!ID_PART.test(value)) {
      throw invalid(`${what} ${JSON.stringify(value)} may hold only letters, digits, _ and - (1-64)`);
    }
  }
  if (idKey.length < 16) {
    throw invalid('the enrollment ID key must hold at least 16 bytes');
  }
  if (!Number.isSafeInteger(generation) || generation < 1 || generation > MAX_GENERATIONS) {
    throw invalid(`generation must be a whole number from 1 to ${String(MAX_GENERATIONS)}`);
  }
  const mac = createHmac('sha256', idKey).update(`${assetId}/${holderId}/${String(generation)}`, 'utf8');
  return `holder-${mac.digest('hex').slice(0, 40)}`;
}

/**
 * Issues an asset certificate (R3) through the platform's registrar on the
 * registry's asset-certificate CA: registers the holding's enrollment ID with
 * the asset and holder as certificate attributes, enrolls a fresh P-256 key,
 * and returns the certificate, key and chain.
 *
 * Retrying is safe. Identities are registered with one enrollment and a
 * random secret that never leaves this call. When the ID already exists (an
 * earlier attempt died after registering, or after enrolling and before its
 * caller kept the result), it is checked to be the same holding — same
 * affiliation and attributes, else CA_IDENTITY_CONFLICT — then given a new
 * secret and one more enrollment (Fabric CA's PUT /identities/{id}) and
 * enrolled again with a new key. A certificate a dead attempt obtained was
 * never recorded on the ledger, which is what R4 checks, and is revoked at
 * the CA before the new enrollment, so a holding never has two live
 * certificates there either. Issue one holding from one place at a time:
 * two calls at once may make one fail (CA_REFUSED, code 20), or revoke the
 * other's certificate before its record. A revoked ID can never enroll
 * again, so issuing moves to the holding's next generation of ID.
 */
export async function issueHolderCertificate(
  ca: CertificateAuthority,
  request: Readonly<HolderCertificateRequest>,
): Promise<HolderCertificate> {
  for (let generation = 1; ; generation += 1) {
    const enrollmentId = holderEnrollmentId(request.idKey, request.assetId, request.holderId, generation);
    try {
      return await issueAs(ca, request, enrollmentId);
    } catch (error) {
      // A revoked generation: the holder sold out earlier; move on to the next.
      if (!(isFabricCaError(error) && error.code === CaErrorCode.identityRevoked)) {
        throw error;
      }
    }
  }
}

/** What revoking a holder certificate at the CA did. */
export interface HolderRevocation {
  /** The certificate's serial (the one asked for), {@link normaliseSerial} form. */
  readonly serial: string;
  /** False when the CA had revoked it already (a repeated or resumed call). */
  readonly newlyRevoked: boolean;
  /**
   * Every serial this call revoked at the CA because of this certificate,
   * {@link normaliseSerial} form: its own when `newlyRevoked`, then any
   * sibling — another certificate of the same enrollment ID still valid,
   * e.g. one enrolled by an `issue` whose result was lost. Empty when the
   * CA had revoked them all already.
   */
  readonly revokedSerials: readonly string[];
  /** The enrollment ID the CA issued the certificate to; undefined when the CA did not show it. */
  readonly enrollmentId: string | undefined;
  /** The CA's CRL afterwards (PEM), for verifiers outside the network. */
  readonly crlPem: string;
}

/** Options of {@link revokeHolderCertificates}. */
export interface HolderRevocationOptions {
  /**
   * Serials never revoked as siblings: the holding's live certificate when
   * the ledger has one (the holder bought again since the revocation being
   * followed). A serial asked for by name is revoked even if listed here.
   */
  readonly keep?: readonly string[];
}

/**
 * Revokes one holder certificate at the asset CA by its serial (the one the
 * ledger recorded), with its siblings, and regenerates the CRL once; see
 * {@link revokeHolderCertificates}. Repeating it is harmless.
 */
export async function revokeHolderCertificate(
  ca: CertificateAuthority,
  serial: string,
  reason: RevocationReason,
  options: HolderRevocationOptions = {},
): Promise<HolderRevocation> {
  const [revocation] = await revokeHolderCertificates(ca, [serial], reason, options);
  if (revocation === undefined) {
    throw new Error('unreachable: one serial gives one revocation');
  }
  return revocation;
}

/**
 * Revokes holder certificates at the asset CA by serial (the ones the ledger
 * recorded) together with every other certificate of the same enrollment ID
 * that is not yet revoked, then regenerates the CRL once. One enrollment ID
 * can hold several certificates (an issue retried after a lost result
 * enrolls again with a new key), and the ledger knows only one of them.
 *
 * The enrollment ID is what Fabric CA shows for the serial (GET
 * /certificates), and its siblings are its not-revoked certificates. Each is
 * revoked by serial, never the identity: Fabric CA never enrolls a revoked
 * identity again, and a lost certificate is reissued under the same ID. A
 * certificate the CA had revoked already (its code 66) is skipped, so
 * repeating this is harmless. A certificate enrolled for the holding by an
 * issue running at the same moment may be revoked too; issue again.
 * Returns one {@link HolderRevocation} per distinct serial asked for, in
 * order, all with the same CRL.
 */
export async function revokeHolderCertificates(
  ca: CertificateAuthority,
  serials: readonly string[],
  reason: RevocationReason,
  options: HolderRevocationOptions = {},
): Promise<HolderRevocation[]> {
  const asked = [...new Set(serials.map(normaliseSerial))];
  // Never revoked as a sibling: the kept ones, and those asked for (each gets its own entry).
  const skip = new Set([...asked, ...(options.keep ?? []).map(normaliseSerial)]);
  const listed = new Set<string>();
  const results: Omit<HolderRevocation, 'crlPem'>[] = [];
  for (const serial of asked) {
    const enrollmentId = await enrollmentIdOf(ca, serial);
    const newlyRevoked = await revokeSerial(ca, serial, reason);
    const siblings =
      enrollmentId === undefined || listed.has(enrollmentId)
        ? []
        : await revokeSiblings(ca, enrollmentId, reason, skip);
    if (enrollmentId !== undefined) {
      listed.add(enrollmentId);
    }
    results.push({
      serial,
      newlyRevoked,
      revokedSerials: newlyRevoked ? [serial, ...siblings] : siblings,
      enrollmentId,
    });
  }
  const crlPem = await ca.generateCrl();
  return results.map((result) => ({ ...result, crlPem }));
}

/**
 * Revokes the not-revoked certificates of an enrollment ID but those in
 * `skip`, adding each to `skip`; returns the serials it revoked.
 */
async function revokeSiblings(
  ca: CertificateAuthority,
  enrollmentId: string,
  reason: RevocationReason,
  skip: Set<string>,
): Promise<string[]> {
  const revoked: string[] = [];
  for (const sibling of await ca.listCertificates({ enrollmentId, notRevoked: true })) {
    if (skip.has(sibling.serial)) {
      continue;
    }
    skip.add(sibling.serial);
    if (await revokeSerial(ca, sibling.serial, reason)) {
      revoked.push(sibling.serial);
    }
  }
  return revoked;
}

/** The enrollment ID Fabric CA issued a serial to, read from the CN of the certificate it lists. */
async function enrollmentIdOf(ca: CertificateAuthority, serial: string): Promise<string | undefined> {
  const [listed] = await ca.listCertificates({ serial });
  return listed?.enrollmentId;
}

/** Revokes one certificate by serial; false when the CA had already (code 66). */
async function revokeSerial(
  ca: CertificateAuthority,
  serial: string,
  reason: RevocationReason,
): Promise<boolean> {
  try {
    await ca.revoke({ serial, reason, genCrl: false });
    return true;
  } catch (error) {
    if (!isRefusedWith(error, CaCode.certificateAlreadyRevoked)) {
      throw error;
    }
    return false;
  }
}

async function issueAs(
  ca: CertificateAuthority,
  request: Readonly<HolderCertificateRequest>,
  enrollmentId: string,
): Promise<HolderCertificate> {
  if (!isHolderEnrollmentId(enrollmentId)) {
    throw invalid(`${enrollmentId} is not a holder enrollment ID the ledger accepts`);
  }
  const attrs = holderAttributes(request);
  const secret = newSecret();
  const registered = await registerOrReuse(ca, { enrollmentId, platform: request.platform, attrs, secret });
  if (registered === 'reused') {
    await revokeUnrecorded(ca, enrollmentId);
  }
  const key = await keyFor(request, enrollmentId);
  const enrollment = await enrollOnce(ca, { enrollmentId, secret, csr: key.csrPem }, registered === 'reused');
  const parsed = parseHolderCertificate(enrollment.certificatePem);
  checkIssued(parsed, attrs, enrollmentId);
  const privateKey = key.privateKeyPem === undefined ? {} : { privateKeyPem: key.privateKeyPem };
  return { enrollmentId, ...enrollment, ...privateKey, parsed };
}

/**
 * Before the ID enrolls again: revokes, by serial, every certificate of it
 * the CA still holds valid. Issuing happens only when the ledger has no
 * active certificate for the holding (a reissue revokes it first), so each
 * of these was enrolled by an attempt that died before the ledger recorded
 * it; its key may sit in the holder's folder, but no ledger will ever take
 * it. Revoked, the holding never has two live certificates at the CA
 * either. Those left by a crash are few, so the CRL is not regenerated for
 * them: Fabric CA lists them from its next CRL (any revocation makes one).
 */
async function revokeUnrecorded(ca: CertificateAuthority, enrollmentId: string): Promise<void> {
  for (const orphan of await ca.listCertificates({ enrollmentId, notRevoked: true })) {
    await revokeSerial(ca, orphan.serial, 'superseded');
  }
}

/** A new key and its CSR, or the holder's own CSR when they keep their key. */
async function keyFor(
  request: Readonly<HolderCertificateRequest>,
  enrollmentId: string,
): Promise<{ readonly csrPem: string; readonly privateKeyPem?: string }> {
  if (request.csr === undefined) {
    return createKeyAndCsr(enrollmentId);
  }
  return { csrPem: await request.csr(enrollmentId) };
}

interface Registration {
  readonly enrollmentId: string;
  readonly platform: string;
  readonly attrs: readonly CaAttribute[];
  readonly secret: string;
}

async function registerOrReuse(ca: CertificateAuthority, r: Registration): Promise<'registered' | 'reused'> {
  try {
    await ca.register({
      enrollmentId: r.enrollmentId,
      affiliation: r.platform,
      type: 'client',
      attrs: r.attrs,
      maxEnrollments: 1,
      secret: r.secret,
    });
    return 'registered';
  } catch (error) {
    if (!isRefusedWith(error, CaCode.identityAlreadyRegistered)) {
      throw error;
    }
  }
  const existing = await existingIdentity(ca, r.enrollmentId);
  checkSameHolding(existing, r);
  const more = existing.maxEnrollments < 0 ? existing.maxEnrollments : existing.maxEnrollments + 1;
  const attrs = attributeChanges(existing, r);
  await ca.modifyIdentity(r.enrollmentId, {
    secret: r.secret,
    maxEnrollments: more,
    ...(attrs.length === 0 ? {} : { attrs }),
  });
  return 'reused';
}

/**
 * The same holding issued before with other personal attributes (with a name,
 * now without, or the other way round): the new ones replace them, and one
 * asked for no more is removed (an empty value, Fabric CA's way).
 */
function attributeChanges(existing: CaIdentity, wanted: Registration): CaAttribute[] {
  const has = new Map(existing.attrs.map((a) => [a.name, a.value]));
  const names = new Set(wanted.attrs.map((a) => a.name));
  const changed = wanted.attrs.filter((a) => has.get(a.name) !== a.value);
  const dropped = existing.attrs
    .filter((a) => a.name.startsWith('crowdledger.') && !names.has(a.name))
    .map((a) => ({ name: a.name, value: '', ecert: true }));
  return [...changed, ...dropped];
}

async function existingIdentity(ca: CertificateAuthority, enrollmentId: string): Promise<CaIdentity> {
  let identity: CaIdentity | undefined;
  try {
    identity = await ca.getIdentity(enrollmentId);
  } catch (error) {
    if (!isRefusedWith(error, CaCode.authorizationFailure)) {
      throw error;
    }
    throw conflict(`${enrollmentId} is registered outside this registrar's reach (another platform?)`, error);
  }
  if (identity === undefined) {
    throw conflict(`${enrollmentId} is said to be registered but cannot be found`);
  }
  return identity;
}

/** Only this registrar's own ID for this very holding may be reused: same affiliation, asset and holder. */
function checkSameHolding(existing: CaIdentity, wanted: Registration): void {
  const has = new Map(existing.attrs.map((a) => [a.name, a.value]));
  const differing = wanted.attrs
    .filter((a) => (a.name === ASSET_ATTRIBUTE || a.name === HOLDER_ATTRIBUTE) && has.get(a.name) !== a.value)
    .map((a) => a.name);
  if (existing.type !== 'client' || existing.affiliation !== wanted.platform || differing.length > 0) {
    const what =
      differing.length > 0
        ? `attributes ${differing.join(', ')}`
        : `type ${existing.type}, affiliation ${existing.affiliation}`;
    throw conflict(`${wanted.enrollmentId} already exists with other ${what}`);
  }
}

async function enrollOnce(
  ca: CertificateAuthority,
  request: { readonly enrollmentId: string; readonly secret: string; readonly csr: string },
  reused: boolean,
): Promise<Enrollment> {
  try {
    return await ca.enroll(request);
  } catch (error) {
    // Code 20 right after we set the secret ourselves: the ID is revoked.
    if (reused && isRefusedWith(error, CaCode.authenticationFailure)) {
      const sentence = `${request.enrollmentId} cannot enroll again: Fabric CA refuses every revoked identity`;
      throw new FabricCaError(CaErrorCode.identityRevoked, sentence, { operation: 'enroll', cause: error });
    }
    throw error;
  }
}

function holderAttributes(request: Readonly<HolderCertificateRequest>): CaAttribute[] {
  const extra = Object.entries(request.extraAttrs ?? {});
  const clash = extra.find(([name]) => name === ASSET_ATTRIBUTE || name === HOLDER_ATTRIBUTE);
  if (clash !== undefined) {
    throw invalid(`extraAttrs may not set ${clash[0]}`);
  }
  return [
    { name: ASSET_ATTRIBUTE, value: request.assetId, ecert: true },
    { name: HOLDER_ATTRIBUTE, value: request.holderId, ecert: true },
    ...extra.map(([name, value]) => ({ name, value, ecert: true })),
  ];
}

function checkIssued(
  parsed: HolderCertificateInfo,
  attrs: readonly CaAttribute[],
  enrollmentId: string,
): void {
  const missing = attrs.filter((a) => parsed.attributes[a.name] !== a.value).map((a) => a.name);
  if (missing.length > 0) {
    const sentence = `the certificate issued to ${enrollmentId} lacks ${missing.join(', ')}`;
    throw new FabricCaError(CaErrorCode.badResponse, sentence, { operation: 'enroll' });
  }
}

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

function invalid(sentence: string): FabricCaError {
  return new FabricCaError(CaErrorCode.invalidRequest, sentence, { operation: 'validate' });
}

function conflict(sentence: string, cause?: unknown): FabricCaError {
  return new FabricCaError(CaErrorCode.identityConflict, sentence, { operation: 'register', cause });
}
