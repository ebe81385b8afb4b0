/*
 * Calls go through what the chaincode service runs: the front door, then
 * fabric-shim's own dispatcher, metadata, argument checks, ClientIdentity and
 * result serialiser, as a peer's call would. This catches what the
 * contract-level tests cannot: decorators that do not register, and
 * dependency breaks such as class-transformer 0.4.1 dropping classToPlain.
 */
import { CrowdLedgerChaincode } from './chaincode';
import { FakeStub } from './testing/fake-context';
import { makeTestPki, type TestPki } from './testing/pki';
import { listingInput } from './testing/trading';
import {
  ALICE,
  assetInput,
  REFERENCE_SECRETS,
  BOB,
  DETAILS,
  FUND,
  HOLDER_CERTS,
  holderQueryTransient,
  KEYS,
  SALT,
  signConsent,
} from './testing/world';
import { type ConsentRequest, consentText, publicKeyText, type SignedAction } from '@crowdledger/protocol';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

interface Response {
  readonly status: number;
  readonly message?: string;
  readonly payload?: Uint8Array;
}

interface Dispatcher {
  Invoke(stub: FakeStub): Promise<Response>;
}

let pki: TestPki;
let dispatcher: Dispatcher;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
  // The fake stub has the slice of ChaincodeStub the chaincode uses.
  dispatcher = new CrowdLedgerChaincode() as unknown as Dispatcher;
});

async function invoke(stub: FakeStub, mspid: string, pem: string, ...args: string[]): Promise<Response> {
  stub.args = args;
  stub.fcn = args[0] ?? '';
  stub.creator = { mspid, idBytes: Buffer.from(pem, 'utf8') };
  return dispatcher.Invoke(stub);
}

function payload(response: Response): unknown {
  expect(response).toMatchObject({ status: 200 });
  return JSON.parse(Buffer.from(response.payload ?? []).toString('utf8'));
}

describe('calls through fabric-shim', () => {
  it('reads the role from the certificate attributes as Fabric CA writes them', async () => {
    const response = await invoke(new FakeStub(), 'RegistryMSP', pki.registryUser, 'identity:WhoAmI');
    expect(payload(response)).toEqual({
      mspId: 'RegistryMSP',
      subject: 'O=Registry, CN=admin1',
      issuer: 'O=Registry, CN=ca.registry',
      role: 'admin',
    });
  });

  it('lets a registry admin set the asset CA, after which its certificates have no role', async () => {
    const stub = new FakeStub();
    const set = await invoke(
      stub,
      'RegistryMSP',
      pki.registryUser,
      'identity:SetAssetCertificateAuthority',
      pki.assetCa,
    );
    expect(payload(set)).toMatchObject({
      subject: 'O=Registry, CN=asset-ca',
      setBy: 'O=Registry, CN=admin1',
    });
    const who = await invoke(stub, 'RegistryMSP', pki.holder, 'identity:WhoAmI');
    expect(payload(who)).toEqual({
      mspId: 'RegistryMSP',
      subject: 'O=Registry, CN=holder1',
      issuer: 'O=Registry, CN=asset-ca',
      role: null,
    });
  });

  it('serves identity, the first contract, for a name without a contract', async () => {
    const response = await invoke(new FakeStub(), 'Platform1MSP', pki.platformUser, 'WhoAmI');
    expect(payload(response)).toMatchObject({ mspId: 'Platform1MSP', role: 'platform' });
  });

  // No network check or test contract ships in the package: every contract checks its caller.
  it('has no smoke contract: smoke:Put is refused with a code and writes nothing', async () => {
    const stub = new FakeStub();
    const response = await invoke(stub, 'Platform1MSP', pki.platformUser, 'smoke:Put', 'k', 'v');
    expect(response).toMatchObject({
      status: 500,
      message: 'UNKNOWN_TRANSACTION: the chaincode has no contract named "smoke"',
    });
    expect(stub.writes).toEqual([]);
  });

  it("hands string arguments over as their UTF-8 text without fabric-shim's per-call schema compile", async () => {
    // The Ajv fabric-shim's argument marshaller uses, resolved from where the marshaller is.
    const fromMarshaller = createRequire(require.resolve('fabric-shim/lib/contract-spi/datamarshall'));
    const Ajv = fromMarshaller('ajv') as { prototype: { compile: (schema: object) => unknown } };
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    try {
      const stub = new FakeStub();
      // An argument fabric-shim would check against {type: string}: here it reaches the contract as text.
      const response = await invoke(
        stub,
        'RegistryMSP',
        pki.registryUser,
        'identity:SetAssetCertificateAuthority',
        pki.assetCa,
      );
      expect(payload(response)).toMatchObject({ subject: 'O=Registry, CN=asset-ca' });
      expect(compile).not.toHaveBeenCalled();
    } finally {
      compile.mockRestore();
    }
  });

  // fabric-shim looks contracts up in a plain object, where these names find Object.prototype's members.
  it.each(['constructor:x', '__proto__:x', 'toString', 'hasOwnProperty:Get'])(
    'refuses %j with a code, not a TypeError',
    async (fcn) => {
      const response = await invoke(new FakeStub(), 'Platform1MSP', pki.platformUser, fcn);
      expect(response.status).toBe(500);
      expect(response.message).toMatch(/^UNKNOWN_TRANSACTION: /);
    },
  );

  it("serves fabric-shim's metadata, which clients read, and nothing else of its system contract", async () => {
    const metadata = await invoke(
      new FakeStub(),
      'RegistryMSP',
      pki.registryUser,
      'org.hyperledger.fabric:GetMetadata',
    );
    expect(payload(metadata)).toMatchObject({ contracts: { users: { name: 'users' } } });
    const other = await invoke(
      new FakeStub(),
      'RegistryMSP',
      pki.registryUser,
      'org.hyperledger.fabric:_setMetadata',
      '{}',
    );
    expect(other.message).toMatch(/^UNKNOWN_TRANSACTION: contract org.hyperledger.fabric has no transaction/);
  });

  it.each([
    [['certificates:Get', FUND, ALICE], `NOT_FOUND: no certificate is recorded for ${FUND}/${ALICE}`],
    [
      ['identity:Drop', 'k'],
      'UNKNOWN_TRANSACTION: contract identity has no transaction named "identity:Drop"',
    ],
    [['identity:SetAssetCertificateAuthority', 'x'], 'FORBIDDEN: only a RegistryMSP identity'],
    [['assets:Get', 'x'], 'INVALID_ARGUMENT: assetId must be an asset ID'],
    [['users:Register'], 'TRANSIENT_MISSING: transient field reference is required'],
    [['assets:Get'], 'INVALID_ARGUMENT: assets:Get takes 1 argument (assetId), 0 given'],
    [
      ['listings:Create', 'r'],
      'INVALID_ARGUMENT: listings:Create takes 2 arguments (request, signature), 1 given',
    ],
    [['identity:WhoAmI', 'x'], 'INVALID_ARGUMENT: identity:WhoAmI takes no arguments, 1 given'],
    [['certificates:QueryByCertificate'], 'TRANSIENT_MISSING: transient field certificate is required'],
  ])('answers %j with status 500 and a coded message', async (args, message) => {
    const response = await invoke(new FakeStub(), 'Platform1MSP', pki.platformUser, ...args);
    expect(response.status).toBe(500);
    expect(response.message).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('the register through fabric-shim', () => {
  async function populated(): Promise<FakeStub> {
    const stub = new FakeStub();
    payload(
      await invoke(
        stub,
        'RegistryMSP',
        pki.registryUser,
        'identity:SetAssetCertificateAuthority',
        pki.assetCa,
      ),
    );
    for (const [ref, details] of [
      ['alice', DETAILS.alice],
      ['bob', DETAILS.bob],
    ] as const) {
      stub.transient = new Map([
        ['reference', Buffer.from(ref)],
        ['referenceSecret', Buffer.from(REFERENCE_SECRETS['Platform1MSP'] ?? '')],
        ['user', Buffer.from(JSON.stringify(details))],
        ['salt', Buffer.from(SALT)],
      ]);
      payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'users:Register'));
    }
    payload(
      await invoke(stub, 'Platform1MSP', pki.platformUser, 'assets:Register', JSON.stringify(assetInput())),
    );
    return stub;
  }

  it('registers users and an asset and pages its cap table', async () => {
    const stub = await populated();
    const page = await invoke(stub, 'RegistryMSP', pki.registryUser, 'assets:Holders', FUND, '10', '');
    expect(payload(page)).toMatchObject({
      records: [{ units: expect.any(Number) as unknown }, { units: expect.any(Number) as unknown }],
      bookmark: '',
      fetched: 2,
    });
  });

  it('returns a Chinese name byte for byte from the private collection', async () => {
    const stub = await populated();
    const data = payload(
      await invoke(stub, 'Platform1MSP', pki.platformUser, 'users:GetPersonalData', ALICE),
    );
    expect(data).toEqual({ userId: ALICE, platformRef: 'alice', ...DETAILS.alice, salt: SALT });
  });

  it('serialises a nested asset with its attributes and rights', async () => {
    const stub = await populated();
    const asset = payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'assets:Get', FUND));
    expect(asset).toMatchObject({
      assetId: FUND,
      attributes: { name: '城市更新基金一期', documents: [{ name: 'prospectus.pdf' }] },
      rights: { voting: { enabled: true, votesPerUnit: 1 }, otherTerms: [{ name: 'lockup' }] },
    });
  });

  it("answers a holder's query relayed by another platform, attributes read from the extension", async () => {
    const stub = await populated();
    const holderPem = pki.holders['alice'] ?? '';
    stub.transient = new Map([['certificate', Buffer.from(holderPem)]]);
    payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'certificates:Record', FUND, ALICE));
    const holder = { pem: holderPem, key: pki.holderKeys['alice'] ?? '', assetId: FUND };
    stub.transient = holderQueryTransient(holder, new Date(stub.txSeconds * 1000));
    const view = payload(
      await invoke(stub, 'Platform2MSP', pki.platformUser, 'certificates:QueryByCertificate'),
    );
    expect(view).toMatchObject({
      asset: { assetId: FUND },
      holding: { units: 60, shareOfTotal: '0.600000' },
    });
  });

  it('returns a revoked record with its revocation fields', async () => {
    const stub = await populated();
    stub.transient = new Map([['certificate', Buffer.from(pki.holders['alice'] ?? '')]]);
    payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'certificates:Record', FUND, ALICE));
    const revoked = payload(
      await invoke(stub, 'Platform1MSP', pki.platformUser, 'certificates:Revoke', FUND, ALICE, 'key lost'),
    );
    expect(revoked).toMatchObject({ status: 'REVOKED', revocationReason: 'key lost' });
  });

  it('lists a page of history entries with their parsed values', async () => {
    const stub = await populated();
    const history = payload(
      await invoke(stub, 'RegistryMSP', pki.registryUser, 'audit:History', 'asset', FUND, '10', ''),
    );
    expect(history).toEqual({
      records: [
        expect.objectContaining({
          isDelete: false,
          value: expect.objectContaining({ assetId: FUND }) as unknown,
        }),
      ],
      bookmark: '',
      fetched: 1,
    });
  });
});

describe('trading through fabric-shim', () => {
  let requests = 0;

  interface Signer {
    readonly userId: string;
    readonly key: KeyObject;
  }

  /** The user's signed request for the action, as the transaction's two arguments, through the dispatcher. */
  async function call(stub: FakeStub, action: SignedAction, params: object, user: Signer): Promise<Response> {
    requests += 1;
    stub.txId = `tx-${action}-${String(requests)}`;
    const request = {
      action,
      params,
      userId: user.userId,
      requestId: `dispatch-${String(requests)}`,
      expiresAt: new Date((stub.txSeconds + 300) * 1000).toISOString(),
    } as ConsentRequest;
    const args = [consentText(request), signConsent(request, user.key)];
    return invoke(stub, 'Platform1MSP', pki.platformUser, action, ...args);
  }

  async function signed(
    stub: FakeStub,
    action: SignedAction,
    params: object,
    user: Signer,
  ): Promise<unknown> {
    return payload(await call(stub, action, params, user));
  }

  const alice = { userId: ALICE, key: KEYS.alice };
  const bob = { userId: BOB, key: KEYS.bob };
  const keyOf = (key: KeyObject): object => ({
    publicKey: publicKeyText(createPublicKey(key)),
    algorithm: 'ES256',
  });

  async function listed(): Promise<{ stub: FakeStub; listingId: string }> {
    const stub = new FakeStub();
    payload(
      await invoke(
        stub,
        'RegistryMSP',
        pki.registryUser,
        'identity:SetAssetCertificateAuthority',
        pki.assetCa,
      ),
    );
    for (const [ref, details] of [
      ['alice', DETAILS.alice],
      ['bob', DETAILS.bob],
    ] as const) {
      stub.transient = new Map([
        ['reference', Buffer.from(ref)],
        ['referenceSecret', Buffer.from(REFERENCE_SECRETS['Platform1MSP'] ?? '')],
        ['user', Buffer.from(JSON.stringify(details))],
        ['salt', Buffer.from(SALT)],
      ]);
      payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'users:Register'));
    }
    payload(
      await invoke(stub, 'Platform1MSP', pki.platformUser, 'assets:Register', JSON.stringify(assetInput())),
    );
    await signed(stub, 'keys:Register', keyOf(KEYS.alice), alice);
    await signed(stub, 'keys:Register', keyOf(KEYS.bob), bob);
    const params: Record<string, unknown> = { ...listingInput(stub) };
    delete params['sellerId'];
    const created = (await signed(stub, 'listings:Create', params, alice)) as { listingId: string };
    return { stub, listingId: created.listingId };
  }

  it('returns the transaction key, a listing and a trade result as JSON', async () => {
    const { stub, listingId } = await listed();
    const key = payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'keys:Get', ALICE));
    expect(key).toEqual({
      userId: ALICE,
      keyId: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      algorithm: 'ES256',
      ...keyOf(KEYS.alice),
      registeredAt: expect.any(String) as unknown,
    });
    const listing = payload(await invoke(stub, 'Platform1MSP', pki.platformUser, 'listings:Get', listingId));
    expect(listing).toMatchObject({ listingId, kind: 'FIXED', remaining: 10 });
    expect(Object.keys(listing as object)).not.toContain('targetUnits');
    const bought = await signed(stub, 'trades:Buy', { listingId, units: 3, pricePerUnit: 15_000 }, bob);
    expect(bought).toEqual({
      trade: expect.objectContaining({ units: 3, amount: 45_000 }) as unknown,
      buyerCertificateDue: false,
      sellerCertificateRevoked: false,
    });
  });

  it('fails a forged request with status 500 and its code: nothing commits', async () => {
    const { stub, listingId } = await listed();
    const writes = stub.writes.length;
    const forged = { userId: BOB, key: KEYS.alice };
    const response = await call(stub, 'trades:Buy', { listingId, units: 3, pricePerUnit: 15_000 }, forged);
    expect(response.status).toBe(500);
    expect(response.message).toMatch(/^CONSENT_SIGNATURE_INVALID: request dispatch-\d+ is not signed by/);
    expect(stub.writes).toHaveLength(writes);
  });

  it('answers CanBuy with a check result and pages open listings', async () => {
    const { stub, listingId } = await listed();
    const check = payload(
      await invoke(stub, 'Platform1MSP', pki.platformUser, 'trades:CanBuy', listingId, BOB, '30'),
    );
    expect(check).toEqual({ ok: false, code: 'INSUFFICIENT_UNITS', sentence: expect.any(String) as unknown });
    const page = payload(await invoke(stub, 'RegistryMSP', pki.registryUser, 'listings:Open', '10', ''));
    expect(page).toMatchObject({ records: [{ listingId }], bookmark: '', fetched: 1 });
  });
});
