import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointers } from '@hyperledger/fabric-gateway';
import { chaincodeEvent, FakeContext, json } from '../testing/fake-gateway';
import type { CrowdLedgerEvent } from './event-types';
import { checkpointAfter, EventsClient } from './events';

const USER = {
  userId: `U${'a'.repeat(32)}`,
  platform: 'Platform1MSP',
  status: 'ACTIVE',
  commitment: 'c'.repeat(64),
  registeredAt: '2026-01-01T00:00:00.000Z',
};

/** Ten committed events, several sharing a block. */
const committed = [1, 1, 2, 3, 3, 3, 5, 8, 8, 9].map((block, i) =>
  chaincodeEvent(block, `tx${String(i)}`, 'UserRegistered', { ...USER, userId: `U${String(i).repeat(32)}` }),
);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-events-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads `count` events from a subscription, ending it the way the test asks. */
async function read(
  events: EventsClient,
  checkpoint: string,
  count: number,
  ack: boolean,
): Promise<string[]> {
  const seen: string[] = [];
  const subscription = await events.subscribe({ checkpoint, startBlock: 0n });
  for await (const event of subscription) {
    seen.push(event.transactionId);
    if (seen.length === count) {
      if (ack) {
        await subscription.ack();
      }
      break;
    }
  }
  return seen;
}

describe('events.subscribe with a checkpoint file', () => {
  it('resumes after a stop with no event lost or repeated', async () => {
    const events = new EventsClient(new FakeContext('Platform1MSP', () => json(null), committed));
    const checkpoint = join(dir, 'events.json');
    const first = await read(events, checkpoint, 4, true);
    const second = await read(events, checkpoint, 3, true);
    const third = await read(events, checkpoint, 3, true);
    expect([...first, ...second, ...third]).toEqual(committed.map((e) => e.transactionId));
  });

  it('checkpoints an event once the loop asks for the next one: a break without ack repeats only the last', async () => {
    const events = new EventsClient(new FakeContext('Platform1MSP', () => json(null), committed));
    const checkpoint = join(dir, 'events.json');
    const first = await read(events, checkpoint, 5, false);
    const again = await read(events, checkpoint, 2, false);
    expect(first).toEqual(['tx0', 'tx1', 'tx2', 'tx3', 'tx4']);
    expect(again).toEqual(['tx4', 'tx5']);
  });

  it('starts at startBlock only when the checkpoint is new', async () => {
    const events = new EventsClient(new FakeContext('Platform1MSP', () => json(null), committed));
    const checkpoint = checkpointers.inMemory();
    const subscription = await events.subscribe({ checkpoint, startBlock: 8n });
    const seen: string[] = [];
    for await (const event of subscription) {
      seen.push(event.transactionId);
      if (seen.length === 3) {
        await subscription.ack();
        break;
      }
    }
    expect(seen).toEqual(['tx7', 'tx8', 'tx9']);
    expect(checkpoint.getBlockNumber()).toBe(9n);
    expect(checkpoint.getTransactionId()).toBe('tx9');
  });
});

describe('typed events', () => {
  async function first(eventName: string, payload: unknown): Promise<CrowdLedgerEvent> {
    const stream = [chaincodeEvent(4, 'txA', eventName, payload)];
    const events = new EventsClient(new FakeContext('Platform1MSP', () => json(null), stream));
    await using subscription = await events.subscribe({
      checkpoint: checkpointers.inMemory(),
      startBlock: 0n,
    });
    for await (const event of subscription) {
      return event;
    }
    throw new Error('no event');
  }

  it('decodes a known event into its payload type', async () => {
    const holders = [
      { userId: USER.userId, platform: 'Platform1MSP', units: 10, certificateDue: true, pending: false },
    ];
    const payload = {
      assetId: `A${'b'.repeat(32)}`,
      platform: 'Platform1MSP',
      totalUnits: 10,
      registeredAt: USER.registeredAt,
      holders,
    };
    const event = await first('AssetRegistered', payload);
    expect(event).toEqual({ name: 'AssetRegistered', blockNumber: 4n, transactionId: 'txA', payload });
    if (event.name === 'AssetRegistered') {
      expect(event.payload.holders[0]?.certificateDue).toBe(true);
    }
  });

  it('hands a new chaincode event over as Unknown with its name and payload', async () => {
    const event = await first('DividendPaid', { tradeId: 'T1', units: 3 });
    expect(event).toEqual({
      name: 'Unknown',
      eventName: 'DividendPaid',
      blockNumber: 4n,
      transactionId: 'txA',
      payload: { tradeId: 'T1', units: 3 },
    });
  });

  it('hands a known event with a payload it cannot read over as Unknown, saying why', async () => {
    const event = await first('UserRegistered', { ...USER, status: 'FROZEN' });
    expect(event).toMatchObject({
      name: 'Unknown',
      eventName: 'UserRegistered',
      problem: 'UserRegistered event.status should be one of ACTIVE',
    });
  });
});

describe('checkpointAfter', () => {
  it('starts after the stored position and then keeps its own place', async () => {
    const checkpoint = checkpointAfter({ blockNumber: 7n, transactionId: 'tx7' });
    expect([checkpoint.getBlockNumber(), checkpoint.getTransactionId()]).toEqual([7n, 'tx7']);
    await checkpoint.checkpointBlock(9n);
    expect([checkpoint.getBlockNumber(), checkpoint.getTransactionId()]).toEqual([10n, undefined]);
    const fresh = checkpointAfter();
    expect(fresh.getBlockNumber()).toBeUndefined();
  });
});
