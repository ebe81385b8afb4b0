import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import {
  type ConsentOptions,
  consentSigner,
  CrowdLedger,
  type CrowdLedgerClient,
  type IssuedCertificate,
  PROPOSAL_TIME_WINDOW_MS,
  signHolderQuery,
  toCrowdLedgerError,
} from '@crowdledger/client';
import Table from 'cli-table3';
import { deadlinesFromEnv } from '../deadlines';
import { sharePercent } from '../output';
import { PLAIN } from '../table';
import { Narrator, yuan } from './narrator';

type Platform = 'platform1' | 'platform2';

interface Cast {
  readonly seller: string;
  readonly holder: string;
  readonly buyer: string;
  readonly investor: string;
}

interface Scene {
  readonly home: string;
  readonly run: string;
  readonly n: Narrator;
  readonly sdk: Record<Platform, CrowdLedgerClient>;
  /** Each user's signer: in the demo the key pairs live here; in production on the users' devices. */
  readonly keys: Map<string, ConsentOptions>;
  /** Each user's name as their platform knows it: the ledger holds only commitments. */
  readonly names: Map<string, string>;
}

/** What the mission made, for the commands printed after it. */
export interface MissionResult {
  readonly assetId: string;
  readonly buyerId: string;
  /** A block at which the asset had been registered and nothing of it traded yet. */
  readonly registeredBy: bigint;
}

const profile = (home: string, org: string): string => join(home, 'profiles', `${org}.json`);

/** The whole mission, step by step, against the running network in `home`. */
export async function playMission(home: string): Promise<MissionResult> {
  const run = Date.now().toString(36);
  const deadlinesMs = deadlinesFromEnv();
  const connectAs = (org: string): Promise<CrowdLedgerClient> =>
    CrowdLedger.connect({ profile: profile(home, org), identity: 'app', deadlinesMs });
  const sdk = { platform1: await connectAs('platform1'), platform2: await connectAs('platform2') };
  const scene: Scene = { home, run, n: new Narrator(), sdk, keys: new Map(), names: new Map() };
  try {
    console.log(`CrowdLedger: the whole mission on the network in ${home}`);
    const cast = await registerUsers(scene);
    const { assetId, registeredBy } = await registerAsset(scene, cast);
    await grantAcrossPlatforms(scene, cast);
    const certificates = await issueCertificates(scene, assetId);
    await holderQueries(scene, certificates.get(cast.holder));
    await listAndBuy(scene, cast, assetId);
    await runCampaign(scene, cast, assetId);
    await capTable(scene, assetId);
    await capTableAt(scene, assetId, registeredBy);
    await verifyLedger(scene);
    return { assetId, buyerId: cast.buyer, registeredBy };
  } finally {
    for (const c of Object.values(sdk)) {
      c.close();
    }
  }
}

async function registerUsers(s: Scene): Promise<Cast> {
  s.n.step(
    "Two platforms register their users (names and ID numbers go to private data only) and each user's public key",
  );
  const people = [
    { platform: 'platform1', ref: 'zhang-wei', name: '张伟', idNumber: '11010519491231002X' },
    { platform: 'platform1', ref: 'li-na', name: '李娜', idNumber: '440524188001010014' },
    { platform: 'platform2', ref: 'wang-fang', name: '王芳', idNumber: '11010119900307387X' },
    { platform: 'platform2', ref: 'liu-yang', name: '刘洋', idNumber: '110101198001010037' },
  ] as const;
  const ids: string[] = [];
  for (const p of people) {
    const user = await s.sdk[p.platform].users.register({
      platformRef: `${p.ref}-${s.run}`,
      name: p.name,
      idType: 'RESIDENT_ID',
      idNumber: p.idNumber,
    });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = consentSigner(privateKey);
    const key = await s.sdk[p.platform].keys.register(user.userId, publicKey, signer);
    s.keys.set(user.userId, { signer });
    s.names.set(user.userId, p.name);
    ids.push(user.userId);
    s.n.say(
      `${p.platform}: ${p.name} is ${user.userId}, transaction key ${key.keyId.slice(0, 12)}… registered`,
    );
  }
  const [seller = '', holder = '', buyer = '', investor = ''] = ids;
  return { seller, holder, buyer, investor };
}

async function registerAsset(s: Scene, cast: Cast): Promise<{ assetId: string; registeredBy: bigint }> {
  s.n.step('Platform1 registers an equity asset with two holders');
  const asset = await s.sdk.platform1.assets.register({
    assetRef: `urban-renewal-${s.run}`,
    attributes: {
      name: '城市更新基金一期',
      category: 'EQUITY',
      description: 'Regional equity crowdfunding for an urban renewal project',
      currency: 'CNY',
      documents: [{ name: 'prospectus.pdf', sha256: 'c'.repeat(64), uri: 'https://platform1.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: true, policy: 'Yearly, pro rata' },
      otherTerms: [{ name: 'lock-up', value: '12 months' }],
    },
    totalUnits: 1000,
    holders: [
      { userId: cast.seller, units: 600 },
      { userId: cast.holder, units: 400 },
    ],
  });
  s.n.say(`asset ${asset.assetId}: 1000 units, 张伟 600 and 李娜 400, both certificates due`);
  // The registration has committed on this peer, so its block is below the height.
  const registeredBy = (await s.sdk.platform1.chainHeight()) - 1n;
  return { assetId: asset.assetId, registeredBy };
}

/** R13: units Platform1 grants a Platform2 user wait for Platform2, which accepts them. */
async function grantAcrossPlatforms(s: Scene, cast: Cast): Promise<void> {
  s.n.step(
    "Platform1 grants 刘洋, Platform2's user, 10 units of a founders' round: pending until Platform2 accepts",
  );
  const asset = await s.sdk.platform1.assets.register({
    assetRef: `founders-${s.run}`,
    attributes: {
      name: '城市更新基金一期 创始轮',
      category: 'EQUITY',
      description: "The founders' round",
      currency: 'CNY',
      documents: [],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: 100,
    holders: [
      { userId: cast.seller, units: 90 },
      { userId: cast.investor, units: 10 },
    ],
  });
  // Platform1's peer has committed the block; Platform2's may still be a moment behind.
  const pending = await within(5_000, () => pendingFor(s.sdk.platform2, asset.assetId, cast.investor));
  s.n.say(`Platform2 sees 刘洋's 10 units ${String(pending)}: no certificate due, nothing tradable yet`);
  s.n.insist(pending === 'PENDING', `a PENDING holding for Platform2 to accept, got ${String(pending)}`);
  const accepted = await s.sdk.platform2.assets.acceptHolding(asset.assetId, cast.investor);
  s.n.say(`Platform2 accepts: the holding is ${accepted.certificate} a certificate, like any other`);
  s.n.insist(accepted.certificate === 'DUE', `DUE after acceptance, got ${accepted.certificate}`);
}

/** The state of the user's pending holding of the asset, undefined when it is not listed. */
async function pendingFor(
  client: CrowdLedgerClient,
  assetId: string,
  userId: string,
): Promise<string | undefined> {
  for await (const h of client.assets.allPendingHoldings()) {
    if (h.assetId === assetId && h.userId === userId) {
      return h.certificate;
    }
  }
  return undefined;
}

/** The read's first defined answer, asked every 250 ms for up to `ms`; undefined after. */
async function within<T>(ms: number, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) {
      return value;
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function issueCertificates(s: Scene, assetId: string): Promise<Map<string, IssuedCertificate>> {
  s.n.step("Platform1 issues its holders' asset certificates from the event feed (Fabric CA)");
  const issued = new Map<string, IssuedCertificate>();
  const report = await s.sdk.platform1.certificates.issueDue({
    checkpoint: join(s.home, `demo-${s.run}-platform1.checkpoint`),
    onIssued: (certificate) => {
      // 张伟 holds the founders' round too: keep this asset's certificates by holder.
      if (certificate.assetId === assetId) {
        issued.set(certificate.holderId, certificate);
      }
    },
  });
  for (const c of issued.values()) {
    s.n.say(`${c.holderId}: serial ${c.record.serial}, recorded on the ledger`);
  }
  s.n.say(`${String(report.issued.length)} issued, ${String(report.skipped.length)} skipped`);
  const mine = issued.size;
  s.n.insist(mine === 2, `both holders' certificates issued, got ${String(mine)}`);
  return issued;
}

async function holderQueries(s: Scene, certificate: IssuedCertificate | undefined): Promise<void> {
  s.n.step("李娜 signs a query with her certificate's key; Platform2, not even her platform, relays it");
  if (certificate === undefined) {
    s.n.say('no certificate was issued to her');
    return;
  }
  // Holders are no channel identities: her key signs a fresh request here, any platform relays it.
  const holder = { certificate: certificate.certificatePem, privateKey: certificate.privateKeyPem };
  const view = await s.sdk.platform2.certificates.query(holder);
  const share = sharePercent(view.holding.units, view.asset.totalUnits);
  s.n.say(`${view.asset.attributes.name}: ${String(view.holding.units)} units, ${share}% of the total`);
  s.n.insist(view.holding.units === 400, `her 400 units, got ${String(view.holding.units)}`);
  const stale = await s.sdk.platform2.certificates
    .relayQuery(await signHolderQuery(holder, { at: new Date(Date.now() - 10 * 60_000) }))
    .then(
      () => 'accepted',
      (error: unknown) => toCrowdLedgerError(error).code,
    );
  s.n.say(`a request she signed ten minutes ago: refused (${stale}), so a captured one soon goes stale`);
  s.n.insist(stale === 'QUERY_REQUEST_STALE', `QUERY_REQUEST_STALE for an old request, got ${stale}`);
}

async function listAndBuy(s: Scene, cast: Cast, assetId: string): Promise<void> {
  const listingId = await list(s, cast, assetId);
  s.n.step('王芳 on Platform2 buys 30 units: first a request she never signed, then hers');
  const forger = consentSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const refused = await s.sdk.platform2.trades.buy(listingId, cast.buyer, 30, { signer: forger }).then(
    () => 'accepted',
    (error: unknown) => toCrowdLedgerError(error).code,
  );
  const untouched = (await s.sdk.platform2.listings.get(listingId)).remaining === 100;
  s.n.say(`forged request: refused (${refused}); nothing written, the listing still has 100 units`);
  s.n.insist(
    refused === 'CONSENT_SIGNATURE_INVALID' && untouched,
    `CONSENT_SIGNATURE_INVALID and 100 units left, got ${refused}`,
  );
  const { trade } = await s.sdk.platform2.trades.buy(listingId, cast.buyer, 30, key(s, cast.buyer));
  s.n.say(`bought ${String(trade.units)} units for ${yuan(trade.amount)}, trade ${trade.tradeId}`);
  const issued = await s.sdk.platform2.certificates.issue(assetId, cast.buyer);
  s.n.say(`she held none before: Platform2 issues her certificate, serial ${issued.record.serial}`);
}

async function list(s: Scene, cast: Cast, assetId: string): Promise<string> {
  s.n.step('张伟 lists 100 units at ¥12.50 on Platform1; every platform sees the listing');
  const terms = {
    assetId,
    sellerId: cast.seller,
    units: 100,
    pricePerUnit: 1250,
    minPerBuyer: 10,
    maxPerBuyer: 100,
    expiresAt: new Date(Date.now() + 86_400_000),
  };
  const listing = await s.sdk.platform1.listings.create(terms, key(s, cast.seller));
  const open = await s.sdk.platform2.listings.open({ pageSize: 100 });
  const seen = open.records.some((l) => l.listingId === listing.listingId);
  s.n.say(`listing ${listing.listingId}, 100 units in escrow; Platform2 sees it: ${seen ? 'yes' : 'no'}`);
  s.n.insist(seen, 'Platform2 to see the listing among the open ones');
  return listing.listingId;
}

async function runCampaign(s: Scene, cast: Cast, assetId: string): Promise<void> {
  // Commitments close one proposal time window before the deadline and it settles one after.
  const window = PROPOSAL_TIME_WINDOW_MS;
  s.n.step(
    `李娜 runs a campaign: 200 units, target 100, deadline in ${String((window + 15_000) / 1000)} seconds`,
  );
  const deadline = new Date(Date.now() + window + 15_000);
  const terms = {
    assetId,
    sellerId: cast.holder,
    units: 200,
    targetUnits: 100,
    pricePerUnit: 1000,
    minPerInvestor: 10,
    maxPerInvestor: 100,
    deadline,
  };
  const campaign = await s.sdk.platform1.campaigns.create(terms, key(s, cast.holder));
  await s.sdk.platform2.campaigns.commit(campaign.listingId, cast.investor, 60, key(s, cast.investor));
  await s.sdk.platform2.campaigns.commit(campaign.listingId, cast.buyer, 50, key(s, cast.buyer));
  s.n.say('刘洋 commits 60 and 王芳 50 from Platform2: 110 of 100 reserved');
  s.n.say(
    `settling waits for the deadline and the peers' ${String(window / 1000)}-second time window after it`,
  );
  await new Promise((done) =>
    setTimeout(done, Math.max(0, deadline.getTime() + window - Date.now() + 2_000)),
  );
  const settled = await s.sdk.platform1.campaigns.settle(campaign.listingId);
  s.n.say(
    `deadline passed: ${settled.listing.status}, ${String(settled.trades.length)} commitments became trades`,
  );
  s.n.insist(
    settled.listing.status === 'SUCCEEDED' && settled.trades.length === 2,
    'a SUCCEEDED campaign, 2 trades',
  );
  const issued = await s.sdk.platform2.certificates.issue(assetId, cast.investor);
  s.n.say(`刘洋 is a new holder: certificate serial ${issued.record.serial}`);
}

async function capTable(s: Scene, assetId: string): Promise<void> {
  s.n.step('The cap table, as compliance reads it');
  const { asset, holders } = await s.sdk.platform1.assets.capTable(assetId);
  // The name column is the platform's own knowledge; the ledger has only the holder ID.
  const head = ['HOLDER', 'NAME', 'UNITS', 'SHARE %', 'IN ESCROW', 'CERTIFICATE', 'SERIAL'];
  const table = new Table({ ...PLAIN, head });
  for (const { holding: h, certificate } of holders) {
    table.push([
      h.userId,
      s.names.get(h.userId) ?? '',
      String(h.units),
      sharePercent(h.units, asset.totalUnits),
      String(h.escrowed),
      h.certificate,
      certificate?.serial ?? '',
    ]);
  }
  const held = holders.reduce((sum, { holding }) => sum + holding.units, 0);
  s.n.insist(
    held === asset.totalUnits,
    `units held to add up to ${String(asset.totalUnits)}, got ${String(held)}`,
  );
  console.log(
    table
      .toString()
      .split('\n')
      .map((line) => `   ${line.trimEnd()}`)
      .join('\n'),
  );
}

async function capTableAt(s: Scene, assetId: string, block: bigint): Promise<void> {
  s.n.step(`The same cap table as block ${String(block)} left it, rebuilt from the blocks (R14)`);
  const { asset, holders } = await s.sdk.platform1.assets.capTableAt(assetId, block);
  for (const { holding: h } of holders) {
    const share = sharePercent(h.units, asset.totalUnits);
    s.n.say(
      `${s.names.get(h.userId) ?? h.userId}: ${String(h.units)} units (${share}%), certificate ${h.certificate}`,
    );
  }
  const units = holders.map(({ holding }) => holding.units).join(' and ');
  s.n.insist(units === '600 and 400' || units === '400 and 600', `the registered 600 and 400, got ${units}`);
}

async function verifyLedger(s: Scene): Promise<void> {
  s.n.step('The verifier checks every block on every peer and orderer, and every signed request');
  const cli = join(__dirname, '..', 'main.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'ledger', 'verify', '--consents'], {
    env: { ...process.env, CROWDLEDGER_HOME: s.home },
  });
  console.log(
    stdout
      .split('\n')
      .map((line) => `   ${line}`)
      .join('\n'),
  );
}

function key(s: Scene, userId: string): ConsentOptions {
  const signer = s.keys.get(userId);
  if (signer === undefined) {
    throw new Error(`the demo registered no key for ${userId}`);
  }
  return signer;
}
