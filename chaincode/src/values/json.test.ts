import { ChaincodeError } from './errors';
import { fromJsonBytes } from './json';

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
