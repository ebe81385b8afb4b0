import { fakeContext, type FakeContext } from '../testing/fake-context';
import { SmokeContract } from './smoke';

const contract = new SmokeContract();
const PEM = 'not parsed by the smoke contract';

function platform(): FakeContext {
  return fakeContext({ mspId: 'Platform1MSP', certificatePem: PEM });
}

describe('SmokeContract public state', () => {
  it('reads back what it wrote', async () => {
    const { ctx } = platform();
    await contract.Put(ctx, 'k1', 'hello');
    await expect(contract.Get(ctx, 'k1')).resolves.toBe('hello');
  });

  it('stores under a composite key of the smoke prefix', async () => {
    const { ctx, stub } = platform();
    await contract.Put(ctx, 'k1', 'hello');
    expect([...stub.state.keys()]).toEqual(['\u0000smoke\u0000k1\u0000']);
  });

  it('answers NOT_FOUND for a missing key', async () => {
    await expect(contract.Get(platform().ctx, 'nope')).rejects.toThrow(
      'NOT_FOUND: no smoke value under key nope',
    );
  });

  it('writes nothing when an argument is invalid', async () => {
    const { ctx, stub } = platform();
    await expect(contract.Put(ctx, 'bad key', 'v')).rejects.toThrow(/^INVALID_ARGUMENT: key/);
    await expect(contract.Put(ctx, 'k', 'v'.repeat(4097))).rejects.toThrow(/^INVALID_ARGUMENT: value/);
    expect(stub.state.size).toBe(0);
  });
});

describe('SmokeContract private data', () => {
  it('writes the transient value into the collection and reads it back', async () => {
    const { ctx, stub } = platform();
    stub.transient.set('value', Buffer.from('secret'));
    await contract.PutPrivate(ctx, 'Platform1MSPPrivate', 'k1');
    expect(stub.state.size).toBe(0);
    await expect(contract.GetPrivate(ctx, 'Platform1MSPPrivate', 'k1')).resolves.toBe('secret');
  });

  it('fails TRANSIENT_MISSING without a transient value', async () => {
    const { ctx, stub } = platform();
    await expect(contract.PutPrivate(ctx, 'Platform1MSPPrivate', 'k1')).rejects.toThrow(
      'TRANSIENT_MISSING: transient field value is required',
    );
    expect(stub.privateData.size).toBe(0);
  });

  it('refuses a collection that is not an organisation collection', async () => {
    const { ctx, stub } = platform();
    stub.transient.set('value', Buffer.from('secret'));
    await expect(contract.PutPrivate(ctx, 'everyone', 'k1')).rejects.toThrow(/^INVALID_ARGUMENT: collection/);
    await expect(contract.GetPrivate(ctx, 'everyone', 'k1')).rejects.toThrow(/^INVALID_ARGUMENT: collection/);
  });

  it('answers NOT_FOUND for a missing private key', async () => {
    await expect(contract.GetPrivate(platform().ctx, 'Platform1MSPPrivate', 'k9')).rejects.toThrow(
      'NOT_FOUND: no smoke value under key k9 in Platform1MSPPrivate',
    );
  });
});

describe('SmokeContract unknown transactions', () => {
  it('answers with a coded error', async () => {
    const { ctx, stub } = platform();
    stub.fcn = 'smoke:Delete';
    await expect(contract.unknownTransaction(ctx)).rejects.toThrow(
      'UNKNOWN_TRANSACTION: contract smoke has no transaction named smoke:Delete',
    );
  });
});
