import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peer } from '@hyperledger/fabric-protos';
import {
  CrowdLedger,
  type CrowdLedgerClient,
  type FabricCaClient,
  isFabricCaError,
  openAssetCa,
  type SignedAction,
  toCrowdLedgerError,
} from '../../client/src';
import { validationFlags } from '../../client/src/blocks/writes';
import {
  eventually,
  networkHome,
  newPerson,
  orgs,
  profilePath,
  registerUserKey,
  registration,
  repoDir,
  signedArguments,
  uniqueSuffix,
  userIdOf,
  type UserKey,
  withClient,
  withConnection,
} from './support';
import { fundAsset } from '../support/assets';

/**
 * Intruders (issue #20) the trust suites (write-roles, consent, holders,
 * privacy, identity, ca) do not already send: each test is the attack as
 * the attacker sends it — its identity, the exact call — and shows that
 * nothing was written.
 */

const run = promisify(execFile);
const suffix = uniqueSuffix();
let work = '';
let p1: CrowdLedgerClient;
let p2: CrowdLedgerClient;

/** The chain height once every peer has the same: nothing is on its way to a block. */
async function settledHeight(): Promise<bigint> {
  return eventually(async () => {
    const heights = await Promise.all(orgs.map((org) => withClient(org, (c) => c.chainHeight())));
    expect(new Set(heights).size).toBe(1);
    return heights[0] ?? 0n;
  });
}

/** What a refused call tells its caller: the code, or the gateway's words when it never reached a chaincode. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const coded = toCrowdLedgerError(error);
    return `${coded.code}: ${coded.message}`;
  }
  return 'OK';
}

async function openssl(args: readonly string[]): Promise<void> {
  await run('openssl', args, { cwd: work });
}

/**
 * A CA of the intruder's own, in no channel MSP, and a client certificate
 * from it claiming everything a real one could: OU=client, and
 * crowdledger.role=admin in Fabric CA's attribute extension.
 */
async function intruderIdentity(): Promise<{ cert: string; key: string }> {
  const attrs = Buffer.from(JSON.stringify({ attrs: { 'crowdledger.role': 'admin' } })).toString('hex');
  await writeFile(
    join(work, 'leaf.ext'),
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n1.2.3.4.5.6.7.8.1=DER:${attrs}\n`,
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=intruder-ca']);
  await openssl([
    'req',
    '-new',
    ...ec,
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/OU=client/CN=app',
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  ]);
  return { cert: join(work, 'leaf.pem'), key: join(work, 'leaf.key') };
}

const users = { seller: '', buyer: '' };
const keys = {} as Record<keyof typeof users, UserKey>;
let assetId = '';
let listingId = '';
let offerId = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crowdledger-intruders-'));
  p1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  p2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  users.seller = (await p1.users.register(newPerson('intruders-seller'))).userId;
  users.buyer = (await p2.users.register(newPerson('intruders-buyer'))).userId;
  keys.seller = await eventually(() => registerUserKey(p1, users.seller));
  keys.buyer = await eventually(() => registerUserKey(p2, users.buyer));
  assetId = (
    await p1.assets.register(
      fundAsset(`intruders-${suffix}`, [{ userId: users.seller, units: 100 }], {
        name: '入侵测试',
        description: 'intruders',
      }),
    )
  ).assetId;
  const expiresAt = new Date(Date.now() + 3_600_000);
  const terms = { assetId, sellerId: users.seller, pricePerUnit: 10 };
  listingId = (
    await p1.listings.create({ ...terms, units: 20, minPerBuyer: 1, maxPerBuyer: 20, expiresAt }, keys.seller)
  ).listingId;
  offerId = (await p1.offers.create({ ...terms, buyerId: users.buyer, units: 5, expiresAt }, keys.seller))
    .offerId;
});

afterAll(async () => {
  p1.close();
  p2.close();
  await rm(work, { recursive: true, force: true });
});

describe('a client of an MSP no channel trusts', () => {
  const attacks = [
    ['an MSP of its own, IntruderMSP', 'IntruderMSP', 'platform1'],
    ['the registry’s MSP ID, RegistryMSP', 'RegistryMSP', 'registry'],
    ['a platform’s MSP ID, Platform1MSP', 'Platform1MSP', 'platform1'],
  ] as const;

  it.each(attacks)(
    'with a self-made admin certificate presented as %s is refused evaluate and submit before any chaincode runs',
    async (_as, mspId, org) => {
      const identity = { ...(await intruderIdentity()), mspId };
      const before = await settledHeight();
      const person = newPerson('intruder-unknown-msp');
      const options = await registration('platform1', person);
      const answers = await withConnection(org, identity, async (c) => [
        await refusal(c.contract('identity').evaluateTransaction('WhoAmI')),
        await refusal(c.contract('assets').evaluateTransaction('Get', assetId)),
        await refusal(c.contract('users').submit('Register', options)),
        await refusal(c.contract('listings').submitTransaction('Expire', listingId)),
      ]);
      for (const answer of answers) {
        // Refused by the peer's MSP check, not by the chaincode: no code of ours, nothing of the ledger.
        expect(answer).toMatch(/creator org unknown|access denied|certificate|unknown authority/i);
        expect(answer).not.toMatch(/^(OK|FORBIDDEN|[A-Z_]+_NOT_FOUND):/);
        expect(answer).not.toContain(users.seller);
      }
      expect(await settledHeight()).toBe(before);
    },
  );
});

describe('the same signed transaction submitted twice', () => {
  it('commits once; the copy is ordered but invalidated DUPLICATE_TXID, and nothing is written twice', async () => {
    const person = newPerson('intruder-replayed-tx');
    const options = await registration('platform1', person);
    const { first, copy, txId, from } = await withConnection('platform1', 'app', async (c) => {
      const transaction = await c.contract('users').newProposal('Register', options).endorse();
      const committed = await (await transaction.submit()).getStatus();
      // The signed envelope, exactly as the orderer got it, sent again by whoever captured it.
      const bytes = transaction.getBytes();
      const height = await settledHeight();
      const again = await (await c.gateway.newTransaction(bytes).submit()).getStatus();
      return { first: committed, copy: again, txId: transaction.getTransactionId(), from: height };
    });
    expect(first.code).toBe(peer.TxValidationCode.VALID);
    console.info(
      `the gateway reports the copy as code ${String(copy.code)} in block ${String(copy.blockNumber)}`,
    );
    // Every peer commits the block holding the copy at once: an invalid transaction's private data is not
    // waited for (a minute per copy on the collection's members otherwise, with every commit behind it held up).
    const settled = Date.now();
    await eventually(async () => {
      expect(await settledHeight()).toBeGreaterThan(from);
    });
    expect(Date.now() - settled).toBeLessThan(10_000);
    const flags = await eventually(() => duplicateFlags(txId, from));
    expect(flags).toEqual([peer.TxValidationCode.DUPLICATE_TXID]);
    const userId = await userIdOf('platform1', person.platformRef);
    expect(await withClient('registry', (c) => c.audit.history('user', userId))).toHaveLength(1);
  });
});

/** The validation code of every copy of the transaction in the blocks from `from` on (the first copy is before). */
async function duplicateFlags(txId: string, from: bigint): Promise<number[]> {
  return withConnection('registry', 'auditor', async (c) => {
    const height = await withClient('registry', (client) => client.chainHeight());
    expect(height).toBeGreaterThan(from);
    const found: number[] = [];
    const blocks = await c.network.getBlockEvents({ startBlock: from });
    try {
      for await (const block of blocks) {
        const number = BigInt(block.getHeader()?.getNumber() ?? 0);
        const flags = validationFlags(block);
        block
          .getData()
          ?.getDataList_asU8()
          .forEach((envelope, i) => {
            if (Buffer.from(envelope).includes(Buffer.from(txId))) {
              found.push(flags[i] ?? -1);
            }
          });
        if (number >= height - 1n) {
          break;
        }
      }
    } finally {
      blocks.close();
    }
    return found;
  });
}

type Org = 'platform1' | 'platform2';

async function submitAs(org: Org, action: SignedAction, args: string[]): Promise<string> {
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

/** Everything a platform acting for another's user could change: the listing, the offer, both holdings, their histories. */
async function snapshot(): Promise<unknown> {
  const auditor = await CrowdLedger.connect({ profile: profilePath('registry'), identity: 'auditor' });
  try {
    return {
      listing: await auditor.listings.get(listingId),
      offer: await auditor.offers.get(offerId),
      seller: (await auditor.users.portfolio(users.seller)).holdings,
      buyer: (await auditor.users.portfolio(users.buyer)).holdings,
      histories: [
        (await auditor.audit.history('listing', listingId)).length,
        (await auditor.audit.history('offer', offerId)).length,
        (await auditor.audit.history('holding', `${assetId}/${users.seller}`)).length,
      ],
    };
  } finally {
    auditor.close();
  }
}

describe("a platform acting for another platform's user, asset, listing or offer", () => {
  it("Platform2 relays Platform1's seller's own signed listing, cancel and offer cancel: FORBIDDEN, and the request stays unused", async () => {
    const before = await snapshot();
    const height = await settledHeight();
    const list = signedArguments(
      'listings:Create',
      users.seller,
      {
        assetId,
        units: 5,
        pricePerUnit: 10,
        minPerBuyer: 1,
        maxPerBuyer: 5,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      keys.seller.privateKey,
    );
    const cancel = signedArguments('listings:Cancel', users.seller, { listingId }, keys.seller.privateKey);
    const cancelOffer = signedArguments('offers:Cancel', users.seller, { offerId }, keys.seller.privateKey);
    expect([
      await submitAs('platform2', 'listings:Create', list),
      await submitAs('platform2', 'listings:Cancel', cancel),
      await submitAs('platform2', 'offers:Cancel', cancelOffer),
    ]).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
    expect(await settledHeight()).toBe(height);
  });

  it("Platform1 relays Platform2's buyer's own signed buy and offer acceptance: FORBIDDEN, nothing moves", async () => {
    const before = await snapshot();
    const height = await settledHeight();
    const buy = signedArguments(
      'trades:Buy',
      users.buyer,
      { listingId, units: 2, pricePerUnit: 10 },
      keys.buyer.privateKey,
    );
    const accept = signedArguments(
      'offers:Accept',
      users.buyer,
      { offerId, units: 5, pricePerUnit: 10 },
      keys.buyer.privateKey,
    );
    expect([
      await submitAs('platform1', 'trades:Buy', buy),
      await submitAs('platform1', 'offers:Accept', accept),
    ]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
    expect(await settledHeight()).toBe(height);
    // The very requests the wrong platform sent were never recorded: the buyer's own platform runs them once.
    expect(await submitAs('platform2', 'trades:Buy', buy)).toBe('OK');
    expect(await submitAs('platform2', 'offers:Accept', accept)).toBe('OK');
    expect(await submitAs('platform2', 'trades:Buy', buy)).toBe('CONSENT_REPLAYED');
  });

  it("Platform2 asks about, and revokes the certificates of, Platform1's holding of Platform1's asset: FORBIDDEN", async () => {
    const before = await snapshot();
    const height = await settledHeight();
    const revoke = await withConnection('platform2', 'app', (c) =>
      c
        .contract('certificates')
        .submitTransaction('Revoke', assetId, users.seller, 'keycompromise')
        .then(
          () => 'OK',
          (e: unknown) => toCrowdLedgerError(e).code,
        ),
    );
    // The pre-trade check answers rather than throws: its verdict is the refusal.
    const check = await p2.trades.canBuy(listingId, users.seller, 1);
    const codes = [revoke, check.ok ? 'OK' : (check.code ?? '')];
    expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
    expect(await settledHeight()).toBe(height);
  });
});

interface CaEndpoint {
  readonly url: string;
  readonly tls: string;
  readonly registrar: (platform: Org) => string;
}

async function assetCa(): Promise<CaEndpoint> {
  const layout = JSON.parse(await readFile(join(networkHome(), 'layout.json'), 'utf8')) as {
    orgs: { ca: { host: string; port: number } }[];
  };
  const ca = layout.orgs[0]?.ca;
  if (ca === undefined) {
    throw new Error('layout has no registry CA');
  }
  const registryDir = join(networkHome(), 'orgs', 'registry');
  return {
    url: `https://${ca.host}:${String(ca.port)}`,
    tls: join(registryDir, 'tlsca-cert.pem'),
    registrar: (platform) => join(registryDir, 'registrars', `assetca-${platform}`),
  };
}

/** fabric-ca-client as the pinned toolchain runs it; its output (or refusal) as text. */
async function caClient(args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(
      'bash',
      ['-c', '. network/lib/common.sh && fabric-ca-client "$@"', 'fabric-ca-client', ...args],
      { cwd: repoDir },
    );
    return `OK ${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`;
  }
}

describe("a platform's asset-CA registrar asking for what it may not grant", () => {
  let ca: CaEndpoint;
  let platform1: FabricCaClient;

  beforeAll(async () => {
    ca = await assetCa();
    platform1 = await openAssetCa(profilePath('platform1'));
  });

  async function register(id: string, type: string, attrs: string): Promise<string> {
    const base = ['register', '-u', ca.url, '--caname', 'assetca', '--tls.certfiles', ca.tls];
    const home = ['-H', join(work, `registrar-${id}`)];
    await run('cp', ['-r', ca.registrar('platform1'), join(work, `registrar-${id}`)]);
    return caClient([
      ...base,
      ...home,
      '--id.name',
      id,
      '--id.type',
      type,
      '--id.affiliation',
      'platform1',
      ...(attrs === '' ? [] : ['--id.attrs', attrs]),
    ]);
  }

  it.each([
    ['a peer', 'peer', ''],
    ['an orderer', 'orderer', ''],
    ['an admin', 'admin', ''],
    ['a sub-CA (hf.IntermediateCA)', 'client', 'hf.IntermediateCA=true'],
    ['a registrar of any attribute (hf.Registrar.Attributes=*)', 'client', 'hf.Registrar.Attributes=*'],
    ['an affiliation manager (hf.AffiliationMgr)', 'client', 'hf.AffiliationMgr=true'],
  ])('registers no identity that is %s, and none appears at the CA', async (_what, type, attrs) => {
    const id = `rogue-${uniqueSuffix()}`;
    const said = await register(id, type, attrs);
    expect(said).not.toMatch(/^OK/);
    expect(said).toMatch(/Error Code: 71|not authorized|does not have authority|cannot register/i);
    expect(await platform1.getIdentity(id)).toBeUndefined();
  });

  it('enrolls no certificate with an attribute the identity was never given, and adds none to it', async () => {
    const id = `holder-${uniqueSuffix()}`;
    const secret = await platform1.register({
      enrollmentId: id,
      affiliation: 'platform1',
      type: 'client',
      attrs: [{ name: 'crowdledger.asset', value: assetId, ecert: true }],
      maxEnrollments: 2,
    });
    const enroll = await caClient([
      'enroll',
      '-u',
      ca.url.replace('https://', `https://${id}:${secret}@`),
      '--caname',
      'assetca',
      '--tls.certfiles',
      ca.tls,
      '-H',
      join(work, id),
      '--enrollment.attrs',
      'crowdledger.role',
    ]);
    expect(enroll).not.toMatch(/^OK/);
    expect(await platform1.listCertificates({ enrollmentId: id })).toEqual([]);
    const modify = platform1.modifyIdentity(id, {
      attrs: [{ name: 'crowdledger.role', value: 'admin', ecert: true }],
    });
    const refused = await modify.then(
      () => 'OK',
      (e: unknown) => (isFabricCaError(e) ? e.code : 'other'),
    );
    expect(refused).not.toBe('OK');
    const attrs = (await platform1.getIdentity(id))?.attrs.map((a) => a.name) ?? [];
    expect(attrs.filter((name) => !name.startsWith('hf.'))).toEqual(['crowdledger.asset']);
  });
});
