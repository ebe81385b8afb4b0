import { createRequire } from 'node:module';
import { compositeKey } from '@crowdledger/protocol';
import { FakeStub } from '../testing/fake-context';

// createCompositeKey and splitCompositeKey use no state of the stub: the real
// ones, called on its prototype, prove the layout the protocol writes down.
const shim = createRequire(__filename)('fabric-shim/lib/stub') as {
  prototype: {
    createCompositeKey(type: string, attributes: string[]): string;
    splitCompositeKey(key: string): { objectType: string; attributes: string[] };
  };
};

const FUND = `A${'b'.repeat(32)}`;
const ALICE = `U${'a'.repeat(32)}`;

describe('composite keys', () => {
  it("are fabric-shim's createCompositeKey", () => {
    expect(compositeKey('holding', [FUND, ALICE])).toBe(
      shim.prototype.createCompositeKey('holding', [FUND, ALICE]),
    );
  });

  it('split back into object type and attributes, in fabric-shim and in the fake stub alike', () => {
    const key = compositeKey('holdingByUser', [ALICE, FUND]);
    const expected = { objectType: 'holdingByUser', attributes: [ALICE, FUND] };
    expect(shim.prototype.splitCompositeKey(key)).toEqual(expected);
    expect(new FakeStub().splitCompositeKey(key)).toEqual(expected);
  });
});
