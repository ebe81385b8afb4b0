// Types for the parts of fabric-ca-client 2.2.20 and fabric-common 2.2.20
// (CommonJS) that client/src/ca/client.ts calls, and nothing more. The
// packages ship types of their own, but those answer `any` for revoke,
// generateCRL and every identity and certificate call, and lack
// newCertificateService; an ambient declaration wins over a package's own, so
// these replace them. Each says only what the package's JavaScript does.

declare module 'fabric-common' {
  /**
   * What fabric-ca-client and Signer ask of a crypto suite when they sign a
   * Fabric CA token: `hash` the token payload to hex, then `sign` those bytes
   * with the key given to the Signer. Nothing else is called for register,
   * enroll with a CSR, revoke, gencrl, identities and certificates.
   */
  export interface TokenSigningSuite<K> {
    /** The token payload's digest, as hex. */
    hash(message: string): string;
    /** A DER ECDSA signature over the bytes of that hex. */
    sign(key: K, digest: Buffer): Buffer;
  }

  /** Holds the registrar's key; `sign` passes it to the suite. */
  export class Signer<K> {
    private readonly _key: K;
    constructor(cryptoSuite: TokenSigningSuite<K>, key: K);
    sign(digest: Buffer): Buffer;
  }

  /** A certificate with its signer: fabric-ca-client sends the certificate in every token. */
  export class SigningIdentity<K> {
    private readonly _signer: Signer<K>;
    /** Every argument must be truthy; `publicKey` is kept only for verify(), which the CA calls never use. */
    constructor(
      certificate: string,
      publicKey: object,
      mspId: string,
      cryptoSuite: TokenSigningSuite<K>,
      signer: Signer<K>,
    );
  }

  /** fabric-ca-client checks a registrar's class is named User and calls getSigningIdentity(). */
  export class User {
    constructor(name: string);
    setSigningIdentity<K>(signingIdentity: SigningIdentity<K>): void;
  }

  /** The process-wide settings fabric-ca-client reads on every request (nconf's memory store). */
  export const Utils: {
    getConfigSetting(name: string, defaultValue?: unknown): unknown;
    setConfigSetting(name: string, value: unknown): void;
  };
}

declare module 'fabric-ca-client' {
  import type { ClientRequest, IncomingMessage } from 'node:http';
  import type { RequestOptions } from 'node:https';
  import type { TokenSigningSuite, User } from 'fabric-common';

  namespace FabricCAServices {
    /** `trustedRoots` become the request's `ca`; `verify` its `rejectUnauthorized`. */
    interface TlsOptions {
      trustedRoots: string[];
      verify: boolean;
    }

    interface Options<K> {
      url: string;
      tlsOptions: TlsOptions;
      caName: string;
      cryptoSuite: TokenSigningSuite<K>;
    }

    /** Sent as `{name, value, ecert}` unchanged. */
    interface Attribute {
      name: string;
      value: string;
      ecert?: boolean;
    }

    /** POST /register: `role` is sent as `type`, an empty secret is left out. */
    interface RegisterRequest {
      enrollmentID: string;
      enrollmentSecret?: string;
      role: string;
      affiliation: string;
      maxEnrollments: number;
      attrs: Attribute[];
    }

    /** POST /enroll with HTTP Basic auth; without `csr` the package makes a key itself (never used: see client.ts). */
    interface EnrollRequest {
      enrollmentID: string;
      enrollmentSecret: string;
      csr: string;
    }

    /** Cert and CAChain of Fabric CA's result, decoded from base64. */
    interface Enrollment {
      certificate: string;
      rootCertificate: string;
    }

    /** POST /revoke: an enrollment ID, or a serial with its AKI (both hex). */
    interface RevokeRequest {
      enrollmentID?: string;
      serial?: string;
      aki?: string;
      reason: string;
      gencrl: boolean;
    }

    /** Fabric CA's envelope, as the package resolves it when `success` is true. */
    interface ServiceResponse {
      success: boolean;
      result: unknown;
    }

    /** PUT /identities/{id}: only the fields given are sent. */
    interface IdentityUpdate {
      enrollmentSecret?: string;
      maxEnrollments?: number;
      attrs?: Attribute[];
    }

    /** GET /certificates: each string field becomes a query parameter; `notrevoked` only when true. */
    interface CertificateRequest {
      id?: string;
      serial?: string;
      aki?: string;
      notrevoked?: boolean;
      ca: string;
    }

    interface IdentityService {
      /** GET /identities/{id}?ca=…; the ID goes into the path as given. */
      getOne(enrollmentID: string, registrar: User): Promise<ServiceResponse>;
      update(enrollmentID: string, request: IdentityUpdate, registrar: User): Promise<ServiceResponse>;
    }

    interface CertificateService {
      getCertificates(request: CertificateRequest, registrar: User): Promise<ServiceResponse>;
    }
  }

  /**
   * Fabric CA's REST API. Failures reject with an Error: Fabric CA's
   * `success`/`errors`/`messages` copied onto it when it refused, a Node
   * error's `code` when no answer came.
   */
  class FabricCAServices {
    constructor(options: FabricCAServices.Options<unknown>);
    /** Resolves with the result's `secret`, whatever its type. */
    register(request: FabricCAServices.RegisterRequest, registrar: User): Promise<unknown>;
    enroll(request: FabricCAServices.EnrollRequest): Promise<FabricCAServices.Enrollment>;
    revoke(
      request: FabricCAServices.RevokeRequest,
      registrar: User,
    ): Promise<FabricCAServices.ServiceResponse>;
    /** Resolves with the result's `CRL` (the PEM CRL in base64), whatever its type. */
    generateCRL(restriction: Record<string, never>, registrar: User): Promise<unknown>;
    newIdentityService(): FabricCAServices.IdentityService;
    newCertificateService(): FabricCAServices.CertificateService;
    /**
     * The package's inner REST client (not public API; fixed in the pinned
     * 2.2.20). Its `_httpClient` is Node's `https` module, of which it calls
     * only `request(options, callback)`: the one place to bring an agent in.
     */
    _fabricCAClient: {
      _httpClient: {
        request(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest;
      };
    };
  }

  export = FabricCAServices;
}
