import { Object as DataType } from 'fabric-contract-api';
import { requireInstant, requireSha256Hex } from '../values/guards';
import { requireMspId } from '../values/ids';
import { type FieldsOf, parseFields, record, recordCodec, text } from './record';

const REFERENCE_SECRET = {
  platform: text(requireMspId),
  /** protocol referenceSecretFingerprint(secret), lower-case hex. */
  fingerprint: text(requireSha256Hex),
  /** ISO-8601 time of the platform's first registration. */
  setAt: text(requireInstant),
};

export type ReferenceSecretFields = FieldsOf<typeof REFERENCE_SECRET>;

/**
 * The public fingerprint of a platform's reference secret (R12), written by
 * its first user registration. Never the secret: a later registration with
 * another secret is refused instead of naming a known user anew.
 */
@DataType()
export class ReferenceSecret extends record(REFERENCE_SECRET) {
  static parse(value: unknown): ReferenceSecret {
    return new ReferenceSecret(parseFields(REFERENCE_SECRET, value, 'reference secret'));
  }
}

export const referenceSecretCodec = recordCodec((value) => ReferenceSecret.parse(value));
