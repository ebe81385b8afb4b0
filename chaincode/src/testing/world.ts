import type { Context } from 'fabric-contract-api';
import { AssetsContract } from '../contracts/assets';
import { CampaignsContract } from '../contracts/campaigns';
import { CertificatesContract } from '../contracts/certificates';
import { IdentityContract } from '../contracts/identity';
import { ImportsContract } from '../contracts/imports';
import type { ImportBatchResult } from '../model/import-result';
import { KeysContract } from '../contracts/keys';
import { ListingsContract } from '../contracts/listings';
import { OffersContract } from '../contracts/offers';
import { TradesContract } from '../contracts/trades';
import { UsersContract } from '../contracts/users';
import type { Asset } from '../model/asset';
import type { TransactionKey } from '../model/transaction-key';
import type { User } from '../model/user';
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  X509Certificate,
} from 'node:crypto';
import {
  assetIdFor,
  consentBytes,
  type ConsentParams,
  type ConsentRequest,
  consentText,
  type HolderQueryRequest,
  holderQueryBytes,
  publicKeyText,
  type SignedAction,
  toBase64url,
  Transient,
  userIdFor,
} from '@crowdledger/protocol';
import type { CertificateView } from '../model/certificate-view';
import type { CertificateBatchResult } from '../model/certificate-batch';
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
  imports: new ImportsContract(),
  certificates: new CertificatesContract(),
  keys: new KeysContract(),
  listings: new ListingsContract(),
  trades: new TradesContract(),
  offers: new OffersContract(),
  campaigns: new CampaignsContract(),
};

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

function keyPair(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** Each user's transaction key (the private half) in the trading tests, and one nobody registered. */
export const KEYS = { alice: keyPair(), bob: keyPair(), carol: keyPair(), stranger: keyPair() } as const;

/** The private key each user signs with. */
export const KEY_OF: Readonly<Record<string, KeyObject>> = {
  [ALICE]: KEYS.alice,
  [BOB]: KEYS.bob,
  [CAROL]: KEYS.carol,
};

/** A request's lifetime in the tests, as the SDK's default: five minutes. */
export const REQUEST_LIFETIME_SECONDS = 300;

/** ES256 over the request's canonical bytes, r‖s in base64url: what a user's device returns. */
export function signConsent(request: ConsentRequest, privateKey: KeyObject): string {
  const bytes = consentBytes(request);
  return toBase64url(sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
}

/** A consent transaction's two arguments: the request's canonical text and its signature. */
export type SignedArguments = [request: string, signature: string];

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
  #requests = 0;

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

  /** imports:Begin with `importTerms()` and overrides. */
  async beginImport(who: Who, overrides: Record<string, unknown> = {}): Promise<Asset> {
    return contracts.imports.Begin(this.as(who), JSON.stringify(importTerms(overrides)));
  }

  /** imports:Add as a platform sends it: the rows and its reference secret in the transient map. */
  async addImportBatch(
    who: Who,
    assetId: string,
    rows: readonly object[],
    secret?: string,
  ): Promise<ImportBatchResult> {
    const ctx = this.as(who);
    this.stub.transient = new Map([
      ['holders', Buffer.from(JSON.stringify(rows))],
      ['referenceSecret', Buffer.from(secret ?? REFERENCE_SECRETS[ctx.clientIdentity.getMSPID()] ?? '')],
    ]);
    return contracts.imports.Add(ctx, assetId);
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

  /** certificates:RecordBatch as a platform sends it: the items as the argument, their PEMs in the transient map. */
  async recordBatch(
    who: Who,
    items: readonly { readonly assetId: string; readonly holderId: string; readonly pem: string }[],
  ): Promise<CertificateBatchResult> {
    const holdings = items.map(({ assetId, holderId }) => ({ assetId, holderId }));
    const pems = JSON.stringify(items.map((item) => item.pem));
    this.stub.transient = new Map([['certificates', Buffer.from(pems)]]);
    return contracts.certificates.RecordBatch(this.as(who), JSON.stringify(holdings));
  }

  /** The ISO instant `seconds` after the current transaction's time. */
  isoIn(seconds: number): string {
    return new Date((this.stub.txSeconds + seconds) * 1000).toISOString();
  }

  /** A new transaction: its own txId, and the clock moved on by `seconds`. */
  nextTx(seconds = 1): void {
    this.#tx += 1;
    this.stub.txId = `tx-${String(this.#tx)}`;
    this.stub.txSeconds += seconds;
  }

  /**
   * A request as the SDK makes one: a fresh request ID, expiring five
   * minutes after the current transaction's time; any field can be replaced.
   */
  request<A extends SignedAction>(
    action: A,
    userId: string,
    params: ConsentParams<A>,
    overrides: Partial<ConsentRequest> = {},
  ): ConsentRequest<A> {
    this.#requests += 1;
    return {
      action,
      params,
      userId,
      requestId: `request-${String(this.#requests).padStart(4, '0')}`,
      expiresAt: this.isoIn(REQUEST_LIFETIME_SECONDS),
      ...overrides,
    } as ConsentRequest<A>;
  }

  /** The request's arguments, signed with the user's key unless another is given. */
  sign(request: ConsentRequest, privateKey?: KeyObject): SignedArguments {
    const key = privateKey ?? KEY_OF[request.userId] ?? KEYS.stranger;
    return [consentText(request), signConsent(request, key)];
  }

  /** A fresh request for the act, signed by the user's own key: the transaction's two arguments. */
  consent<A extends SignedAction>(action: A, userId: string, params: ConsentParams<A>): SignedArguments {
    return this.sign(this.request(action, userId, params));
  }

  /** Registers the public half of `privateKey` for the user, signed by it (proof of possession). */
  async registerKey(who: Who, userId: string, privateKey: KeyObject): Promise<TransactionKey> {
    this.nextTx();
    const publicKey = publicKeyText(createPublicKey(privateKey));
    const request = this.request('keys:Register', userId, { publicKey, algorithm: 'ES256' });
    return contracts.keys.Register(this.as(who), ...this.sign(request, privateKey));
  }

  /** populate(), the asset CA, and a key for Alice, Bob and Carol. */
  async trading(): Promise<Asset> {
    await this.setAssetCa();
    const asset = await this.populate();
    await this.registerKey('platform1', ALICE, KEYS.alice);
    await this.registerKey('platform1', BOB, KEYS.bob);
    await this.registerKey('platform2', CAROL, KEYS.carol);
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
/** An imported asset's terms: fund-1's, under reference `register-1`, declaring 100 units. */
export function importTerms(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const terms = assetInput({ assetRef: 'register-1' });
  delete terms['holders'];
  return { ...terms, ...overrides };
}

/** A register row for imports:Add: alice's details under `platformRef`, a fixed salt. */
export function importRow(
  platformRef: string,
  units: number,
  overrides: Record<string, unknown> = {},
): object {
  return { platformRef, ...DETAILS.alice, units, salt: SALT, ...overrides };
}

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
