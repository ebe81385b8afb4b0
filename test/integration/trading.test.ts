import { type KeyObject, randomBytes } from 'node:crypto';
import {
  type ConsentParams,
  type Connection,
  PROPOSAL_TIME_WINDOW_MS,
  publicKeyArgument,
  type SignedAction,
  toCrowdLedgerError,
} from '../../client/src';
import {
  blockFilesContaining,
  channelBlockFiles,
  newUserKey,
  signedArguments,
  registration,
  uniqueSuffix,
  utf8,
  withConnection,
} from './support';

type Platform = 'platform1' | 'platform2';

interface Result {
  readonly listingId?: string;
  readonly remaining?: number;
  readonly status?: string;
  readonly trade?: { readonly units: number; readonly amount: number };
  readonly buyerCertificateDue?: boolean;
}

const run = uniqueSuffix();
const keys = new Map<string, KeyObject>();
const owner = new Map<string, Platform>();
/** Every signed request sent, to look for in the blocks. */
const requests: string[] = [];

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
 * Fabric says when a read went stale; only then is it worth trying again,
 * with the same signed request (a failed attempt wrote nothing). Twenty
 * buyers on one listing commit one per block, so the last of them may need a
 * dozen rounds: the bound is generous, the backoff capped at 1 s.
 */
async function submitRetrying(c: Connection, contract: string, tx: string, args: string[]): Promise<Result> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return parse<Result>(await c.contract(contract).submit(tx, { arguments: args }));
    } catch (error) {
      const message = JSON.stringify(error) + String(error);
      if (attempt >= 30 || !STALE.test(message)) {
        throw error;
      }
      await new Promise((done) => setTimeout(done, 50 + Math.random() * Math.min(1000, 100 * attempt)));
    }
  }
}

/** A user's key pair; the platform registers the public half, signed by the private half. */
async function registerKey(platform: Platform, userId: string): Promise<void> {
  const key = newUserKey();
  const params = { publicKey: publicKeyArgument(key.privateKey), algorithm: 'ES256' };
  const args = signedArguments('keys:Register', userId, params, key.privateKey);
  await as(platform, (c) => c.contract('keys').submit('Register', { arguments: args }));
  keys.set(userId, key.privateKey);
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
  await registerKey(platform, user.userId);
  owner.set(user.userId, platform);
  return user.userId;
}

function keyOf(userId: string): KeyObject {
  const key = keys.get(userId);
  if (key === undefined) {
    throw new Error(`no key for ${userId}`);
  }
  return key;
}

/** The user's platform relays the user's signed request for the act; `key` signs (the user's own by default). */
async function act<A extends SignedAction>(
  userId: string,
  action: A,
  params: ConsentParams<A>,
  key = keyOf(userId),
): Promise<Result> {
  const args = signedArguments(action, userId, params, key);
  requests.push(args[0] ?? '');
  const [contract = '', tx = ''] = action.split(':');
  return as(owner.get(userId) ?? 'platform1', (c) => submitRetrying(c, contract, tx, args));
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

/** 'OK', or the code of a failed call. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
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
  const params = { assetId, units, pricePerUnit: 1250, minPerBuyer: 1, maxPerBuyer, expiresAt: inAnHour() };
  const listing = await act(seller, 'listings:Create', params);
  expect(listing.status).toBe('OPEN');
  return listing.listingId ?? '';
}

const buy = (buyer: string, listingId: string, units: number, key?: KeyObject): Promise<Result> =>
  act(buyer, 'trades:Buy', { listingId, units, pricePerUnit: 1250 }, key);

describe('a listing on Platform1 bought from Platform2 (R5, R7, R8)', () => {
  it('is seen by both platforms, refuses a request signed by another key, then trades and marks the new holder certificate-due', async () => {
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
    const wrong = await codeOf(buy(buyer, listingId, 10, keyOf(seller)));
    expect(wrong).toBe('CONSENT_SIGNATURE_INVALID');
    expect(await holding(assetId, buyer)).toBeUndefined();

    const bought = await buy(buyer, listingId, 10);
    expect(bought).toMatchObject({
      trade: { units: 10, amount: 12_500 },
      buyerCertificateDue: true,
    });
    expect(await holding(assetId, buyer)).toMatchObject({ units: 10, certificate: 'DUE' });
    expect(await holding(assetId, seller)).toMatchObject({ units: 990, escrowed: 30 });
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
    const results = await Promise.all(buyers.map((buyer) => codeOf(buy(buyer, listingId, 1))));
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
    // Commitments close one proposal time window before the deadline: 30 s left for six transactions.
    const deadline = new Date(Date.now() + PROPOSAL_TIME_WINDOW_MS + 30_000).toISOString();
    const create = async (targetUnits: number): Promise<string> => {
      const params = {
        assetId,
        units: 50,
        targetUnits,
        pricePerUnit: 100,
        minPerInvestor: 1,
        maxPerInvestor: 50,
        deadline,
      };
      const result = await act(seller, 'campaigns:Create', params);
      expect(result.status).toBe('OPEN');
      return result.listingId ?? '';
    };
    const met = await create(20);
    const missed = await create(40);
    const commit = (investor: string, listingId: string, units: number): Promise<string> =>
      codeOf(act(investor, 'campaigns:Commit', { listingId, units, pricePerUnit: 100 }));
    for (const investor of investors) {
      expect(await commit(investor, met, 10)).toBe('OK');
      expect(await commit(investor, missed, 5)).toBe('OK');
    }
    // Inside 48 hours of the deadline a commitment can no longer be withdrawn.
    const [first] = investors;
    expect(await codeOf(act(first, 'campaigns:Withdraw', { listingId: missed }))).toBe('WITHDRAWAL_CLOSED');
    const settle = async (listingId: string) =>
      as('platform2', async (c) =>
        parse<{ listing: { status: string }; trades: unknown[]; releases: unknown[] }>(
          await c.contract('campaigns').submitTransaction('Settle', listingId),
        ),
      );
    expect(await codeOf(settle(met))).toBe('CAMPAIGN_OPEN');

    // Settlement opens one proposal time window after the deadline.
    const opens = Date.parse(deadline) + PROPOSAL_TIME_WINDOW_MS;
    await new Promise((done) => setTimeout(done, Math.max(0, opens - Date.now() + 1500)));
    const success = await settle(met);
    expect(success.listing.status).toBe('SUCCEEDED');
    expect(success.trades).toHaveLength(2);
    const failure = await settle(missed);
    expect(failure.listing.status).toBe('FAILED');
    expect(failure.releases).toHaveLength(2);
    for (const investor of investors) {
      expect(await holding(assetId, investor)).toMatchObject({ units: 10 });
    }
  }, 150_000);
});

describe('what reaches the blocks', () => {
  it("keeps every user's signed request as proof of consent, and no private key", async () => {
    expect((await channelBlockFiles()).length).toBeGreaterThanOrEqual(6);
    expect((await blockFilesContaining(seller)).length).toBeGreaterThan(0);
    const sample = requests.filter((_, i) => i % 10 === 0);
    for (const request of sample) {
      expect((await blockFilesContaining(request)).length).toBeGreaterThan(0);
    }
    for (const key of [...keys.values()].slice(0, 5)) {
      const d = Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url');
      expect(d).toHaveLength(32);
      for (const form of [d, d.toString('hex'), d.toString('base64'), d.toString('base64url')]) {
        expect(await blockFilesContaining(form)).toEqual([]);
      }
    }
  });
});
