import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { CrowdLedger, type CrowdLedgerClient, type UserRegistration } from '../../client/src';
import {
  channelBlockFiles,
  eventually,
  networkHome,
  newPerson,
  profilePath,
  referenceSecretOf,
  registration,
  runCli,
  uniqueSuffix,
  withConnection,
} from './support';
import { fundAsset } from '../support/assets';
import { encodings } from './leaks';

/**
 * R12 on the real network: nothing personal in clear on the ledger. Users
 * are registered every way a platform can (SDK, CLI, a raw users:Register),
 * given holdings across platforms and accepted; then every block file of
 * every peer and orderer is searched for every platform reference, name and
 * ID number this suite used, and for each platform's reference secret —
 * raw, JSON-escaped, hex- and base64-encoded — and none is found. The user IDs, which
 * are public, are found on every node: the search sees what it should.
 */

const run = uniqueSuffix();
const NODES = 7; // three orderers and four peers (two of them the registry's)

/** A person whose every field is distinctive enough to find in a block by itself. */
function person(label: string, name: string): UserRegistration {
  const base = newPerson(`${label}-${run}`);
  return { ...base, name: `${name}${run}` };
}

const people = {
  sdk: person('privacy-sdk', '欧阳娜娜'),
  cli: person('privacy-cli', '阿卜杜热西提·买买提'),
  raw: person('privacy-raw', 'Zhang Wei '),
  foreign: person('privacy-foreign', '王芳'),
};

/** Which nodes' block files hold the bytes (each node's channel folder once). */
function nodesHolding(files: ReadonlyMap<string, Buffer>, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  const nodes = [...files].filter(([, content]) => content.includes(bytes)).map(([file]) => nodeOf(file));
  return [...new Set(nodes)].sort();
}

function nodeOf(file: string): string {
  return relative(`${networkHome()}/nodes`, dirname(file)).split('/')[0] ?? file;
}

async function readBlockFiles(): Promise<Map<string, Buffer>> {
  const files = await channelBlockFiles();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(f)] as const)));
}

const ids: Record<keyof typeof people, string> = { sdk: '', cli: '', raw: '', foreign: '' };
let assetId = '';
let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
let work = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crowdledger-privacy-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  ids.sdk = (await platform1.users.register(people.sdk)).userId;
  const file = join(work, 'user.json');
  await writeFile(file, JSON.stringify(people.cli), { mode: 0o600 });
  const { stdout } = await runCli(['users', 'register', '--org', 'platform1', '--from', file, '-q']);
  ids.cli = stdout.trim();
  const options = await registration('platform1', people.raw);
  ids.raw = await withConnection('platform1', 'app', async (c) => {
    const bytes = await c.contract('users').submit('Register', options);
    return (JSON.parse(Buffer.from(bytes).toString('utf8')) as { userId: string }).userId;
  });
  ids.foreign = (await platform2.users.register(people.foreign)).userId;
  const holders = [
    { userId: ids.sdk, units: 50 },
    { userId: ids.cli, units: 20 },
    { userId: ids.raw, units: 20 },
    { userId: ids.foreign, units: 10 },
  ];
  const input = fundAsset(`privacy-${run}`, holders, { name: '隐私测试', description: 'R12' });
  assetId = (await platform1.assets.register(input)).assetId;
  await eventually(() => platform2.assets.acceptHolding(assetId, ids.foreign));
  // The last write must be in every node's block files before they are searched.
  const deadline = Date.now() + 20_000;
  while (nodesHolding(await readBlockFiles(), ids.foreign).length < NODES && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 250));
  }
});

afterAll(async () => {
  platform1.close();
  platform2.close();
  await rm(work, { recursive: true, force: true });
});

describe('the block files of every node', () => {
  it('hold every public ID and the asset reference this suite made, on every node (the search works)', async () => {
    const files = await readBlockFiles();
    expect(new Set([...files.keys()].map(nodeOf)).size).toBe(NODES);
    // The asset reference is public by design (an argument of assets:Register): found like the IDs.
    for (const id of [...Object.values(ids), assetId, `privacy-${run}`]) {
      expect(nodesHolding(files, id)).toHaveLength(NODES);
    }
  });

  it('hold no platform reference, name or ID number, raw, JSON-escaped, hex- or base64-encoded', async () => {
    const files = await readBlockFiles();
    const personal = Object.values(people).flatMap((p) => [p.platformRef, p.name, p.idNumber]);
    const found = personal.flatMap((text) =>
      encodings(text)
        .map((form) => ({ form, nodes: nodesHolding(files, form) }))
        .filter((hit) => hit.nodes.length > 0),
    );
    expect(found).toEqual([]);
  });

  it("hold neither platform's reference secret", async () => {
    const files = await readBlockFiles();
    for (const org of ['platform1', 'platform2'] as const) {
      const secret = await referenceSecretOf(org);
      const hits = encodings(secret).flatMap((form) => nodesHolding(files, form));
      expect(hits).toEqual([]);
    }
  });
});
