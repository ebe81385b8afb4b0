import type { X509Certificate } from 'node:crypto';
import { ChaincodeError } from '../values/errors';
import type { CallerDescription, CallerFacts, Role } from '../model/caller';
import { distinguishedName, isIssuedBy } from '../values/certificates';

export const REGISTRY_MSP = 'RegistryMSP';

export const Attribute = {
  role: 'crowdledger.role',
  asset: 'crowdledger.asset',
  holder: 'crowdledger.holder',
} as const;

/**
 * Decides who the caller is. Holders are no channel identities (DESIGN §2):
 * the asset CA is in no channel MSP, so its certificates never reach a
 * transaction as its signer. Should one ever get there (an MSP set up
 * wrongly), it is given no role whatever its attributes claim: registrars on
 * the asset CA can set attribute values freely.
 */
export function describeCaller(facts: CallerFacts, assetCa: X509Certificate | undefined): CallerDescription {
  const fromAssetCa = assetCa !== undefined && isIssuedBy(facts.certificate, assetCa);
  return {
    mspId: facts.mspId,
    subject: distinguishedName(facts.certificate.subject),
    issuer: distinguishedName(facts.certificate.issuer),
    role: fromAssetCa ? null : roleOf(facts),
  };
}

// Each platform runs its own CA, so an admin or auditor claim from a platform
// would be self-granted; platform is the one role a platform MSP can hold.
function roleOf(facts: CallerFacts): Role | null {
  const claimed = facts.attribute(Attribute.role);
  if (facts.mspId === REGISTRY_MSP) {
    return claimed === 'admin' || claimed === 'auditor' ? claimed : null;
  }
  return claimed === 'platform' ? 'platform' : null;
}

function who(caller: CallerDescription): string {
  return `caller ${caller.subject} of ${caller.mspId}`;
}

export function requireRegistryAdmin(caller: CallerDescription): void {
  if (caller.role !== 'admin') {
    throw new ChaincodeError(
      'FORBIDDEN',
      `only a ${REGISTRY_MSP} identity with ${Attribute.role}=admin may do this; ${who(caller)} is not one`,
    );
  }
}

/**
 * Making the caller's own issuer the asset CA would turn every identity of
 * that CA, this admin included, into a holder without a role: a lockout.
 */
export function requireSeparateAssetCa(caller: CallerFacts, assetCa: X509Certificate): void {
  if (isIssuedBy(caller.certificate, assetCa)) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      "the asset CA must not be the CA that issued the caller's own certificate",
    );
  }
}

/** A platform application acting for its own organisation; returns its MSP ID. */
export function requirePlatform(caller: CallerDescription): string {
  if (caller.role !== 'platform') {
    throw new ChaincodeError(
      'FORBIDDEN',
      `only a platform identity with ${Attribute.role}=platform may do this; ${who(caller)} is not one`,
    );
  }
  return caller.mspId;
}

/** Platforms, the registry admin and auditors read all public data (R13, R14) and relay holders' queries (R4). */
export function requirePublicReader(caller: CallerDescription): void {
  if (caller.role === null) {
    throw new ChaincodeError(
      'FORBIDDEN',
      `only platform, admin or auditor identities may read the register; ${who(caller)} is not one`,
    );
  }
}

/**
 * The platform that owns a user, or the registry admin: the two parties that
 * may see a user's personal data or manage their certificates (R12, R13).
 */
export function requireOwnPlatformOrAdmin(caller: CallerDescription, platform: string, what: string): void {
  const own = caller.role === 'platform' && caller.mspId === platform;
  if (!own && caller.role !== 'admin') {
    throw new ChaincodeError(
      'FORBIDDEN',
      `only ${platform} or a ${REGISTRY_MSP} admin may ${what}; ${who(caller)} may not`,
    );
  }
}

/**
 * A platform acting for one of its own users: only the user's platform may
 * move or escrow their units or manage their transaction key (R7, R13). The
 * registry admin does not act for users.
 */
export function requireOwnPlatform(caller: CallerDescription, platform: string, what: string): void {
  if (caller.role !== 'platform' || caller.mspId !== platform) {
    throw new ChaincodeError('FORBIDDEN', `only ${platform} may ${what}; ${who(caller)} may not`);
  }
}

/** Writes are for platforms and the registry admin; auditors only read (R13). */
export function requireWriter(caller: CallerDescription): void {
  if (caller.role !== 'platform' && caller.role !== 'admin') {
    throw new ChaincodeError(
      'FORBIDDEN',
      `only platform or ${REGISTRY_MSP} admin identities may change the register; ${who(caller)} may not`,
    );
  }
}
