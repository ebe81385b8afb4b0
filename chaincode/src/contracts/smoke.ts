import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { CrowdLedgerContract } from './base';
import { KeyPrefix, stateKey } from '../ledger/keys';
import {
  getPrivateRecord,
  getRecord,
  getTransientText,
  putPrivateRecord,
  putRecord,
  textCodec,
} from '../ledger/state';
import { requireCollectionName, requireSmokeKey, requireSmokeValue } from '../rules/guards';

export const TRANSIENT_VALUE = 'value';

/**
 * Round trips through public and private state, so a new network can be
 * proven end to end before any business contract is involved.
 */
@Info({ title: 'smoke', description: 'Public and private state round trips for network checks' })
export class SmokeContract extends CrowdLedgerContract {
  constructor() {
    super('smoke' as never); // leaves with the smoke contract
  }

  @Transaction()
  async Put(ctx: Context, key: string, value: string): Promise<void> {
    const id = stateKey(ctx.stub, KeyPrefix.smoke, requireSmokeKey(key));
    await putRecord(ctx.stub, id, requireSmokeValue(value), textCodec);
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, key: string): Promise<string> {
    const checked = requireSmokeKey(key);
    const value = await getRecord(ctx.stub, stateKey(ctx.stub, KeyPrefix.smoke, checked), textCodec);
    if (value === undefined) {
      throw new ChaincodeError('NOT_FOUND', `no smoke value under key ${checked}`);
    }
    return value;
  }

  /** The value comes from the transient map so it never reaches a block. */
  @Transaction()
  async PutPrivate(ctx: Context, collection: string, key: string): Promise<void> {
    const name = requireCollectionName(collection);
    const id = stateKey(ctx.stub, KeyPrefix.smoke, requireSmokeKey(key));
    const value = getTransientText(ctx.stub, TRANSIENT_VALUE);
    if (value === undefined) {
      throw new ChaincodeError('TRANSIENT_MISSING', `transient field ${TRANSIENT_VALUE} is required`);
    }
    await putPrivateRecord(ctx.stub, name, id, requireSmokeValue(value), textCodec);
  }

  @Transaction(false)
  @Returns('string')
  async GetPrivate(ctx: Context, collection: string, key: string): Promise<string> {
    const name = requireCollectionName(collection);
    const checked = requireSmokeKey(key);
    const value = await getPrivateRecord(
      ctx.stub,
      name,
      stateKey(ctx.stub, KeyPrefix.smoke, checked),
      textCodec,
    );
    if (value === undefined) {
      throw new ChaincodeError('NOT_FOUND', `no smoke value under key ${checked} in ${name}`);
    }
    return value;
  }
}
