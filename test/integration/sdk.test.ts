import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ASSET_ATTRIBUTE,
  type AssetInput,
  type Checkpointer,
  checkpointers,
  CrowdLedger,
  type CrowdLedgerClient,
  type CrowdLedgerEvent,
  hasErrorCode,
  HOLDER_ATTRIBUTE,
  ID_MASK_ATTRIBUTE,
  isCrowdLedgerError,
  type IssueDueReport,
  type IssuedCertificate,
  maskIdNumber,
  NAME_ATTRIBUTE,
  parseHolderCertificate,
  type RevokedCertificate,
  type User,
  ChaincodeErrors,
} from '../../client/src';
import {
  eventually,
  failureCode,
  outcome,
  networkHome,
  profilePath,
  registerUserKey,
  repoDir,
  residentId,
  uniqueSuffix,
  withConnection,
} from './support';

const run = promisify(execFile);
const suffix = uniqueSuffix();

const people = {
  li: { platformRef: `li-${suffix}`, name: `李小龙${suffix}`, idType: 'RESIDENT_ID', idNumber: residentId() },
  ouyang: {
    platformRef: `ouyang-${suffix}`,
    name: `欧阳娜娜`,
    idType: 'RESIDENT_ID',
    idNumber: residentId(),
  },
  ahmat: {
    platformRef: `ahmat-${suffix}`,
    name: '阿卜杜热西提·买买提',
    idType: 'PASSPORT',
    idNumber: 'E12345678',
  },
} as const;

function fund(assetRef: string, holders: AssetInput['holders']): AssetInput {
  return {
    assetRef,
    attributes: {
      name: '城市更新基金一期',
      category: 'FUND',
      description: '区域股权市场试点项目',
      currency: 'CNY',
      documents: [{ name: 'prospectus.pdf', sha256: 'b'.repeat(64), uri: 'https://docs.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: true, policy: 'Quarterly, pro rata.' },
      otherTerms: [],
    },
    totalUnits: holders.reduce((sum, h) => sum + h.units, 0),
    holders,
  };
}

let dir: string;
let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
const users: Partial<Record<keyof typeof people | 'zhang', User>> = {};
let assetId = '';
/**
 * The chain's height before this suite wrote anything: issueDue reads the feed
 * from here, not from block 0, so the holdings other suites left due (a
 * register import leaves thousands) are not this suite's to issue.
 */
let startBlock = 0n;
const reports: Partial<Record<'platform1' | 'platform2', IssueDueReport>> = {};

function user(key: keyof typeof people | 'zhang'): User {
  const found = users[key];
  if (found === undefined) {
    throw new Error(`user ${key} was not registered`);
  }
  return found;
}

function issuedHere(report: IssueDueReport | undefined): IssuedCertificate[] {
  return (report?.issued ?? []).filter((c) => c.assetId === assetId);
}

/** The channel's events from block 0, up to the first that `stop` accepts, which is acknowledged. */
async function readEvents(
  client: CrowdLedgerClient,
  checkpoint: string | Checkpointer,
  stop: (event: CrowdLedgerEvent, seen: number) => boolean,
): Promise<CrowdLedgerEvent[]> {
  const seen: CrowdLedgerEvent[] = [];
  const subscription = await client.events.subscribe({ checkpoint, startBlock });
  for await (const event of subscription) {
    seen.push(event);
    if (stop(event, seen.length)) {
      await subscription.ack();
      break;
    }
  }
  return seen;
}

/** A platform process reading the event feed into `out` (fixtures/event-consumer.mjs), `delayMs` per event. */
function startConsumer(out: string, delayMs: number): ChildProcess {
  const script = join(repoDir, 'test', 'integration', 'fixtures', 'event-consumer.mjs');
  // From the suite's own first block: other suites' history is not this test's to replay.
  const args = [script, profilePath('platform2'), out, String(delayMs), String(startBlock)];
  return spawn(process.execPath, args, { stdio: 'ignore' });
}

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

/** What a holder's relayed query gets: ACCEPTED or the CrowdLedger code. */
async function queryAs(issued: IssuedCertificate | undefined, relay?: CrowdLedgerClient): Promise<string> {
  if (issued === undefined) {
    throw new Error('no certificate to query with');
  }
  const holder = { certificate: issued.certificatePem, privateKey: issued.privateKeyPem };
  try {
    await (relay ?? platform2).certificates.query(holder);
    return 'ACCEPTED';
  } catch (error) {
    return isCrowdLedgerError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-sdk-it-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  startBlock = await platform1.chainHeight();
  users.li = await platform1.users.register(people.li);
  users.ouyang = await platform1.users.register(people.ouyang);
  users.ahmat = await platform2.users.register(people.ahmat);
  const holders = [
    { userId: user('li').userId, units: 500 },
    { userId: user('ouyang').userId, units: 300 },
    { userId: user('ahmat').userId, units: 200 },
  ];
  assetId = (await platform1.assets.register(fund(`fund-${suffix}`, holders))).assetId;
  // Platform1 only granted Ahmat his units: his own platform accepts them (R13), once its peer has the asset.
  await eventually(() => platform2.assets.acceptHolding(assetId, user('ahmat').userId));
});

afterAll(async () => {
  platform1.close();
  platform2.close();
  await rm(dir, { recursive: true, force: true });
});

describe('registering through the SDK (R1, R2)', () => {
  it('assigns the IDs the SDK computes locally, on both platforms', () => {
    expect(user('li').userId).toBe(platform1.users.idFor(people.li.platformRef));
    expect(user('ahmat')).toMatchObject({ platform: 'Platform2MSP' });
    expect(user('ahmat').userId).toBe(platform2.users.idFor(people.ahmat.platformRef));
    expect(assetId).toBe(platform1.assets.idFor(`fund-${suffix}`));
  });

  it('reads the cap table, portfolios and personal data back typed', async () => {
    const holdings = [];
    for await (const holding of platform2.assets.allHolders(assetId, 2)) {
      holdings.push(holding);
    }
    expect(holdings.map((h) => h.units).sort()).toEqual([200, 300, 500]);
    expect(holdings.every((h) => h.certificate === 'DUE')).toBe(true);
    const page = await platform1.assets.listByPlatform();
    expect(page.records.map((a) => a.assetId)).toContain(assetId);
    expect((await platform2.users.portfolio(user('ahmat').userId)).holdings).toEqual([
      expect.objectContaining({ assetId, units: 200 }),
    ]);
    const personal = await platform2.users.personalData(user('ahmat').userId);
    expect(personal).toMatchObject({ name: people.ahmat.name, idNumber: people.ahmat.idNumber });
  });

  it('refuses a duplicate user with a typed USER_EXISTS error carrying the transaction ID', async () => {
    let failure: unknown;
    try {
      await platform1.users.register(people.li);
    } catch (error) {
      failure = error;
    }
    expect(hasErrorCode(failure, 'USER_EXISTS')).toBe(true);
    expect(failure).toBeInstanceOf(ChaincodeErrors.USER_EXISTS);
    if (hasErrorCode(failure, 'USER_EXISTS')) {
      expect(failure.stage).toBe('endorse');
      expect(failure.transactionId).toMatch(/^[0-9a-f]{64}$/);
      expect(failure.sentence).toContain(user('li').userId);
    }
  });
});

describe('issuing due certificates from the event feed (R3)', () => {
  it("issues on each platform exactly its own users' certificates", async () => {
    reports.platform1 = await platform1.certificates.issueDue({
      checkpoint: join(dir, 'issue-p1.json'),
      startBlock,
    });
    reports.platform2 = await platform2.certificates.issueDue({
      checkpoint: join(dir, 'issue-p2.json'),
      startBlock,
    });

    const ids = (report: IssueDueReport | undefined): string[] =>
      issuedHere(report)
        .map((c) => c.holderId)
        .sort();
    expect(ids(reports.platform1)).toEqual([user('li').userId, user('ouyang').userId].sort());
    expect(ids(reports.platform2)).toEqual([user('ahmat').userId]);
    // The feed is read from block 0: other suites' holdings pass by too; none of this asset's fails.
    expect(reports.platform1.failed.filter((f) => f.assetId === assetId)).toEqual([]);
    expect(reports.platform1.skipped).toContainEqual({
      assetId,
      holderId: user('ahmat').userId,
      reason: 'OTHER_PLATFORM',
    });
    const holders = await platform1.assets.holders(assetId, { pageSize: 10 });
    expect(holders.records.map((h) => h.certificate)).toEqual(['ISSUED', 'ISSUED', 'ISSUED']);
  });

  it('is idempotent: a second run from a new checkpoint skips every issued holding', async () => {
    const again = await platform1.certificates.issueDue({
      checkpoint: join(dir, 'issue-p1-again.json'),
      startBlock,
    });
    expect(issuedHere(again)).toEqual([]);
    expect(again.skipped).toContainEqual({ assetId, holderId: user('li').userId, reason: 'ALREADY_ISSUED' });
  });

  it('gives certificates that chain to the returned CA chain, which is the asset CA (openssl verify), show their attributes, and open as PKCS#12', async () => {
    const assetCa = await readFile(join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem'), 'utf8');
    for (const issued of [...issuedHere(reports.platform1), ...issuedHere(reports.platform2)]) {
      expect(issued.caChainPem.trim()).toBe(assetCa.trim());
      const file = join(dir, `${issued.holderId}.pem`);
      const chain = join(dir, `${issued.holderId}.chain.pem`);
      await writeFile(file, issued.certificatePem);
      await writeFile(chain, issued.caChainPem);
      const { stdout } = await run('openssl', ['verify', '-CAfile', chain, file]);
      expect(stdout.trim()).toBe(`${file}: OK`);
      // Fabric CA puts the attributes in its own extension as JSON: openssl prints it as it is.
      const { stdout: text } = await run('openssl', ['x509', '-in', file, '-noout', '-text']);
      expect(text).toContain('1.2.3.4.5.6.7.8.1:');
      expect(text).toContain(`"crowdledger.asset":"${assetId}"`);
      expect(text).toContain(`"crowdledger.holder":"${issued.holderId}"`);
      expect(text).toMatch(/"crowdledger.idmask":"[0-9A-Z]{1,3}\*+[0-9A-Z]{1,2}"/);
      const p12 = join(dir, `${issued.holderId}.p12`);
      await writeFile(p12, await issued.pkcs12('holder pass'));
      const opened = await run('openssl', [
        'pkcs12',
        '-nokeys',
        '-clcerts',
        '-passin',
        'pass:holder pass',
        '-in',
        p12,
      ]);
      expect(opened.stdout).toContain(issued.certificatePem.split('\n')[1]);
    }
  });

  it('answers each holder, relayed by any platform or the registry, with its own holding only (R4)', async () => {
    const units: Record<string, number> = {
      [user('li').userId]: 500,
      [user('ouyang').userId]: 300,
      [user('ahmat').userId]: 200,
    };
    await using registry = await CrowdLedger.connect({
      profile: profilePath('registry'),
      identity: 'auditor',
    });
    for (const issued of [...issuedHere(reports.platform1), ...issuedHere(reports.platform2)]) {
      const holder = { certificate: issued.certificatePem, privateKey: issued.privateKeyPem };
      for (const relay of [platform1, platform2, registry]) {
        const view = await relay.certificates.query(holder);
        expect(view.asset.assetId).toBe(assetId);
        expect(view.holding).toMatchObject({
          units: units[issued.holderId],
          certificateSerial: issued.record.serial,
        });
        const others = Object.keys(units).filter((id) => id !== issued.holderId);
        expect(others.some((id) => JSON.stringify(view).includes(id))).toBe(false);
      }
    }
  });

  it("refuses a holder's certificate for another asset: the ledger will not record it there", async () => {
    const li = user('li').userId;
    const other = await platform1.assets.register(fund(`elsewhere-${suffix}`, [{ userId: li, units: 9 }]));
    const fundCertificate = issuedHere(reports.platform1).find((c) => c.holderId === li);
    expect(fundCertificate?.assetId).toBe(assetId);
    const code = await failureCode(
      withConnection('platform1', 'app', (c) =>
        c.contract('certificates').submit('Record', {
          arguments: [other.assetId, li],
          transientData: { certificate: fundCertificate?.certificatePem ?? '' },
        }),
      ),
    );
    expect(code).toBe('CERTIFICATE_INVALID');
    // Nothing was recorded: the other holding still waits for a certificate of its own.
    const [holding] = (await platform1.assets.holders(other.assetId)).records;
    expect(holding).toMatchObject({ userId: li, certificate: 'DUE' });
  });

  it("keeps each holding's history, DUE then ISSUED", async () => {
    const history = await platform1.audit.history('holding', `${assetId}/${user('li').userId}`);
    expect(history.map((e) => e.value?.certificate)).toEqual(['ISSUED', 'DUE']);
  });
});

describe('the event feed', () => {
  it('resumes from its checkpoint file after a stop with no event lost or repeated', async () => {
    const ahmat = user('ahmat').userId;
    // issueDue records in batches: one CertificatesRecorded names every certificate of its batch.
    const recordsOf = (event: CrowdLedgerEvent): readonly { assetId: string; holderId: string }[] => {
      if (event.name === 'CertificateRecorded') {
        return [event.payload];
      }
      return event.name === 'CertificatesRecorded' ? event.payload.records : [];
    };
    const lastOfOurs = (event: CrowdLedgerEvent): boolean =>
      recordsOf(event).some((r) => r.assetId === assetId && r.holderId === ahmat);
    const all = await readEvents(platform1, checkpointers.inMemory(), lastOfOurs);
    expect(all.filter((e) => e.name === 'UserRegistered').map((e) => e.payload.userId)).toEqual(
      expect.arrayContaining([user('li').userId, user('ouyang').userId, ahmat]),
    );
    const registered = all.find((e) => e.name === 'AssetRegistered' && e.payload.assetId === assetId);
    expect(registered?.name === 'AssetRegistered' && registered.payload.holders).toHaveLength(3);

    const file = join(dir, 'events.json');
    const half = Math.floor(all.length / 2);
    const first = await readEvents(platform2, file, (_event, n) => n === half);
    const rest = await readEvents(platform2, file, lastOfOurs);
    const id = (e: CrowdLedgerEvent): string => e.transactionId;
    expect(first).toHaveLength(half);
    expect([...first, ...rest].map(id)).toEqual(all.map(id));
  });

  it('resumes after a kill -9 mid-stream with no event lost or repeated', async () => {
    const marker = await platform1.users.register({
      ...people.li,
      platformRef: `marker-${suffix}`,
      idNumber: residentId(),
    });
    const isMarker = (e: CrowdLedgerEvent): boolean =>
      e.name === 'UserRegistered' && e.payload.userId === marker.userId;
    const all = await readEvents(platform1, checkpointers.inMemory(), isMarker);
    const out = join(dir, 'consumer.log');
    // Slow enough that the whole history takes seconds, however short it is.
    const delayMs = Math.max(20, Math.ceil(4_000 / all.length));
    const consumer = startConsumer(out, delayMs);
    await eventually(async () => {
      expect((await lines(out)).length).toBeGreaterThan(all.length / 3);
    }, 60_000);
    consumer.kill('SIGKILL');
    await once(consumer, 'exit');
    const atKill = (await lines(out)).length;
    expect(atKill).toBeLessThan(all.length);

    const restarted = startConsumer(out, 0);
    try {
      await eventually(async () => {
        expect((await lines(out)).length).toBeGreaterThanOrEqual(all.length);
      }, 120_000);
      // Caught up, it goes on live: one more commit, one more line.
      await platform1.users.register({ ...people.li, platformRef: `late-${suffix}`, idNumber: residentId() });
      await eventually(async () => {
        expect(await lines(out)).toHaveLength(all.length + 1);
      });
    } finally {
      restarted.kill('SIGKILL');
    }
    const seen = await lines(out);
    expect(seen.slice(0, all.length)).toEqual(
      all.map((e) => `${String(e.blockNumber)} ${e.transactionId} ${e.name}`),
    );
    expect(seen.at(-1)).toMatch(/ UserRegistered$/);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('personal attributes in certificates (R3)', () => {
  it("carry the holder's name exactly and a masked ID number, from the platform's private data", () => {
    for (const key of ['li', 'ouyang', 'ahmat'] as const) {
      const issued = [...issuedHere(reports.platform1), ...issuedHere(reports.platform2)].find(
        (c) => c.holderId === user(key).userId,
      );
      const attributes = parseHolderCertificate(issued?.certificatePem ?? '').attributes;
      expect(attributes).toMatchObject({
        [ASSET_ATTRIBUTE]: assetId,
        [HOLDER_ATTRIBUTE]: user(key).userId,
        [NAME_ATTRIBUTE]: people[key].name,
        [ID_MASK_ATTRIBUTE]: maskIdNumber(people[key].idNumber),
      });
      expect(attributes[ID_MASK_ATTRIBUTE]).not.toContain(people[key].idNumber.slice(4, -2));
    }
  });
});

describe('handing a certificate over before the ledger records it', () => {
  it('calls onEnrolled while the holding is still due; a failed hand-over records nothing', async () => {
    const li = user('li').userId;
    const asset = await platform1.assets.register(fund(`handover-${suffix}`, [{ userId: li, units: 3 }]));
    const recordedAtHandOver: string[] = [];
    const failed = platform1.certificates.issue(asset.assetId, li, {
      onEnrolled: async () => {
        recordedAtHandOver.push(await outcome(platform1.certificates.get(asset.assetId, li)));
        throw new Error('disk full');
      },
    });
    await expect(failed).rejects.toThrow('disk full');
    expect(recordedAtHandOver).toEqual(['NOT_FOUND']);
    const [holding] = (await platform1.assets.holders(asset.assetId)).records;
    expect(holding).toMatchObject({ userId: li, certificate: 'DUE' });

    const handed: string[] = [];
    const issued = await platform1.certificates.issue(asset.assetId, li, {
      onEnrolled: (enrolled) => {
        handed.push(enrolled.certificatePem);
      },
    });
    expect(handed).toEqual([issued.certificatePem]);
    expect((await platform1.certificates.get(asset.assetId, li)).serial).toBe(issued.record.serial);
  });
});

describe('a lost certificate', () => {
  it('is revoked at the CA and on the ledger, and a new one issued under the same enrollment ID', async () => {
    const lost = issuedHere(reports.platform1).find((c) => c.holderId === user('li').userId);
    const revoked = await platform1.certificates.revoke(assetId, user('li').userId, 'phone lost', {
      caReason: 'keycompromise',
    });
    expect(revoked.record).toMatchObject({ status: 'REVOKED', revocationReason: 'phone lost' });
    expect(revoked.atCa).toMatchObject({ serial: lost?.record.serial, newlyRevoked: true });
    expect(await queryAs(lost)).toMatch(/^CERTIFICATE_REVOKED: /);

    const again = await platform1.certificates.issue(assetId, user('li').userId);
    expect(again.enrollmentId).toBe(lost?.enrollmentId);
    expect(again.record.serial).not.toBe(lost?.record.serial);
    expect(await queryAs(again)).toBe('ACCEPTED');
    expect(await queryAs(lost)).toMatch(/^CERTIFICATE_INVALID: /);
  });
});

describe('a full sale (R6)', () => {
  const buyer = {
    platformRef: `zhang-${suffix}`,
    name: '张三丰',
    idType: 'RESIDENT_ID' as const,
    idNumber: residentId(),
  };

  let sold: IssuedCertificate | undefined;
  let revokedAtCa: RevokedCertificate | undefined;

  it("revokes the seller's certificate on the ledger in the trade, and the chaincode refuses it", async () => {
    sold = issuedHere(reports.platform1).find((c) => c.holderId === user('ouyang').userId);
    users.zhang = await platform2.users.register(buyer);
    const keys = {
      seller: await registerUserKey(platform1, user('ouyang').userId),
      buyer: await registerUserKey(platform2, user('zhang').userId),
    };
    const listing = await platform1.listings.create(
      {
        assetId,
        sellerId: user('ouyang').userId,
        units: 300,
        pricePerUnit: 1_000,
        minPerBuyer: 1,
        maxPerBuyer: 300,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
      keys.seller,
    );
    const result = await platform2.trades.buy(listing.listingId, user('zhang').userId, 300, keys.buyer);
    expect(result).toMatchObject({ sellerCertificateRevoked: true, buyerCertificateDue: true });
    // Refused from the block that revoked it, through every relay: no CRL needs publishing first.
    expect(await queryAs(sold, platform1)).toMatch(/^CERTIFICATE_REVOKED: /);
    expect(await queryAs(sold, platform2)).toMatch(/^CERTIFICATE_REVOKED: /);
  });

  it("makes the seller's platform revoke it at the CA from the event feed, into the CRL", async () => {
    const report = await platform1.certificates.issueDue({
      checkpoint: join(dir, 'issue-p1.json'),
      startBlock,
    });
    revokedAtCa = report.revoked.find((r) => r.assetId === assetId && r.holderId === user('ouyang').userId);
    expect(revokedAtCa).toMatchObject({ holderId: user('ouyang').userId, serial: sold?.record.serial });
    expect(revokedAtCa?.newlyRevoked).toBe(true);
    // li's lost certificate went through certificates.revoke already: nothing new at the CA.
    expect(report.revoked).toContainEqual(
      expect.objectContaining({ holderId: user('li').userId, newlyRevoked: false }),
    );
    const crl = join(dir, 'assetca.crl.pem');
    await writeFile(crl, revokedAtCa?.crlPem ?? '');
    const { stdout } = await run('openssl', ['crl', '-in', crl, '-noout', '-text']);
    expect(stdout).toContain(`Serial Number: ${sold?.record.serial ?? 'none'}`);
  });

  it("gives the buyer's platform the buyer's first certificate from the event feed", async () => {
    const report = await platform2.certificates.issueDue({
      checkpoint: join(dir, 'issue-p2.json'),
      startBlock,
    });
    expect(issuedHere(report).map((c) => c.holderId)).toEqual([user('zhang').userId]);
  });
});
