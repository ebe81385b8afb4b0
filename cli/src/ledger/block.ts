import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { derOctetString, derSequence, derUnsignedInteger } from './der';

/**
 * A block as the verifier sees it, whichever way it was read: the header
 * fields and the raw bytes of every data and metadata entry. Data entries are
 * never re-encoded, so hashing them hashes exactly what the node stored.
 */
export interface RawBlock {
  readonly number: bigint;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
  readonly data: readonly Uint8Array[];
  readonly metadata: readonly Uint8Array[];
}

export type BlockHeaderFields = Pick<RawBlock, 'number' | 'previousHash' | 'dataHash'>;

/** Fabric's `protoutil.BlockHeaderBytes`: DER of SEQUENCE { number, previous_hash, data_hash }. */
export function blockHeaderBytes(header: BlockHeaderFields): Buffer {
  return derSequence(
    derUnsignedInteger(header.number),
    derOctetString(header.previousHash),
    derOctetString(header.dataHash),
  );
}

/** The hash the next block's previous_hash must equal. */
export function blockHeaderHash(header: BlockHeaderFields): Buffer {
  return createHash('sha256').update(blockHeaderBytes(header)).digest();
}

/** Fabric's `protoutil.ComputeBlockDataHash`: SHA-256 over the data entries concatenated. */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const entry of data) {
    hash.update(entry);
  }
  return hash.digest();
}

export function fromProtoBlock(block: common.Block): RawBlock {
  const header = block.getHeader() ?? new common.BlockHeader();
  return {
    number: BigInt(header.getNumber()),
    previousHash: header.getPreviousHash_asU8(),
    dataHash: header.getDataHash_asU8(),
    data: block.getData()?.getDataList_asU8() ?? [],
    metadata: block.getMetadata()?.getMetadataList_asU8() ?? [],
  };
}

export function toProtoBlock(block: RawBlock): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(Number(block.number));
  header.setPreviousHash(block.previousHash);
  header.setDataHash(block.dataHash);
  const data = new common.BlockData();
  data.setDataList([...block.data]);
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([...block.metadata]);
  const result = new common.Block();
  result.setHeader(header);
  result.setData(data);
  result.setMetadata(metadata);
  return result;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
