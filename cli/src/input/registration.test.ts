import { parseAssetInput, parseUserRegistration } from './registration';

const user = {
  platformRef: 'zhang-wei',
  name: '张伟',
  idType: 'RESIDENT_ID',
  idNumber: '11010519491231002X',
};

describe('parseUserRegistration', () => {
  it('reads the four fields', () => {
    expect(parseUserRegistration(user, 'zhang.json')).toEqual(user);
  });

  it.each([
    [[], 'zhang.json must be a JSON object'],
    ['text', 'zhang.json must be a JSON object'],
    [null, 'zhang.json must be a JSON object'],
    [
      { ...user, idNo: '1' },
      'zhang.json has unknown field "idNo" (expected platformRef, name, idType, idNumber)',
    ],
    [{ ...user, name: '' }, 'zhang.json: name must be a non-empty string'],
    [{ ...user, name: 42 }, 'zhang.json: name must be a non-empty string'],
    [
      { ...user, idType: 'ID_CARD' },
      'zhang.json: idType must be one of RESIDENT_ID, PASSPORT, HK_MACAO_PERMIT, TAIWAN_PERMIT, FOREIGN_PERMANENT_RESIDENT, BUSINESS_LICENSE',
    ],
    [{ ...user, platformRef: 'has space' }, 'zhang.json: platformRef must be 1 to 64 of A-Z a-z 0-9 _ . : -'],
    [
      { ...user, platformRef: 'x'.repeat(65) },
      'zhang.json: platformRef must be 1 to 64 of A-Z a-z 0-9 _ . : -',
    ],
    [{ platformRef: 'a', name: 'b', idType: 'PASSPORT' }, 'zhang.json: idNumber must be a non-empty string'],
  ])('refuses %j: %s', (value, sentence) => {
    expect(() => parseUserRegistration(value, 'zhang.json')).toThrow(sentence);
  });
});

const U1 = `U${'1'.repeat(32)}`;
const U2 = `U${'2'.repeat(32)}`;

function asset(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    assetRef: 'urban-renewal',
    attributes: {
      name: '城市更新基金一期',
      category: 'EQUITY',
      description: 'Urban renewal',
      currency: 'CNY',
      documents: [{ name: 'prospectus.pdf', sha256: 'c'.repeat(64), uri: 'https://p.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [{ name: 'lock-up', value: '12 months' }],
    },
    totalUnits: 1000,
    holders: [
      { userId: U1, units: 600 },
      { userId: U2, units: 400 },
    ],
    ...overrides,
  };
}

describe('parseAssetInput', () => {
  it('reads a whole asset', () => {
    expect(parseAssetInput(asset(), 'asset.json')).toEqual(asset());
  });

  it('takes absent documents and other terms as none', () => {
    const value = asset();
    const attributes = { ...(value['attributes'] as object), documents: undefined };
    const rights = { ...(value['rights'] as object), otherTerms: undefined };
    const parsed = parseAssetInput({ ...value, attributes, rights }, 'asset.json');
    expect(parsed.attributes.documents).toEqual([]);
    expect(parsed.rights.otherTerms).toEqual([]);
  });

  it.each([
    [{ totalUnits: 1000.5 }, 'asset.json: totalUnits must be a whole number from 1 to 9007199254740991'],
    [{ totalUnits: '1000' }, 'asset.json: totalUnits must be a whole number from 1 to 9007199254740991'],
    [{ totalUnits: 0 }, 'asset.json: totalUnits must be a whole number from 1 to 9007199254740991'],
    [{ totalUnits: 2 ** 53 }, 'asset.json: totalUnits must be a whole number from 1 to 9007199254740991'],
    [{ holders: [] }, 'asset.json: holders must name at least one holder'],
    [{ holders: {} }, 'asset.json: holders must be an array'],
    [
      {
        holders: [
          { userId: U1, units: 600 },
          { userId: U2, units: -400 },
        ],
      },
      'asset.json: holders[1].units must be a whole number from 1',
    ],
    [
      {
        holders: [
          { userId: U1, units: 600 },
          { userId: U2, units: 399 },
        ],
      },
      'asset.json gives holders 999 units in all, but totalUnits is 1000',
    ],
    [
      {
        holders: [
          { userId: U1, units: 600 },
          { userId: U1, units: 400 },
        ],
      },
      `asset.json: holders[1] names ${U1} a second time`,
    ],
    [
      { holders: [{ user: U1, units: 1000 }] },
      'asset.json: holders[0] has unknown field "user" (expected userId, units)',
    ],
    [{ assetRef: '' }, 'asset.json: assetRef must be a non-empty string'],
    [{ attributes: null }, 'asset.json: attributes must be a JSON object'],
    [
      { rights: { voting: { enabled: 'yes', votesPerUnit: 1 } } },
      'asset.json: rights.voting.enabled must be true or false',
    ],
    [{ extra: 1 }, 'asset.json has unknown field "extra"'],
  ])('refuses %j: %s', (overrides, sentence) => {
    expect(() => parseAssetInput(asset(overrides), 'asset.json')).toThrow(sentence);
  });

  it('names the path of a bad document and category', () => {
    const value = asset();
    const attributes = value['attributes'] as Record<string, unknown>;
    expect(() =>
      parseAssetInput({ ...value, attributes: { ...attributes, documents: [{ name: 'p' }] } }, 'a.json'),
    ).toThrow('a.json: attributes.documents[0].sha256 must be a non-empty string');
    expect(() =>
      parseAssetInput({ ...value, attributes: { ...attributes, category: 'equity' } }, 'a.json'),
    ).toThrow('a.json: attributes.category must be one of EQUITY, DEBT, FUND, REVENUE_SHARE, OTHER');
  });

  it('adds units past MAX_SAFE_INTEGER exactly', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const holders = [
      { userId: U1, units: big },
      { userId: U2, units: 1 },
    ];
    expect(() => parseAssetInput(asset({ totalUnits: big, holders }), 'a.json')).toThrow(
      `a.json gives holders 9007199254740992 units in all, but totalUnits is ${String(big)}`,
    );
  });
});
