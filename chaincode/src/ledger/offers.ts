import type { Context } from 'fabric-contract-api';
import { type Offer, offerCodec } from '../model/offer';
import { KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './state-keys';
import { getRecord, putRecord } from './state';
import { ChaincodeError } from '../values/errors';

type Stub = Context['stub'];

export function offerKey(stub: Stub, offerId: string): string {
  return stateKey(stub, KeyPrefix.offer, offerId);
}

export async function getOffer(stub: Stub, offerId: string): Promise<Offer | undefined> {
  return getRecord(stub, offerKey(stub, offerId), offerCodec);
}

export async function requireOffer(ctx: Context, offerId: string): Promise<Offer> {
  const offer = await getOffer(ctx.stub, offerId);
  if (offer === undefined) {
    throw new ChaincodeError('OFFER_NOT_FOUND', `no offer ${offerId} exists`);
  }
  return offer;
}

export async function putOffer(stub: Stub, offer: Offer): Promise<void> {
  await putRecord(stub, offerKey(stub, offer.offerId), offer, offerCodec);
}
