import { X509Certificate } from 'node:crypto';
import { makeTestPki, type TestPki } from '../testing/pki';
import type { CallerFacts } from '../model/caller';
import { describeCaller, REGISTRY_MSP, requireRegistryAdmin } from './identity';

let pki: TestPki;
let assetCa: X509Certificate;

beforeAll(() => {
  pki = makeTestPki();
  assetCa = new X509Certificate(pki.assetCa);
});

function facts(mspId: string, pem: string, attributes: Record<string, string> = {}): CallerFacts {
  return {
    mspId,
    certificate: new X509Certificate(pem),
    attribute: (name) => attributes[name] ?? null,
  };
}

const HOLDER_ATTRS = { 'crowdledger.asset': 'A1', 'crowdledger.holder': 'U1' };

describe('describeCaller roles', () => {
  it.each([
    [REGISTRY_MSP, 'admin', 'admin'],
    [REGISTRY_MSP, 'auditor', 'auditor'],
    [REGISTRY_MSP, 'platform', null],
    ['Platform1MSP', 'platform', 'platform'],
    ['Platform1MSP', 'admin', null],
    ['Platform1MSP', 'auditor', null],
    ['Platform1MSP', 'root', null],
  ])('%s with role %s counts as %s', (mspId, claimed, role) => {
    const view = describeCaller(facts(mspId, pki.registryUser, { 'crowdledger.role': claimed }), assetCa);
    expect(view.role).toBe(role);
    expect(view.holder).toBeNull();
  });

  it('grants nothing without a role attribute', () => {
    expect(describeCaller(facts(REGISTRY_MSP, pki.registryUser), undefined).role).toBeNull();
  });

  it('reports subject and issuer on one line', () => {
    const view = describeCaller(facts('Platform1MSP', pki.platformUser), assetCa);
    expect(view).toMatchObject({
      mspId: 'Platform1MSP',
      subject: 'O=Platform1, CN=app',
      issuer: 'O=Platform1, CN=ca.platform1',
    });
  });
});

describe('describeCaller holders', () => {
  it('recognises a holder by issuer and ignores any role it claims', () => {
    const attrs = { ...HOLDER_ATTRS, 'crowdledger.role': 'admin' };
    const view = describeCaller(facts(REGISTRY_MSP, pki.holder, attrs), assetCa);
    expect(view.role).toBeNull();
    expect(view.holder).toEqual({ assetId: 'A1', holderId: 'U1' });
  });

  it('does not take a same-named impostor CA for the asset CA', () => {
    const view = describeCaller(facts(REGISTRY_MSP, pki.forgedHolder, HOLDER_ATTRS), assetCa);
    expect(view.holder).toBeNull();
  });

  it('knows no holders before an asset CA is configured', () => {
    expect(describeCaller(facts(REGISTRY_MSP, pki.holder, HOLDER_ATTRS), undefined).holder).toBeNull();
  });

  it('gives an asset-CA certificate outside RegistryMSP neither role nor holding', () => {
    const attrs = { ...HOLDER_ATTRS, 'crowdledger.role': 'platform' };
    const view = describeCaller(facts('Platform1MSP', pki.holder, attrs), assetCa);
    expect(view).toMatchObject({ role: null, holder: null });
  });

  it.each(['crowdledger.asset', 'crowdledger.holder'])('refuses a holder certificate without %s', (name) => {
    const attrs: Record<string, string> = { ...HOLDER_ATTRS };
    attrs[name] = '';
    expect(() => describeCaller(facts(REGISTRY_MSP, pki.holder, attrs), assetCa)).toThrow(
      `CERTIFICATE_INVALID: asset certificate lacks a valid ${name} attribute`,
    );
  });
});

describe('requireRegistryAdmin', () => {
  it('lets a registry admin through', () => {
    const view = describeCaller(
      facts(REGISTRY_MSP, pki.registryUser, { 'crowdledger.role': 'admin' }),
      assetCa,
    );
    expect(() => {
      requireRegistryAdmin(view);
    }).not.toThrow();
  });

  it('stops everyone else with FORBIDDEN', () => {
    const view = describeCaller(
      facts(REGISTRY_MSP, pki.registryUser, { 'crowdledger.role': 'auditor' }),
      assetCa,
    );
    expect(() => {
      requireRegistryAdmin(view);
    }).toThrow(
      /^FORBIDDEN: only a RegistryMSP identity with crowdledger.role=admin may do this; caller O=Registry, CN=admin1 of RegistryMSP/,
    );
  });
});
