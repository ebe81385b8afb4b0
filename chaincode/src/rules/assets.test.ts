import { ALICE, assetInput, BOB } from '../testing/world';
import { MAX_HOLDERS, parseAssetInput } from './assets';

const parse = (overrides: Record<string, unknown>): unknown =>
  parseAssetInput(JSON.stringify(assetInput(overrides)));
const withUnits = (alice: unknown, bob: unknown = 40, total: unknown = 100): unknown =>
  parse({
    totalUnits: total,
    holders: [
      { userId: ALICE, units: alice },
      { userId: BOB, units: bob },
    ],
  });

describe('parseAssetInput', () => {
  it('parses a valid registration', () => {
    const input = parseAssetInput(JSON.stringify(assetInput()));
    expect(input.assetRef).toBe('fund-1');
    expect(input.holders).toEqual([
      { userId: ALICE, units: 60 },
      { userId: BOB, units: 40 },
    ]);
    expect(input.rights.voting).toEqual({ enabled: true, votesPerUnit: 1 });
  });

  it.each([
    ['a fraction', 59.5],
    ['a negative', -60],
    ['zero', 0],
    ['a numeric string', '60'],
    ['a string with junk', '10abc'],
    ['NaN as text', 'NaN'],
    ['null', null],
    ['a number past MAX_SAFE_INTEGER', 2 ** 53],
  ])('refuses %s as units with UNITS_INVALID', (_case, units) => {
    expect(() => withUnits(units)).toThrow(
      'UNITS_INVALID: assetJson.holders[0].units must be a whole number of units from 1 to 9007199254740991',
    );
  });

  it.each(['60.0', '6e1', '9007199254740993', '4503599627370497.5'])(
    'refuses %s written in the JSON text, which JSON.parse alone would accept or round',
    (literal) => {
      const text = JSON.stringify(assetInput()).replace('"units":60', `"units":${literal}`);
      expect(() => parseAssetInput(text)).toThrow(/^UNITS_INVALID: assetJson.holders\[0\].units/);
    },
  );

  it('refuses a total that is not a whole number', () => {
    expect(() => withUnits(60, 40, 1e20)).toThrow(/^UNITS_INVALID: assetJson.totalUnits/);
  });

  it('refuses a duplicate holder', () => {
    expect(() =>
      parse({
        holders: [
          { userId: ALICE, units: 50 },
          { userId: ALICE, units: 50 },
        ],
      }),
    ).toThrow(`INVALID_ARGUMENT: assetJson.holders[1].userId: ${ALICE} is listed more than once`);
  });

  it('refuses more than the maximum number of holders', () => {
    const holders = Array.from({ length: MAX_HOLDERS + 1 }, () => ({ userId: ALICE, units: 1 }));
    expect(() => parse({ holders, totalUnits: MAX_HOLDERS + 1 })).toThrow(
      'INVALID_ARGUMENT: assetJson.holders must be a list of 1 to 1000 entries',
    );
  });

  it('refuses holder units that do not add up', () => {
    expect(() => withUnits(60, 39)).toThrow(
      "UNITS_MISMATCH: holders' units add up to 99, not the asset's 100",
    );
  });

  const attributes = assetInput()['attributes'] as Record<string, unknown>;
  const rights = assetInput()['rights'] as Record<string, unknown>;

  it.each([
    [
      'category',
      { attributes: { ...attributes, category: 'CRYPTO' } },
      'assetJson.attributes.category must be one of',
    ],
    [
      'currency',
      { attributes: { ...attributes, currency: 'cny' } },
      'assetJson.attributes.currency must be an ISO 4217',
    ],
    [
      'description',
      { attributes: { ...attributes, description: 'd'.repeat(4001) } },
      'assetJson.attributes.description must be',
    ],
    [
      'a name with a NUL',
      { attributes: { ...attributes, name: 'bad\u0000name' } },
      'assetJson.attributes.name must be',
    ],
    [
      'document hash',
      { attributes: { ...attributes, documents: [{ name: 'p', sha256: 'A'.repeat(64), uri: 'u' }] } },
      'assetJson.attributes.documents[0].sha256 must be 64 lower-case hex digits',
    ],
    [
      'document uri',
      { attributes: { ...attributes, documents: [{ name: 'p', sha256: 'a'.repeat(64), uri: 'has space' }] } },
      'assetJson.attributes.documents[0].uri must be',
    ],
    [
      'too many documents',
      {
        attributes: {
          ...attributes,
          documents: Array(51).fill({ name: 'p', sha256: 'a'.repeat(64), uri: 'u' }),
        },
      },
      'assetJson.attributes.documents must be a list of 0 to 50 entries',
    ],
    [
      'votes without voting',
      { rights: { ...rights, voting: { enabled: false, votesPerUnit: 1 } } },
      'assetJson.rights.voting.votesPerUnit (voting disabled) must be a whole number from 0 to 0',
    ],
    [
      'voting without votes',
      { rights: { ...rights, voting: { enabled: true, votesPerUnit: 0 } } },
      'assetJson.rights.voting.votesPerUnit must be a whole number from 1 to 1000000',
    ],
    [
      'a dividend without a policy',
      { rights: { ...rights, dividend: { enabled: true, policy: '' } } },
      'assetJson.rights.dividend.policy must be 1 to 2000',
    ],
    [
      'a duplicate term',
      {
        rights: {
          ...rights,
          otherTerms: [
            { name: 'a', value: '1' },
            { name: 'a', value: '2' },
          ],
        },
      },
      'assetJson.rights.otherTerms names a twice',
    ],
    [
      'a flag as text',
      { rights: { ...rights, voting: { enabled: 'yes', votesPerUnit: 1 } } },
      'assetJson.rights.voting.enabled must be true or false',
    ],
    ['an asset reference with a space', { assetRef: 'fund 1' }, 'assetJson.assetRef must be 1 to 64'],
    ['missing rights', { rights: undefined }, 'assetJson.rights is required'],
  ])('refuses %s with INVALID_ARGUMENT', (_case, overrides, message) => {
    expect(() => parse(overrides)).toThrow(`INVALID_ARGUMENT: ${message}`);
  });

  it('accepts a disabled dividend with an empty policy and no documents or terms', () => {
    const input = parseAssetInput(
      JSON.stringify(
        assetInput({
          attributes: { ...attributes, documents: [] },
          rights: {
            voting: { enabled: false, votesPerUnit: 0 },
            dividend: { enabled: false, policy: '' },
            otherTerms: [],
          },
        }),
      ),
    );
    expect(input.rights.dividend).toEqual({ enabled: false, policy: '' });
  });

  it('refuses an oversized argument before parsing it', () => {
    expect(() => parseAssetInput(' '.repeat(1_000_001))).toThrow(
      /^INVALID_ARGUMENT: assetJson must be JSON of at most/,
    );
  });
});
