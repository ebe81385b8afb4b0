import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { parseStored } from '../values/codec';
import { requireFields, requireInstant, requireSha256Hex } from '../values/guards';
import { requireMspId } from '../values/ids';

interface ReferenceSecretFields {
  readonly platform: string;
  readonly fingerprint: string;
  readonly setAt: string;
}

/**
 * The public fingerprint of a platform's reference secret (R12), written by
 * its first user registration. Never the secret: a later registration with
 * another secret is refused instead of naming a known user anew.
 */
@DataType()
export class ReferenceSecret {
  @Property('platform', 'string')
  readonly platform: string;

  /** protocol referenceSecretFingerprint(secret), lower-case hex. */
  @Property('fingerprint', 'string')
  readonly fingerprint: string;

  /** ISO-8601 time of the platform's first registration. */
  @Property('setAt', 'string')
  readonly setAt: string;

  constructor(fields: ReferenceSecretFields) {
    this.platform = fields.platform;
    this.fingerprint = fields.fingerprint;
    this.setAt = fields.setAt;
  }

  static parse(value: unknown): ReferenceSecret {
    const fields = requireFields(value, 'reference secret', ['platform', 'fingerprint', 'setAt']);
    return new ReferenceSecret({
      platform: requireMspId(fields['platform'], 'platform'),
      fingerprint: requireSha256Hex(fields['fingerprint'], 'fingerprint'),
      setAt: requireInstant(fields['setAt'], 'setAt'),
    });
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ platform: this.platform, fingerprint: this.fingerprint, setAt: this.setAt });
  }
}

export const referenceSecretCodec: Codec<ReferenceSecret> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => ReferenceSecret.parse(value)),
  toBytes: (value) => value.toBytes(),
};
