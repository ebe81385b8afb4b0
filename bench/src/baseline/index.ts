// The bench's baseline chaincode: one read and one write, nothing else, so
// that every workload can be set against what Fabric itself costs on the same
// channel, peers and endorsement policy. Deployed only by `make bench`.
import { type Context, Contract } from 'fabric-contract-api';

/** Put and Get, named `baseline:Put` and `baseline:Get` on the channel. */
export class Baseline extends Contract {
  constructor() {
    super('baseline');
  }

  /** Reads the key (one read, as every real write does), then writes it; returns the old value's length. */
  async Put(ctx: Context, key: string, value: string): Promise<string> {
    const previous = await ctx.stub.getState(key);
    await ctx.stub.putState(key, Buffer.from(value));
    return String(previous.length);
  }

  /** Reads one key. */
  async Get(ctx: Context, key: string): Promise<string> {
    return Buffer.from(await ctx.stub.getState(key)).toString('utf8');
  }
}

/** What fabric-shim's server loads. */
export const contracts = [Baseline];
