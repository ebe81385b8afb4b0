import type { Context } from 'fabric-contract-api';
import { AssetsContract } from '../contracts/assets';
import { CampaignsContract } from '../contracts/campaigns';
import { CertificatesContract } from '../contracts/certificates';
import { IdentityContract } from '../contracts/identity';
import { KeysContract } from '../contracts/keys';
import { ListingsContract } from '../contracts/listings';
import { OffersContract } from '../contracts/offers';
import { TradesContract } from '../contracts/trades';
import { UsersContract } from '../contracts/users';
import type { Asset } from '../model/asset';
import type { KeyStatus } from '../model/key-status';
import type { KdfParameters } from '../model/transaction-key';
import type { User } from '../model/user';
import { createHash, sign, X509Certificate } from 'node:crypto';
import {
  assetIdFor,
  type HolderQueryRequest,
  holderQueryBytes,
  Transient,
  userIdFor,
} from '@crowdledger/protocol';
import type { CertificateView } from '../model/certificate-view';
import { fakeContext, type FakeIdentityOptions, FakeStub } from './fake-context';
import type { HolderRequest, TestPki } from './pki';

/**
 * A registry in a fake stub with the cast the contract tests need: two
 * platforms, the registry admin and auditor, an identity with no role, and
 * holders whose asset certificates the PKI made.
 */
export const contracts = {
  identity: new IdentityContract(),
  users: new UsersContract(),
  assets: new AssetsContract(),
  certificates: new CertificatesContract(),
  keys: new KeysContract(),
  listings: new ListingsContract(),
  trades: new TradesContract(),
  offers: new OffersContract(),
  campaigns: new CampaignsContract(),
};

/**
 * Argon2id at its smallest (8 KiB, one pass, ~0.5 ms): trading tests call
 * useKdfParameters(CHEAP_KDF) in beforeAll so hundreds of key checks stay
 * fast. keys.test.ts checks the real parameters.
 */
export const CHEAP_KDF: KdfParameters = { memoryKiB: 8, passes: 1, parallelism: 1 };

/** Each user's transaction key in the trading tests, and the platform-made blind. */
export const KEYS = { alice: 'alice-pin-1', bob: 'bob-pin-22', carol: 'carol-pin-333' } as const;
export const BLIND = 'ffeeddccbbaa99887766554433221100';

export const P1 = 'Platform1MSP';
export const P2 = 'Platform2MSP';

/** Each platform's reference secret in the tests (a real one is 32 random bytes). */
export const REFERENCE_SECRETS: Readonly<Record<string, string>> = {
  [P1]: '1'.repeat(64),
  [P2]: '2'.repeat(64),
};

/** The user ID a test platform's reference gets. */
export function userIdOf(mspId: string, platformRef: string): string {
  return userIdFor(mspId, REFERENCE_SECRETS[mspId] ?? '0'.repeat(64), platformRef);
}

export const ALICE = userIdOf(P1, 'alice');
export const BOB = userIdOf(P1, 'bob');
export const CAROL = userIdOf(P2, 'carol');
export const FUND = assetIdFor(P1, 'fund-1');

/** Holder certificates every certificate test can ask for. */
export const HOLDER_CERTS = {
  alice: { assetId: FUND, holderId: ALICE },
  aliceAgain: { assetId: FUND, holderId: ALICE },
  bob: { assetId: FUND, holderId: BOB },
  carol: { assetId: FUND, holderId: CAROL },
  aliceForged: { assetId: FUND, holderId: ALICE, issuer: 'impostor' },
  aliceOtherAsset: { assetId: assetIdFor(P1, 'fund-2'), holderId: ALICE },
  aliceNamedInCn: { assetId: FUND, holderId: ALICE, commonName: 'ouyang-nana-11010519491231002X' },
} as const satisfies Record<string, HolderRequest>;

export type HolderName = keyof typeof HOLDER_CERTS;
export type Who =
  'platform1' | 'platform2' | 'admin' | 'auditor' | 'nobody' | { readonly holder: HolderName };

export const SALT = '00112233445566778899aabbccddeeff';

/** How {@link World.queryAsHolder} departs from an honest request. */
export interface HolderQueryOptions {
  /** Fields of the request the holder signs, instead of the honest ones. */
  readonly request?: Partial<HolderQueryRequest>;
  /** Fields changed after signing, as a relay tampering with it would. */
  readonly change?: Partial<HolderQueryRequest>;
  /** Sign with this holder's key instead of the certificate's own. */
  readonly signer?: HolderName;
}

export const DETAILS = {
  alice: { name: '欧阳娜娜', idType: 'RESIDENT_ID', idNumber: '11010519491231002X' },
  bob: { name: '阿卜杜热西提·买买提', idType: 'PASSPORT', idNumber: 'E12345678' },
  carol: { name: 'Carol Smith', idType: 'FOREIGN_PERMANENT_RESIDENT', idNumber: 'USA110079060101' },
} as const;

/**
 * The transient map a relay sends for a holder's query: the certificate, a
 * request for its asset made at `at` and signed with `key`, and the signature; `options`
 * bend it as {@link HolderQueryOptions} says.
 */
export function holderQueryTransient(
  holder: { readonly pem: string; readonly key: string; readonly assetId: string },
  at: Date,
  options: Omit<HolderQueryOptions, 'signer'> = {},
): Map<string, Uint8Array> {
  const cert = new X509Certificate(holder.pem);
  const request: HolderQueryRequest = {
    assetId: holder.assetId,
    fingerprint: createHash('sha256').update(cert.raw).digest('hex'),
    requestedAt: at.toISOString(),
    nonce: '0123456789abcdef0123456789abcdef',
    ...options.request,
  };
  const signature = sign('sha256', holderQueryBytes(request), holder.key).toString('base64');
  return new Map([
    [Transient.certificate, Buffer.from(holder.pem)],
    [Transient.holderQuery, Buffer.from(JSON.stringify({ ...request, ...options.change }))],
    [Transient.holderSignature, Buffer.from(signature)],
  ]);
}

export class World {
  readonly pki: TestPki;
  readonly stub: FakeStub;
  #tx = 0;

  constructor(pki: TestPki, stub = new FakeStub()) {
    this.pki = pki;
    this.stub = stub;
  }

  as(who: Who): Context {
    return fakeContext(this.#identity(who), this.stub).ctx;
  }

  async setAssetCa(): Promise<void> {
    await contracts.identity.SetAssetCertificateAuthority(this.as('admin'), this.pki.assetCa);
  }

  /** users:Register as a platform sends it; `secret` overrides the platform's reference secret. */
  async registerUser(
    who: Who,
    platformRef: string,
    details: object,
    salt = SALT,
    secret?: string,
  ): Promise<User> {
    const ctx = this.as(who);
    this.stub.transient = new Map([
      ['reference', Buffer.from(platformRef)],
      ['referenceSecret', Buffer.from(secret ?? REFERENCE_SECRETS[ctx.clientIdentity.getMSPID()] ?? '')],
      ['user', Buffer.from(JSON.stringify(details))],
      ['salt', Buffer.from(salt)],
    ]);
    return contracts.users.Register(ctx);
  }

  async registerAsset(who: Who, input: object): Promise<Asset> {
    return contracts.assets.Register(this.as(who), JSON.stringify(input));
  }

  /**
   * A holder's query relayed by `relay` (R4): the certificate, a request the
   * holder signed now and its signature in the transient map. `change` alters
   * the request after signing it; `signer` signs with another holder's key.
   */
  async queryAsHolder(
    relay: Who,
    holder: HolderName,
    options: HolderQueryOptions = {},
  ): Promise<CertificateView> {
    const at = new Date(this.stub.txSeconds * 1000);
    const key = this.pki.holderKeys[options.signer ?? holder] ?? '';
    const { assetId } = HOLDER_CERTS[holder];
    this.stub.transient = holderQueryTransient({ pem: this.#holderPem(holder), key, assetId }, at, options);
    return contracts.certificates.QueryByCertificate(this.as(relay));
  }

  async recordCertificate(who: Who, assetId: string, holderId: string, pem: string): Promise<unknown> {
    this.stub.transient = new Map([['certificate', Buffer.from(pem)]]);
    return contracts.certificates.Record(this.as(who), assetId, holderId);
  }

  /** A new transaction: its own txId, and the clock moved on by `seconds`. */
  nextTx(seconds = 1): void {
    this.#tx += 1;
    this.stub.txId = `tx-${String(this.#tx)}`;
    this.stub.txSeconds += seconds;
  }

  /** The transient map of a key-gated call: the user's key, or none. */
  useKey(key: string | undefined): void {
    this.stub.transient = new Map(key === undefined ? [] : [['key', Buffer.from(key, 'utf8')]]);
  }

  async setKey(who: Who, userId: string, key: string, blind = BLIND): Promise<KeyStatus> {
    this.nextTx();
    this.stub.transient = new Map([
      ['key', Buffer.from(key, 'utf8')],
      ['blind', Buffer.from(blind, 'utf8')],
    ]);
    return contracts.keys.Set(this.as(who), userId);
  }

  /** populate(), the asset CA, and a key for Alice, Bob and Carol. */
  async trading(): Promise<Asset> {
    await this.setAssetCa();
    const asset = await this.populate();
    await this.setKey('platform1', ALICE, KEYS.alice);
    await this.setKey('platform1', BOB, KEYS.bob);
    await this.setKey('platform2', CAROL, KEYS.carol);
    return asset;
  }

  /** Alice and Bob on Platform1, Carol on Platform2, and fund-1 held 60/40 by Alice and Bob. */
  async populate(): Promise<Asset> {
    await this.registerUser('platform1', 'alice', DETAILS.alice);
    await this.registerUser('platform1', 'bob', DETAILS.bob);
    await this.registerUser('platform2', 'carol', DETAILS.carol);
    return this.registerAsset('platform1', assetInput());
  }

  #identity(who: Who): FakeIdentityOptions {
    const role = (mspId: string, pem: string, value?: string): FakeIdentityOptions => ({
      mspId,
      certificatePem: pem,
      attributes: value === undefined ? {} : { 'crowdledger.role': value },
    });
    if (typeof who === 'object') {
      const request = HOLDER_CERTS[who.holder];
      const attributes = { 'crowdledger.asset': request.assetId, 'crowdledger.holder': request.holderId };
      return { mspId: 'RegistryMSP', certificatePem: this.#holderPem(who.holder), attributes };
    }
    const cast = {
      platform1: () => role(P1, this.pki.platformUser, 'platform'),
      platform2: () => role(P2, this.pki.platformUser, 'platform'),
      admin: () => role('RegistryMSP', this.pki.registryUser, 'admin'),
      auditor: () => role('RegistryMSP', this.pki.registryUser, 'auditor'),
      nobody: () => role(P1, this.pki.platformUser),
    };
    return cast[who]();
  }

  #holderPem(name: HolderName): string {
    const pem = this.pki.holders[name];
    if (pem === undefined) {
      throw new Error(`the test PKI made no holder certificate ${name}`);
    }
    return pem;
  }
}

/** A valid assets:Register argument; fields can be overridden. */
export function assetInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    assetRef: 'fund-1',
    attributes: {
      name: '城市更新基金一期',
      category: 'FUND',
      description: 'A first urban renewal fund.\nUnits pay quarterly.',
      currency: 'CNY',
      documents: [{ name: 'prospectus.pdf', sha256: 'a'.repeat(64), uri: 'https://docs.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: true, policy: 'Quarterly, pro rata.' },
      otherTerms: [{ name: 'lockup', value: '12 months' }],
    },
    totalUnits: 100,
    holders: [
      { userId: ALICE, units: 60 },
      { userId: BOB, units: 40 },
    ],
    ...overrides,
  };
}
