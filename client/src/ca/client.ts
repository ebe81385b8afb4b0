import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Agent } from 'node:https';
import type FabricCAServices from 'fabric-ca-client';
import type { TokenSigningSuite, User } from 'fabric-common';
import { authorityKeyId, normaliseSerial } from './certificate';
import { signLowS } from './ecdsa';
import { CaCode, CaErrorCode, FabricCaError, fromCaClientFailure, isRefusedWith } from './errors';
import { caHttps } from './http';
import { caPackages } from './package';
import { x509 } from './x509';

/** An attribute Fabric CA stores on an identity; `ecert` ones go into its certificates. */
export interface CaAttribute {
  /** Attribute name, e.g. `crowdledger.asset`. */
  readonly name: string;
  /** Attribute value; Fabric CA keeps every value as a string. */
  readonly value: string;
  /** True to have it written into the certificates enrolled for the identity; otherwise it is only stored. */
  readonly ecert?: boolean;
}

/** A new identity to register at Fabric CA (POST /register). */
export interface RegisterRequest {
  /**
   * The new ID: 1-128 letters, digits, `.`, `_`, `@` or `-`, starting with a
   * letter or digit. Fabric CA puts it in its certificates' CN.
   */
  readonly enrollmentId: string;
  /** The registrar's own affiliation or one below it (for platforms: `platform1`, …). */
  readonly affiliation: string;
  /** Holders are clients: Fabric CA writes OU=client, and the MSP makes them clients. */
  readonly type: 'client';
  /** Names must be allowed by the registrar's `hf.Registrar.Attributes`, or Fabric CA refuses (71). */
  readonly attrs: readonly CaAttribute[];
  /** How many times the secret may enroll; -1 for no limit. */
  readonly maxEnrollments: number;
  /** The enrollment secret; Fabric CA makes one up when absent. */
  readonly secret?: string;
}

/** What enrolling sends (POST /enroll): a registered ID, its secret and a CSR for the key to certify. */
export interface EnrollRequest {
  /** The registered identity to get a certificate for. */
  readonly enrollmentId: string;
  /** The enrollment secret from registering; sent as HTTP Basic auth, never in a token. */
  readonly secret: string;
  /** PEM PKCS#10 certificate signing request. */
  readonly csr: string;
}

/** The certificate an enrollment got, with the chain that verifies it. */
export interface Enrollment {
  /** The new certificate (PEM) for the CSR's key. */
  readonly certificatePem: string;
  /** The issuing CA's chain, root last (for a root CA, just its certificate). */
  readonly caChainPem: string;
}

/** Revocation reasons Fabric CA accepts (RFC 5280 names, as fabric-ca-client spells them). */
export type RevocationReason =
  | 'unspecified'
  | 'keycompromise'
  | 'cacompromise'
  | 'affiliationchanged'
  | 'superseded'
  | 'cessationofoperation'
  | 'certificatehold'
  | 'removefromcrl'
  | 'privilegewithdrawn'
  | 'aacompromise';

/**
 * What to revoke: every certificate of an enrollment ID (which can then never
 * enroll again), or one certificate this CA issued, by its serial.
 */
export type RevokeTarget = { readonly enrollmentId: string } | { readonly serial: string };

/** What to revoke, why, and whether to get the new CRL back in the same call. */
export type RevokeRequest = RevokeTarget & {
  /** Why; Fabric CA records it with the revocation. */
  readonly reason: RevocationReason;
  /** Ask Fabric CA for a fresh CRL in the same call. */
  readonly genCrl: boolean;
};

/** What a revocation did at Fabric CA. */
export interface Revocation {
  /** Serials of the certificates revoked, in {@link normaliseSerial} form. */
  readonly revokedSerials: readonly string[];
  /** The CA's CRL after the revocation (PEM), when `genCrl` was asked. */
  readonly crlPem?: string;
}

/**
 * Which certificates to list (GET /certificates). Fabric CA shows only those
 * of identities in or under the registrar's affiliation: another platform's
 * come back as an empty list, not a refusal.
 */
export interface CertificateQuery {
  /** Only certificates enrolled by this enrollment ID. */
  readonly enrollmentId?: string;
  /** Only the certificate with this serial (any spelling {@link normaliseSerial} reads) that this CA issued. */
  readonly serial?: string;
  /** Leave out revoked certificates (Fabric CA's `notrevoked` filter). */
  readonly notRevoked?: boolean;
}

/** A certificate Fabric CA lists: it sends only the PEM, the rest is read from it. */
export interface ListedCertificate {
  /** Serial number, {@link normaliseSerial} form. */
  readonly serial: string;
  /** The certificate as Fabric CA stored it (PEM). */
  readonly certificatePem: string;
  /** The subject's CN, where Fabric CA writes the enrollment ID; undefined if it has none. */
  readonly enrollmentId: string | undefined;
  /**
   * False when the query asked for `notRevoked` (Fabric CA filtered revoked
   * ones out); otherwise undefined: the listing does not say, and a revoked
   * certificate's PEM looks like any other.
   */
  readonly revoked: false | undefined;
}

/** An identity as Fabric CA's identities API shows it (never its secret). */
export interface CaIdentity {
  /** Its enrollment ID. */
  readonly id: string;
  /** Fabric CA identity type; holders are `client`. */
  readonly type: string;
  /** The affiliation it was registered under, e.g. `platform1`. */
  readonly affiliation: string;
  /** Its stored attributes, with whether each goes into certificates. */
  readonly attrs: readonly CaAttribute[];
  /** How many times its secret may enroll; -1 for no limit. */
  readonly maxEnrollments: number;
}

/** Changes to an existing identity; absent fields stay as they are. */
export interface IdentityChanges {
  /** A new enrollment secret. */
  readonly secret?: string;
  /** A new limit on enrollments; -1 for no limit. */
  readonly maxEnrollments?: number;
  /** Attributes to add or change; one with an empty value is removed (Fabric CA's rule). */
  readonly attrs?: readonly CaAttribute[];
}

/** The Fabric CA operations the SDK uses; {@link FabricCaClient} is the real one. */
export interface CertificateAuthority {
  /** Registers an identity and returns its enrollment secret. */
  register(request: RegisterRequest): Promise<string>;
  /** Exchanges an enrollment ID, its secret and a CSR for a certificate. */
  enroll(request: EnrollRequest): Promise<Enrollment>;
  /**
   * Revokes every certificate of an enrollment ID, or one certificate by
   * serial; a certificate already revoked is CA_REFUSED with code 66.
   */
  revoke(request: RevokeRequest): Promise<Revocation>;
  /** The CA's current CRL (PEM). */
  generateCrl(): Promise<string>;
  /**
   * The certificates this CA issued that match the query and that the
   * registrar's affiliation lets it see; an empty list when none.
   */
  listCertificates(query: CertificateQuery): Promise<ListedCertificate[]>;
  /** The identity, or undefined when Fabric CA has none by that ID. */
  getIdentity(enrollmentId: string): Promise<CaIdentity | undefined>;
  /** Changes an identity's secret or enrollment limit. */
  modifyIdentity(enrollmentId: string, changes: IdentityChanges): Promise<void>;
}

/** Where the Fabric CA server is, which TLS root to trust, and the registrar to act as. */
export interface FabricCaClientOptions {
  /** `https://host:port` of the Fabric CA server; a path is ignored (fabric-ca-client always calls `/api/v1/`). */
  readonly url: string;
  /** The CA's name on that server (`--caname`). */
  readonly caName: string;
  /** PEM of the root the server's TLS certificate chains to. */
  readonly tlsRootCert: string;
  /** The registrar that authenticates register, revoke, CRL and identity calls. */
  readonly registrar: { readonly certPem: string; readonly keyPem: string };
  /** Milliseconds a request's connection may sit idle before it fails as CA_UNREACHABLE; 15 s when absent. */
  readonly timeoutMs?: number;
  /**
   * The HTTPS agent for this client's connections, e.g. to bound them with
   * `maxSockets`; absent, the client makes its own keep-alive agent, so one
   * client reuses its connections across calls.
   */
  readonly agent?: Agent;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// Enrollment IDs travel in URL paths and in token-signed URIs (fabric-ca-client
// pastes them in unescaped): keep them to characters no one escapes differently.
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
// fabric-ca-client reads its socket idle timeout from this process-wide
// setting on every request and takes no per-client one.
const TIMEOUT_SETTING = 'connection-timeout';

/**
 * The registrar's token signatures go through node:crypto, not through
 * fabric-common's default suite: that one signs with `elliptic`, whose ECDSA
 * (≤ 6.6.1, CVE-2025-14505, no fixed release) can leak the key, and it would
 * read the key with jsrsasign. fabric-ca-client hashes the token payload with
 * `hash` and gives the result to `sign`; Node signs whole messages only, so
 * `hash` hands the payload's own bytes on and signLowS hashes them with
 * SHA-256: the same low-S ECDSA-SHA256 signature Fabric CA verifies.
 */
const NODE_TOKEN_SUITE: TokenSigningSuite<KeyObject> = {
  hash: (message) => Buffer.from(message, 'utf8').toString('hex'),
  sign: (key, payload) => signLowS(key, payload),
};

/**
 * A typed client of Fabric CA (v1.5) through Fabric's own Node client,
 * `fabric-ca-client`, over HTTPS with only the given TLS root trusted.
 * Authenticated calls carry a token signed by the registrar's key; enroll
 * uses HTTP Basic auth with the enrollment secret. One instance keeps one
 * package client and one registrar identity for all its calls.
 */
export class FabricCaClient implements CertificateAuthority {
  readonly #caName: string;
  readonly #origin: string;
  readonly #timeoutMs: number;
  readonly #registrarCertPem: string;
  readonly #services: FabricCAServices;
  readonly #identities: FabricCAServices.IdentityService;
  readonly #certificates: FabricCAServices.CertificateService;
  readonly #registrar: User;
  #aki: string | undefined;

  constructor(options: Readonly<FabricCaClientOptions>) {
    const url = parseUrl(options.url);
    this.#caName = options.caName;
    this.#origin = url.origin;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#registrarCertPem = options.registrar.certPem;
    this.#registrar = registrarUser(options.caName, options.registrar);
    this.#services = new (caPackages().FabricCAServices)({
      url: url.origin,
      tlsOptions: { trustedRoots: [options.tlsRootCert], verify: true },
      caName: options.caName,
      cryptoSuite: NODE_TOKEN_SUITE,
    });
    // The package's own choice is Node's global agent, with a listener leak (see caHttps).
    this.#services._fabricCAClient._httpClient = caHttps(options.agent ?? new Agent({ keepAlive: true }));
    this.#identities = this.#services.newIdentityService();
    this.#certificates = this.#services.newCertificateService();
  }

  /** The CA's name on its server. */
  get caName(): string {
    return this.#caName;
  }

  /** POST /register as the registrar; returns the enrollment secret. */
  async register(request: RegisterRequest): Promise<string> {
    checkId(request.enrollmentId);
    const secret = await this.#call('register', () =>
      this.#services.register(
        {
          enrollmentID: request.enrollmentId,
          role: request.type,
          affiliation: request.affiliation,
          attrs: request.attrs.map(wireAttribute),
          maxEnrollments: request.maxEnrollments,
          ...(request.secret === undefined ? {} : { enrollmentSecret: request.secret }),
        },
        this.#registrar,
      ),
    );
    if (typeof secret !== 'string') {
      throw badResponse('register', 'result has no secret');
    }
    return secret;
  }

  /**
   * POST /enroll with Basic auth (ID and secret); returns the certificate
   * and CA chain. The CSR is required: without one fabric-ca-client makes
   * the key itself through jsrsasign 10, whose random numbers in Node come
   * from Math.random() and the clock (fixed in jsrsasign 11.1.2, which the
   * package does not allow), so the SDK always brings its own CSR.
   */
  async enroll(request: EnrollRequest): Promise<Enrollment> {
    checkId(request.enrollmentId);
    if (request.secret === '' || request.csr.trim() === '') {
      throw invalid('enroll needs the enrollment secret and a CSR');
    }
    const enrollment = await this.#call('enroll', () =>
      this.#services.enroll({
        enrollmentID: request.enrollmentId,
        enrollmentSecret: request.secret,
        csr: request.csr,
      }),
    );
    return { certificatePem: enrollment.certificate, caChainPem: enrollment.rootCertificate };
  }

  /** POST /revoke of an enrollment ID or one serial; returns the revoked serials and, if asked, the new CRL. */
  async revoke(request: RevokeRequest): Promise<Revocation> {
    const target = this.#revokeTarget(request);
    const response = await this.#call('revoke', () =>
      this.#services.revoke({ ...target, reason: request.reason, gencrl: request.genCrl }, this.#registrar),
    );
    const result = record(response.result, 'revoke');
    const revoked = Array.isArray(result['RevokedCerts']) ? (result['RevokedCerts'] as unknown[]) : [];
    const revokedSerials = revoked.map((entry) => normaliseSerial(field(entry, 'Serial', 'revoke')));
    const crl = result['CRL'];
    return typeof crl === 'string' && crl !== ''
      ? { revokedSerials, crlPem: fromBase64(crl) }
      : { revokedSerials };
  }

  #revokeTarget(target: RevokeTarget): { enrollmentID: string } | { serial: string; aki: string } {
    if ('enrollmentId' in target) {
      checkId(target.enrollmentId);
      return { enrollmentID: target.enrollmentId };
    }
    return { serial: caSerial(target.serial), aki: this.#authorityKeyId() };
  }

  /** Fabric CA finds a certificate by serial and AKI; every certificate this CA issued names the key the registrar's names. */
  #authorityKeyId(): string {
    this.#aki ??= authorityKeyId(this.#registrarCertPem);
    return this.#aki;
  }

  /** POST /gencrl; returns the CA's CRL as PEM. */
  async generateCrl(): Promise<string> {
    const crl = await this.#call('gencrl', () => this.#services.generateCRL({}, this.#registrar));
    if (typeof crl !== 'string') {
      throw badResponse('gencrl', 'result has no CRL');
    }
    return fromBase64(crl);
  }

  /**
   * GET /certificates with Fabric CA's `id`, `serial` and `aki` (this CA's,
   * from the registrar certificate) and `notrevoked` filters. Fabric CA
   * answers `{certs: [{PEM}], caname}`, only for identities in or under the
   * registrar's affiliation (lib/certdbaccessor.go), so another platform's
   * certificates are simply absent.
   */
  async listCertificates(query: CertificateQuery): Promise<ListedCertificate[]> {
    const request = this.#certificateRequest(query);
    const response = await this.#call('list certificates', () =>
      this.#certificates.getCertificates(request, this.#registrar),
    );
    const certs = record(response.result, 'list certificates')['certs'] ?? [];
    if (!Array.isArray(certs)) {
      throw badResponse('list certificates', 'certs is not a list');
    }
    return certs.map((entry: unknown) =>
      listedCertificate(field(entry, 'PEM', 'list certificates'), query.notRevoked === true),
    );
  }

  #certificateRequest(query: CertificateQuery): FabricCAServices.CertificateRequest {
    if (query.enrollmentId === undefined && query.serial === undefined) {
      // Without one Fabric CA streams every certificate in reach.
      throw invalid('list certificates needs an enrollment ID or a serial');
    }
    if (query.enrollmentId !== undefined) {
      checkId(query.enrollmentId);
    }
    return {
      ca: this.#caName,
      ...(query.enrollmentId === undefined ? {} : { id: query.enrollmentId }),
      ...(query.serial === undefined ? {} : { serial: caSerial(query.serial), aki: this.#authorityKeyId() }),
      ...(query.notRevoked === true ? { notrevoked: true } : {}),
    };
  }

  /** GET /identities/{id}; undefined when Fabric CA has no such identity (its code 63). */
  async getIdentity(enrollmentId: string): Promise<CaIdentity | undefined> {
    checkId(enrollmentId);
    try {
      const response = await this.#call('get identity', () =>
        this.#identities.getOne(enrollmentId, this.#registrar),
      );
      return toIdentity(response.result);
    } catch (error) {
      if (isRefusedWith(error, CaCode.identityNotFound)) {
        return undefined;
      }
      throw error;
    }
  }

  /** PUT /identities/{id} with only the fields that change (a new secret, a new enrollment limit). */
  async modifyIdentity(enrollmentId: string, changes: IdentityChanges): Promise<void> {
    checkId(enrollmentId);
    const update: FabricCAServices.IdentityUpdate = {
      ...(changes.secret === undefined ? {} : { enrollmentSecret: changes.secret }),
      ...(changes.maxEnrollments === undefined ? {} : { maxEnrollments: changes.maxEnrollments }),
      ...(changes.attrs === undefined ? {} : { attrs: changes.attrs.map(wireAttribute) }),
    };
    await this.#call('modify identity', () => this.#identities.update(enrollmentId, update, this.#registrar));
  }

  /** Runs one package call under this client's timeout; every failure becomes a FabricCaError. */
  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await this.#start(send);
    } catch (error) {
      throw fromCaClientFailure(error, { operation, origin: this.#origin, timeoutMs: this.#timeoutMs });
    }
  }

  // The package reads the timeout synchronously when it opens the request,
  // before its first await: set it for this call only, then put it back.
  #start<T>(send: () => Promise<T>): Promise<T> {
    const { Utils } = caPackages().common;
    const previous = Utils.getConfigSetting(TIMEOUT_SETTING);
    Utils.setConfigSetting(TIMEOUT_SETTING, this.#timeoutMs);
    try {
      return send();
    } finally {
      Utils.setConfigSetting(TIMEOUT_SETTING, previous);
    }
  }
}

/** The registrar as fabric-ca-client wants it: a fabric-common User whose signer is {@link NODE_TOKEN_SUITE}. */
function registrarUser(
  caName: string,
  registrar: { readonly certPem: string; readonly keyPem: string },
): User {
  const key = registrarKey(registrar.keyPem);
  const { Signer, SigningIdentity, User } = caPackages().common;
  const user = new User('registrar');
  const signer = new Signer(NODE_TOKEN_SUITE, key);
  // The MSP ID is never sent to Fabric CA; the package only insists on one.
  user.setSigningIdentity(
    new SigningIdentity(
      registrar.certPem,
      createPublicKey(key),
      caName === '' ? 'ca' : caName,
      NODE_TOKEN_SUITE,
      signer,
    ),
  );
  return user;
}

/** A serial as Fabric CA stores it: lower-case hex without leading zeros. */
function caSerial(serial: string): string {
  return normaliseSerial(serial).toLowerCase().replace(/^0+/, '');
}

type Fields = Partial<Record<string, unknown>>;

function record(value: unknown, operation: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badResponse(operation, 'result is not an object');
  }
  return value;
}

function field(value: unknown, name: string, operation: string): string {
  const text = record(value, operation)[name];
  if (typeof text !== 'string') {
    throw badResponse(operation, `result has no ${name}`);
  }
  return text;
}

function badResponse(operation: string, problem: string): FabricCaError {
  return new FabricCaError(CaErrorCode.badResponse, `Fabric CA ${operation}: ${problem}`, { operation });
}

function invalid(sentence: string): FabricCaError {
  return new FabricCaError(CaErrorCode.invalidRequest, sentence, { operation: 'validate' });
}

function fromBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

function wireAttribute(attr: CaAttribute): FabricCAServices.Attribute {
  return attr.ecert === true
    ? { name: attr.name, value: attr.value, ecert: true }
    : { name: attr.name, value: attr.value };
}

function listedCertificate(pem: string, notRevoked: boolean): ListedCertificate {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch (cause) {
    throw new FabricCaError(
      CaErrorCode.badResponse,
      'Fabric CA list certificates: a PEM is not a certificate',
      {
        operation: 'list certificates',
        cause,
      },
    );
  }
  return {
    serial: normaliseSerial(cert.serialNumber),
    certificatePem: pem,
    enrollmentId: cert.subjectName.getField('CN')[0],
    revoked: notRevoked ? false : undefined,
  };
}

function toIdentity(value: unknown): CaIdentity {
  const result = record(value, 'get identity');
  const attrs = Array.isArray(result['attrs']) ? (result['attrs'] as unknown[]) : [];
  return {
    id: field(result, 'id', 'get identity'),
    type: field(result, 'type', 'get identity'),
    affiliation: field(result, 'affiliation', 'get identity'),
    attrs: attrs.map((a) => ({
      name: field(a, 'name', 'get identity'),
      value: field(a, 'value', 'get identity'),
      ecert: record(a, 'get identity')['ecert'] === true,
    })),
    maxEnrollments: typeof result['max_enrollments'] === 'number' ? result['max_enrollments'] : 0,
  };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new FabricCaError(CaErrorCode.invalidRequest, `${text} is not a URL`, {
      operation: 'connect',
      cause,
    });
  }
  if (url.protocol !== 'https:') {
    throw new FabricCaError(CaErrorCode.invalidRequest, `Fabric CA URL ${text} must be https`, {
      operation: 'connect',
    });
  }
  return url;
}

function registrarKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new FabricCaError(CaErrorCode.invalidCertificate, 'the registrar key is not a PEM private key', {
      operation: 'connect',
      cause,
    });
  }
}

function checkId(id: string): void {
  if (!SAFE_ID.test(id)) {
    throw invalid(`enrollment ID ${JSON.stringify(id)} must be 1-128 letters, digits, '.', '_', '@' or '-'`);
  }
}
