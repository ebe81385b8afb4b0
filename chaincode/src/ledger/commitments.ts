import type { Context } from 'fabric-contract-api';
import { type Commitment, commitmentCodec } from '../model/commitment';
import { KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './state-keys';
import { anyUnder, scanPartial } from './query';
import { deleteRecord, getRecord, putRecord } from './state';

type Stub = Context['stub'];

export function commitmentKey(stub: Stub, listingId: string, buyerId: string): string {
  return stateKey(stub, KeyPrefix.commitment, listingId, buyerId);
}

export async function getCommitment(
  stub: Stub,
  listingId: string,
  buyerId: string,
): Promise<Commitment | undefined> {
  return getRecord(stub, commitmentKey(stub, listingId, buyerId), commitmentCodec);
}

export async function putCommitment(stub: Stub, commitment: Commitment): Promise<void> {
  await putRecord(
    stub,
    commitmentKey(stub, commitment.listingId, commitment.buyerId),
    commitment,
    commitmentCodec,
  );
}

export async function deleteCommitment(stub: Stub, listingId: string, buyerId: string): Promise<void> {
  await deleteRecord(stub, commitmentKey(stub, listingId, buyerId));
}

/**
 * Every commitment to a campaign, in buyer ID order (the peer streams a
 * range in pages of its own; settlement needs them all to allocate). In a
 * submitted transaction the range goes into the read set, so a commitment
 * added or withdrawn concurrently fails this transaction's validation (a
 * phantom read).
 */
export async function commitmentsOf(stub: Stub, listingId: string): Promise<Commitment[]> {
  return scanPartial(stub, KeyPrefix.commitment, [listingId], commitmentCodec);
}

/** Whether a campaign has any commitment: reads the first key of its range only. */
export async function hasCommitments(stub: Stub, listingId: string): Promise<boolean> {
  return anyUnder(stub, KeyPrefix.commitment, [listingId]);
}
