import { createPrivateKey, type KeyObject } from 'node:crypto';
import { authorityKeyId, normaliseSerial } from './certificate';
import { CaCode, CaErrorCode, FabricCaError, isRefusedWith, readCaResponse } from './errors';
import { authToken } from './token';
import { type CaExchange, exchange, type TransportOptions } from './transport';
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
  /** `https://host:port` of the Fabric CA server. */
  readonly url: string;
  /** The CA's name on that server (`--caname`). */
  readonly caName: string;
  /** PEM of the root the server's TLS certificate chains to. */
  readonly tlsRootCert: string;
  /** The registrar that authenticates register, revoke, CRL and identity calls. */
  readonly registrar: { readonly certPem: string; readonly keyPem: string };
  /** Per-request deadline; 15 s when absent. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// Enrollment IDs travel in URL paths and in token-signed URIs: keep them to
// characters no one escapes differently.
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/**
 * A typed client of Fabric CA's REST API (v1.5), over HTTPS with only the
 * given TLS root trusted. Authenticated calls carry a token signed by the
 * registrar's key; enroll uses HTTP Basic auth with the enrollment secret.
 */
export class FabricCaClient implements CertificateAuthority {
  readonly #options: Readonly<FabricCaClientOptions>;
  readonly #transport: TransportOptions;
  readonly #key: KeyObject;
  readonly #base: string;

  constructor(options: Readonly<FabricCaClientOptions>) {
    this.#options = options;
    const url = parseUrl(options.url);
    this.#transport = {
      url,
      tlsRootCert: options.tlsRootCert,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    this.#base = `${url.pathname.replace(/\/+$/, '')}/api/v1`;
    this.#key = registrarKey(options.registrar.keyPem);
  }

  /** The CA's name on its server. */
  get caName(): string {
    return this.#options.caName;
  }

  /** POST /register as the registrar; returns the enrollment secret. */
  async register(request: RegisterRequest): Promise<string> {
    checkId(request.enrollmentId);
    const body = {
      id: request.enrollmentId,
      type: request.type,
      affiliation: request.affiliation,
      attrs: request.attrs.map(wireAttribute),
      max_enrollments: request.maxEnrollments,
      ...(request.secret === undefined ? {} : { secret: request.secret }),
      caname: this.caName,
    };
    const result = await this.#authenticated('register', 'POST', 'register', body);
    return field(result, 'secret', 'register');
  }

  /** POST /enroll with Basic auth (ID and secret); returns the certificate and CA chain. */
  async enroll(request: EnrollRequest): Promise<Enrollment> {
    checkId(request.enrollmentId);
    const basic = Buffer.from(`${request.enrollmentId}:${request.secret}`, 'utf8').toString('base64');
    const body = JSON.stringify({ certificate_request: request.csr, caname: this.caName });
    const result = await this.#send({
      operation: 'enroll',
      method: 'POST',
      path: `${this.#base}/enroll`,
      body,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    });
    const info = record(record(result, 'enroll')['ServerInfo'], 'enroll');
    return {
      certificatePem: fromBase64(field(result, 'Cert', 'enroll')),
      caChainPem: fromBase64(field(info, 'CAChain', 'enroll')),
    };
  }

  /** POST /revoke of an enrollment ID or one serial; returns the revoked serials and, if asked, the new CRL. */
  async revoke(request: RevokeRequest): Promise<Revocation> {
    const body = {
      ...this.#revokeTarget(request),
      reason: request.reason,
      gencrl: request.genCrl,
      caname: this.caName,
    };
    const result = record(await this.#authenticated('revoke', 'POST', 'revoke', body), 'revoke');
    const revoked = Array.isArray(result['RevokedCerts']) ? (result['RevokedCerts'] as unknown[]) : [];
    const revokedSerials = revoked.map((entry) => normaliseSerial(field(entry, 'Serial', 'revoke')));
    const crl = result['CRL'];
    return typeof crl === 'string' && crl !== ''
      ? { revokedSerials, crlPem: fromBase64(crl) }
      : { revokedSerials };
  }

  #revokeTarget(target: RevokeTarget): { id: string } | { serial: string; aki: string } {
    if ('enrollmentId' in target) {
      checkId(target.enrollmentId);
      return { id: target.enrollmentId };
    }
    // Fabric CA finds a certificate by serial and AKI, both lower-case hex.
    const aki = authorityKeyId(this.#options.registrar.certPem);
    return { serial: normaliseSerial(target.serial).toLowerCase().replace(/^0+/, ''), aki };
  }

  /** POST /gencrl; returns the CA's CRL as PEM. */
  async generateCrl(): Promise<string> {
    const result = await this.#authenticated('gencrl', 'POST', 'gencrl', { caname: this.caName });
    return fromBase64(field(result, 'CRL', 'gencrl'));
  }

  /**
   * GET /certificates with Fabric CA's `id`, `serial` and `aki` (this CA's,
   * from the registrar certificate) and `notrevoked` filters. Fabric CA
   * answers `{certs: [{PEM}], caname}`, only for identities in or under the
   * registrar's affiliation (lib/certdbaccessor.go), so another platform's
   * certificates are simply absent.
   */
  async listCertificates(query: CertificateQuery): Promise<ListedCertificate[]> {
    if (query.enrollmentId === undefined && query.serial === undefined) {
      // Without one Fabric CA streams every certificate in reach.
      throw new FabricCaError(
        CaErrorCode.invalidRequest,
        'list certificates needs an enrollment ID or a serial',
        {
          operation: 'validate',
        },
      );
    }
    const params = new URLSearchParams();
    if (query.enrollmentId !== undefined) {
      checkId(query.enrollmentId);
      params.set('id', query.enrollmentId);
    }
    if (query.serial !== undefined) {
      params.set('serial', normaliseSerial(query.serial).toLowerCase().replace(/^0+/, ''));
      params.set('aki', authorityKeyId(this.#options.registrar.certPem));
    }
    if (query.notRevoked === true) {
      params.set('notrevoked', 'true');
    }
    const result = record(
      await this.#authenticated('list certificates', 'GET', 'certificates', undefined, params),
      'list certificates',
    );
    const certs = result['certs'] ?? [];
    if (!Array.isArray(certs)) {
      throw badResponse('list certificates', 'certs is not a list');
    }
    return certs.map((entry: unknown) =>
      listedCertificate(field(entry, 'PEM', 'list certificates'), query.notRevoked === true),
    );
  }

  /** GET /identities/{id}; undefined when Fabric CA has no such identity (its code 63). */
  async getIdentity(enrollmentId: string): Promise<CaIdentity | undefined> {
    checkId(enrollmentId);
    try {
      const result = await this.#authenticated(
        'get identity',
        'GET',
        `identities/${enrollmentId}`,
        undefined,
      );
      return toIdentity(result);
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
    const body = {
      ...(changes.secret === undefined ? {} : { secret: changes.secret }),
      ...(changes.maxEnrollments === undefined ? {} : { max_enrollments: changes.maxEnrollments }),
      ...(changes.attrs === undefined ? {} : { attrs: changes.attrs.map(wireAttribute) }),
      caname: this.caName,
    };
    await this.#authenticated('modify identity', 'PUT', `identities/${enrollmentId}`, body);
  }

  async #authenticated(
    operation: string,
    method: CaExchange['method'],
    endpoint: string,
    payload: object | undefined,
    query?: URLSearchParams,
  ): Promise<unknown> {
    // The token signs the whole URI, query included (Fabric CA's util.VerifyToken).
    const extra = query === undefined ? '' : `&${query.toString()}`;
    const path = `${this.#base}/${endpoint}?ca=${encodeURIComponent(this.caName)}${extra}`;
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const token = authToken({ method, uri: path, body, certPem: this.#options.registrar.certPem }, this.#key);
    const headers: Record<string, string> = { authorization: token };
    if (body !== '') {
      headers['content-type'] = 'application/json';
    }
    return this.#send({ operation, method, path, body, headers });
  }

  async #send(call: CaExchange): Promise<unknown> {
    const answer = await exchange(this.#transport, call);
    return readCaResponse(call.operation, answer.status, answer.text);
  }
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

function fromBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

function wireAttribute(attr: CaAttribute): CaAttribute {
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
    throw new FabricCaError(
      CaErrorCode.invalidRequest,
      `enrollment ID ${JSON.stringify(id)} must be 1-128 letters, digits, '.', '_', '@' or '-'`,
      { operation: 'validate' },
    );
  }
}
