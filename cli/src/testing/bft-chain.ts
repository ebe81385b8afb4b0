import { randomBytes, sign } from 'node:crypto';
import { common, orderer } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderBytes, blockHeaderHash, type RawBlock } from '../ledger/block';
import { configEnvelope, type TestIdentity, type TestPki, transactionEnvelope } from './ledger-chain';

/**
 * Synthetic chains of a BFT channel (Fabric v3 SmartBFT) for the verifier's
 * unit tests: the genesis config carries ConsensusType BFT and a consenter
 * mapping; every later block is signed by consenters named by number only.
 */

export interface TestConsenter {
  readonly id: number;
  readonly identity: TestIdentity;
}

/** The pki's four consenter identities, numbered 1…4 as configtxgen's ConsenterMapping does. */
export function bftConsenters(pki: TestPki): TestConsenter[] {
  return pki.consenters.map((identity, i) => ({ id: i + 1, identity }));
}

function consenterProto(consenter: TestConsenter): common.Consenter {
  const proto = new common.Consenter();
  proto.setId(consenter.id);
  proto.setHost('127.0.0.1');
  proto.setPort(7010 + 5 * consenter.id);
  proto.setMspId(consenter.identity.mspId);
  proto.setIdentity(Buffer.from(consenter.identity.certificatePem));
  return proto;
}

/** A CONFIG envelope of a BFT channel with these consenters. */
export function bftConfigEnvelope(pki: TestPki, consenters: readonly TestConsenter[]): Uint8Array {
  const type = new orderer.ConsensusType();
  type.setType('BFT');
  const mapping = new common.Orderers();
  mapping.setConsenterMappingList(consenters.map(consenterProto));
  return configEnvelope(pki, 'RegistryMSP', {
    ConsensusType: type.serializeBinary(),
    Orderers: mapping.serializeBinary(),
  });
}

/** One BFT signature: an identifier header naming `id`, signed with `key`'s private key. */
export interface BftSigner {
  readonly id: number;
  readonly key: TestIdentity;
}

/** Signs as SmartBFT orderers do: over metadata.value || identifier_header || DER(header). */
export function bftSignatures(
  header: Pick<RawBlock, 'number' | 'previousHash' | 'dataHash'>,
  signers: readonly BftSigner[],
): Uint8Array {
  const value = new common.OrdererBlockMetadata().serializeBinary();
  const metadata = new common.Metadata();
  metadata.setValue(value);
  metadata.setSignaturesList(
    signers.map((signer) => {
      const identifier = new common.IdentifierHeader();
      identifier.setIdentifier(signer.id);
      identifier.setNonce(randomBytes(24));
      const identifierBytes = identifier.serializeBinary();
      const signature = new common.MetadataSignature();
      signature.setIdentifierHeader(identifierBytes);
      signature.setSignature(
        sign(
          'sha256',
          Buffer.concat([value, identifierBytes, blockHeaderBytes(header)]),
          signer.key.privateKey,
        ),
      );
      return signature;
    }),
  );
  return metadata.serializeBinary();
}

/** Consenters signing as themselves. */
export function honest(consenters: readonly TestConsenter[]): BftSigner[] {
  return consenters.map((c) => ({ id: c.id, key: c.identity }));
}

/** The block after `previous` (or the genesis block), signed by `signers` (none on the genesis block). */
export function makeBftBlock(
  previous: RawBlock | undefined,
  data: readonly Uint8Array[],
  signers: readonly BftSigner[],
): RawBlock {
  const header = {
    number: previous === undefined ? 0n : previous.number + 1n,
    previousHash: previous === undefined ? new Uint8Array() : blockHeaderHash(previous),
    dataHash: blockDataHash(data),
  };
  const signed = previous === undefined ? new Uint8Array() : bftSignatures(header, signers);
  const flags = new Uint8Array(data.length);
  return { ...header, data, metadata: [signed, new Uint8Array(), flags, new Uint8Array(), new Uint8Array()] };
}

/** Genesis config of four consenters and `count` blocks, each signed by consenters 1–3 (a quorum). */
export function makeBftChain(pki: TestPki, count: number): RawBlock[] {
  const consenters = bftConsenters(pki);
  const chain = [makeBftBlock(undefined, [bftConfigEnvelope(pki, consenters)], [])];
  for (let i = 1; i <= count; i++) {
    chain.push(
      makeBftBlock(chain.at(-1), [transactionEnvelope(`bft-${String(i)}`)], honest(consenters.slice(0, 3))),
    );
  }
  return chain;
}
