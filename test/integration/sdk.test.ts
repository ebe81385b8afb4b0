import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type AssetInput,
  type Checkpointer,
  checkpointers,
  CrowdLedger,
  type CrowdLedgerClient,
  type CrowdLedgerEvent,
  hasErrorCode,
  type IssueDueReport,
  type IssuedCertificate,
  type User,
} from '../../client/src';
import { networkHome, profilePath, residentId, uniqueSuffix } from './support';

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
const users: Partial<Record<keyof typeof people, User>> = {};
let assetId = '';
const reports: Partial<Record<'platform1' | 'platform2', IssueDueReport>> = {};

function user(key: keyof typeof people): User {
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
  const subscription = await client.events.subscribe({ checkpoint, startBlock: 0n });
  for await (const event of subscription) {
    seen.push(event);
    if (stop(event, seen.length)) {
      await subscription.ack();
      break;
    }
  }
  return seen;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-sdk-it-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  users.li = await platform1.users.register(people.li);
  users.ouyang = await platform1.users.register(people.ouyang);
  users.ahmat = await platform2.users.register(people.ahmat);
  const holders = [
    { userId: user('li').userId, units: 500 },
    { userId: user('ouyang').userId, units: 300 },
    { userId: user('ahmat').userId, units: 200 },
  ];
  assetId = (await platform1.assets.register(fund(`fund-${suffix}`, holders))).assetId;
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
    if (hasErrorCode(failure, 'USER_EXISTS')) {
      expect(failure.stage).toBe('endorse');
      expect(failure.transactionId).toMatch(/^[0-9a-f]{64}$/);
      expect(failure.sentence).toContain(user('li').userId);
    }
  });
});

describe('issuing due certificates from the event feed (R3)', () => {
  it("issues on each platform exactly its own users' certificates", async () => {
    reports.platform1 = await platform1.certificates.issueDue({ checkpoint: join(dir, 'issue-p1.json') });
    reports.platform2 = await platform2.certificates.issueDue({ checkpoint: join(dir, 'issue-p2.json') });

    const ids = (report: IssueDueReport | undefined): string[] =>
      issuedHere(report)
        .map((c) => c.holderId)
        .sort();
    expect(ids(reports.platform1)).toEqual([user('li').userId, user('ouyang').userId].sort());
    expect(ids(reports.platform2)).toEqual([user('ahmat').userId]);
    expect(reports.platform1.failed).toBeUndefined();
    expect(reports.platform1.skipped).toContainEqual({
      assetId,
      holderId: user('ahmat').userId,
      reason: 'OTHER_PLATFORM',
    });
    const holders = await platform1.assets.holders(assetId, { pageSize: 10 });
    expect(holders.records.map((h) => h.certificate)).toEqual(['ISSUED', 'ISSUED', 'ISSUED']);
  });

  it('is idempotent: a second run from a new checkpoint skips every issued holding', async () => {
    const again = await platform1.certificates.issueDue({ checkpoint: join(dir, 'issue-p1-again.json') });
    expect(issuedHere(again)).toEqual([]);
    expect(again.skipped).toContainEqual({ assetId, holderId: user('li').userId, reason: 'ALREADY_ISSUED' });
  });

  it('gives certificates that chain to the asset CA (openssl verify) and open as PKCS#12', async () => {
    const caFile = join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem');
    for (const issued of [...issuedHere(reports.platform1), ...issuedHere(reports.platform2)]) {
      const file = join(dir, `${issued.holderId}.pem`);
      await writeFile(file, issued.certificatePem);
      const { stdout } = await run('openssl', ['verify', '-CAfile', caFile, file]);
      expect(stdout.trim()).toBe(`${file}: OK`);
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

  it('lets each holder connect with its certificate and see only its own holding (R4)', async () => {
    const units: Record<string, number> = {
      [user('li').userId]: 500,
      [user('ouyang').userId]: 300,
      [user('ahmat').userId]: 200,
    };
    for (const issued of [...issuedHere(reports.platform1), ...issuedHere(reports.platform2)]) {
      await using holder = await CrowdLedger.connect({
        profile: profilePath('registry'),
        identity: { certificate: issued.certificatePem, privateKey: issued.privateKeyPem },
      });
      const view = await holder.certificates.query();
      expect(view.asset.assetId).toBe(assetId);
      expect(view.holding).toMatchObject({
        units: units[issued.holderId],
        certificateSerial: issued.record.serial,
      });
      await expect(holder.assets.holders(assetId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it("keeps each holding's history, DUE then ISSUED", async () => {
    const history = await platform1.audit.history('holding', `${assetId}/${user('li').userId}`);
    expect(history.map((e) => e.value?.certificate)).toEqual(['ISSUED', 'DUE']);
  });
});

describe('the event feed', () => {
  it('resumes from its checkpoint file after a stop with no event lost or repeated', async () => {
    const ahmat = user('ahmat').userId;
    const lastOfOurs = (event: CrowdLedgerEvent): boolean =>
      event.name === 'CertificateRecorded' &&
      event.payload.assetId === assetId &&
      event.payload.holderId === ahmat;
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
});

describe('personal attributes in certificates', () => {
  it('are refused by Fabric CA while the registrar may set only the asset and holder attributes', async () => {
    const holders = [{ userId: user('li').userId, units: 1 }];
    const other = await platform1.assets.register(fund(`extra-${suffix}`, holders));
    await expect(
      platform1.certificates.issue(other.assetId, user('li').userId, { personalAttributes: true }),
    ).rejects.toMatchObject({ code: 'CA_REFUSED' });
    const holding = (await platform1.users.portfolio(user('li').userId)).holdings.find(
      (h) => h.assetId === other.assetId,
    );
    expect(holding?.certificate).toBe('DUE');
  });
});
