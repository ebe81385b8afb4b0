import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../client/src';
import {
  blockFilesContaining,
  channelBlockFiles,
  eventually,
  failureCode,
  orgs,
  outcome,
  registration,
  residentId,
  runScript,
  uniqueSuffix,
  utf8,
  withClient,
  withConnection,
  type OrgKey,
} from './support';

interface User {
  readonly userId: string;
  readonly platform: string;
  readonly commitment: string;
}

interface Holding {
  readonly assetId: string;
  readonly userId: string;
  readonly units: number;
  readonly certificate: string;
}

interface Person {
  readonly ref: string;
  readonly name: string;
  readonly idType: string;
  readonly idNumber: string;
}

const run = uniqueSuffix();

const people: Record<'li' | 'ouyang' | 'ahmat', Person> = {
  li: { ref: `li-${run}`, name: `李小龙${run}`, idType: 'RESIDENT_ID', idNumber: residentId() },
  ouyang: { ref: `ouyang-${run}`, name: `欧阳娜娜${run}`, idType: 'RESIDENT_ID', idNumber: residentId() },
  ahmat: {
    ref: `ahmat-${run}`,
    name: `阿卜杜热西提·买买提${run}`,
    idType: 'RESIDENT_ID',
    idNumber: residentId(),
  },
};

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
function json<T>(bytes: Uint8Array): T {
  return JSON.parse(utf8.decode(bytes)) as T;
}

async function registerUser(c: Connection, person: Person): Promise<User> {
  const { ref, name, idNumber } = person;
  const org = c.profile.org as OrgKey;
  const options = await registration(org, { platformRef: ref, name, idType: 'RESIDENT_ID', idNumber });
  return json<User>(await c.contract('users').submit('Register', options));
}

async function as<T>(org: OrgKey, use: (c: Connection) => Promise<T>, identity = 'app'): Promise<T> {
  return withConnection(org, identity, use);
}

const users: Partial<Record<keyof typeof people, User>> = {};
let assetId = '';

function user(key: keyof typeof people): User {
  const found = users[key];
  if (found === undefined) {
    throw new Error(`user ${key} was not registered`);
  }
  return found;
}

beforeAll(async () => {
  users.li = await as('platform1', (c) => registerUser(c, people.li));
  users.ouyang = await as('platform1', (c) => registerUser(c, people.ouyang));
  users.ahmat = await as('platform2', (c) => registerUser(c, people.ahmat));
  const asset = {
    assetRef: `fund-${run}`,
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
    totalUnits: 1000,
    holders: [
      { userId: user('li').userId, units: 500 },
      { userId: user('ouyang').userId, units: 300 },
      { userId: user('ahmat').userId, units: 200 },
    ],
  };
  assetId = await as('platform1', async (c) =>
    json<{ assetId: string }>(
      await c.contract('assets').submitTransaction('Register', JSON.stringify(asset)),
    ),
  ).then((a) => a.assetId);
  // Ahmat is Platform2's user: the holding Platform1 gave him waits for Platform2 (R13).
  await eventually(() =>
    as('platform2', (c) =>
      c.contract('assets').submitTransaction('AcceptHolding', assetId, user('ahmat').userId),
    ),
  );
});

describe('users (R1, R12)', () => {
  it('assigns IDs and refuses the same platform reference twice', async () => {
    expect(user('li').userId).toMatch(/^U[0-9a-f]{32}$/);
    expect(user('li').platform).toBe('Platform1MSP');
    const code = await as('platform1', (c) => failureCode(registerUser(c, people.li)));
    expect(code).toBe('USER_EXISTS');
  });

  it('keeps personal data exactly, readable by the own platform and the registry only', async () => {
    for (const reader of ['platform1', 'registry'] as const) {
      const data = await as(reader, async (c) =>
        json<Person>(await c.contract('users').evaluateTransaction('GetPersonalData', user('ouyang').userId)),
      );
      expect(data.name).toBe(people.ouyang.name);
      expect(data.idNumber).toBe(people.ouyang.idNumber);
    }
  });

  it('refuses a Platform2 identity acting for a Platform1 user', async () => {
    const code = await as('platform2', (c) =>
      failureCode(c.contract('users').evaluateTransaction('GetPersonalData', user('li').userId)),
    );
    expect(code).toBe('FORBIDDEN');
  });

  it('refuses an auditor write', async () => {
    const code = await as(
      'registry',
      (c) => failureCode(registerUser(c, { ...people.li, ref: `audit-${run}` })),
      'auditor',
    );
    expect(code).toBe('FORBIDDEN');
  });

  it('refuses a resident ID with a wrong check digit, writing nothing', async () => {
    const good = people.li.idNumber;
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const code = await as('platform1', (c) =>
      failureCode(registerUser(c, { ...people.li, ref: `bad-${run}`, idNumber: bad })),
    );
    expect(code).toBe('INVALID_ARGUMENT');
  });
});

describe('assets (R2) and the register (R14)', () => {
  it('is read the same through every organisation', async () => {
    for (const org of orgs) {
      const asset = await as(org, async (c) =>
        json<{ totalUnits: number; platform: string }>(
          await c.contract('assets').evaluateTransaction('Get', assetId),
        ),
      );
      expect(asset).toMatchObject({ totalUnits: 1000, platform: 'Platform1MSP' });
      const page = await as(org, async (c) =>
        json<{ records: Holding[] }>(
          await c.contract('assets').evaluateTransaction('Holders', assetId, '10', ''),
        ),
      );
      expect(page.records.reduce((sum, h) => sum + h.units, 0)).toBe(1000);
      expect(page.records.every((h) => h.certificate === 'DUE')).toBe(true);
    }
  });

  it("lists a Platform2 user's holding in their portfolio", async () => {
    const portfolio = await as('platform2', async (c) =>
      json<{ holdings: Holding[] }>(
        await c.contract('users').evaluateTransaction('Portfolio', user('ahmat').userId),
      ),
    );
    expect(portfolio.holdings).toEqual([expect.objectContaining({ assetId, units: 200 })]);
  });

  it('refuses fractional, negative and non-numeric units', async () => {
    for (const units of ['1.5', '-1', '"10"', '10abc']) {
      const text = `{"assetRef":"bad-${run}","attributes":{"name":"x","category":"FUND","description":"x","currency":"CNY","documents":[]},"rights":{"voting":{"enabled":false,"votesPerUnit":0},"dividend":{"enabled":false,"policy":""},"otherTerms":[]},"totalUnits":${units},"holders":[{"userId":"${user('li').userId}","units":${units}}]}`;
      const code = await as('platform1', (c) =>
        failureCode(c.contract('assets').submitTransaction('Register', text)),
      );
      expect(['UNITS_INVALID', 'INVALID_ARGUMENT']).toContain(code);
    }
  });
});

describe('asset certificates (R3, R4)', () => {
  async function issue(
    platform: 'platform1' | 'platform2',
    holderId: string,
  ): Promise<{ cert: string; key: string }> {
    const out = await mkdtemp(join(tmpdir(), 'crowdledger-cert-'));
    const { stdout } = await runScript('holder.sh', [platform, assetId, holderId, out]);
    return JSON.parse(stdout) as { cert: string; key: string };
  }

  async function record(platform: OrgKey, holderId: string, certPath: string): Promise<string> {
    const pem = await readFile(certPath, 'utf8');
    return as(platform, (c) =>
      outcome(
        c.contract('certificates').submit('Record', {
          arguments: [assetId, holderId],
          transientData: { certificate: pem },
        }),
      ),
    );
  }

  /** The holder's query, signed with the key holder.sh wrote and relayed by `relay`. */
  function query(relay: OrgKey, files: { cert: string; key: string }): Promise<string> {
    return withClient(relay, (c) =>
      outcome(c.certificates.query({ certificate: files.cert, privateKey: files.key })),
    );
  }

  it("records a certificate from the holder's own platform only, and any relay then answers the holder", async () => {
    const holder = await issue('platform2', user('ahmat').userId);
    expect(await record('platform1', user('ahmat').userId, holder.cert)).toBe('FORBIDDEN');
    expect(await record('platform2', user('ahmat').userId, holder.cert)).toBe('OK');
    const view = await withClient('platform1', (c) =>
      c.certificates.query({ certificate: holder.cert, privateKey: holder.key }),
    );
    expect(view.holding).toMatchObject({ units: 200, shareOfTotal: '0.200000' });
  });

  it('gives a revoked certificate nothing, and a holder certificate no way to call a peer itself', async () => {
    const holder = await issue('platform1', user('li').userId);
    expect(await record('platform1', user('li').userId, holder.cert)).toBe('OK');
    expect(await query('platform2', holder)).toBe('OK');
    const readAsset = await withConnection('registry', holder, (c) =>
      failureCode(c.contract('assets').evaluateTransaction('Get', assetId)),
    );
    expect(['OK', 'FORBIDDEN']).not.toContain(readAsset);
    await as('platform1', (c) =>
      c.contract('certificates').submitTransaction('Revoke', assetId, user('li').userId, 'lost'),
    );
    expect(await query('platform2', holder)).toBe('CERTIFICATE_REVOKED');
  });
});

describe('what reaches the blocks', () => {
  it('holds no name and no ID number of any user, on any peer or orderer', async () => {
    expect((await channelBlockFiles()).length).toBeGreaterThanOrEqual(6);
    // Positive control: public records do reach the blocks.
    expect((await blockFilesContaining(user('li').userId)).length).toBeGreaterThan(0);
    for (const person of Object.values(people)) {
      expect(await blockFilesContaining(person.name)).toEqual([]);
      expect(await blockFilesContaining(person.idNumber)).toEqual([]);
      expect(await blockFilesContaining(person.ref)).toEqual([]);
    }
  });
});

describe('contract metadata', () => {
  it('describes every transaction with typed parameters and returns', async () => {
    const metadata = await as('platform1', async (c) =>
      json<{
        contracts: Record<
          string,
          { transactions: { name: string; parameters?: { schema: object }[]; returns?: object }[] }
        >;
      }>(
        await c.network
          .getContract('crowdledger', 'org.hyperledger.fabric')
          .evaluateTransaction('GetMetadata'),
      ),
    );
    for (const name of ['users', 'assets', 'certificates', 'audit']) {
      const contract = metadata.contracts[name];
      expect(contract).toBeDefined();
      const transactions = contract?.transactions ?? [];
      expect(transactions.length).toBeGreaterThan(0);
      for (const tx of transactions) {
        expect(tx.returns ?? tx.name).toBeDefined();
        for (const parameter of tx.parameters ?? []) {
          expect(parameter.schema).toBeDefined();
        }
      }
    }
  });
});
