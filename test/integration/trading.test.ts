import { randomBytes } from 'node:crypto';
import { type Connection, toCrowdLedgerError } from '../../client/src';
import {
  blockFilesContaining,
  channelBlockFiles,
  outcome,
  registration,
  uniqueSuffix,
  utf8,
  withConnection,
} from './support';

type Platform = 'platform1' | 'platform2';

interface Result {
  readonly outcome: 'OK' | 'REFUSED';
  readonly code?: string;
  readonly listing?: { readonly listingId: string; readonly remaining: number; readonly status: string };
  readonly trade?: { readonly units: number; readonly amount: number };
  readonly buyerCertificateDue?: boolean;
}

const run = uniqueSuffix();
const keys = new Map<string, string>();
const owner = new Map<string, Platform>();

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
function parse<T>(bytes: Uint8Array): T {
  return JSON.parse(utf8.decode(bytes)) as T;
}

async function as<T>(platform: Platform, use: (c: Connection) => Promise<T>): Promise<T> {
  return withConnection(platform, 'app', use);
}

/**
 * A read gone stale: at commit (MVCC, phantom) or already at endorsement,
 * when the two endorsing peers simulated on either side of a block that
 * changed the listing ("ProposalResponsePayloads do not match").
 */
const STALE = /MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT|ProposalResponsePayloads do not match/;

/**
 * Fabric says when a read went stale; only then is it worth trying again.
 * Twenty buyers on one listing commit one per block, so the last of them may
 * need a dozen rounds: the bound is generous, the backoff capped at 1 s.
 */
async function submitRetrying(
  c: Connection,
  contract: string,
  tx: string,
  args: string[],
  key: string,
): Promise<Result> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return parse<Result>(
        await c.contract(contract).submit(tx, { arguments: args, transientData: { key } }),
      );
    } catch (error) {
      const message = JSON.stringify(error) + String(error);
      if (attempt >= 30 || !STALE.test(message)) {
        throw error;
      }
      await new Promise((done) => setTimeout(done, 50 + Math.random() * Math.min(1000, 100 * attempt)));
    }
  }
}

/** The blind keeps the private record's on-chain hash from being a PIN oracle. */
async function setKey(platform: Platform, userId: string, key: string): Promise<void> {
  await as(platform, (c) =>
    c.contract('keys').submit('Set', {
      arguments: [userId],
      transientData: { key, blind: randomBytes(16).toString('hex') },
    }),
  );
}

async function newUser(platform: Platform, ref: string): Promise<string> {
  const person = {
    platformRef: `${ref}-${run}`,
    name: `测试${ref}`,
    idType: 'PASSPORT',
    idNumber: `E${randomBytes(4).toString('hex').toUpperCase()}`,
  } as const;
  const options = await registration(platform, person);
  const user = await as(platform, async (c) =>
    parse<{ userId: string }>(await c.contract('users').submit('Register', options)),
  );
  const key = `pin-${randomBytes(6).toString('hex')}`;
  await setKey(platform, user.userId, key);
  keys.set(user.userId, key);
  owner.set(user.userId, platform);
  return user.userId;
}

function keyOf(userId: string): string {
  const key = keys.get(userId);
  if (key === undefined) {
    throw new Error(`no key for ${userId}`);
  }
  return key;
}

async function act(
  userId: string,
  contract: string,
  tx: string,
  args: string[],
  key = keyOf(userId),
): Promise<Result> {
  return as(owner.get(userId) ?? 'platform1', (c) => submitRetrying(c, contract, tx, args, key));
}

async function holding(
  assetId: string,
  userId: string,
): Promise<{ units: number; escrowed: number; certificate: string } | undefined> {
  const portfolio = await as('platform1', async (c) =>
    parse<{ holdings: { assetId: string; units: number; escrowed: number; certificate: string }[] }>(
      await c.contract('users').evaluateTransaction('Portfolio', userId),
    ),
  );
  return portfolio.holdings.find((h) => h.assetId === assetId);
}

/** 'OK', the code of a committed refusal, or the code of a failed call. */
async function codeOf(call: Promise<Result>): Promise<string> {
  try {
    const result = await call;
    return result.outcome === 'OK' ? 'OK' : (result.code ?? 'REFUSED');
  } catch (error) {
    return toCrowdLedgerError(error).code;
  }
}

function inAnHour(): string {
  return new Date(Date.now() + 3_600_000).toISOString();
}

let seller = '';
let assetId = '';

beforeAll(async () => {
  seller = await newUser('platform1', 'seller');
  const asset = await as('platform1', async (c) =>
    parse<{ assetId: string }>(
      await c.contract('assets').submitTransaction(
        'Register',
        JSON.stringify({
          assetRef: `trade-fund-${run}`,
          attributes: {
            name: '交易测试',
            category: 'EQUITY',
            description: 'trading test',
            currency: 'CNY',
            documents: [],
          },
          rights: {
            voting: { enabled: false, votesPerUnit: 0 },
            dividend: { enabled: false, policy: '' },
            otherTerms: [],
          },
          totalUnits: 1000,
          holders: [{ userId: seller, units: 1000 }],
        }),
      ),
    ),
  );
  assetId = asset.assetId;
});

async function list(units: number, maxPerBuyer = units): Promise<string> {
  const listing = JSON.stringify({
    assetId,
    sellerId: seller,
    units,
    pricePerUnit: 1250,
    minPerBuyer: 1,
    maxPerBuyer,
    expiresAt: inAnHour(),
  });
  const result = await act(seller, 'listings', 'Create', [listing]);
  expect(result.outcome).toBe('OK');
  return result.listing?.listingId ?? '';
}

describe('a listing on Platform1 bought from Platform2 (R5, R7, R8)', () => {
  it('is seen by both platforms, refuses a wrong key, then trades and marks the new holder certificate-due', async () => {
    // From the first block: the event must be there for every platform to read.
    const startBlock = 0n;
    const buyer = await newUser('platform2', 'buyer');
    const listingId = await list(40);
    for (const platform of ['platform1', 'platform2'] as const) {
      const seen = await as(platform, async (c) => {
        const events = await c.network.getChaincodeEvents('crowdledger', { startBlock });
        try {
          for await (const event of events) {
            if (event.eventName === 'ListingCreated' && utf8.decode(event.payload).includes(listingId)) {
              return true;
            }
          }
          return false;
        } finally {
          events.close();
        }
      });
      expect(seen).toBe(true);
    }
    const wrong = await act(buyer, 'trades', 'Buy', [listingId, buyer, '10'], 'not-the-key');
    expect(wrong).toMatchObject({ outcome: 'REFUSED', code: 'BAD_TRANSACTION_KEY' });
    expect(await holding(assetId, buyer)).toBeUndefined();

    const bought = await act(buyer, 'trades', 'Buy', [listingId, buyer, '10']);
    expect(bought).toMatchObject({
      outcome: 'OK',
      trade: { units: 10, amount: 12_500 },
      buyerCertificateDue: true,
    });
    expect(await holding(assetId, buyer)).toMatchObject({ units: 10, certificate: 'DUE' });
    expect(await holding(assetId, seller)).toMatchObject({ units: 990, escrowed: 30 });
  });

  it('locks a user after five wrong keys until their platform resets the key', async () => {
    const buyer = await newUser('platform2', 'locked');
    const listingId = await list(5);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i += 1) {
      codes.push((await act(buyer, 'trades', 'Buy', [listingId, buyer, '1'], `wrong-${String(i)}`)).code);
    }
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('BAD_TRANSACTION_KEY'));
    const withRightKey = await act(buyer, 'trades', 'Buy', [listingId, buyer, '1']);
    expect(withRightKey).toMatchObject({ outcome: 'REFUSED', code: 'LOCKED' });
    await setKey('platform2', buyer, keyOf(buyer));
    expect((await act(buyer, 'trades', 'Buy', [listingId, buyer, '1'])).outcome).toBe('OK');
  });

  it('answers a pre-trade check without writing', async () => {
    const buyer = await newUser('platform1', 'checker');
    const listingId = await list(3);
    const check = await as('platform1', async (c) =>
      parse<{ ok: boolean; code?: string }>(
        await c.contract('trades').evaluateTransaction('CanBuy', listingId, buyer, '4'),
      ),
    );
    expect(check).toMatchObject({ ok: false, code: 'INSUFFICIENT_UNITS' });
  });
});

describe('20 buyers racing for a 10-unit listing through both platforms', () => {
  it('sells exactly 10 units', async () => {
    const buyers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        newUser(i % 2 === 0 ? 'platform1' : 'platform2', `racer${String(i)}`),
      ),
    );
    const listingId = await list(10, 1);
    const results = await Promise.all(
      buyers.map((buyer) => codeOf(act(buyer, 'trades', 'Buy', [listingId, buyer, '1']))),
    );
    // Every other buyer is told why: the units are gone or the listing closed.
    const sold = results.filter((r) => r === 'OK').length;
    expect({ sold, results }).toMatchObject({ sold: 10 });
    const listing = await as('platform2', async (c) =>
      parse<{ remaining: number; status: string }>(
        await c.contract('listings').evaluateTransaction('Get', listingId),
      ),
    );
    expect(listing).toMatchObject({ remaining: 0, status: 'CLOSED' });
    const bought = await Promise.all(buyers.map(async (b) => (await holding(assetId, b))?.units ?? 0));
    expect(bought.reduce((a, b) => a + b, 0)).toBe(10);
  });
});

describe('campaigns (R9)', () => {
  it('settle into trades when the target is met and release everything when it is missed', async () => {
    const investors = await Promise.all([newUser('platform1', 'inv-a'), newUser('platform2', 'inv-b')]);
    const deadline = new Date(Date.now() + 12_000).toISOString();
    const create = async (targetUnits: number): Promise<string> => {
      const terms = JSON.stringify({
        assetId,
        sellerId: seller,
        units: 50,
        targetUnits,
        pricePerUnit: 100,
        minPerInvestor: 1,
        maxPerInvestor: 50,
        deadline,
      });
      const result = await act(seller, 'campaigns', 'Create', [terms]);
      expect(result.outcome).toBe('OK');
      return result.listing?.listingId ?? '';
    };
    const met = await create(20);
    const missed = await create(40);
    for (const investor of investors) {
      expect((await act(investor, 'campaigns', 'Commit', [met, investor, '10'])).outcome).toBe('OK');
      expect((await act(investor, 'campaigns', 'Commit', [missed, investor, '5'])).outcome).toBe('OK');
    }
    // Inside 48 hours of the deadline a commitment can no longer be withdrawn.
    const withdraw = await codeOf(act(investors[0], 'campaigns', 'Withdraw', [missed, investors[0]]));
    expect(withdraw).toBe('WITHDRAWAL_CLOSED');
    const early = await as('platform1', (c) =>
      outcome(c.contract('campaigns').submitTransaction('Settle', met)),
    );
    expect(early).toBe('CAMPAIGN_OPEN');

    await new Promise((done) => setTimeout(done, Math.max(0, Date.parse(deadline) - Date.now() + 1500)));
    const settle = async (listingId: string) =>
      as('platform2', async (c) =>
        parse<{ listing: { status: string }; trades: unknown[]; releases: unknown[] }>(
          await c.contract('campaigns').submitTransaction('Settle', listingId),
        ),
      );
    const success = await settle(met);
    expect(success.listing.status).toBe('SUCCEEDED');
    expect(success.trades).toHaveLength(2);
    const failure = await settle(missed);
    expect(failure.listing.status).toBe('FAILED');
    expect(failure.releases).toHaveLength(2);
    for (const investor of investors) {
      expect(await holding(assetId, investor)).toMatchObject({ units: 10 });
    }
  });
});

describe('what reaches the blocks', () => {
  it('holds no transaction key of any user', async () => {
    expect((await channelBlockFiles()).length).toBeGreaterThanOrEqual(6);
    expect((await blockFilesContaining(seller)).length).toBeGreaterThan(0);
    for (const key of keys.values()) {
      expect(await blockFilesContaining(key)).toEqual([]);
    }
  });
});
