import { generateKeyPairSync, verify } from 'node:crypto';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import { seekEnvelope, signLowS } from './envelope';

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** r and s of a DER ECDSA signature: SEQUENCE { INTEGER r, INTEGER s } with short lengths. */
function sOf(signature: Buffer): bigint {
  const rLength = signature[3] ?? 0;
  const sStart = 4 + rLength;
  const sLength = signature[sStart + 1] ?? 0;
  return BigInt(`0x${signature.subarray(sStart + 2, sStart + 2 + sLength).toString('hex')}`);
}

describe('signLowS', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  it('gives verifiable DER signatures whose S is in the lower half of the order', () => {
    for (let i = 0; i < 40; i++) {
      const message = Buffer.from(`message ${String(i)}`);
      const signature = signLowS(privateKey, message);
      expect(verify('sha256', message, publicKey, signature)).toBe(true);
      expect(sOf(signature) <= P256_ORDER / 2n).toBe(true);
    }
  });

  it('refuses a key Fabric would not accept', () => {
    const { privateKey: ed } = generateKeyPairSync('ed25519');
    expect(() => signLowS(ed, Buffer.from('x'))).toThrow(/unsupported signing key/);
  });
});

describe('seekEnvelope', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certificate = Buffer.from('-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n');

  function parts(envelope: common.Envelope): {
    channelHeader: common.ChannelHeader;
    channelHeaderBytes: Buffer;
    creator: msp.SerializedIdentity;
    seek: orderer.SeekInfo;
  } {
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader() ?? new common.Header();
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    return {
      channelHeader: common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
      channelHeaderBytes: Buffer.from(header.getChannelHeader_asU8()),
      creator: msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8()),
      seek: orderer.SeekInfo.deserializeBinary(payload.getData_asU8()),
    };
  }

  it('asks for blocks from the start to the newest, signed by the reader', () => {
    const envelope = seekEnvelope({
      channel: 'crowdledger',
      identity: { mspId: 'RegistryMSP', certificate, privateKey },
      start: 0n,
      now: new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(verify('sha256', envelope.getPayload_asU8(), publicKey, envelope.getSignature_asU8())).toBe(true);

    const { channelHeader, channelHeaderBytes, creator, seek } = parts(envelope);
    expect(channelHeader.getType()).toBe(common.HeaderType.DELIVER_SEEK_INFO);
    expect(channelHeader.getChannelId()).toBe('crowdledger');
    expect(channelHeader.hasTimestamp()).toBe(true);
    // Timestamp { seconds: 1767323045, nanos: 678000000 } as field 3 (varints worked out separately).
    expect(channelHeaderBytes.toString('hex')).toContain('1a0c08a5ebdcca061080eba5c302');
    expect(creator.getMspid()).toBe('RegistryMSP');
    expect(Buffer.from(creator.getIdBytes_asU8())).toEqual(certificate);
    expect(seek.getStart()?.getSpecified()?.getNumber()).toBe(0);
    expect(seek.getStop()?.hasNewest()).toBe(true);
  });
});
