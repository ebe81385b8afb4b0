import { type KeyObject, randomBytes, sign } from 'node:crypto';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import { derSequence, derUnsignedInteger } from './der';
import { encodeVarint } from './varint';

/** Who asks a peer or orderer for blocks: an enrolled identity of a channel member. */
export interface SigningIdentity {
  readonly mspId: string;
  /** PEM certificate bytes, as the MSP expects them in a SerializedIdentity. */
  readonly certificate: Uint8Array;
  readonly privateKey: KeyObject;
}

/** Orders of the curves Fabric identities use, for low-S normalisation. */
const CURVE_ORDERS: Readonly<Record<string, bigint>> = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  secp384r1:
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

/**
 * ECDSA over SHA-256 with S in the lower half of the curve order, DER
 * encoded: Fabric's MSPs refuse a high-S signature ("Invalid S").
 */
export function signLowS(privateKey: KeyObject, message: Uint8Array): Buffer {
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  const order = curve === undefined ? undefined : CURVE_ORDERS[curve];
  if (order === undefined) {
    throw new Error(
      `unsupported signing key (curve ${curve ?? 'none'}); Fabric identities use ECDSA P-256 or P-384`,
    );
  }
  const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const half = raw.length / 2;
  const r = BigInt(`0x${raw.subarray(0, half).toString('hex')}`);
  let s = BigInt(`0x${raw.subarray(half).toString('hex')}`);
  if (s > order / 2n) {
    s = order - s;
  }
  return derSequence(derUnsignedInteger(r), derUnsignedInteger(s));
}

/** google.protobuf.Timestamp as field 3 of a ChannelHeader, encoded by hand (no google-protobuf types here). */
function timestampField(now: Date): Buffer {
  const millis = now.getTime();
  const seconds = Math.floor(millis / 1000);
  const nanos = (millis % 1000) * 1_000_000;
  const timestamp = Buffer.concat([
    Buffer.from([0x08]),
    encodeVarint(seconds),
    Buffer.from([0x10]),
    encodeVarint(nanos),
  ]);
  return Buffer.concat([Buffer.from([(3 << 3) | 2]), encodeVarint(timestamp.length), timestamp]);
}

function position(block: bigint | 'newest'): orderer.SeekPosition {
  const result = new orderer.SeekPosition();
  if (block === 'newest') {
    result.setNewest(new orderer.SeekNewest());
  } else {
    const specified = new orderer.SeekSpecified();
    specified.setNumber(Number(block));
    result.setSpecified(specified);
  }
  return result;
}

export interface SeekOptions {
  readonly channel: string;
  readonly identity: SigningIdentity;
  /** First block to send. */
  readonly start: bigint;
  /** SHA-256 of the client TLS certificate, when the connection uses mutual TLS. */
  readonly tlsCertHash?: Uint8Array;
  readonly now?: Date;
}

/**
 * A signed DELIVER_SEEK_INFO envelope asking for blocks from `start` to the
 * newest at the time of asking: the request both peers (Deliver) and
 * orderers (AtomicBroadcast.Deliver) authorise against the channel's Readers.
 */
export function seekEnvelope(options: SeekOptions): common.Envelope {
  const seek = new orderer.SeekInfo();
  seek.setStart(position(options.start));
  seek.setStop(position('newest'));
  seek.setBehavior(orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.DELIVER_SEEK_INFO);
  channelHeader.setChannelId(options.channel);
  if (options.tlsCertHash !== undefined) {
    channelHeader.setTlsCertHash(options.tlsCertHash);
  }
  const creator = new msp.SerializedIdentity();
  creator.setMspid(options.identity.mspId);
  creator.setIdBytes(options.identity.certificate);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  signatureHeader.setNonce(randomBytes(24));

  const header = new common.Header();
  header.setChannelHeader(
    Buffer.concat([channelHeader.serializeBinary(), timestampField(options.now ?? new Date())]),
  );
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(seek.serializeBinary());

  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(signLowS(options.identity.privateKey, payloadBytes));
  return envelope;
}
