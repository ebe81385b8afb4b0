import { randomBytes } from 'node:crypto';
import { ClientErrorCode, CrowdLedgerError } from '../errors';
import type { ContractInvoker } from '../invoker';
import { type IdType, Transient, userCommitment, userIdFor } from '@crowdledger/protocol';
import { decoders, type PersonalData, type Portfolio, type User } from '../model';
import type { GroupContext } from './context';

/** A user to register (R1): the platform's own reference and the user's personal data. */
export interface UserRegistration {
  /**
   * The platform's own reference: 1 to 64 of A-Z a-z 0-9 _ . : -. Personal
   * (it may be a customer number or a name): it goes in the transient map
   * and the platform's private collection only, never a block (R12).
   */
  readonly platformRef: string;
  /** The user's name, exactly as it should be kept. */
  readonly name: string;
  /** The kind of identity document the number belongs to. */
  readonly idType: IdType;
  /** Upper case; a resident ID or business licence must carry a correct check character. */
  readonly idNumber: string;
}

/** Users registered by this platform, their personal data and their holdings. */
export interface UsersApi {
  /**
   * Registers a user. The reference, the platform's reference secret, name,
   * ID type, ID number and a fresh random salt go only in the transient map,
   * so none reaches a block (R12); the ledger keeps the keyed user ID and a
   * salted commitment, both checked against what was sent. A second
   * registration of the same reference fails USER_EXISTS; a reference secret
   * other than the platform's first fails REFERENCE_SECRET_MISMATCH.
   * REFERENCE_SECRET_MISSING when the options gave no secret.
   */
  register(user: UserRegistration): Promise<User>;
  /**
   * The user ID the ledger assigns (or assigned) to this platform's
   * reference, computed locally with the platform's reference secret
   * (protocol `userIdFor`); REFERENCE_SECRET_MISSING without one. Another
   * platform's user IDs can't be computed: that platform hands them over.
   */
  idFor(platformRef: string): string;
  /** A user's public record; USER_NOT_FOUND when there is none. */
  get(userId: string): Promise<User>;
  /** A user's personal data; only the user's own platform (or the registry) may read it. */
  personalData(userId: string): Promise<PersonalData>;
  /** Every holding of a user. */
  portfolio(userId: string): Promise<Portfolio>;
}

/** 16 random bytes, as the chaincode wants the salt: lower-case hex. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The {@link UsersApi} over the `users` contract. */
export class UsersClient implements UsersApi {
  readonly #context: GroupContext;
  readonly #users: ContractInvoker<'users'>;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#users = context.contract('users');
  }

  async register(user: UserRegistration): Promise<User> {
    const secret = this.#secret();
    const salt = newSalt();
    const { platformRef, name, idType, idNumber } = user;
    const registered = await this.#users.submit('Register', decoders.user, {
      transientData: {
        [Transient.reference]: platformRef,
        [Transient.referenceSecret]: secret,
        [Transient.user]: JSON.stringify({ name, idType, idNumber }),
        [Transient.salt]: salt,
      },
    });
    this.#check(registered, salt, user);
    return registered;
  }

  idFor(platformRef: string): string {
    return userIdFor(this.#context.mspId, this.#secret(), platformRef);
  }

  #secret(): string {
    const secret = this.#context.referenceSecret;
    if (secret === undefined) {
      throw new CrowdLedgerError(
        ClientErrorCode.referenceSecretMissing,
        "user IDs are keyed with the platform's reference secret: give referenceSecret, or a profile that names one",
      );
    }
    return secret;
  }

  get(userId: string): Promise<User> {
    return this.#users.evaluate('Get', decoders.user, [userId]);
  }

  personalData(userId: string): Promise<PersonalData> {
    return this.#users.evaluate('GetPersonalData', decoders.personalData, [userId]);
  }

  portfolio(userId: string): Promise<Portfolio> {
    return this.#users.evaluate('Portfolio', decoders.portfolio, [userId]);
  }

  // The ledger must hold what was sent: the ID the rule gives, and the commitment to these details.
  #check(registered: User, salt: string, user: UserRegistration): void {
    const expectedId = this.idFor(user.platformRef);
    if (registered.userId !== expectedId) {
      throw new CrowdLedgerError(
        ClientErrorCode.badResponse,
        `the ledger registered ${registered.userId}, but this reference of ${this.#context.mspId} is ${expectedId}`,
      );
    }
    if (registered.commitment !== userCommitment(salt, user)) {
      throw new CrowdLedgerError(
        ClientErrorCode.badResponse,
        `the commitment recorded for ${registered.userId} does not match the personal data sent`,
      );
    }
  }
}
