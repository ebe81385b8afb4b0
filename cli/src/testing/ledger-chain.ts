import 'reflect-metadata';
import { KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';
import * as x509 from '@peculiar/x509';
import { blockDataHash, blockHeaderBytes, blockHeaderHash, type RawBlock } from '../ledger/block';
import { encodeVarint } from '../ledger/varint';

/**
 * Synthetic chains for the verifier's unit tests: a genesis config block that
 * names an orderer org, then blocks signed the way Fabric's orderers sign.
 */

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface TestIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

export interface TestPki {
  readonly caPem: string;
  readonly orderer: TestIdentity;
  /** Same CA, but a client: not allowed to sign blocks. */
  readonly client: TestIdentity;
  /** An orderer certificate from a CA the channel does not know. */
  readonly rogue: TestIdentity;
  /** Four more orderers of the same CA: a BFT channel's consenters (testing/bft-chain.ts). */
  readonly consenters: readonly TestIdentity[];
}

async function selfSignedCa(
  name: string,
): Promise<{ cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair }> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { cert, keys };
}

async function issue(
  ca: { cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair },
  subject: string,
  mspId: string,
): Promise<TestIdentity> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
  });
  return { mspId, certificatePem: cert.toString('pem'), privateKey: KeyObject.from(keys.privateKey) };
}

export async function makePki(mspId = 'RegistryMSP'): Promise<TestPki> {
  const ca = await selfSignedCa('C=CN, O=registry, CN=ca.registry');
  const rogueCa = await selfSignedCa('C=CN, O=registry, CN=ca.registry');
  return {
    caPem: ca.cert.toString('pem'),
    orderer: await issue(ca, 'C=CN, O=registry, OU=orderer+OU=registry, CN=orderer0.registry', mspId),
    client: await issue(ca, 'C=CN, O=registry, OU=client, CN=app.registry', mspId),
    rogue: await issue(rogueCa, 'C=CN, O=registry, OU=orderer, CN=orderer9.registry', mspId),
    consenters: await Promise.all(
      [0, 1, 2, 3].map((n) => issue(ca, `C=CN, O=registry, OU=orderer, CN=bft${String(n)}.registry`, mspId)),
    ),
  };
}

/** A length-delimited protobuf field, for the map entries jspb's typings leave untyped. */
function field(fieldNumber: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([encodeVarint((fieldNumber << 3) | 2), encodeVarint(bytes.length), bytes]);
}

function mapEntry(fieldNumber: number, key: string, value: Uint8Array): Buffer {
  return field(fieldNumber, Buffer.concat([field(1, Buffer.from(key)), field(2, value)]));
}

// ConfigGroup: groups = 2, values = 3; ConfigValue: value = 2.
function configGroup(groups: Record<string, Uint8Array>, values: Record<string, Uint8Array> = {}): Buffer {
  return Buffer.concat([
    ...Object.entries(groups).map(([key, group]) => mapEntry(2, key, group)),
    ...Object.entries(values).map(([key, value]) => mapEntry(3, key, field(2, value))),
  ]);
}

function mspValue(pki: TestPki, mspId: string): Uint8Array {
  const ordererOu = new msp.FabricOUIdentifier();
  ordererOu.setOrganizationalUnitIdentifier('orderer');
  ordererOu.setCertificate(Buffer.from(pki.caPem));
  const nodeOus = new msp.FabricNodeOUs();
  nodeOus.setEnable(true);
  nodeOus.setOrdererOuIdentifier(ordererOu);
  const fabric = new msp.FabricMSPConfig();
  fabric.setName(mspId);
  fabric.setRootCertsList([Buffer.from(pki.caPem)]);
  fabric.setFabricNodeOus(nodeOus);
  const config = new msp.MSPConfig();
  config.setType(0);
  config.setConfig(fabric.serializeBinary());
  return config.serializeBinary();
}

function envelope(type: number, data: Uint8Array): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(type);
  channelHeader.setChannelId('crowdledger');
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data);
  const result = new common.Envelope();
  result.setPayload(payload.serializeBinary());
  return result.serializeBinary();
}

/** A CONFIG envelope whose channel group has Orderer → <mspId> → MSP, and the Orderer group's values given. */
export function configEnvelope(
  pki: TestPki,
  mspId = 'RegistryMSP',
  ordererValues: Record<string, Uint8Array> = {},
): Uint8Array {
  const orderer = configGroup({ [mspId]: configGroup({}, { MSP: mspValue(pki, mspId) }) }, ordererValues);
  const channelGroup = common.ConfigGroup.deserializeBinary(configGroup({ Orderer: orderer }));
  const config = new common.Config();
  config.setChannelGroup(channelGroup);
  const configEnv = new common.ConfigEnvelope();
  configEnv.setConfig(config);
  return envelope(common.HeaderType.CONFIG, configEnv.serializeBinary());
}

/** An endorser transaction envelope carrying a recognisable marker. */
export function transactionEnvelope(marker: string): Uint8Array {
  return envelope(common.HeaderType.ENDORSER_TRANSACTION, Buffer.from(`tx payload ${marker}`));
}

export interface BlockOptions {
  /** Validation flags; a peer's are all VALID by default, `null` for none (as orderers keep). */
  readonly flags?: readonly number[] | null;
  readonly signer?: TestIdentity;
}

/** Signs a header as Fabric's orderers do: over metadata.value || signature_header || DER(header). */
export function signatures(
  header: Pick<RawBlock, 'number' | 'previousHash' | 'dataHash'>,
  signer: TestIdentity,
): Uint8Array {
  const lastConfig = new common.LastConfig();
  const ordererMetadata = new common.OrdererBlockMetadata();
  ordererMetadata.setLastConfig(lastConfig);
  const value = ordererMetadata.serializeBinary();
  const creator = new msp.SerializedIdentity();
  creator.setMspid(signer.mspId);
  creator.setIdBytes(Buffer.from(signer.certificatePem));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  signatureHeader.setNonce(randomBytes(24));
  const headerBytes = signatureHeader.serializeBinary();
  const signature = new common.MetadataSignature();
  signature.setSignatureHeader(headerBytes);
  signature.setSignature(
    sign('sha256', Buffer.concat([value, headerBytes, blockHeaderBytes(header)]), signer.privateKey),
  );
  const metadata = new common.Metadata();
  metadata.setValue(value);
  metadata.setSignaturesList([signature]);
  return metadata.serializeBinary();
}

function metadataFor(
  header: Pick<RawBlock, 'number' | 'previousHash' | 'dataHash'>,
  dataCount: number,
  options: BlockOptions,
  pki: TestPki,
): Uint8Array[] {
  const signed = header.number === 0n ? new Uint8Array() : signatures(header, options.signer ?? pki.orderer);
  const flags =
    options.flags === null
      ? new Uint8Array()
      : Uint8Array.from(options.flags ?? new Array<number>(dataCount).fill(0));
  return [signed, new Uint8Array(), flags, new Uint8Array(), new Uint8Array()];
}

/** The block after `previous` (or the genesis block), with correct hashes and a signature. */
export function makeBlock(
  pki: TestPki,
  previous: RawBlock | undefined,
  data: readonly Uint8Array[],
  options: BlockOptions = {},
): RawBlock {
  const header = {
    number: previous === undefined ? 0n : previous.number + 1n,
    previousHash: previous === undefined ? new Uint8Array() : blockHeaderHash(previous),
    dataHash: blockDataHash(data),
  };
  return { ...header, data, metadata: metadataFor(header, data.length, options, pki) };
}

/** Genesis config block and `count` transaction blocks after it. */
export function makeChain(pki: TestPki, count: number, options: BlockOptions = {}): RawBlock[] {
  const chain = [makeBlock(pki, undefined, [configEnvelope(pki)], options)];
  for (let i = 1; i <= count; i++) {
    chain.push(makeBlock(pki, chain.at(-1), [transactionEnvelope(`marker-${String(i)}`)], options));
  }
  return chain;
}

/** A copy of the block with one byte of one data entry flipped, header untouched. */
export function flipDataByte(block: RawBlock, entry = 0, offset = -1): RawBlock {
  const data = block.data.map((d) => Uint8Array.from(d));
  const target = data[entry];
  if (target === undefined) {
    throw new Error(`block has no data entry ${String(entry)}`);
  }
  const at = offset < 0 ? target.length + offset : offset;
  target[at] = (target[at] ?? 0) ^ 0xff;
  return { ...block, data };
}

/** The item at `index`, which the test knows is there. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new Error(`no item ${String(index)} among ${String(items.length)}`);
  }
  return item;
}
