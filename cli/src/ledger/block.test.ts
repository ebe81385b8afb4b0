import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderBytes, blockHeaderHash, fromProtoBlock, toProtoBlock } from './block';
import { derLength, derUnsignedInteger } from './der';

const aa = Buffer.alloc(32, 0xaa);
const bb = Buffer.alloc(32, 0xbb);

describe('DER encoding of a block header', () => {
  it('matches the bytes of SEQUENCE { INTEGER 5, OCTET STRING 0xaa…, OCTET STRING 0xbb… } written out by hand', () => {
    const expected = Buffer.concat([
      Buffer.from('3047', 'hex'), // SEQUENCE, 71 bytes
      Buffer.from('020105', 'hex'), // INTEGER 5
      Buffer.from('0420', 'hex'),
      aa, // OCTET STRING previous_hash
      Buffer.from('0420', 'hex'),
      bb, // OCTET STRING data_hash
    ]);
    const header = { number: 5n, previousHash: aa, dataHash: bb };
    expect(blockHeaderBytes(header).toString('hex')).toBe(expected.toString('hex'));
    expect(blockHeaderHash(header)).toEqual(createHash('sha256').update(expected).digest());
  });

  it('encodes the genesis header: number 0 and an empty previous hash', () => {
    expect(
      blockHeaderBytes({ number: 0n, previousHash: new Uint8Array(), dataHash: bb }).toString('hex'),
    ).toBe(`302702010004000420${'bb'.repeat(32)}`);
  });

  it.each([
    [0n, '020100'],
    [127n, '02017f'],
    [128n, '02020080'],
    [255n, '020200ff'],
    [256n, '02020100'],
    [65_535n, '020300ffff'],
    [2n ** 63n, '0209008000000000000000'],
  ])('writes block number %s as a minimal positive INTEGER %s', (value, hex) => {
    expect(derUnsignedInteger(value).toString('hex')).toBe(hex);
  });

  it.each([
    [0, '00'],
    [127, '7f'],
    [128, '8180'],
    [200, '81c8'],
    [256, '820100'],
    [70_000, '83011170'],
  ])('writes length %s as %s', (length, hex) => {
    expect(derLength(length).toString('hex')).toBe(hex);
  });
});

describe('data hash', () => {
  it('is SHA-256 over the data entries concatenated', () => {
    const entries = [Buffer.from('first'), Buffer.from(''), Buffer.from('third')];
    expect(blockDataHash(entries).toString('hex')).toBe(
      createHash('sha256').update('firstthird').digest('hex'),
    );
  });
});

describe('a block decoded with fabric-protos', () => {
  it('keeps the exact bytes, so its hashes are those of the block that was sent', () => {
    const data = [Buffer.from('envelope one'), Buffer.from('envelope two')];
    const block = new common.Block();
    const header = new common.BlockHeader();
    header.setNumber(42);
    header.setPreviousHash(aa);
    header.setDataHash(blockDataHash(data));
    const blockData = new common.BlockData();
    blockData.setDataList(data);
    const metadata = new common.BlockMetadata();
    metadata.setMetadataList([Buffer.from('sig'), Buffer.alloc(0), Buffer.from([0, 11])]);
    block.setHeader(header);
    block.setData(blockData);
    block.setMetadata(metadata);

    const raw = fromProtoBlock(common.Block.deserializeBinary(block.serializeBinary()));
    expect(raw.number).toBe(42n);
    expect(Buffer.from(raw.dataHash)).toEqual(
      createHash('sha256').update('envelope oneenvelope two').digest(),
    );
    expect(raw.data.map((d) => Buffer.from(d).toString())).toEqual(['envelope one', 'envelope two']);
    expect(Buffer.from(raw.metadata[2] ?? [])).toEqual(Buffer.from([0, 11]));
    expect(blockHeaderHash(raw)).toEqual(
      createHash('sha256')
        .update(
          Buffer.concat([
            Buffer.from('3047', 'hex'),
            Buffer.from('02012a', 'hex'),
            Buffer.from('0420', 'hex'),
            aa,
            Buffer.from('0420', 'hex'),
            blockDataHash(data),
          ]),
        )
        .digest(),
    );
    expect(fromProtoBlock(toProtoBlock(raw))).toEqual(raw);
  });
});
