// The write commands of the CLI, run as a child process against the real
// network, in the order a platform operator uses them: register users on two
// platforms, make their key files, register an asset, issue certificates, list, buy, make
// a private offer, run a campaign, and read the results. Each group also fails once, on purpose.
// The tests share one story, so they run in order and build on each other.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetIdFor, PROPOSAL_TIME_WINDOW_MS } from '../../client/src';
import { blockFilesContaining, repoDir, residentId, uniqueSuffix, userIdOf } from './support';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; `input` is piped to its stdin (closed at once when absent). */
function cli(args: readonly string[], input = '', env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoDir, 'cli', 'dist', 'main.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs the CLI and expects exit 0, showing stderr when it is not. */
async function ok(args: readonly string[], input = ''): Promise<CliResult> {
  const result = await cli(args, input);
  expect({ args, code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
    args,
    code: 0,
    stderr: '',
  });
  return result;
}

/** Runs the CLI and expects exit 1 with `error: <sentence>` on stderr and nothing on stdout. */
async function fails(args: readonly string[], sentence: string | RegExp, input = ''): Promise<CliResult> {
  const result = await cli(args, input);
  expect(result.code).toBe(1);
  if (typeof sentence === 'string') {
    expect(result.stderr).toContain(`error: ${sentence}`);
  } else {
    expect(result.stderr).toMatch(sentence);
  }
  expect(result.stdout).toBe('');
  return result;
}

function json(result: CliResult): unknown {
  return JSON.parse(result.stdout);
}

const run = uniqueSuffix();
const people = {
  zhang: { org: 'platform1', msp: 'Platform1MSP', name: `张伟${run}` },
  li: { org: 'platform1', msp: 'Platform1MSP', name: `李娜${run}` },
  wang: { org: 'platform2', msp: 'Platform2MSP', name: `王芳${run}` },
  liu: { org: 'platform2', msp: 'Platform2MSP', name: `刘洋${run}` },
} as const;
type Person = keyof typeof people;
/** Each person's user ID, keyed with their platform's reference secret (filled in before the tests). */
const ids: Record<Person, string> = { zhang: '', li: '', wang: '', liu: '' };
const assetId = assetIdFor('Platform1MSP', `cli-write-${run}`);
let work = '';
let startBlock = '0';
let listingId = '';
let campaignId = '';
let deadline = 0;

/** The user's transaction key file, as `keys create --out` writes it. */
const keyFile = (who: Person): string => join(work, `${who}.key`);
const certs = (): string => join(work, 'certificates');
const folderOf = (who: Person): string => join(certs(), assetId, ids[who]);

function userJson(who: Person): string {
  const p = people[who];
  return JSON.stringify({
    platformRef: `${who}-${run}`,
    name: p.name,
    idType: 'RESIDENT_ID',
    idNumber: residentId(),
  });
}

function assetJson(ref: string, holders: readonly { userId: string; units: number }[]): string {
  return JSON.stringify({
    assetRef: ref,
    attributes: {
      name: '城市更新基金一期',
      category: 'EQUITY',
      description: 'CLI write integration asset',
      currency: 'CNY',
      documents: [{ name: 'prospectus.pdf', sha256: 'c'.repeat(64), uri: 'https://platform1.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: true, policy: 'Yearly, pro rata' },
      otherTerms: [{ name: 'lock-up', value: '12 months' }],
    },
    totalUnits: holders.reduce((sum, h) => sum + h.units, 0),
    holders,
  });
}

/** The height of peer0.platform1 now: issue-due reads only what this suite wrote. */
async function currentHeight(): Promise<string> {
  const status = json(await ok(['network', 'status', '--json'])) as {
    nodes: { name: string; height: number | null }[];
  };
  return String(status.nodes.find((n) => n.name === 'peer0.platform1')?.height ?? 0);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crowdledger-cli-write-'));
  for (const who of Object.keys(people) as Person[]) {
    ids[who] = await userIdOf(people[who].org, `${who}-${run}`);
  }
  await writeFile(join(work, 'p12.txt'), `p12-${run}\n`, { mode: 0o600 });
  startBlock = await currentHeight();
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('users register', () => {
  it('registers a user from a file and prints the assigned ID in a sentence', async () => {
    await writeFile(join(work, 'zhang.json'), userJson('zhang'));
    const result = await ok(['users', 'register', '--org', 'platform1', '--from', join(work, 'zhang.json')]);
    expect(result.stdout).toContain(`Registered zhang-${run} as user ${ids.zhang};`);
    expect(result.stdout).toMatch(/platform\s+Platform1MSP/);
    expect(result.stderr).toMatch(/✓ registering zhang-\S+ on Platform1MSP \(\d+\.\d s\)/);
  });

  it('registers from stdin: -q prints the ID alone, --json the record', async () => {
    const li = await ok(['users', 'register', '--org', 'platform1', '-q'], userJson('li'));
    expect(li.stdout).toBe(`${ids.li}\n`);
    const wang = json(
      await ok(['users', 'register', '--org', 'platform2', '--from', '-', '--json'], userJson('wang')),
    ) as { userId: string; platform: string };
    expect(wang).toMatchObject({ userId: ids.wang, platform: 'Platform2MSP' });
    await ok(['users', 'register', '--org', 'platform2', '-q'], userJson('liu'));
  });

  it('keeps names and references out of every block (R12)', async () => {
    expect(await blockFilesContaining(people.zhang.name)).toEqual([]);
    expect(await blockFilesContaining(people.wang.name)).toEqual([]);
    expect(await blockFilesContaining(`zhang-${run}`)).toEqual([]);
  });

  it('fails with USER_EXISTS for a reference registered before', async () => {
    await fails(['users', 'register', '--org', 'platform1'], 'USER_EXISTS: ', userJson('zhang'));
  });

  it('refuses unknown fields and a missing --org before sending anything', async () => {
    const typo = JSON.stringify({ platformRef: 'x', name: 'y', idType: 'PASSPORT', idNo: 'E1' });
    await fails(['users', 'register', '--org', 'platform1'], 'stdin has unknown field "idNo"', typo);
    await fails(['users', 'register'], "required option '--org <org>' not specified", userJson('li'));
  });
});

describe('keys', () => {
  it("makes each user's key file, owner-only, and registers its public key signed by it", async () => {
    for (const who of Object.keys(people) as Person[]) {
      const result = await ok(['keys', 'create', ids[who], '--org', people[who].org, '--out', keyFile(who)]);
      expect(result.stdout).toMatch(
        new RegExp(
          `^Transaction key [0-9a-f]{64} of ${ids[who]} registered; its private key is in ${keyFile(who)}`,
        ),
      );
      expect((await stat(keyFile(who))).mode & 0o777).toBe(0o600);
      expect(await readFile(keyFile(who), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    }
    const shown = json(await ok(['keys', 'show', ids.wang, '--json'])) as {
      keyId: string;
      algorithm: string;
    };
    expect(shown).toMatchObject({
      algorithm: 'ES256',
      keyId: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
  });

  it('never overwrites a key file, takes no key in argv, and refuses another platform, leaving no file', async () => {
    const before = await readFile(keyFile('zhang'), 'utf8');
    await fails(
      ['keys', 'create', ids.zhang, '--org', 'platform1', '--out', keyFile('zhang')],
      `cannot write ${keyFile('zhang')}: it exists, and a key file is never overwritten`,
    );
    expect(await readFile(keyFile('zhang'), 'utf8')).toBe(before);
    const argv = join(work, 'argv.key');
    await fails(
      ['keys', 'create', ids.zhang, '--org', 'platform1', '--out', argv, '--key', '1234'],
      "unknown option '--key'",
    );
    await expect(stat(argv)).rejects.toThrow();
    const stray = join(work, 'stray.key');
    await fails(['keys', 'create', ids.zhang, '--org', 'platform2', '--out', stray], 'FORBIDDEN: ');
    await expect(stat(stray)).rejects.toThrow();
    await fails(['keys', 'show', `U${'0'.repeat(32)}`], 'USER_NOT_FOUND: ');
  });
});

describe('assets register', () => {
  it('registers an asset with two holders from a file and shows the cap table', async () => {
    const file = join(work, 'asset.json');
    await writeFile(
      file,
      assetJson(`cli-write-${run}`, [
        { userId: ids.zhang, units: 600 },
        { userId: ids.li, units: 400 },
      ]),
    );
    const result = await ok(['assets', 'register', '--org', 'platform1', '--from', file]);
    expect(result.stdout).toContain(`as asset ${assetId}, 1000 units.`);
    expect(result.stdout).toMatch(new RegExp(`${ids.zhang}\\s+600\\s+60\\.00\\s+DUE`));
    expect(result.stdout).toContain('certificates issue-due --org platform1');
  });

  it('fails with ASSET_EXISTS for the same reference, and refuses units that do not add up', async () => {
    await fails(
      ['assets', 'register', '--org', 'platform1', '--from', join(work, 'asset.json')],
      'ASSET_EXISTS: ',
    );
    const uneven = JSON.parse(assetJson('uneven', [{ userId: ids.zhang, units: 10 }])) as {
      totalUnits: number;
    };
    uneven.totalUnits = 11;
    await fails(
      ['assets', 'register', '--org', 'platform1'],
      'stdin gives holders 10 units in all, but totalUnits is 11',
      JSON.stringify(uneven),
    );
  });
});

describe('campaigns (created now, settled after the deadline at the end)', () => {
  it('creates a campaign with the seller key and prints its ID with -q', async () => {
    const result = await ok([
      'campaigns',
      'create',
      '--org',
      'platform1',
      '--asset',
      assetId,
      '--seller',
      ids.li,
      '--units',
      '200',
      '--target',
      '100',
      '--price',
      '1000',
      '--min',
      '10',
      '--max',
      '100',
      '--deadline',
      // Commitments close one proposal time window (30 s) before it: 45 s left for the next test.
      '75s',
      '--signer',
      keyFile('li'),
      '-q',
    ]);
    campaignId = result.stdout.trim();
    expect(campaignId).toMatch(/^L[0-9a-f]+$/);
    const shown = json(await ok(['listings', 'show', campaignId, '--json'])) as {
      kind: string;
      targetUnits: number;
      expiresAt: string;
    };
    expect(shown).toMatchObject({ kind: 'CAMPAIGN', targetUnits: 100 });
    deadline = Date.parse(shown.expiresAt);
  });

  it('takes commitments from the other platform', async () => {
    const wang = await ok([
      'campaigns',
      'commit',
      campaignId,
      '--org',
      'platform2',
      '--investor',
      ids.wang,
      '--units',
      '60',
      '--signer',
      keyFile('wang'),
    ]);
    expect(wang.stdout).toContain(
      `${ids.wang} has committed 60 units of ${campaignId}; units are allocated first-come when it settles`,
    );
    await ok([
      'campaigns',
      'commit',
      campaignId,
      '--org',
      'platform2',
      '--investor',
      ids.liu,
      '--units',
      '50',
      '--signer',
      keyFile('liu'),
    ]);
    const listed = json(await ok(['campaigns', 'commitments', campaignId, '--json'])) as {
      buyerId: string;
      units: number;
    }[];
    expect(listed.map((c) => c.units).sort()).toEqual([50, 60]);
  });

  it('refuses a withdrawal within 48 hours of the deadline', async () => {
    await fails(
      [
        'campaigns',
        'withdraw',
        campaignId,
        '--org',
        'platform2',
        '--investor',
        ids.wang,
        '--signer',
        keyFile('wang'),
      ],
      'WITHDRAWAL_CLOSED: ',
    );
  });
});

describe('certificates', () => {
  it("issues every holder's certificate from the event feed into owner-only files", async () => {
    const result = await ok([
      'certificates',
      'issue-due',
      '--org',
      'platform1',
      '--out',
      certs(),
      '--checkpoint',
      join(work, 'platform1.checkpoint'),
      '--start-block',
      startBlock,
      '--idle-ms',
      '1000',
      '--json',
    ]);
    const report = json(result) as { issued: { holderId: string; files: { privateKey: string } }[] };
    expect(report.issued.map((i) => i.holderId).sort()).toEqual([ids.zhang, ids.li].sort());
    expect(result.stdout).not.toContain('PRIVATE KEY');
    const key = report.issued[0]?.files.privateKey ?? '';
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(await readFile(key, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('lets the holder read her asset and holding with the certificate (R4)', async () => {
    const view = json(await ok(['certificates', 'query', folderOf('li'), '--json'])) as {
      holding: { units: number; escrowed: number; shareOfTotal: string };
    };
    expect(view.holding).toMatchObject({ units: 400, escrowed: 200, shareOfTotal: '0.400000' });
    const record = await ok(['certificates', 'show', assetId, ids.li]);
    expect(record.stdout).toMatch(/status\s+ACTIVE/);
    expect(record.stdout).toMatch(/enrollment ID\s+holder-[0-9a-f]{40}/);
  });

  it("refuses to issue another platform's user a certificate", async () => {
    await fails(
      ['certificates', 'issue', assetId, ids.wang, '--org', 'platform1', '--out', certs()],
      `NOT_OWN_USER: ${ids.wang} is a user of Platform2MSP`,
    );
  });
});

describe('listings', () => {
  it("creates a listing signed with the seller's key file, shown to every platform", async () => {
    const result = await ok([
      'listings',
      'create',
      '--org',
      'platform1',
      '--asset',
      assetId,
      '--seller',
      ids.zhang,
      '--units',
      '100',
      '--price',
      '1250',
      '--min',
      '10',
      '--max',
      '100',
      '--expires',
      '24h',
      '--signer',
      keyFile('zhang'),
      '-q',
    ]);
    listingId = result.stdout.trim();
    expect(listingId).toMatch(/^L[0-9a-f]+$/);
    const open = json(await ok(['listings', 'open', '--org', 'platform2', '--json'])) as {
      listingId: string;
      remaining: number;
    }[];
    expect(open).toContainEqual(expect.objectContaining({ listingId, remaining: 100 }));
    const csv = (await ok(['listings', 'open', '--org', 'platform2', '--csv'])).stdout;
    expect(csv.startsWith('listing,kind,asset,seller,remaining,units,price_per_unit,expires_at\r\n')).toBe(
      true,
    );
    expect(csv).toContain(`${listingId},FIXED,${assetId},`);
    const table = (await ok(['listings', 'open', '--org', 'platform2'])).stdout;
    expect(table).toMatch(
      new RegExp(`${listingId}\\s+FIXED\\s+${assetId}\\s+\\S+\\s+100\\s+100\\s+12\\.50\\s`),
    );
    const shown = await ok(['listings', 'show', listingId]);
    expect(shown.stdout).toMatch(/price per unit\s+1250 \(12\.50\)/);
  });

  it("refuses a listing signed with another user's key file, and lists nothing", async () => {
    const before = (json(await ok(['listings', 'open', '--json'])) as unknown[]).length;
    await fails(
      [
        'listings',
        'create',
        '--org',
        'platform1',
        '--asset',
        assetId,
        '--seller',
        ids.zhang,
        '--units',
        '5',
        '--price',
        '1',
        '--expires',
        '1h',
        '--signer',
        keyFile('li'),
      ],
      `CONSENT_SIGNATURE_INVALID: request `,
    );
    expect((json(await ok(['listings', 'open', '--json'])) as unknown[]).length).toBe(before);
    await fails(
      [
        'listings',
        'create',
        '--org',
        'platform1',
        '--asset',
        assetId,
        '--seller',
        ids.zhang,
        '--units',
        '5',
        '--price',
        '1',
        '--expires',
        '1h',
      ],
      "required option '--signer <file>' not specified",
    );
  });
});

describe('trades', () => {
  it('checks a purchase without a key file, and says why one would fail', async () => {
    const good = await ok([
      'trades',
      'check',
      listingId,
      '--org',
      'platform2',
      '--buyer',
      ids.wang,
      '--units',
      '30',
    ]);
    expect(good.stdout).toMatch(/^would succeed: /);
    const bad = await cli([
      'trades',
      'check',
      listingId,
      '--org',
      'platform2',
      '--buyer',
      ids.wang,
      '--units',
      '300',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('would fail: ');
  });

  it("refuses a purchase signed with the other user's key file, writing nothing", async () => {
    await fails(
      [
        'trades',
        'buy',
        listingId,
        '--org',
        'platform2',
        '--buyer',
        ids.wang,
        '--units',
        '30',
        '--signer',
        keyFile('liu'),
      ],
      `CONSENT_SIGNATURE_INVALID: request `,
    );
    expect(json(await ok(['trades', 'list', '--asset', assetId, '--json']))).toEqual([]);
  });

  it("buys across platforms signed with the buyer's key file and says the buyer is due a certificate", async () => {
    const result = await ok([
      'trades',
      'buy',
      listingId,
      '--org',
      'platform2',
      '--buyer',
      ids.wang,
      '--units',
      '30',
      '--signer',
      keyFile('wang'),
    ]);
    expect(result.stdout).toContain(`${ids.wang} bought 30 units of ${assetId} from ${ids.zhang} for 375.00`);
    expect(result.stdout).toContain(`certificates issue ${assetId} ${ids.wang} --org platform2`);
    const trades = json(await ok(['trades', 'list', '--asset', assetId, '--json'])) as {
      buyerId: string;
      units: number;
    }[];
    expect(trades).toEqual([expect.objectContaining({ buyerId: ids.wang, units: 30 })]);
    // A person reads yuan; scripts read fen from --json and --csv.
    const table = (await ok(['trades', 'list', '--asset', assetId])).stdout;
    expect(table).toMatch(
      /^trade\s+via\s+asset\s+seller\s+buyer\s+units\s+price\/unit\s+amount\s+executed at/,
    );
    expect(table).toMatch(/\s30\s+12\.50\s+375\.00\s+\d{4}-\d\d-\d\dT/);
    // The signed request is in the block as proof of consent; the key file's contents never are.
    const pem = (await readFile(keyFile('wang'), 'utf8')).split('\n').slice(1, -2).join('');
    expect(await blockFilesContaining(pem.slice(-40))).toEqual([]);
  });

  it("issues the buyer's certificate with a .p12, then revokes it", async () => {
    const issued = await ok([
      'certificates',
      'issue',
      assetId,
      ids.wang,
      '--org',
      'platform2',
      '--out',
      certs(),
      '--p12',
      '--passphrase-file',
      join(work, 'p12.txt'),
    ]);
    expect(issued.stdout).toContain(`Issued ${ids.wang} the certificate of ${assetId}`);
    expect((await stat(join(folderOf('wang'), 'holder.p12'))).mode & 0o777).toBe(0o600);
    const view = json(await ok(['certificates', 'query', folderOf('wang'), '--json'])) as {
      holding: { units: number };
    };
    expect(view.holding.units).toBe(30);
    const revokeArgs = [
      'certificates',
      'revoke',
      assetId,
      ids.wang,
      '--org',
      'platform2',
      '--reason',
      'key lost',
      '--ca-reason',
      'keycompromise',
      '--json',
    ];
    const revoked = json(await ok(revokeArgs)) as {
      record: { status: string; revocationReason: string };
      newlyRevokedAtCa: boolean;
    };
    expect(revoked).toMatchObject({
      record: { status: 'REVOKED', revocationReason: 'key lost' },
      newlyRevokedAtCa: true,
    });
    // Again: nothing left to do at the CA or on the ledger, and no error.
    expect(json(await ok(revokeArgs))).toMatchObject({ newlyRevokedAtCa: false });
    await fails(['certificates', 'query', folderOf('wang'), '--org', 'platform1'], 'CERTIFICATE_REVOKED: ');
  });

  it('replaces a lost key: the old key file is refused from then on', async () => {
    const lost = keyFile('wang');
    const phone = join(work, 'wang-new.key');
    const result = await ok(['keys', 'create', ids.wang, '--org', 'platform2', '--out', phone]);
    expect(result.stdout).toMatch(/registered in place of [0-9a-f]{64}, which is refused from now on/);
    const buy = ['trades', 'buy', listingId, '--org', 'platform2', '--buyer', ids.wang, '--units', '10'];
    await fails([...buy, '--signer', lost], 'CONSENT_KEY_RETIRED: ');
    const bought = await ok([...buy, '--signer', phone]);
    expect(bought.stdout).toContain(`${ids.wang} bought 10 units of ${assetId}`);
  });
});

describe('offers', () => {
  let offerId = '';

  it('offers units privately to a user of the other platform, who accepts with their key file', async () => {
    const created = await ok([
      'offers',
      'create',
      '--org',
      'platform1',
      '--asset',
      assetId,
      '--seller',
      ids.zhang,
      '--buyer',
      ids.liu,
      '--units',
      '20',
      '--price',
      '1200',
      '--expires',
      '1h',
      '--signer',
      keyFile('zhang'),
      '-q',
    ]);
    offerId = created.stdout.trim();
    expect(offerId).toMatch(/^O[0-9a-f]+$/);
    const accepted = await ok([
      'offers',
      'accept',
      offerId,
      '--org',
      'platform2',
      '--signer',
      keyFile('liu'),
    ]);
    expect(accepted.stdout).toContain(
      `${ids.liu} bought 20 units of ${assetId} from ${ids.zhang} for 240.00`,
    );
    const shown = await ok(['offers', 'show', offerId]);
    expect(shown.stdout).toMatch(/status\s+ACCEPTED/);
  });

  it('refuses to cancel an accepted offer', async () => {
    await fails(
      ['offers', 'cancel', offerId, '--org', 'platform1', '--signer', keyFile('zhang')],
      'OFFER_CLOSED: ',
    );
  });
});

describe('listings cancel, campaigns settle', () => {
  it("cancels the rest of the listing and returns the seller's units", async () => {
    const result = await ok([
      'listings',
      'cancel',
      listingId,
      '--org',
      'platform1',
      '--signer',
      keyFile('zhang'),
    ]);
    expect(result.stdout).toContain(`Cancelled ${listingId}: 60 units back to ${ids.zhang}.`);
  });

  it('settles the campaign after its deadline into trades, and issues the new holder', async () => {
    // Settlement opens one proposal time window after the deadline.
    await new Promise((done) =>
      setTimeout(done, Math.max(0, deadline + PROPOSAL_TIME_WINDOW_MS - Date.now() + 1500)),
    );
    const settled = await ok(['campaigns', 'settle', campaignId, '--org', 'platform1']);
    expect(settled.stdout).toContain(
      `Campaign ${campaignId} SUCCEEDED: 110 of 200 units allocated first-come to 2 investors;`,
    );
    expect(settled.stdout).toContain(ids.liu);
    const report = json(
      await ok([
        'certificates',
        'issue-due',
        '--org',
        'platform2',
        '--out',
        certs(),
        '--checkpoint',
        join(work, 'platform2.checkpoint'),
        '--start-block',
        startBlock,
        '--idle-ms',
        '1000',
        '--json',
      ]),
    ) as { issued: { holderId: string }[] };
    expect(report.issued.map((i) => i.holderId)).toContain(ids.liu);
    const holders = json(await ok(['assets', 'holders', assetId, '--json'])) as {
      holders: { holder: string; units: number }[];
    };
    const units = Object.fromEntries(holders.holders.map((h) => [h.holder, h.units]));
    expect(units).toEqual({ [ids.zhang]: 540, [ids.li]: 290, [ids.wang]: 100, [ids.liu]: 70 });
  });

  it('refuses to settle it twice', async () => {
    await fails(['campaigns', 'settle', campaignId, '--org', 'platform1'], /error: [A-Z_]+: /);
  });
});

describe('audit, ledger, network, chaincode', () => {
  it("reads a holding's history", async () => {
    const history = json(await ok(['audit', 'history', 'holding', `${assetId}/${ids.wang}`, '--json'])) as {
      value: { units: number } | null;
    }[];
    expect(history.map((e) => e.value?.units)).toEqual(expect.arrayContaining([30, 40, 100]));
    // The table says what each version held; the CSV keeps each version whole.
    const table = await ok(['audit', 'history', 'holding', `${assetId}/${ids.wang}`]);
    expect(table.stdout).toMatch(/^timestamp\s+transaction\s+change\s+state/);
    expect(table.stdout).toMatch(/write\s+100 units, \d+ in escrow, certificate [A-Z]+/);
    const csv = (await ok(['audit', 'history', 'holding', `${assetId}/${ids.wang}`, '--csv'])).stdout;
    const records = csv.split('\r\n').filter((line) => line !== '');
    expect(records[0]).toBe('timestamp,transaction,change,state,record_json');
    expect(records).toHaveLength(history.length + 1);
    expect(csv).toContain('""units"":30');
    await fails(
      ['audit', 'history', 'receipt', assetId],
      /expected one of user, asset, .*, listing, offer, trade/,
    );
  });

  it("reads a listing's history: created, bought from, cancelled", async () => {
    const history = json(await ok(['audit', 'history', 'listing', listingId, '--json'])) as {
      value: { status: string; remaining: number } | null;
    }[];
    expect(history[0]?.value).toMatchObject({ status: 'CANCELLED' });
    expect(history.at(-1)?.value).toMatchObject({ status: 'OPEN', remaining: 100 });
    await fails(['audit', 'history', 'trade', assetId], /error: [A-Z_]+: .*trade/i);
  });

  it('verifies the ledger, and names a node that does not exist', async () => {
    const verify = await ok(['ledger', 'verify']);
    expect(verify.stdout).toContain('Result: OK');
    await fails(['ledger', 'verify', '--node', 'nosuch'], 'no peer or orderer named nosuch');
  });

  it('reports every node up, and exit 4 with no network', async () => {
    const status = await ok(['network', 'status']);
    expect(status.stdout).toMatch(/(\d+) of \1 nodes up/);
    const empty = await mkdtemp(join(tmpdir(), 'crowdledger-none-'));
    const none = await cli(['network', 'status'], '', { ...process.env, CROWDLEDGER_HOME: empty });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('no network: run `crowdledger network up`');
  });

  it('shows chaincode help with an example, and refuses an unknown subcommand', async () => {
    const help = await ok(['chaincode', '--help']);
    expect(help.stdout).toContain('$ crowdledger chaincode deploy');
    const unknown = await cli(['chaincode', 'nosuch']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: unknown command 'nosuch'");
  });
});

describe('certificates issue-due --follow', () => {
  it('issues a new holder’s certificate without being asked again, and stops cleanly on SIGTERM', async () => {
    const out = join(work, 'follow');
    const follower = spawn(
      process.execPath,
      [
        join(repoDir, 'cli', 'dist', 'main.js'),
        ...['certificates', 'issue-due', '--org', 'platform1', '--out', out, '--json'],
        ...['--checkpoint', join(work, 'follow.checkpoint'), '--start-block', await currentHeight()],
        ...['--follow', '1s', '--idle-ms', '500'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    follower.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    follower.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => follower.on('close', resolve));
    try {
      // Registered after the follower started: only the event feed tells it.
      const file = join(work, 'follow-asset.json');
      await writeFile(file, assetJson(`cli-follow-${run}`, [{ userId: ids.li, units: 5 }]));
      await ok(['assets', 'register', '--org', 'platform1', '--from', file]);
      const followed = assetIdFor('Platform1MSP', `cli-follow-${run}`);
      const cert = join(out, followed, ids.li, 'cert.pem');
      const deadline = Date.now() + 60_000;
      while (
        !(await stat(cert).then(
          () => true,
          () => false,
        ))
      ) {
        if (Date.now() > deadline) {
          throw new Error(`no certificate after 60 s; the follower said: ${stderr}`);
        }
        await new Promise((wake) => setTimeout(wake, 250));
      }
      follower.kill('SIGTERM');
      expect(await exited).toBe(0);
      const passes = stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { issued: { assetId: string; holderId: string }[] });
      expect(passes.flatMap((p) => p.issued)).toContainEqual(
        expect.objectContaining({ assetId: followed, holderId: ids.li }),
      );
      expect(stderr).toContain("following Platform1MSP's event feed every 1 s");
    } finally {
      follower.kill('SIGKILL');
    }
  });
});
