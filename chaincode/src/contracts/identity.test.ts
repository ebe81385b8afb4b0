import { ConfigName, KeyPrefix } from '@crowdledger/protocol';
import { HOLDER_ATTRS, makeTestPki, type TestPki } from '../testing/pki';
import { fakeContext, type FakeContext, FakeStub } from '../testing/fake-context';
import { IdentityContract } from './identity';

const contract = new IdentityContract();
const CONFIG_KEY = `\u0000${KeyPrefix.config}\u0000${ConfigName.assetCertificateAuthority}\u0000`;

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

function registry(role: string, stub?: FakeStub, pem = pki.registryUser): FakeContext {
  return fakeContext(
    { mspId: 'RegistryMSP', certificatePem: pem, attributes: { 'crowdledger.role': role } },
    stub,
  );
}

async function configuredStub(): Promise<FakeStub> {
  const { ctx, stub } = registry('admin');
  await contract.SetAssetCertificateAuthority(ctx, pki.assetCa);
  return stub;
}

describe('IdentityContract.SetAssetCertificateAuthority', () => {
  it('stores the CA with the transaction time and the admin who set it', async () => {
    const { ctx, stub } = registry('admin');
    const record = await contract.SetAssetCertificateAuthority(ctx, pki.assetCa);
    expect(record).toMatchObject({
      subject: 'O=Registry, CN=asset-ca',
      setAt: new Date(stub.txSeconds * 1000).toISOString(),
      setBy: 'O=Registry, CN=admin1',
    });
    const stored = Buffer.from(stub.state.get(CONFIG_KEY) ?? []).toString('utf8');
    expect(Object.keys(JSON.parse(stored) as object)).toEqual([
      'fingerprint256',
      'pem',
      'setAt',
      'setBy',
      'subject',
      'validTo',
    ]);
  });

  it.each([
    ['an auditor', () => registry('auditor')],
    [
      'a platform claiming admin',
      () =>
        fakeContext({
          mspId: 'Platform1MSP',
          certificatePem: pki.platformUser,
          attributes: { 'crowdledger.role': 'admin' },
        }),
    ],
  ])('refuses %s with FORBIDDEN and writes nothing', async (_who, make) => {
    const { ctx, stub } = make();
    await expect(contract.SetAssetCertificateAuthority(ctx, pki.assetCa)).rejects.toThrow(/^FORBIDDEN: /);
    expect(stub.state.size).toBe(0);
  });

  it('refuses a holder of the asset CA even when it claims admin', async () => {
    const stub = await configuredStub();
    const { ctx } = fakeContext(
      {
        mspId: 'RegistryMSP',
        certificatePem: pki.holder,
        attributes: { ...HOLDER_ATTRS, 'crowdledger.role': 'admin' },
      },
      stub,
    );
    await expect(contract.SetAssetCertificateAuthority(ctx, pki.impostorCa)).rejects.toThrow(/^FORBIDDEN: /);
  });

  it("refuses the admin's own CA, which would make every registry identity a holder", async () => {
    const { ctx, stub } = registry('admin');
    await expect(contract.SetAssetCertificateAuthority(ctx, pki.registryCa)).rejects.toThrow(
      "CERTIFICATE_INVALID: the asset CA must not be the CA that issued the caller's own certificate",
    );
    expect(stub.state.size).toBe(0);
  });

  it('refuses a certificate that cannot sign others', async () => {
    const { ctx, stub } = registry('admin');
    await expect(contract.SetAssetCertificateAuthority(ctx, pki.holder)).rejects.toThrow(
      'CERTIFICATE_INVALID: asset CA certificate is not a CA certificate',
    );
    expect(stub.state.size).toBe(0);
  });

  it('refuses text that is not a certificate', async () => {
    await expect(contract.SetAssetCertificateAuthority(registry('admin').ctx, 'hello')).rejects.toThrow(
      /^CERTIFICATE_INVALID: /,
    );
  });
});

describe('IdentityContract.WhoAmI', () => {
  it('describes a registry admin', async () => {
    const view = await contract.WhoAmI(registry('admin', await configuredStub()).ctx);
    expect(view).toEqual({
      mspId: 'RegistryMSP',
      subject: 'O=Registry, CN=admin1',
      issuer: 'O=Registry, CN=ca.registry',
      role: 'admin',
    });
  });

  it('gives an asset-CA certificate no role, whatever it claims', async () => {
    const attributes = { ...HOLDER_ATTRS, 'crowdledger.role': 'auditor' };
    const { ctx } = fakeContext(
      { mspId: 'RegistryMSP', certificatePem: pki.holder, attributes },
      await configuredStub(),
    );
    const view = await contract.WhoAmI(ctx);
    expect(view).toMatchObject({ role: null, issuer: 'O=Registry, CN=asset-ca' });
    expect(Object.keys(view)).not.toContain('holder');
  });

  it('fails CORRUPT_STATE when the stored CA record is damaged', async () => {
    const stub = new FakeStub();
    stub.state.set(CONFIG_KEY, Buffer.from('{"pem":1}'));
    await expect(contract.WhoAmI(registry('admin', stub).ctx)).rejects.toThrow(
      /^CORRUPT_STATE: record .*assetCertificateAuthority.* has no string field pem$/s,
    );
  });

  it('fails CERTIFICATE_INVALID for a caller identity that is not X.509', async () => {
    await expect(contract.WhoAmI(registry('admin', undefined, 'idemix').ctx)).rejects.toThrow(
      'CERTIFICATE_INVALID: caller certificate must be exactly one PEM certificate',
    );
  });
});

describe('IdentityContract unknown transactions', () => {
  it('answers with a coded error and writes nothing', async () => {
    const { ctx, stub } = registry('admin');
    stub.fcn = 'identity:Delete';
    await expect(contract.unknownTransaction(ctx)).rejects.toThrow(
      'UNKNOWN_TRANSACTION: contract identity has no transaction named identity:Delete',
    );
    expect(stub.writes).toEqual([]);
  });
});
