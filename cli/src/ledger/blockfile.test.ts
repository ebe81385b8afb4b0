import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeChain, makePki, nth, type TestPki } from '../testing/ledger-chain';
import type { RawBlock } from './block';
import {
  BlockFileError,
  blockFileRecord,
  listBlockFiles,
  parseStoredBlock,
  readBlockFiles,
  serializeStoredBlock,
} from './blockfile';
import { encodeVarint, readVarint } from './varint';

async function collect(blocks: AsyncIterable<RawBlock>): Promise<RawBlock[]> {
  const all: RawBlock[] = [];
  for await (const block of blocks) {
    all.push(block);
  }
  return all;
}

function same(a: RawBlock, b: RawBlock): void {
  expect(a.number).toBe(b.number);
  expect(Buffer.from(a.previousHash)).toEqual(Buffer.from(b.previousHash));
  expect(Buffer.from(a.dataHash)).toEqual(Buffer.from(b.dataHash));
  expect(a.data.map((d) => Buffer.from(d))).toEqual(b.data.map((d) => Buffer.from(d)));
  expect(a.metadata.map((m) => Buffer.from(m))).toEqual(b.metadata.map((m) => Buffer.from(m)));
}

describe('varints', () => {
  it.each([
    [0n, '00'],
    [1n, '01'],
    [127n, '7f'],
    [128n, '8001'],
    [300n, 'ac02'],
    [2n ** 64n - 1n, 'ffffffffffffffffff01'],
  ])('%s encodes as %s and reads back', (value, hex) => {
    expect(encodeVarint(value).toString('hex')).toBe(hex);
    expect(readVarint(Buffer.from(hex, 'hex'), 0)).toEqual({ value, next: hex.length / 2 });
  });

  it('reports a varint cut off by the end of the bytes', () => {
    expect(readVarint(Buffer.from('8080', 'hex'), 0)).toBeUndefined();
  });

  it('refuses a varint longer than ten bytes', () => {
    expect(() => readVarint(Buffer.alloc(11, 0x80), 0)).toThrow(RangeError);
  });
});

describe("Fabric's serialized block", () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await makePki();
  });

  it('lays out number, data hash, previous hash, data and metadata as Fabric does', () => {
    const block: RawBlock = {
      number: 300n,
      dataHash: Buffer.from([1, 2]),
      previousHash: Buffer.from([3]),
      data: [Buffer.from('ab'), Buffer.from('')],
      metadata: [Buffer.from('m')],
    };
    expect(serializeStoredBlock(block).toString('hex')).toBe(
      ['ac02', '020102', '0103', '02', '026162', '00', '01', '016d'].join(''),
    );
    same(parseStoredBlock(serializeStoredBlock(block)), block);
  });

  it('refuses trailing bytes and lengths running past the block', () => {
    const bytes = serializeStoredBlock(nth(makeChain(pki, 1), 1));
    expect(() => parseStoredBlock(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/stray bytes/);
    expect(() => parseStoredBlock(bytes.subarray(0, bytes.length - 3))).toThrow(/past the end/);
  });
});

describe('reading block files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdledger-blockfile-'));
  let pki: TestPki;
  let chain: RawBlock[];

  beforeAll(async () => {
    pki = await makePki();
    chain = makeChain(pki, 6);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, blocks: readonly RawBlock[], extra: Uint8Array = new Uint8Array()): string {
    const path = join(dir, name);
    writeFileSync(path, Buffer.concat([...blocks.map(blockFileRecord), extra]));
    return path;
  }

  it.each([3, 64, 1 << 20])('reads every record whole with %s-byte reads', async (chunkBytes) => {
    const file = write('blockfile_000000', chain);
    const read = await collect(readBlockFiles([file], { chunkBytes }));
    expect(read).toHaveLength(chain.length);
    read.forEach((block, i) => {
      same(block, nth(chain, i));
    });
  });

  it('lists block files in numeric order and ignores other files', async () => {
    const sub = mkdtempSync(join(dir, 'list-'));
    for (const name of ['blockfile_000010', 'blockfile_000002', 'blockfile_000000', 'index', 'blockfile_x']) {
      writeFileSync(join(sub, name), '');
    }
    expect((await listBlockFiles(sub)).map((p) => p.slice(sub.length + 1))).toEqual([
      'blockfile_000000',
      'blockfile_000002',
      'blockfile_000010',
    ]);
  });

  it('continues from one file into the next', async () => {
    const first = write('blockfile_000001', chain.slice(0, 4));
    const second = write('blockfile_000002', chain.slice(4));
    const read = await collect(readBlockFiles([first, second], { chunkBytes: 100 }));
    expect(read.map((b) => b.number)).toEqual(chain.map((b) => b.number));
  });

  it('stops quietly at a record still being written at the end of the last file', async () => {
    const partial = blockFileRecord(nth(chain, 3)).subarray(0, 50);
    const file = write('blockfile_000003', chain.slice(0, 3), partial);
    expect((await collect(readBlockFiles([file]))).map((b) => b.number)).toEqual([0n, 1n, 2n]);
  });

  it('calls a record cut short in an earlier file corruption', async () => {
    const partial = blockFileRecord(nth(chain, 3)).subarray(0, 50);
    const first = write('blockfile_000004', chain.slice(0, 3), partial);
    const second = write('blockfile_000005', chain.slice(3));
    await expect(collect(readBlockFiles([first, second]))).rejects.toThrow(BlockFileError);
  });

  it('names the file and offset of a record whose inner lengths do not add up', async () => {
    const good = blockFileRecord(nth(chain, 0));
    const inner = serializeStoredBlock(nth(chain, 1));
    const bad = Buffer.concat([encodeVarint(inner.length + 2), inner, Buffer.from([0, 0])]);
    const file = write('blockfile_000006', [], Buffer.concat([good, bad]));
    await expect(collect(readBlockFiles([file]))).rejects.toThrow(
      `${file} at byte ${String(good.length)}: unreadable block record: 2 stray bytes after the block`,
    );
  });
});
