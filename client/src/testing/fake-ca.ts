// A typed fake of the asset CA for unit tests: it remembers what it revoked
// and answers a second revocation of a serial as Fabric CA does (code 66).
// Certificates added with issued() are listed as GET /certificates lists
// them, by enrollment ID or serial, with or without the revoked ones.
// Left out of the build (tsconfig.build.json).
import type {
  CertificateAuthority,
  CertificateQuery,
  ListedCertificate,
  RevokeRequest,
  Revocation,
} from '../ca/client';
import { normaliseSerial } from '../ca/certificate';
import { CaCode, CaErrorCode, FabricCaError } from '../ca/errors';

export const FAKE_CRL = '-----BEGIN X509 CRL-----\nfake\n-----END X509 CRL-----\n';

export class FakeCa implements CertificateAuthority {
  readonly revoked = new Set<string>();
  readonly requests: RevokeRequest[] = [];
  readonly listings: CertificateQuery[] = [];
  /** Serial → the enrollment ID it was issued to, for listings. */
  readonly certificates = new Map<string, string>();
  crlsGenerated = 0;

  /** Makes the CA know a certificate it issued to an enrollment ID. */
  issued(enrollmentId: string, ...serials: string[]): this {
    for (const serial of serials) {
      this.certificates.set(normaliseSerial(serial), enrollmentId);
    }
    return this;
  }

  revoke(request: RevokeRequest): Promise<Revocation> {
    this.requests.push(request);
    const serial = 'serial' in request ? request.serial : request.enrollmentId;
    if (this.revoked.has(serial)) {
      const details = [{ code: CaCode.certificateAlreadyRevoked, message: 'already revoked' }];
      return Promise.reject(
        new FabricCaError(CaErrorCode.refused, 'already revoked', { operation: 'revoke', details }),
      );
    }
    this.revoked.add(serial);
    if (request.genCrl) {
      this.crlsGenerated += 1;
      return Promise.resolve({ revokedSerials: [serial], crlPem: FAKE_CRL });
    }
    return Promise.resolve({ revokedSerials: [serial] });
  }

  listCertificates(query: CertificateQuery): Promise<ListedCertificate[]> {
    this.listings.push(query);
    const wanted = query.serial === undefined ? undefined : normaliseSerial(query.serial);
    const listed = [...this.certificates]
      .filter(([, id]) => query.enrollmentId === undefined || id === query.enrollmentId)
      .filter(([serial]) => wanted === undefined || serial === wanted)
      .filter(([serial]) => query.notRevoked !== true || !this.revoked.has(serial))
      .map(([serial, enrollmentId]) => ({
        serial,
        certificatePem: `PEM of ${serial}`,
        enrollmentId,
        revoked: query.notRevoked === true ? (false as const) : undefined,
      }));
    return Promise.resolve(listed);
  }

  generateCrl(): Promise<string> {
    this.crlsGenerated += 1;
    return Promise.resolve(FAKE_CRL);
  }

  register(): Promise<string> {
    return Promise.reject(new Error('register is not faked'));
  }

  enroll(): Promise<never> {
    return Promise.reject(new Error('enroll is not faked'));
  }

  getIdentity(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  modifyIdentity(): Promise<void> {
    return Promise.reject(new Error('modifyIdentity is not faked'));
  }
}
