import { ChaincodeError } from '../errors';
import { canonicalJson, fromJsonBytes, toJsonBytes } from './json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    const json = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });
    expect(json).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same bytes whatever order the object was built in', () => {
    expect(toJsonBytes({ x: 1, y: 2 })).toEqual(toJsonBytes({ y: 2, x: 1 }));
  });

  it('refuses numbers JSON cannot represent', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(RangeError);
  });
});

describe('fromJsonBytes', () => {
  it('parses stored JSON', () => {
    expect(fromJsonBytes(Buffer.from('{"a":1}'), 'k')).toEqual({ a: 1 });
  });

  it('names the record when stored bytes are not JSON', () => {
    const read = (): unknown => fromJsonBytes(Buffer.from('{nope'), 'config~x');
    expect(read).toThrow(ChaincodeError);
    expect(read).toThrow('CORRUPT_STATE: record config~x is not valid JSON');
  });
});
