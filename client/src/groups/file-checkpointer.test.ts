import fsPromises, { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointers as gatewayCheckpointers } from '@hyperledger/fabric-gateway';
import { temporaryPathFor } from '../atomic-file';
import { ClientErrorCode, CrowdLedgerError, hasErrorCode } from '../errors';
import { chaincodeEvent, FakeContext, json } from '../testing/fake-gateway';
import { EventsClient } from './events';
import { checkpointers, fileCheckpointer } from './file-checkpointer';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-checkpoint-'));
  path = join(dir, 'events.checkpoint');
});
afterEach(async () => {
  jest.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** The position a fresh checkpointer reads from the file. */
async function reopened(): Promise<[bigint | undefined, string | undefined]> {
  const checkpointer = await fileCheckpointer(path);
  return [checkpointer.getBlockNumber(), checkpointer.getTransactionId()];
}

async function expectUnreadable(promise: Promise<unknown>, sentence: RegExp): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrowdLedgerError);
  expect(hasErrorCode(error, ClientErrorCode.fileUnreadable)).toBe(true);
  expect((error as CrowdLedgerError).sentence).toMatch(sentence);
}

describe('fileCheckpointer', () => {
  it('starts with no position and creates the file when it is missing', async () => {
    const checkpointer = await fileCheckpointer(path);
    expect(checkpointer.getBlockNumber()).toBeUndefined();
    expect(checkpointer.getTransactionId()).toBeUndefined();
    expect(await readFile(path, 'utf8')).toBe('{}');
    expect(await reopened()).toEqual([undefined, undefined]);
  });

  it('keeps every kind of checkpoint across a reopen', async () => {
    const checkpointer = await fileCheckpointer(path);
    await checkpointer.checkpointChaincodeEvent(chaincodeEvent(7, 'tx7', 'UserRegistered', {}));
    expect([checkpointer.getBlockNumber(), checkpointer.getTransactionId()]).toEqual([7n, 'tx7']);
    expect(await reopened()).toEqual([7n, 'tx7']);

    await checkpointer.checkpointTransaction(9n, 'tx9');
    expect(await reopened()).toEqual([9n, 'tx9']);

    // A whole block: the next one is where to start, with no transaction.
    await checkpointer.checkpointBlock(9n);
    expect(await reopened()).toEqual([10n, undefined]);
  });

  it("writes the gateway's JSON, and reads files the gateway's checkpointer wrote", async () => {
    const ours = await fileCheckpointer(path);
    await ours.checkpointTransaction(12345678901234567890n, 'txBig');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      blockNumber: '12345678901234567890',
      transactionId: 'txBig',
    });
    const theirs = await gatewayCheckpointers.file(path);
    expect([theirs.getBlockNumber(), theirs.getTransactionId()]).toEqual([12345678901234567890n, 'txBig']);

    await theirs.checkpointBlock(41n);
    expect(await reopened()).toEqual([42n, undefined]);
  });

  it.each([
    ['that is empty (a cut-off in-place write)', '', /is empty/],
    ['that is cut off', '{"blockNumber":"12","transac', /is not JSON/],
    ['that is not JSON', 'garbage', /is not JSON/],
    ['that is JSON but not an object', '[1,2]', /not a JSON object/],
    ['with a bad block number', '{"blockNumber":"twelve"}', /blockNumber/],
    ['with a negative block number', '{"blockNumber":-1}', /blockNumber/],
    ['with a bad transaction ID', '{"blockNumber":"12","transactionId":7}', /transactionId/],
    ['with a transaction ID and no block', '{"transactionId":"tx1"}', /no blockNumber/],
  ])('refuses a file %s with FILE_UNREADABLE and leaves it as it was', async (_, text, sentence) => {
    await writeFile(path, text);
    await expectUnreadable(fileCheckpointer(path), sentence);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('takes a block number the file holds as a JSON number', async () => {
    await writeFile(path, '{"blockNumber":5,"transactionId":"tx5"}');
    expect(await reopened()).toEqual([5n, 'tx5']);
  });

  it('fails FILE_UNREADABLE when the file cannot be read', async () => {
    // A directory where the file should be: it exists, but reading it fails.
    await fsPromises.mkdir(path);
    await expectUnreadable(fileCheckpointer(path), /cannot read checkpoint file/);
  });

  it('keeps the previous checkpoint when a crash left a temporary file beside it', async () => {
    const checkpointer = await fileCheckpointer(path);
    await checkpointer.checkpointTransaction(3n, 'tx3');
    // What a kill -9 during the next write leaves: a half-written temporary file.
    await writeFile(temporaryPathFor(path), '{"blockNumber":"4","tra');
    expect(await reopened()).toEqual([3n, 'tx3']);

    // The next write is not disturbed by it.
    await checkpointer.checkpointTransaction(5n, 'tx5');
    expect(await reopened()).toEqual([5n, 'tx5']);
  });

  it('keeps the previous checkpoint, on disk and in memory, when the rename never happens', async () => {
    const checkpointer = await fileCheckpointer(path);
    await checkpointer.checkpointTransaction(3n, 'tx3');
    jest.spyOn(fsPromises, 'rename').mockRejectedValueOnce(new Error('killed before the rename'));

    const error: unknown = await checkpointer.checkpointTransaction(4n, 'tx4').catch((e: unknown) => e);
    expect(hasErrorCode(error, ClientErrorCode.unexpected)).toBe(true);
    expect((error as CrowdLedgerError).sentence).toMatch(
      /cannot write checkpoint file .*killed before the rename/,
    );

    expect([checkpointer.getBlockNumber(), checkpointer.getTransactionId()]).toEqual([3n, 'tx3']);
    expect(await reopened()).toEqual([3n, 'tx3']);
    expect(await readdir(dir)).toEqual(['events.checkpoint']);

    // The checkpointer carries on after the failed write.
    await checkpointer.checkpointTransaction(4n, 'tx4');
    expect(await reopened()).toEqual([4n, 'tx4']);
  });

  it('leaves no temporary file after successful writes, however many overlap', async () => {
    const checkpointer = await fileCheckpointer(path);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => checkpointer.checkpointTransaction(BigInt(i), `tx${String(i)}`)),
    );
    expect(await readdir(dir)).toEqual(['events.checkpoint']);
    // Overlapping writes land in order: the file holds the last checkpoint.
    expect(await reopened()).toEqual([24n, 'tx24']);
    expect([checkpointer.getBlockNumber(), checkpointer.getTransactionId()]).toEqual([24n, 'tx24']);
  });

  it('is what checkpointers.file gives', async () => {
    const checkpointer = await checkpointers.file(path);
    await checkpointer.checkpointBlock(1n);
    expect(await reopened()).toEqual([2n, undefined]);
    expect(checkpointers.inMemory().getBlockNumber()).toBeUndefined();
  });
});

describe('events.subscribe with a damaged checkpoint file', () => {
  it('fails FILE_UNREADABLE instead of reading the feed from the start', async () => {
    const stream = [chaincodeEvent(1, 'tx0', 'UserRegistered', {})];
    const events = new EventsClient(new FakeContext('Platform1MSP', () => json(null), stream));
    await writeFile(path, '');
    await expectUnreadable(events.subscribe({ checkpoint: path, startBlock: 0n }), /is empty/);
  });
});
