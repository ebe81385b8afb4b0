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

// Holders are no channel identities: the asset CA is in no MSP. Should an
// asset-CA certificate still sign a proposal, it is nobody.
describe('describeCaller with an asset-CA certificate', () => {
  it('gives it no role, whatever role it claims', () => {
    const attrs = { ...HOLDER_ATTRS, 'crowdledger.role': 'admin' };
    expect(describeCaller(facts(REGISTRY_MSP, pki.holder, attrs), assetCa).role).toBeNull();
    const platform = { ...HOLDER_ATTRS, 'crowdledger.role': 'platform' };
    expect(describeCaller(facts('Platform1MSP', pki.holder, platform), assetCa).role).toBeNull();
  });

  it('does not take a same-named impostor CA for the asset CA', () => {
    const attrs = { 'crowdledger.role': 'admin' };
    expect(describeCaller(facts(REGISTRY_MSP, pki.forgedHolder, attrs), assetCa).role).toBe('admin');
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
