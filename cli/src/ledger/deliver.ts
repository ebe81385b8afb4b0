import * as grpc from '@grpc/grpc-js';
import { common, orderer, peer } from '@hyperledger/fabric-protos';
import { fromProtoBlock, type RawBlock } from './block';
import type { NodeKind } from './check';
import { type SigningIdentity, seekEnvelope } from './envelope';

/** A peer or orderer to ask for blocks over gRPC with TLS. */
export interface DeliverTarget {
  readonly name: string;
  readonly kind: NodeKind;
  /** host:port */
  readonly endpoint: string;
  readonly tlsRootCert: Buffer;
  /** Name the node's TLS certificate carries, when the endpoint's host is an IP. */
  readonly tlsHostname: string | undefined;
  readonly channel: string;
  readonly identity: SigningIdentity;
}

const CONNECT_TIMEOUT_MS = 5_000;
// Blocks may reach the channel's AbsoluteMaxBytes (10 MB here) plus envelope overhead.
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

type DeliverResponse = orderer.DeliverResponse | peer.DeliverResponse;

/** The node answered with a status other than SUCCESS, or the stream broke. */
export class DeliverError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliverError';
  }
}

const STATUS_NAMES = new Map<number, string>(
  Object.entries(common.Status).map(([name, code]) => [code, name]),
);

function newClient(target: DeliverTarget): peer.DeliverClient | orderer.AtomicBroadcastClient {
  const options: grpc.ChannelOptions = {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    ...(target.tlsHostname === undefined ? {} : { 'grpc.ssl_target_name_override': target.tlsHostname }),
  };
  const credentials = grpc.credentials.createSsl(target.tlsRootCert);
  return target.kind === 'peer'
    ? new peer.DeliverClient(target.endpoint, credentials, options)
    : new orderer.AtomicBroadcastClient(target.endpoint, credentials, options);
}

async function waitForReady(client: grpc.Client, target: DeliverTarget): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    client.waitForReady(Date.now() + CONNECT_TIMEOUT_MS, (error) => {
      if (error === undefined) {
        resolve();
      } else {
        reject(new DeliverError(`${target.name} (${target.endpoint}) is unreachable: ${error.message}`));
      }
    });
  });
}

/**
 * Streams every block from `start` to the newest one at the time of asking,
 * through the peer's Deliver service or the orderer's AtomicBroadcast.Deliver.
 */
export async function* deliverBlocks(target: DeliverTarget, start = 0n): AsyncGenerator<RawBlock> {
  const client = newClient(target);
  try {
    await waitForReady(client, target);
    const call: grpc.ClientDuplexStream<common.Envelope, DeliverResponse> = client.deliver();
    call.write(seekEnvelope({ channel: target.channel, identity: target.identity, start }));
    try {
      yield* readResponses(call, target);
    } finally {
      call.cancel();
    }
  } finally {
    client.close();
  }
}

async function* readResponses(
  call: AsyncIterable<DeliverResponse>,
  target: DeliverTarget,
): AsyncGenerator<RawBlock> {
  try {
    for await (const response of call) {
      const block = response.getBlock();
      if (block !== undefined) {
        yield fromProtoBlock(block);
        continue;
      }
      const status = response.getStatus();
      if (status === common.Status.SUCCESS) {
        return;
      }
      throw new DeliverError(
        `${target.name} refused to deliver blocks: ${STATUS_NAMES.get(status) ?? String(status)}`,
      );
    }
  } catch (error) {
    if (error instanceof DeliverError) {
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeliverError(`${target.name}: block stream failed: ${reason}`, { cause: error });
  }
  throw new DeliverError(`${target.name} ended the block stream without a status`);
}
