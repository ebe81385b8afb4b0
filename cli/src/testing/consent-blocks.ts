import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import {
  consentBytes,
  type ConsentParams,
  type ConsentRequest,
  consentText,
  publicKeyText,
  type SignedAction,
} from '@crowdledger/client';
import { common, peer } from '@hyperledger/fabric-protos';
import type { RawBlock } from '../ledger/block';

/** Endorser transactions carrying signed requests, as a peer's block holds them, for the consent check's tests. */

export interface TestUser {
  readonly userId: string;
  readonly keys: KeyObject[];
}

/** A user with a fresh P-256 key; more keys are pushed for rotations. */
export function testUser(n: number): TestUser {
  return { userId: `U${String(n).repeat(32)}`, keys: [newKey()] };
}

export function newKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** The two arguments of a consent transaction: the request's text and its signature by `key`. */
export function signed<A extends SignedAction>(
  action: A,
  userId: string,
  params: ConsentParams<A>,
  key: KeyObject,
): [string, string] {
  const request = {
    action,
    params,
    userId,
    requestId: randomUUID(),
    expiresAt: '2030-01-01T00:00:00.000Z',
  } as ConsentRequest<A>;
  const signature = sign('sha256', consentBytes(request), { key, dsaEncoding: 'ieee-p1363' });
  return [consentText(request), signature.toString('base64url')];
}

/** A keys:Register of the user's key `index`, signed by it. */
export function registration(user: TestUser, index = 0): string[] {
  const key = user.keys[index] ?? newKey();
  const publicKey = publicKeyText(createPublicKey(key));
  return ['keys:Register', ...signed('keys:Register', user.userId, { publicKey, algorithm: 'ES256' }, key)];
}

/** An envelope of an endorser transaction invoking `chaincode` with these arguments. */
export function envelope(txId: string, args: readonly string[], chaincode = 'crowdledger'): Uint8Array {
  const input = new peer.ChaincodeInput();
  input.setArgsList(args.map((a) => Buffer.from(a, 'utf8')));
  const id = new peer.ChaincodeID();
  id.setName(chaincode);
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(id);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposal = new peer.ChaincodeProposalPayload();
  proposal.setInput(invocation.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposal.serializeBinary());
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const result = new common.Envelope();
  result.setPayload(payload.serializeBinary());
  return result.serializeBinary();
}

/** A block of these envelopes with their validation flags (VALID unless given). */
export function block(number: bigint, data: readonly Uint8Array[], flags?: readonly number[]): RawBlock {
  const filter = Uint8Array.from(flags ?? data.map(() => peer.TxValidationCode.VALID));
  return {
    number,
    previousHash: new Uint8Array(),
    dataHash: new Uint8Array(),
    data,
    metadata: [new Uint8Array(), new Uint8Array(), filter],
  };
}
