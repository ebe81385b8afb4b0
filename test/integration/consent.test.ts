// R7 on the real network: each attack on a user's consent as the attacker
// sends it — the platform's own app identity, the exact transaction and
// arguments — and proof that nothing was written. Then the chain itself:
// every signed request stays in its block, and `ledger verify --consents`
// re-checks them from the blocks alone, naming one altered on a node.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyObject } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import {
  type ConsentParams,
  type ConsentRequest,
  CrowdLedger,
  type CrowdLedgerClient,
  PROPOSAL_TIME_WINDOW_MS,
  publicKeyArgument,
  type SignedAction,
  toCrowdLedgerError,
} from '../../client/src';
import {
  blockFilesContaining,
  failureCode,
  newPerson,
  newUserKey,
  profilePath,
  registerUserKey,
  repoDir,
  runCli,
  signedArguments,
  stopNode,
  uniqueSuffix,
  type UserKey,
  withConnection,
} from './support';
import { fundAsset } from '../support/assets';

type Org = 'platform1' | 'platform2';

const run = uniqueSuffix();
const W = PROPOSAL_TIME_WINDOW_MS;
const PRICE = 100;
let p1: CrowdLedgerClient;
let p2: CrowdLedgerClient;
const user = { seller: '', bob: '', buyer: '' };
const keys = {} as Record<keyof typeof user, UserKey>;
let assetId = '';
let listingId = '';

/** What a failed attack must leave as it found: the listing, the buyer's holding, the listing's history. */
interface Snapshot {
  readonly remaining: number;
  readonly status: string;
  readonly buyerUnits: number;
  readonly listingVersions: number;
}

async function snapshot(): Promise<Snapshot> {
  const listing = await p2.listings.get(listingId);
  const portfolio = await p2.users.portfolio(user.buyer);
  return {
    remaining: listing.remaining,
    status: listing.status,
    buyerUnits: portfolio.holdings.find((h) => h.assetId === assetId)?.units ?? 0,
    listingVersions: (await p1.audit.history('listing', listingId)).length,
  };
}

/** The code a raw submit ends with ('OK' when it commits), as the attacking platform's app sends it. */
async function submit(org: Org, action: SignedAction, args: string[]): Promise<string> {
  const [contract = '', transaction = ''] = action.split(':');
  return withConnection(org, 'app', (c) =>
    c
      .contract(contract)
      .submit(transaction, { arguments: args })
      .then(
        () => 'OK',
        (error: unknown) => toCrowdLedgerError(error).code,
      ),
  );
}

/** A raw evaluate's code and sentence: what an evaluate tells whoever sends it. */
async function evaluate(org: Org, action: SignedAction, args: string[]): Promise<string> {
  const [contract = '', transaction = ''] = action.split(':');
  return withConnection(org, 'app', (c) =>
    c
      .contract(contract)
      .evaluate(transaction, { arguments: args })
      .then(
        () => 'OK',
        (error: unknown) => {
          const coded = toCrowdLedgerError(error);
          return `${coded.code}: ${coded.sentence}`;
        },
      ),
  );
}

function buyArgs(units: number, key: KeyObject, overrides: Partial<ConsentRequest> = {}): string[] {
  return signedArguments('trades:Buy', user.buyer, { listingId, units, pricePerUnit: PRICE }, key, overrides);
}

function params<A extends SignedAction>(_action: A, value: ConsentParams<A>): ConsentParams<A> {
  return value;
}

beforeAll(async () => {
  p1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  p2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  user.seller = (await p1.users.register(newPerson('consent-seller'))).userId;
  user.bob = (await p1.users.register(newPerson('consent-bob'))).userId;
  user.buyer = (await p2.users.register(newPerson('consent-buyer'))).userId;
  keys.seller = await registerUserKey(p1, user.seller);
  keys.bob = await registerUserKey(p1, user.bob);
  keys.buyer = await registerUserKey(p2, user.buyer);
  assetId = (
    await p1.assets.register(
      fundAsset(
        `consent-${run}`,
        [
          { userId: user.seller, units: 90 },
          { userId: user.bob, units: 10 },
        ],
        { name: '授权测试', description: 'consent' },
      ),
    )
  ).assetId;
  const terms = {
    assetId,
    sellerId: user.seller,
    units: 50,
    pricePerUnit: PRICE,
    minPerBuyer: 1,
    maxPerBuyer: 50,
  };
  listingId = (
    await p1.listings.create({ ...terms, expiresAt: new Date(Date.now() + 86_400_000) }, keys.seller)
  ).listingId;
});

afterAll(() => {
  p1.close();
  p2.close();
});

describe("attacks on a buyer's consent, each refused with nothing written", () => {
  it("a request signed by a key that is not the buyer's: Platform2 forging its user's consent", async () => {
    const before = await snapshot();
    expect(await submit('platform2', 'trades:Buy', buyArgs(5, newUserKey().privateKey))).toBe(
      'CONSENT_SIGNATURE_INVALID',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('the units altered after the buyer signed', async () => {
    const before = await snapshot();
    const [request = '', signature = ''] = buyArgs(2, keys.buyer.privateKey);
    const altered = request.replace('"units":2', '"units":20');
    expect(altered).not.toBe(request);
    expect(await submit('platform2', 'trades:Buy', [altered, signature])).toBe('CONSENT_SIGNATURE_INVALID');
    expect(await snapshot()).toEqual(before);
  });

  it("another user's key: Bob's key on the seller's cancel, and Bob's own consent to it", async () => {
    const before = await snapshot();
    const cancel = params('listings:Cancel', { listingId });
    const withBobsKey = signedArguments('listings:Cancel', user.seller, cancel, keys.bob.privateKey);
    expect(await submit('platform1', 'listings:Cancel', withBobsKey)).toBe('CONSENT_SIGNATURE_INVALID');
    const bobsOwn = signedArguments('listings:Cancel', user.bob, cancel, keys.bob.privateKey);
    expect(await submit('platform1', 'listings:Cancel', bobsOwn)).toBe('CONSENT_USER_MISMATCH');
    expect(await snapshot()).toEqual(before);
  });

  it('a replayed request: it runs once', async () => {
    const args = buyArgs(1, keys.buyer.privateKey);
    expect(await submit('platform2', 'trades:Buy', args)).toBe('OK');
    const after = await snapshot();
    expect(after).toMatchObject({ buyerUnits: 1, remaining: 49 });
    expect(await submit('platform2', 'trades:Buy', args)).toBe('CONSENT_REPLAYED');
    expect(await snapshot()).toEqual(after);
  });

  it('an expired request, one within a time window of expiring, and one that would live too long', async () => {
    const before = await snapshot();
    const at = (ms: number): Partial<ConsentRequest> => ({
      expiresAt: new Date(Date.now() + ms).toISOString(),
    });
    for (const [overrides, code] of [
      [at(-60_000), 'CONSENT_EXPIRED'],
      [at(W / 2), 'CONSENT_EXPIRED'],
      [at(2 * 3_600_000), 'CONSENT_LIFETIME_EXCEEDED'],
    ] as const) {
      expect(await submit('platform2', 'trades:Buy', buyArgs(1, keys.buyer.privateKey, overrides))).toBe(
        code,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the old key after a rotation: refused from the block that commits the new key', async () => {
    const old = keys.buyer.privateKey;
    const phone = newUserKey();
    const { code, before } = await withConnection('platform2', 'app', async (c) => {
      // Endorsed against the old key, committed after the new one: the key record it read changed.
      const endorsed = await c
        .contract('trades')
        .newProposal('Buy', { arguments: buyArgs(1, old) })
        .endorse();
      await p2.keys.register(user.buyer, phone.privateKey, phone.signer);
      const unchanged = await snapshot();
      return { code: (await (await endorsed.submit()).getStatus()).code, before: unchanged };
    });
    expect(code).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
    expect(await submit('platform2', 'trades:Buy', buyArgs(1, old))).toBe('CONSENT_KEY_RETIRED');
    expect(await snapshot()).toEqual(before);
    keys.buyer = phone;
    expect(await submit('platform2', 'trades:Buy', buyArgs(1, phone.privateKey))).toBe('OK');
    expect((await p2.keys.get(user.buyer)).publicKey).toBe(publicKeyArgument(phone.privateKey));
  });

  it('evaluating a forged buy answers exactly what submitting it does, and nothing of the listing', async () => {
    const forger = newUserKey().privateKey;
    const same = { requestId: `forged-${run}`, expiresAt: new Date(Date.now() + 300_000).toISOString() };
    const real = buyArgs(3, forger, same);
    const nowhere = { listingId: `L${'0'.repeat(32)}`, units: 3, pricePerUnit: 1 };
    const ghost = signedArguments('trades:Buy', user.buyer, nowhere, forger, same);
    const answer = await evaluate('platform2', 'trades:Buy', real);
    expect(answer).toMatch(
      /^CONSENT_SIGNATURE_INVALID: request forged-\S+ is not signed by the transaction key [0-9a-f]{64} of /,
    );
    // The same answer for a listing that does not exist: the gate runs before anything is read.
    expect(await evaluate('platform2', 'trades:Buy', ghost)).toBe(answer);
    expect(answer).not.toContain(listingId);
    const submitted = await withConnection('platform2', 'app', (c) =>
      c
        .contract('trades')
        .submit('Buy', { arguments: real })
        .then(
          () => 'OK',
          (error: unknown) => {
            const coded = toCrowdLedgerError(error);
            return `${coded.code}: ${coded.sentence}`;
          },
        ),
    );
    expect(submitted).toBe(answer);
  });
});

describe('impossible dates', () => {
  it('are refused by the SDK before anything is signed or sent', async () => {
    let signed = 0;
    const counting = {
      signer: (bytes: Uint8Array) => {
        signed += 1;
        return keys.seller.signer(bytes);
      },
    };
    const terms = {
      assetId,
      sellerId: user.seller,
      units: 1,
      pricePerUnit: 1,
      minPerBuyer: 1,
      maxPerBuyer: 1,
    };
    for (const expiresAt of ['2027-02-30T00:00:00.000Z', '2027-13-01T00:00:00.000Z']) {
      expect(await failureCode(p1.listings.create({ ...terms, expiresAt }, counting))).toBe(
        'INVALID_ARGUMENT',
      );
    }
    expect(signed).toBe(0);
  });

  it('are refused by the chaincode in a signed request, with nothing escrowed', async () => {
    const escrowed = async (): Promise<number> =>
      (await p1.users.portfolio(user.seller)).holdings.find((h) => h.assetId === assetId)?.escrowed ?? -1;
    const before = await escrowed();
    const listing = params('listings:Create', {
      assetId,
      units: 1,
      pricePerUnit: 1,
      minPerBuyer: 1,
      maxPerBuyer: 1,
      expiresAt: '2027-02-30T00:00:00.000Z',
    });
    const args = signedArguments('listings:Create', user.seller, listing, keys.seller.privateKey);
    expect(await submit('platform1', 'listings:Create', args)).toBe('INVALID_ARGUMENT');
    const offer = params('offers:Create', {
      assetId,
      buyerId: user.buyer,
      units: 1,
      pricePerUnit: 1,
      expiresAt: '2027-13-01T00:00:00.000Z',
    });
    const offerArgs = signedArguments('offers:Create', user.seller, offer, keys.seller.privateKey);
    expect(await submit('platform1', 'offers:Create', offerArgs)).toBe('INVALID_ARGUMENT');
    expect(await escrowed()).toBe(before);
  });
});

describe('deadlines keep the proposal time window as a margin', () => {
  it('closes commitments a window before the deadline, and refuses a settle inside the window after it', async () => {
    const deadline = Date.now() + W + 20_000;
    const terms = {
      assetId,
      sellerId: user.seller,
      units: 5,
      targetUnits: 1,
      pricePerUnit: PRICE,
      minPerInvestor: 1,
      maxPerInvestor: 5,
      deadline: new Date(deadline),
    };
    const campaign = await p1.campaigns.create(terms, keys.seller);
    await p2.campaigns.commit(campaign.listingId, user.buyer, 1, { ...keys.buyer, pricePerUnit: PRICE });

    await sleep(Math.max(0, deadline - W + 1_000 - Date.now()));
    const late = p2.campaigns.commit(campaign.listingId, user.buyer, 1, {
      ...keys.buyer,
      pricePerUnit: PRICE,
    });
    expect(await failureCode(late)).toBe('CAMPAIGN_CLOSED');

    await sleep(Math.max(0, deadline + 2_000 - Date.now()));
    // Past the deadline by the client's clock, but a timestamp inside the window may be early by the peers'.
    expect(await failureCode(p2.campaigns.settle(campaign.listingId))).toBe('CAMPAIGN_OPEN');
    expect((await p2.listings.get(campaign.listingId)).status).toBe('OPEN');

    await sleep(Math.max(0, deadline + W + 1_500 - Date.now()));
    const settled = await p2.campaigns.settle(campaign.listingId);
    expect(settled.listing.status).toBe('SUCCEEDED');
    expect(settled.trades.map((t) => [t.buyerId, t.units])).toEqual([[user.buyer, 1]]);
  });
});

interface ReportJson {
  readonly ok: boolean;
  readonly nodes: readonly {
    readonly name: string;
    readonly kind: string;
    readonly ok: boolean;
    readonly consents?: {
      readonly checked: number;
      readonly registrations: number;
      readonly failures: readonly {
        readonly block: string;
        readonly txId: string;
        readonly action: string;
        readonly reason: string;
      }[];
    };
  }[];
}

async function verifyConsents(
  ...args: string[]
): Promise<{ code: number; report: ReportJson; stdout: string }> {
  const cli = join(repoDir, 'cli', 'dist', 'main.js');
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'ledger', 'verify', '--consents', ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, report: JSON.parse(stdout) as ReportJson, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    const stdout = failed.stdout ?? '';
    return { code: failed.code ?? -1, report: JSON.parse(stdout) as ReportJson, stdout };
  }
}

describe('ledger verify --consents', () => {
  const TAMPERED = 'peer0.platform1';
  let txId = '';
  let request = '';

  beforeAll(async () => {
    const args = buyArgs(3, keys.buyer.privateKey, { requestId: `tamper-${run}` });
    request = args[0] ?? '';
    txId = await withConnection('platform2', 'app', async (c) => {
      const submitted = await c.contract('trades').submitAsync('Buy', { arguments: args });
      expect((await submitted.getStatus()).successful).toBe(true);
      return submitted.getTransactionId();
    });
    // Every peer (4) and orderer (3) has written the block before its files are read.
    for (let tries = 0; (await blockFilesContaining(request)).length < 7 && tries < 60; tries += 1) {
      await sleep(250);
    }
  });

  it('re-checks every signed request on every peer of a clean chain, from the blocks alone', async () => {
    const { code, report } = await verifyConsents('--from-files', '--json');
    expect(code).toBe(0);
    const peers = report.nodes.filter((n) => n.kind === 'peer');
    expect(peers).toHaveLength(4);
    for (const node of peers) {
      expect(node.consents?.failures).toEqual([]);
      // This file alone commits 10 signed requests before this test; other
      // suites add theirs only when jest happens to run them first.
      expect(node.consents?.checked).toBeGreaterThanOrEqual(10);
      expect(node.consents?.registrations).toBeGreaterThanOrEqual(4);
    }
    expect(report.nodes.filter((n) => n.kind === 'orderer').every((n) => n.consents === undefined)).toBe(
      true,
    );
  });

  describe(`with the signed request altered in ${TAMPERED}'s block file`, () => {
    let blockFile = '';
    let backupDir: string | undefined;

    beforeAll(async () => {
      const files = (await blockFilesContaining(request)).filter((f) => f.includes(`/nodes/${TAMPERED}/`));
      expect(files).toHaveLength(1);
      blockFile = files[0] ?? '';
      await stopNode(TAMPERED);
      backupDir = await mkdtemp(join(tmpdir(), 'consent-backup-'));
      await copyFile(blockFile, join(backupDir, 'blockfile'));
      const bytes = await readFile(blockFile);
      const at = bytes.indexOf(Buffer.from(request));
      const units = bytes.indexOf(Buffer.from('"units":3'), at);
      expect(at).toBeGreaterThan(0);
      expect(units).toBeGreaterThan(at);
      expect(units).toBeLessThan(at + request.length);
      // Only the request's own bytes: the trade and event the chaincode wrote still say 3 units.
      bytes[units + '"units":'.length] = '9'.charCodeAt(0);
      await writeFile(blockFile, bytes);
    });

    afterAll(async () => {
      if (backupDir !== undefined) {
        await copyFile(join(backupDir, 'blockfile'), blockFile);
        await rm(backupDir, { recursive: true, force: true });
      }
      await runCli(['network', 'up']);
    }, 180_000);

    it('names that transaction on that node, and only there', async () => {
      const { code, report } = await verifyConsents('--from-files', '--json');
      expect(code).toBe(2);
      const tampered = report.nodes.find((n) => n.name === TAMPERED);
      expect(tampered?.ok).toBe(false);
      expect(tampered?.consents?.failures).toEqual([
        expect.objectContaining({
          txId,
          action: 'trades:Buy',
          reason: expect.stringMatching(
            /^the signature does not verify under .*'s key [0-9a-f]{64} registered at this block$/,
          ) as unknown,
        }),
      ]);
      for (const node of report.nodes.filter((n) => n.kind === 'peer' && n.name !== TAMPERED)) {
        expect(node.consents?.failures).toEqual([]);
      }
      const text = await promisify(execFile)(process.execPath, [
        join(repoDir, 'cli', 'dist', 'main.js'),
        'ledger',
        'verify',
        '--consents',
        '--from-files',
        '--node',
        TAMPERED,
      ]).catch((error: unknown) => error as { stdout: string });
      expect(text.stdout).toContain(`Consents on ${TAMPERED}:`);
      expect(text.stdout).toMatch(
        new RegExp(`transaction \\d+ ${txId} trades:Buy ${user.buyer}: the signature does not verify`),
      );
    });
  });
});
