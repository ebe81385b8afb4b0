import type { X509Certificate } from 'node:crypto';
import { ChaincodeError } from '../values/errors';
import type { CallerDescription, CallerFacts, HolderKey, Role } from '../model/caller';
import { distinguishedName, isIssuedBy } from '../values/certificates';

export const REGISTRY_MSP = 'RegistryMSP';

export const Attribute = {
  role: 'crowdledger.role',
  asset: 'crowdledger.asset',
  holder: 'crowdledger.holder',
} as const;

const MAX_ID_LENGTH = 128;

/**
 * Decides who the caller is. A holder is recognised by who issued its
 * certificate, never by an attribute: registrars on the asset CA can set
 * attribute values freely, so any role claimed on such a certificate is
 * ignored (DESIGN §2). Until an asset CA is configured nobody is a holder.
 */
export function describeCaller(facts: CallerFacts, assetCa: X509Certificate | undefined): CallerDescription {
  const fromAssetCa = assetCa !== undefined && isIssuedBy(facts.certificate, assetCa);
  const base = {
    mspId: facts.mspId,
    subject: distinguishedName(facts.certificate.subject),
    issuer: distinguishedName(facts.certificate.issuer),
  };
  if (fromAssetCa) {
    const holder = facts.mspId === REGISTRY_MSP ? holderRef(facts) : null;
    return { ...base, role: null, holder };
  }
  return { ...base, role: roleOf(facts), holder: null };
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

function holderRef(facts: CallerFacts): HolderKey {
  return {
    assetId: requireIdAttribute(facts, Attribute.asset),
    holderId: requireIdAttribute(facts, Attribute.holder),
  };
}

function requireIdAttribute(facts: CallerFacts, name: string): string {
  const value = facts.attribute(name);
  if (value === null || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `asset certificate lacks a valid ${name} attribute`);
  }
  return value;
}

// A holder's subject may carry personal data (R3), so it is never echoed.
function who(caller: CallerDescription): string {
  return caller.holder === null
    ? `caller ${caller.subject} of ${caller.mspId}`
    : 'an asset-certificate holder, who may call only certificates:QueryByCertificate';
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

/** Platforms, the registry admin and auditors read all public data (R13, R14); holders do not. */
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

/** Writes are for platforms and the registry admin; auditors and holders only read (R13). */
export function requireWriter(caller: CallerDescription): void {
  if (caller.role !== 'platform' && caller.role !== 'admin') {
    throw new ChaincodeError(
      'FORBIDDEN',
      `only platform or ${REGISTRY_MSP} admin identities may change the register; ${who(caller)} may not`,
    );
  }
}
