import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssetInput, User } from '../../client/src';
import {
  blockFilesContaining,
  channelBlockFiles,
  eventually,
  failureCode,
  newPerson,
  orgs,
  runScript,
  uniqueSuffix,
  withClient,
  withConnection,
} from './support';

/**
 * The network end to end through each organisation's own gateway and peer,
 * on real register operations by identities allowed to make them: what one
 * organisation commits, every peer serves; a platform's private data stays
 * in its collection and out of every block.
 */

function oneHolderAsset(holderId: string): AssetInput {
  return {
    assetRef: `smoke-fund-${uniqueSuffix()}`,
    attributes: {
      name: '网络检查基金',
      category: 'FUND',
      description: 'An asset for the network end-to-end check.',
      currency: 'CNY',
      documents: [{ name: 'prospectus.pdf', sha256: 'b'.repeat(64), uri: 'https://docs.example/p.pdf' }],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: true, policy: 'Quarterly, pro rata.' },
      otherTerms: [],
    },
    totalUnits: 10,
    holders: [{ userId: holderId, units: 10 }],
  };
}

describe('public state through every organisation', () => {
  it.each(['platform1', 'platform2'] as const)(
    'a user registered through %s is read back through every peer',
    async (writer) => {
      const user = await withClient(writer, (c) => c.users.register(newPerson(`smoke-${writer}`)));
      for (const reader of orgs) {
        // Each organisation's gateway answers from its own peer, which commits the block a moment later.
        const read = await eventually(() => withClient(reader, (c) => c.users.get(user.userId)));
        expect(read).toEqual(user);
      }
    },
  );

  it('a certificate the registry records through its own gateway is read back through every peer', async () => {
    const holder = await withClient('platform1', (c) => c.users.register(newPerson('smoke-holder')));
    const asset = await withClient('platform1', (c) => c.assets.register(oneHolderAsset(holder.userId)));
    const dir = await mkdtemp(join(tmpdir(), 'crowdledger-smoke-'));
    try {
      const { stdout } = await runScript('holder.sh', ['platform1', asset.assetId, holder.userId, dir]);
      const pem = await readFile((JSON.parse(stdout) as { cert: string }).cert, 'utf8');
      const record = await withClient('registry', (c) =>
        c.certificates.record(asset.assetId, holder.userId, pem),
      );
      expect(record).toMatchObject({ assetId: asset.assetId, holderId: holder.userId, status: 'ACTIVE' });
      for (const reader of orgs) {
        const read = await eventually(() =>
          withClient(reader, (c) => c.certificates.get(asset.assetId, holder.userId)),
        );
        expect(read).toEqual(record);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed argument with a stable code', async () => {
    await withConnection('platform1', 'app', async (c) => {
      expect(await failureCode(c.contract('assets').submitTransaction('Register', 'not json'))).toBe(
        'INVALID_ARGUMENT',
      );
    });
  });
});

describe('private data of a platform', () => {
  // The name is distinctive, so a byte search of the block files cannot match by chance.
  const person = newPerson('smoke-private');
  let user: User;

  beforeAll(async () => {
    user = await withClient('platform1', (c) => c.users.register(person));
  });

  it('is read back by its platform and by the registry', async () => {
    for (const reader of ['platform1', 'registry'] as const) {
      const data = await eventually(() => withClient(reader, (c) => c.users.personalData(user.userId)));
      expect(data).toMatchObject({ userId: user.userId, name: person.name, idNumber: person.idNumber });
    }
  });

  it('is refused to a platform that is not a member of the collection', async () => {
    await withClient('platform2', async (c) => {
      await expect(c.users.personalData(user.userId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  it('never reaches a block on any peer or orderer, while public values do', async () => {
    const files = await channelBlockFiles();
    // Three orderers and three peers each keep the channel's chain.
    expect(files.length).toBeGreaterThanOrEqual(6);
    await eventually(async () => {
      expect((await blockFilesContaining(user.userId)).length).toBeGreaterThanOrEqual(6);
    });
    expect(await blockFilesContaining(person.name)).toEqual([]);
    expect(await blockFilesContaining(person.idNumber)).toEqual([]);
  });
});
