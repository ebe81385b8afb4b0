// A typed fake of the asset CA for unit tests: it remembers what it revoked
// and answers a second revocation of a serial as Fabric CA does (code 66).
// Left out of the build (tsconfig.build.json).
import type { CertificateAuthority, RevokeRequest, Revocation } from '../ca/client';
import { CaCode, CaErrorCode, FabricCaError } from '../ca/errors';

export const FAKE_CRL = '-----BEGIN X509 CRL-----\nfake\n-----END X509 CRL-----\n';

export class FakeCa implements CertificateAuthority {
  readonly revoked = new Set<string>();
  readonly requests: RevokeRequest[] = [];

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
    return Promise.resolve({ revokedSerials: [serial], crlPem: FAKE_CRL });
  }

  generateCrl(): Promise<string> {
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
