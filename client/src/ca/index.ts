export {
  authorityKeyId,
  type HolderCertificateInfo,
  FABRIC_ATTRIBUTES_OID,
  normaliseSerial,
  parseAttributeExtension,
  parseHolderCertificate,
} from './certificate';
export {
  type CaAttribute,
  type CaIdentity,
  type CertificateAuthority,
  type CertificateQuery,
  type Enrollment,
  type EnrollRequest,
  FabricCaClient,
  type FabricCaClientOptions,
  type IdentityChanges,
  type ListedCertificate,
  type RegisterRequest,
  type Revocation,
  type RevocationReason,
  type RevokeRequest,
  type RevokeTarget,
} from './client';
export { createKeyAndCsr, type KeyAndCsr } from './csr';
export {
  encodeEcdsaSignature,
  type EcdsaSignature,
  isLowS,
  parseEcdsaSignature,
  signLowS,
  toLowS,
} from './ecdsa';
export {
  CaCode,
  type CaErrorDetail,
  CaErrorCode,
  FabricCaError,
  type FabricCaErrorOptions,
  isFabricCaError,
} from './errors';
export {
  ASSET_ATTRIBUTE,
  HOLDER_ATTRIBUTE,
  type HolderCertificate,
  type HolderCertificateRequest,
  enrollmentIdKey,
  holderEnrollmentId,
  type HolderRevocation,
  type HolderRevocationOptions,
  issueHolderCertificate,
  revokeHolderCertificate,
  revokeHolderCertificates,
} from './holder';
export { openAssetCa, type OpenAssetCaOptions } from './open';
export { type Pkcs12Input, toPkcs12 } from './pkcs12';
