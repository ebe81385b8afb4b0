import { canonicalBytes, canonicalJson } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    const json = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });
    expect(json).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same bytes whatever order the object was built in', () => {
    expect(canonicalBytes({ x: 1, y: 2 })).toEqual(canonicalBytes({ y: 2, x: 1 }));
  });

  it('writes UTF-8, so a Chinese name hashes the same on every side', () => {
    expect(Buffer.from(canonicalBytes({ name: '欧阳娜娜' })).toString('hex')).toBe(
      Buffer.from('{"name":"欧阳娜娜"}', 'utf8').toString('hex'),
    );
  });

  it('refuses numbers JSON cannot represent', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(RangeError);
  });
});
