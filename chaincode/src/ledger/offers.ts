import type { Context } from 'fabric-contract-api';
import { type Offer, offerCodec } from '../model/offer';
import { KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './keys';
import { getRecord, putRecord } from './state';

type Stub = Context['stub'];

export function offerKey(stub: Stub, offerId: string): string {
  return stateKey(stub, KeyPrefix.offer, offerId);
}

export async function getOffer(stub: Stub, offerId: string): Promise<Offer | undefined> {
  return getRecord(stub, offerKey(stub, offerId), offerCodec);
}

export async function putOffer(stub: Stub, offer: Offer): Promise<void> {
  await putRecord(stub, offerKey(stub, offer.offerId), offer, offerCodec);
}
